"""产业: the eleven industries side by side — patents, high-value patents and enterprises, their trends."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import data
from dashboards.components.charts import data_domain
from dashboards.components.drill import drill_section
from dashboards.components.format import (
    INDUSTRIES,
    NO_VALUE,
    format_number,
    industry_label,
    is_missing,
    period_label,
)

INDUSTRY_METRICS = (
    "valid_invention_patents",
    "high_value_invention_patents",
    "invention_grants",
    "valid_invention_patents_growth",
    "hightech_enterprises",
    "above_scale_enterprises",
)
TABLE_COLUMNS = {
    "valid_invention_patents": "有效发明专利（件）",
    "high_value_invention_patents": "高价值发明专利（件）",
    "invention_grants": "当年发明授权（件）",
    "valid_invention_patents_growth": "有效发明专利同比增长（%）",
    "hightech_enterprises": "高新技术企业（家）",
    "above_scale_enterprises": "规上工业企业（家）",
}
# The table's headers, short enough for every column to fit at 1280 px (the full wording on hover).
SHORT_HEADERS = {
    "有效发明专利（件）": "有效发明",
    "高价值发明专利（件）": "高价值发明",
    "当年发明授权（件）": "当年授权",
    "有效发明专利同比增长（%）": "同比%",
    "高新技术企业（家）": "高企",
    "规上工业企业（家）": "规上企业",
    "高价值占比（%）": "高价值占比%",
}
CHART_METRICS = ("valid_invention_patents", "high_value_invention_patents", "hightech_enterprises", "above_scale_enterprises")
REGION_KEY = "industries_region"
DRILL_KEY = "industries_drill"
GROUP_ORDER = ["传统产业", "新兴产业", "未来产业"]


def industry_table(values: pd.DataFrame, period_end) -> pd.DataFrame:
    """One row per industry at the period (0 where the mart leaves a zero row out), with the high-value share."""
    at = values[pd.to_datetime(values["period_end"]) == pd.Timestamp(period_end)]
    wide = at.pivot_table(index="industry_code", columns="metric_code", values="value", aggfunc="first")
    rows = []
    for code, name, group in INDUSTRIES:
        row = {"产业": name, "类别": group}
        for metric, header in TABLE_COLUMNS.items():
            value = wide.at[code, metric] if code in wide.index and metric in wide.columns else None
            if is_missing(value) and metric != "valid_invention_patents_growth":
                value = 0.0
            row[header] = value
        inventions = row[TABLE_COLUMNS["valid_invention_patents"]]
        high_value = row[TABLE_COLUMNS["high_value_invention_patents"]]
        row["高价值占比（%）"] = None if not inventions else 100.0 * high_value / inventions
        rows.append(row)
    return pd.DataFrame(rows)


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    shown = table.copy()
    for column in shown.columns[2:]:
        unit = "件" if "件" in column or "家" in column else "%"
        shown[column] = [format_number(v, unit) for v in shown[column]]
    return shown


def _metric_unit(metric_header: str) -> str:
    return "%" if "（%）" in metric_header else ("家" if "（家）" in metric_header else "件")


def _comparison_chart(table: pd.DataFrame, metric_header: str) -> alt.Chart:
    """One bar per industry, every industry named on the axis and its value written at the bar's end."""
    unit = _metric_unit(metric_header)
    frame = table[["产业", "类别", metric_header]].rename(columns={metric_header: "value"})
    frame["label"] = [format_number(v, unit) for v in frame["value"]]
    base = alt.Chart(frame).encode(
        y=alt.Y(
            "产业:N",
            sort=[name for _, name, _ in INDUSTRIES],
            title=None,
            axis=alt.Axis(labelOverlap=False, labelLimit=200),
        ),
        x=alt.X("value:Q", title=metric_header, scale=alt.Scale(zero=True)),
        tooltip=["产业:N", "类别:N", alt.Tooltip("label:N", title=metric_header)],
    )
    bars = base.mark_bar().encode(
        color=alt.Color("类别:N", title="类别", scale=alt.Scale(domain=GROUP_ORDER), legend=alt.Legend(orient="bottom"))
    )
    labels = base.mark_text(align="left", dx=3).encode(text="label:N")
    return alt.layer(bars, labels).properties(height=alt.Step(28))


