"""年费预警: valid invention patents whose annual fee is due soon, overdue (grace) or about to lapse,
counted by unit (every viewer) and listed by enterprise and patent (own unit for unit officials)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import data
from dashboards.components.drill import settle_region
from dashboards.components.format import (
    FEE_STATE_LABELS,
    FEE_STATE_SHORT,
    format_number,
    period_label,
)
from dashboards.components.tables import display_frame, file_stem, record_table
from dashboards.components.tilemap import tile_map

UNIT_KEY = "fees_unit"
FEE_STATE_METRIC_LABELS = {
    "lapse_risk": ":red[:material/error:] 即将失效",
    "grace": ":orange[:material/warning:] 已逾期",
    "due_soon": ":violet[:material/schedule:] 即将到期",
}


def format_wan_yuan(yuan: float) -> str:
    """An amount of money in 万元 (``116.26 万元``): a meeting-room figure that fits its card."""
    return f"{yuan / 10_000:,.2f} 万元"
STATE_ORDER = ("lapse_risk", "grace", "due_soon", "unknown")
WARNED = ("lapse_risk", "grace", "due_soon")


def unit_counts(counts: pd.DataFrame, region_table: pd.DataFrame, root: pd.Series) -> pd.DataFrame:
    """Units (and UNATTRIBUTED, and the root as 合计) x states, with the fees owed."""
    wide = counts.pivot_table(index="region_code", columns="state", values="patents", aggfunc="sum").fillna(0)
    fees = counts[counts["state"].isin(WARNED)].groupby("region_code")[["fee_yuan", "surcharge_yuan"]].sum()
    rows = pd.concat([data.assessment_units(region_table), region_table[region_table["region_code"] == data.UNATTRIBUTED]])
    table = []
    for code, name in zip(rows["region_code"], rows["region_name"]):
        entry = {"单位": name}
        for state in STATE_ORDER:
            entry[FEE_STATE_SHORT[state]] = int(wide.at[code, state]) if code in wide.index and state in wide.columns else 0
        entry["预警合计"] = sum(entry[FEE_STATE_SHORT[s]] for s in WARNED)
        entry["应缴年费（元）"] = float(fees.at[code, "fee_yuan"]) if code in fees.index else 0.0
        entry["滞纳金（元）"] = float(fees.at[code, "surcharge_yuan"]) if code in fees.index else 0.0
        entry["_code"] = code
        table.append(entry)
    frame = pd.DataFrame(table)
    total = {"单位": f"{root['region_name']}合计", "_code": root["region_code"]}
    for column in frame.columns:
        if column not in ("单位", "_code"):
            total[column] = frame[column].sum()
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def render(context: data.PageContext) -> None:
    warehouse, viewer, period_end = context.warehouse, context.viewer, context.period_end
    region_table = data.regions(warehouse)
    root = data.root_region(region_table)
    names = dict(zip(region_table["region_code"], region_table["region_name"]))
    st.title(f"{root['region_name']}发明专利年费预警")
    st.caption(
        f"数据期：{period_label(period_end)}末 · 只预警期末有效的发明专利；"
        "即将到期＝90天内应缴，已逾期＝滞纳期内（首月不收滞纳金，其后每月加收5%，最高25%），"
        "即将失效＝滞纳期最后一个月；无“年费缴至年度”数据的专利列为状态未知，不作推测。"
    )
    counts = data.fee_warning_counts(warehouse, period_end)
    table = unit_counts(counts, region_table, root)
    total = table.iloc[-1]
    cards = st.columns(5)
    cards[0].metric("预警专利合计", f"{int(total['预警合计']):,} 件")
    for slot, state in zip(cards[1:4], WARNED):
        # the short word as the label (a metric label is cut to one line); the full rule on hover
        slot.metric(FEE_STATE_METRIC_LABELS[state], f"{int(total[FEE_STATE_SHORT[state]]):,} 件", help=FEE_STATE_LABELS[state])
    owed = total["应缴年费（元）"] + total["滞纳金（元）"]
    cards[4].metric("应缴年费及滞纳金", format_wan_yuan(owed), help=f"合计 {format_number(owed, '元')} 元")

    st.subheader("按单位")
    table_slot, map_slot = st.container(), st.columns([2, 3])[0]  # the table full width, the map below
    with table_slot:
        shown = table.drop(columns="_code").rename(columns={"应缴年费（元）": "应缴（元）", "滞纳金（元）": "滞纳金（元）"})
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            height=35 * (len(shown) + 1) + 3,
            column_config={
                "单位": st.column_config.TextColumn("单位", pinned=True),
                **{c: st.column_config.NumberColumn(c, format="localized") for c in shown.columns if c != "单位"},
            },
        )
    with map_slot:
        units = data.assessment_units(region_table)
        values = dict(zip(table["_code"], table["预警合计"]))
        st.altair_chart(
            tile_map(units, values, "预警专利", "件", lower_is_better=True),
            width="content",
            alt="各单位年费预警专利数方块地图",
        )

    options = [root["region_code"], *data.unit_codes(warehouse), data.UNATTRIBUTED] if viewer.sees_all_units else [viewer.region_code]
    settle_region(warehouse, viewer, UNIT_KEY, options, url_key="unit")
    st.subheader("按企业与专利")
    if viewer.sees_all_units:
        unit = st.selectbox("范围", options, key=UNIT_KEY, format_func=lambda code: names.get(code, code))
    else:
        unit = viewer.region_code
        st.caption(f":material/lock: 县区账号：仅列出{names.get(unit, unit)}的专利和企业。")

    by_enterprise = data.fee_warnings_by_enterprise(warehouse, viewer, period_end, unit)
    enterprise_columns = {
        "patentee": "专利权人",
        "uscc": "统一社会信用代码",
        "region_name": "归属单位",
        "lapse_risk": "即将失效（件）",
        "grace": "已逾期（件）",
        "due_soon": "即将到期（件）",
        "unknown": "状态未知（件）",
        "fee_yuan": "应缴年费（元）",
        "surcharge_yuan": "滞纳金（元）",
        "first_due": "最早应缴日",
    }
    st.markdown("**按企业（专利权人）**")
    record_table(
        display_frame(by_enterprise, enterprise_columns, names),
        len(by_enterprise),
        key="fees_by_enterprise",
        stem=file_stem("年费预警_按企业", names.get(unit, unit), f"{period_end:%Y-%m}"),
        full_frame=lambda: display_frame(by_enterprise, enterprise_columns, names),
        title=f"年费预警（按企业）· {names.get(unit, unit)} · {period_label(period_end)}末",
        empty_text="所选范围内没有年费预警",
    )

    st.markdown("**预警专利明细**")
    records = data.action_list(warehouse, viewer, "fees", period_end, unit)
    columns = records.spec.columns or {}
    record_table(
        display_frame(records.frame, columns, names),
        records.total,
        key="fees_patents",
        stem=file_stem("年费预警_专利明细", names.get(unit, unit), f"{period_end:%Y-%m}"),
        full_frame=lambda: display_frame(data.full_records(warehouse, records), columns, names),
        title=f"年费预警专利 · {names.get(unit, unit)} · {period_label(period_end)}末",
        empty_text="所选范围内没有即将到期、已逾期或即将失效的专利",
        keep=("申请号", "专利名称", "预警状态", "应缴日", "年费（元）"),
    )
    unknown = int(total[FEE_STATE_SHORT["unknown"]])
    if unknown:
        st.caption(f"另有 {unknown:,} 件专利缺少缴费数据（状态未知），未计入预警；可在专利数据中补充“年费缴至年度”。")
    st.caption("应缴日按“年费缴至年度”推算：缴至第 n 年，则第 n 个申请日周年日应缴下一年度年费。")
