"""县区考核: every assessed metric's ranking of the units, the change against last year, one unit in
detail, and the workbook (the same file as ``ipwh export county-assessment``)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards.components.changes import change_analysis_section
from dashboards import data
from dashboards.components.format import (
    NO_VALUE,
    format_number,
    format_quantity,
    is_missing,
    period_label,
)
from dashboards.components.links import page_link
from dashboards.components.tilemap import tile_map
from orchestration import exports

UNIT_KEY = "assessment_unit"
METRIC_MAP_KEY = "assessment_map_metric"


def _signed(value: object, unit: str | None) -> str:
    if is_missing(value):
        return NO_VALUE
    number = float(value)
    text = format_number(abs(number), unit)
    if unit == "%":
        text += "个百分点"
    return ("+" if number > 0 else "−" if number < 0 else "±") + text


def _rank(value: object) -> str:
    return NO_VALUE if is_missing(value) else str(int(value))


def shown_ranking(table: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    """The ranking table of orchestration.exports with numbers written for reading."""
    return pd.DataFrame(
        {
            "排名": [_rank(v) for v in table["排名"]],
            "单位": table["单位"],
            "数值": [format_number(v, unit) for v in table["数值"]],
            "上年同期": [format_number(v, unit) for v in table["上年同期"]],
            "同比变化": [_signed(v, unit) for v in table["同比变化"]],
            "上年排名": [_rank(v) for v in table["上年排名"]],
            "名次变化": table["名次变化"],
        }
    )


def last_place(table: pd.DataFrame) -> list[str]:
    """The units sharing the worst rank among those with a value (empty with fewer than two)."""
    valued = table.dropna(subset=["数值"])
    if len(valued) < 2:
        return []
    worst = valued["排名"].max()
    return list(valued.loc[valued["排名"] == worst, "单位"])


def _rank_overview(report: exports.AssessmentReport) -> pd.DataFrame:
    """Units x metrics, the rank in each cell; 平均名次 last (lowest = best overall)."""
    units = report.rows.drop_duplicates("region_code").sort_values(["sort_order", "region_code"])
    metrics = report.metrics.set_index("metric_code")
    table = pd.DataFrame({"单位": list(units["region_name"])})
    ranks = report.rows.pivot_table(index="region_code", columns="metric_code", values="rank", aggfunc="first")
    for code in report.metrics["metric_code"]:
        column = ranks[code] if code in ranks.columns else pd.Series(dtype="float64")
        table[metrics.at[code, "metric_name"]] = [_rank(column.get(region)) for region in units["region_code"]]
    averages = ranks.reindex(units["region_code"]).astype("float64").mean(axis=1)
    table["平均名次"] = [NO_VALUE if is_missing(v) else f"{v:.1f}" for v in averages]
    return table


def _downloads(report: exports.AssessmentReport) -> None:
    stem = f"县区考核_{report.period_end:%Y-%m}"
    left, right, _ = st.columns([1, 1, 4])
    with left:
        st.download_button(
            "⬇️ 下载 Excel（按指标组分表）",
            data=lambda: exports.assessment_xlsx(report),
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="assessment_xlsx",
            on_click="ignore",
        )
    with right:
        st.download_button(
            "⬇️ 下载 CSV",
            data=lambda: exports.assessment_csv(report),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key="assessment_csv",
            on_click="ignore",
        )


def _metric_rankings(report: exports.AssessmentReport) -> None:
    metrics = report.metrics.set_index("metric_code")
    tabs = st.tabs(report.groups)
    for tab, group in zip(tabs, report.groups):
        with tab:
            for code in report.metrics_of(group):
                metric = metrics.loc[code]
                table = exports.ranking_table(report, code)
                direction = "越低越好" if metric["direction"] == "lower_better" else "越高越好"
                st.markdown(f"##### {metric['metric_name']}（{metric['unit']}，{direction}）")
                st.dataframe(shown_ranking(table, metric["unit"]), hide_index=True, width="stretch")
                last = last_place(table)
                if last:
                    value = table.loc[table["单位"] == last[0], "数值"].iloc[0]
                    st.caption(f"末位：{'、'.join(last)}（{format_quantity(value, metric['unit'])}）")


def _map_section(report: exports.AssessmentReport, region_table: pd.DataFrame) -> None:
    """One tile map of the units for the metric chosen (value and rank written on each tile)."""
    metrics = report.metrics.set_index("metric_code")
    codes = list(report.metrics["metric_code"])
    code = st.selectbox("地图指标", codes, key=METRIC_MAP_KEY, format_func=lambda c: metrics.at[c, "metric_name"])
    metric = metrics.loc[code]
    table = exports.ranking_table(report, code)
    values = dict(zip(table["单位代码"], table["数值"]))
    ranks = {c: (None if is_missing(r) else int(r)) for c, r in zip(table["单位代码"], table["排名"])}
    st.altair_chart(
        tile_map(data.assessment_units(region_table), values, metric["metric_name"], metric["unit"], ranks,
                 lower_is_better=metric["direction"] == "lower_better"),
        width="content",
        alt=f"各单位{metric['metric_name']}及名次方块地图",
    )


def _unit_detail(context: data.PageContext, report: exports.AssessmentReport, region_table: pd.DataFrame) -> None:
    units = data.assessment_units(region_table)
    codes = list(units["region_code"])
    names = dict(zip(units["region_code"], units["region_name"]))
    if UNIT_KEY not in st.session_state:
        wanted = st.query_params.get("unit") or context.viewer.region_code
        if wanted in codes:
            st.session_state[UNIT_KEY] = wanted
    if st.session_state.get(UNIT_KEY) not in codes:
        st.session_state[UNIT_KEY] = codes[0]
    st.subheader("单位详情")
    unit = st.selectbox("选择单位", codes, key=UNIT_KEY, format_func=lambda code: names.get(code, code))
    rows = report.rows[report.rows["region_code"] == unit].set_index("metric_code")
    metrics = report.metrics.set_index("metric_code")
    unit_count = len(codes)
    detail = pd.DataFrame(
        {
            "指标": [metrics.at[code, "metric_name"] for code in report.metrics["metric_code"]],
            "数值": [format_quantity(rows.at[code, "value"], metrics.at[code, "unit"]) for code in report.metrics["metric_code"]],
            "名次": [
                NO_VALUE if is_missing(rows.at[code, "rank"]) else f"{int(rows.at[code, 'rank'])}/{unit_count}"
                for code in report.metrics["metric_code"]
            ],
            "上年同期": [
                format_quantity(rows.at[code, "previous_value"], metrics.at[code, "unit"]) for code in report.metrics["metric_code"]
            ],
            "同比变化": [
                _signed(rows.at[code, "value"] - rows.at[code, "previous_value"], metrics.at[code, "unit"])
                for code in report.metrics["metric_code"]
            ],
            "名次变化": [
                exports.rank_change_text(rows.at[code, "rank"], rows.at[code, "previous_rank"])
                for code in report.metrics["metric_code"]
            ],
        }
    )
    st.dataframe(detail, hide_index=True, width="stretch")
    st.caption(f"{names[unit]}在 {unit_count} 个考核单位中的名次（1 为最好）。")

    chart_code = st.selectbox(
        "走势指标",
        list(report.metrics["metric_code"]),
        key="assessment_trend_metric",
        format_func=lambda code: metrics.at[code, "metric_name"],
    )
    series = data.unit_series(context.warehouse, chart_code)
    root = data.root_region(region_table)
    shown = series[series["region_code"].isin([unit, root["region_code"]])].copy()
    shown = shown.dropna(subset=["value"])
    if shown.empty:
        st.caption("该指标暂无历月数据")
    else:
        name = metrics.at[chart_code, "metric_name"]
        shown["地区"] = shown["region_code"].map(dict(zip(region_table["region_code"], region_table["region_name"])))
        shown["期末"] = pd.to_datetime(shown["period_end"])
        st.altair_chart(
            alt.Chart(shown)
            .mark_line(point=True)
            .encode(
                x=alt.X("期末:T", axis=alt.Axis(format="%Y-%m")),
                y=alt.Y("value:Q", title=name, scale=alt.Scale(zero=False)),
                color=alt.Color("地区:N", legend=alt.Legend(orient="bottom")),
                strokeDash=alt.StrokeDash("地区:N", legend=None),
                tooltip=["地区:N", alt.Tooltip("期末:T", format="%Y-%m"), alt.Tooltip("value:Q", title=name, format=",.2f")],
            )
            .properties(height=260),
            alt=f"{names[unit]}与全市{name}历月走势",
        )
    if context.viewer.sees_all_units or context.viewer.region_code == unit:
        page_link("enterprises", f"查看{names[unit]}的企业清单（清零、重点企业、高企）", icon="🏢", query_params={"unit": unit})
        page_link("fees", f"查看{names[unit]}的年费预警", icon="⏰", query_params={"unit": unit})


def render(context: data.PageContext) -> None:
    warehouse, period_end = context.warehouse, context.period_end
    region_table = data.regions(warehouse)
    root = data.root_region(region_table)
    st.title(f"{root['region_name']}县区考核")
    try:
        report = data.county_assessment(warehouse, period_end)
    except exports.NoAssessment:
        st.info(f"{period_label(period_end)}暂无县区考核数据")
        return
    previous = period_label(report.previous_period)
    st.caption(
        f"数据期：{period_label(period_end)}末 · 排名 1 为最好，无数据的单位排在最后 · 同比对照 {previous}末"
        + ("" if report.has_previous else f"（数仓中没有 {previous} 的数据，变化列为空）")
    )
    _downloads(report)
    st.subheader("各单位名次一览")
    overview_slot, map_slot = st.columns([3, 2])
    with overview_slot:
        st.dataframe(_rank_overview(report), hide_index=True, width="stretch")
    with map_slot:
        _map_section(report, region_table)
    st.subheader("分指标排名")
    _metric_rankings(report)
    _unit_detail(context, report, region_table)
    change_analysis_section(context, key="assessment_changes")