def _trend_chart(values: pd.DataFrame, metric_code: str, title: str) -> alt.Chart:
    """Eleven lines: the axis starts at the first month with data, the legend names every industry."""
    frame = values[values["metric_code"] == metric_code].dropna(subset=["value"]).copy()
    frame["产业"] = frame["industry_code"].map(industry_label)
    frame["期末"] = pd.to_datetime(frame["period_end"])
    frame["数值"] = [format_number(v, _metric_unit(title)) for v in frame["value"]]
    order = [name for _, name, _ in INDUSTRIES]
    return (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=alt.X("期末:T", axis=alt.Axis(format="%Y-%m"), title="期末（年-月）",
                    scale=alt.Scale(domain=data_domain(frame["期末"]) if len(frame) else alt.Undefined)),
            y=alt.Y("value:Q", title=title),
            color=alt.Color(
                "产业:N", title="产业", sort=order, scale=alt.Scale(domain=order, scheme="category20"),
                legend=alt.Legend(orient="bottom", columns=4, labelLimit=160, symbolLimit=0, title=None),
            ),
            strokeDash=alt.StrokeDash("产业:N", legend=None, sort=order),
            tooltip=["产业:N", alt.Tooltip("期末:T", title="期末", format="%Y-%m"), alt.Tooltip("数值:N", title=title)],
        )
        .properties(height=420)
    )


# --- 战略性新兴产业: the official 2021 table's sectors and branches (issue #14) -----------------------

POLICY_EMERGING = ("new_materials", "new_energy", "energy_saving_env", "next_gen_it")
SE_VALID, SE_HIGH = "有效发明专利（件）", "高价值发明专利（件）"
SE_METRICS = {"valid_invention_patents": SE_VALID, "high_value_invention_patents": SE_HIGH}
KEYWORD_MODE_LABELS = {"ignore": "不应用关键词（只按IPC）", "title": "专利名称须含关键词", "title_abstract": "名称或摘要须含关键词"}


def _se_lookup(values: pd.DataFrame, region: str, group_kind: str) -> dict[tuple[str, str], float]:
    """(group_code, metric_code) -> value for one region and kind of group."""
    part = values[(values["region_code"] == region) & (values["group_kind"] == group_kind)]
    return {(c, m): v for c, m, v in zip(part["group_code"], part["metric_code"], part["value"])}


def strategic_branch_table(branches: pd.DataFrame, values: pd.DataFrame, region: str) -> pd.DataFrame:
    """One row per branch of the table (all 40, 0 where none), in the table's order."""
    found = _se_lookup(values, region, "branch")
    rows = []
    for b in branches.itertuples():
        row = {"领域": f"{b.sector_code} {b.sector_name}", "分支": f"{b.branch_code} {b.branch_name}"}
        for metric, header in SE_METRICS.items():
            row[header] = found.get((b.branch_code, metric), 0.0)
        row["规则数"] = b.rules
        row["存疑规则"] = "、".join(b.doubtful_rules) if len(b.doubtful_rules) else NO_VALUE
        rows.append(row)
    return pd.DataFrame(rows)


def strategic_sector_table(branches: pd.DataFrame, values: pd.DataFrame, region: str) -> pd.DataFrame:
    """One row per sector (nine), a patent counted once per sector, and the whole table."""
    found = _se_lookup(values, region, "sector")
    whole = _se_lookup(values, region, "all")
    sectors = branches.drop_duplicates("sector_code")
    rows = [
        {"领域": f"{s.sector_code} {s.sector_name}", **{h: found.get((s.sector_code, m), 0.0) for m, h in SE_METRICS.items()}}
        for s in sectors.itertuples()
    ]
    rows.append({"领域": "合计（一件专利计一次）", **{h: whole.get(("strategic_emerging", m), 0.0) for m, h in SE_METRICS.items()}})
    return pd.DataFrame(rows)


