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
from dashboards.components.charts import clip_outliers, data_domain
from dashboards.components.links import page_link
from dashboards.components.tables import logged_download
from dashboards.components.tilemap import tile_map
from orchestration import exports

UNIT_KEY = "assessment_unit"
METRIC_MAP_KEY = "assessment_map_metric"


def _fit_height(rows: int) -> int:
    """A dataframe height that shows every row (35 px a row, the header, the border)."""
    return 35 * (rows + 1) + 3


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


def _rank_overview(report: exports.AssessmentReport, short_names: dict[str, str] | None = None) -> pd.DataFrame:
    """Metrics x units, the rank in each cell, 平均名次 last (lowest = best overall).

    Metrics are the rows and units the columns: the metric names are long and the units few, so the
    table fits its column at 1280 px instead of losing its right-hand metrics."""
    units = report.rows.drop_duplicates("region_code").sort_values(["sort_order", "region_code"])
    ranks = report.rows.pivot_table(index="region_code", columns="metric_code", values="rank", aggfunc="first")
    names = unit_headers(units, short_names or {})
    table = pd.DataFrame({"指标": list(report.metrics["metric_name"])})
    for region, header in zip(units["region_code"], names):
        row = ranks.loc[region] if region in ranks.index else pd.Series(dtype="float64")
        table[header] = [_rank(row.get(code)) for code in report.metrics["metric_code"]]
    averages = ranks.reindex(units["region_code"]).astype("float64").mean(axis=1)
    average_row = {"指标": "平均名次"}
    average_row.update({header: NO_VALUE if is_missing(v) else f"{v:.1f}" for header, v in zip(names, averages)})
    return pd.concat([table, pd.DataFrame([average_row])], ignore_index=True)


def unit_headers(units: pd.DataFrame, short_names: dict[str, str]) -> list[str]:
    """Short unit names for column headers (工业园区 for 河南濮阳工业园区), the full name where none is set."""
    return [
        short_names.get(code) if isinstance(short_names.get(code), str) and short_names.get(code) else name
        for code, name in zip(units["region_code"], units["region_name"])
    ]


def _downloads(report: exports.AssessmentReport) -> None:
    stem = f"县区考核_{report.period_end:%Y-%m}"
    left, right, _ = st.columns([1, 1, 2])
    with left:
        st.download_button(
            ":material/download: 下载 Excel",
            data=logged_download(lambda: exports.assessment_xlsx(report), f"{stem}.xlsx"),
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="assessment_xlsx",
            help="一个指标组一张工作表",
            on_click="ignore",
        )
    with right:
        st.download_button(
            ":material/download: 下载 CSV",
            data=logged_download(lambda: exports.assessment_csv(report), f"{stem}.csv"),
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
                st.dataframe(
                    shown_ranking(table, metric["unit"]), hide_index=True, width="stretch",
                    column_config={c: st.column_config.TextColumn(c, alignment="right") for c in ("数值", "上年同期", "同比变化")},
                )
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
    st.query_params["unit"] = unit  # the address names the unit shown: a bookmark opens it again
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
    st.dataframe(detail, hide_index=True, width="stretch", height=_fit_height(len(detail)),
                 column_config={"指标": st.column_config.TextColumn("指标", pinned=True)})
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
        unit_label = metrics.at[chart_code, "unit"]
        st.altair_chart(
            unit_trend_chart(shown, region_table, name, unit_label),
            width="stretch",
            alt=f"{names[unit]}与全市{name}历月走势",
        )
        clipping = clip_outliers(shown["value"])
        if clipping is not None:
            st.caption(clipping.note(name))
    if context.viewer.sees_all_units or context.viewer.region_code == unit:
        page_link("enterprises", f"查看{names[unit]}的企业清单（清零、重点企业、高企）", icon=":material/factory:", query_params={"unit": unit})
        page_link("fees", f"查看{names[unit]}的年费预警", icon=":material/schedule:", query_params={"unit": unit})


def unit_trend_chart(shown: pd.DataFrame, region_table: pd.DataFrame, name: str, unit: str | None) -> alt.LayerChart:
    """A unit and the city month by month: the axis starts where the data starts, each line is named
    in the legend, and outliers (growth rates on a tiny base) are drawn on the edge, not flattening the rest."""
    frame = shown.copy()
    frame["地区"] = frame["region_code"].map(dict(zip(region_table["region_code"], region_table["region_name"])))
    frame["期末"] = pd.to_datetime(frame["period_end"])
    frame["value"] = frame["value"].astype("float64")
    frame["数值"] = [format_quantity(v, unit) for v in frame["value"]]
    clipping = clip_outliers(frame["value"])
    y_title = unit or name  # the selector above names the metric
    if clipping is None:
        scale = alt.Scale(zero=False)
        frame["shown"] = frame["value"]
    else:
        scale = alt.Scale(domain=[clipping.low, clipping.high], zero=False)
        frame["shown"] = frame["value"].clip(clipping.low, clipping.high)
    frame["超出范围"] = frame["value"] != frame["shown"]
    tooltip = ["地区:N", alt.Tooltip("期末:T", title="期末", format="%Y-%m"), alt.Tooltip("数值:N", title=name)]
    base = alt.Chart(frame).encode(
        x=alt.X("期末:T", title="期末（年-月）", axis=alt.Axis(format="%Y-%m"), scale=alt.Scale(domain=data_domain(frame["期末"]))),
        y=alt.Y("shown:Q", title=y_title, scale=scale),
        color=alt.Color("地区:N", title="地区", legend=alt.Legend(orient="bottom")),
        tooltip=tooltip,
    )
    lines = base.mark_line(point=True).encode(strokeDash=alt.StrokeDash("地区:N", legend=None))
    layers = [lines]
    if clipping is not None:
        layers.append(base.transform_filter(alt.datum["超出范围"]).mark_point(shape="triangle-up", size=90, filled=True))
    return alt.layer(*layers).properties(height=260)


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
    overview_slot, map_slot = st.container(), st.columns([2, 3])[0]  # the table full width, the map below
    with overview_slot:
        overview = _rank_overview(report, dict(zip(region_table["region_code"], region_table.get("short_name", region_table["region_name"]))))
        st.dataframe(overview, hide_index=True, width="stretch", height=_fit_height(len(overview)),
                     column_config={"指标": st.column_config.TextColumn("指标", pinned=True)})
    with map_slot:
        _map_section(report, region_table)
    st.subheader("分指标排名")
    _metric_rankings(report)
    _unit_detail(context, report, region_table)
    change_analysis_section(context, key="assessment_changes")