def policy_comparison_table(branches: pd.DataFrame, values: pd.DataFrame, region: str, industries: pd.DataFrame) -> pd.DataFrame:
    """Puyang's four emerging industries (their own IPC map) beside the table's branches they map to."""
    found = _se_lookup(values, region, "policy_industry")
    own = industries.set_index("产业")
    rows = []
    for code in POLICY_EMERGING:
        name = industry_label(code)
        mapped = branches[branches["policy_industry_code"] == code]
        rows.append({
            "产业": name,
            "对应战略性新兴产业分支": "、".join(f"{b.branch_code} {b.branch_name}" for b in mapped.itertuples()) or NO_VALUE,
            "产业口径 有效发明专利（件）": own.at[name, TABLE_COLUMNS["valid_invention_patents"]] if name in own.index else None,
            "产业口径 高价值发明专利（件）": own.at[name, TABLE_COLUMNS["high_value_invention_patents"]] if name in own.index else None,
            "对应分支 有效发明专利（件）": found.get((code, "valid_invention_patents"), 0.0),
            "对应分支 高价值发明专利（件）": found.get((code, "high_value_invention_patents"), 0.0),
        })
    return pd.DataFrame(rows)


def _counts_shown(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame.copy()
    for column in shown.columns:
        if "（件）" in column:
            shown[column] = [format_number(v, "件") for v in shown[column]]
    return shown


def strategic_emerging_section(context: data.PageContext, region: str, names: dict[str, str], industries: pd.DataFrame) -> None:
    """The strategic-emerging view: nine sectors, 40 branches, a branch by unit, the four policy industries."""
    warehouse, period_end = context.warehouse, context.period_end
    st.subheader("战略性新兴产业")
    branches = data.strategic_emerging_branches(warehouse)
    if branches.empty:
        st.info("本次构建尚无战略性新兴产业分支数据，请重新构建数仓。")
        return
    values = data.strategic_emerging_values_at(warehouse, period_end)
    settings = data.settings_in_use(warehouse)
    mode = dict(zip(settings["setting_name"], settings["value"])).get("hv_strategic_keyword_mode", "ignore")
    st.caption(
        f"按《战略性新兴产业分类与国际专利分类参照关系表（2021）（试行）》：专利某一IPC分类号命中某条规则的包含分类号、"
        f"且不属于该规则的排除分类号，即归入该规则所在分支（新版IPC分类号按改版对照折回；一件专利可属多个分支）。"
        f"分支归属只看IPC、不看关键词；高价值按当前设置计（关键词：{KEYWORD_MODE_LABELS.get(mode, mode)}）。"
        f"数据期：{period_label(period_end)}末 · {names[region]}"
    )
    sector_tab, branch_tab, unit_tab, policy_tab = st.tabs(["九大领域", "40个分支", "分支分单位", "四大新兴产业对照"])
    with sector_tab:
        st.dataframe(_counts_shown(strategic_sector_table(branches, values, region)), hide_index=True, width="stretch")
    with branch_tab:
        st.dataframe(_counts_shown(strategic_branch_table(branches, values, region)), hide_index=True, width="stretch")
        st.caption("“存疑规则”：参照表转录稿中尚待与官方附件核对的规则（见种子表 strategic_emerging_ipc_2021 的 doubt 列）。")
    with unit_tab:
        # the labels themselves are the options ("1.5 人工智能"): the code is their first word
        labels = [f"{b.branch_code} {b.branch_name}" for b in branches.itertuples()]
        branch = st.selectbox("分支", labels, key="industries_se_branch").split(" ", 1)[0]
        rows = []
        for code in [data.root_code(warehouse), *data.unit_codes(warehouse)]:
            found = _se_lookup(values, code, "branch")
            rows.append({"单位": names[code], **{h: found.get((branch, m), 0.0) for m, h in SE_METRICS.items()}})
        st.dataframe(_counts_shown(pd.DataFrame(rows)), hide_index=True, width="stretch")
    with policy_tab:
        st.dataframe(_counts_shown(policy_comparison_table(branches, values, region, industries)), hide_index=True, width="stretch")
        st.caption("产业口径：本系统按IPC归入四大新兴产业的专利；对应分支：参照表中与之对应的分支所归入的专利（一件专利计一次）。两种口径范围不同，仅供对照。")


def render(context: data.PageContext) -> None:
    warehouse, period_end = context.warehouse, context.period_end
    region_table = data.regions(warehouse)
    root = data.root_region(region_table)
    names = dict(zip(region_table["region_code"], region_table["region_name"]))
    options = [root["region_code"], *data.unit_codes(warehouse)]
    if REGION_KEY not in st.session_state:
        # a deep link names the region; otherwise a unit's official starts on their own unit
        wanted = st.query_params.get("region") or (None if context.viewer.sees_all_units else context.viewer.region_code)
        if wanted in options:
            st.session_state[REGION_KEY] = wanted
    st.title(f"{root['region_name']}重点产业知识产权")
    region = st.selectbox("地区", options, key=REGION_KEY, format_func=lambda code: names.get(code, code))
    st.query_params["region"] = region  # the address names the region shown: a bookmark opens it again
    st.caption(
        f"数据期：{period_label(period_end)}末 · {names[region]} · 专利按IPC分类号归入产业（一件专利可属多个产业），"
        "企业按国民经济行业代码归入产业"
    )
    values = data.industry_values(warehouse, region, INDUSTRY_METRICS)
    if values.empty:
        st.info("该地区暂无分产业数据")
        return
    table = industry_table(values, period_end)
    shown = _shown(table).rename(columns=SHORT_HEADERS)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=35 * (len(shown) + 1) + 3,  # all eleven industries, no inner scrolling
        column_config={
            "产业": st.column_config.TextColumn("产业", pinned=True),
            "类别": st.column_config.TextColumn("类别", width=70),
            **{short: st.column_config.TextColumn(short, help=full, alignment="right") for full, short in SHORT_HEADERS.items()},
        },
    )
    st.caption("专利单位为件，企业单位为家；同比与占比为百分数。表头悬停可见完整名称。")
    groups = table.groupby("类别", sort=False)[[TABLE_COLUMNS["valid_invention_patents"], TABLE_COLUMNS["high_value_invention_patents"]]].sum()
    st.caption(
        "；".join(
            f"{group}：有效发明专利 {format_number(row.iloc[0], '件')} 件，高价值 {format_number(row.iloc[1], '件')} 件"
            for group, row in groups.reindex(GROUP_ORDER).dropna().iterrows()
        )
        + "（一件专利可计入多个产业，合计可能大于全部产业总数）"
    )

    metric = st.selectbox(
        "对比指标", CHART_METRICS, key="industries_compare_metric", format_func=lambda code: TABLE_COLUMNS[code]
    )
    compare_slot, trend_slot = st.columns([2, 3])
    with compare_slot:
        st.markdown(f"**各产业{TABLE_COLUMNS[metric]}**")
        st.altair_chart(_comparison_chart(table, TABLE_COLUMNS[metric]), width="stretch", alt=f"各产业{TABLE_COLUMNS[metric]}对比")
    with trend_slot:
        st.markdown(f"**{TABLE_COLUMNS[metric]}走势**")
        st.altair_chart(_trend_chart(values, metric, TABLE_COLUMNS[metric]), width="stretch", alt=f"各产业{TABLE_COLUMNS[metric]}历月走势")

    strategic_emerging_section(context, region, names, table)

    st.subheader("产业明细")
    industry = st.selectbox(
        "产业", [code for code, _, _ in INDUSTRIES], key="industries_drill_industry", format_func=industry_label
    )
    catalog = data.metric_catalog(warehouse)
    drill_metrics = [code for code in CHART_METRICS if code in set(catalog["metric_code"])]
    if not drill_metrics:
        st.caption(NO_VALUE)
        return
    drill_section(context, drill_metrics, catalog, key=DRILL_KEY, industry_code=industry)
