"""变动分析: why a stock metric moved, as a waterfall (month or year to date), with the records of
each part; and the monthly 通报 download. Used on 总览 and 县区考核.

The parts come from marts.metric_change_decomposition (they sum to the change exactly); the
records from marts.metric_change_events, scoped by the data layer (a unit official sees only
their own unit's records).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import data
from dashboards.components.drill import region_options, settle_region
from dashboards.components.format import format_number, format_quantity, is_missing, period_label

COMPARISONS = {"month": "本月（较上月末）", "ytd": "今年以来（较上年末）"}
ATTRIBUTION_NOTES = {
    "period": "专利、商标按各月末已知的权利人归属，企业按当年名录所属县区归属：权利人变更自首次显示新权利人的导出数据"
              "日期起计为转出、转入，名录调整自名录年度1月1日起计为划出、划入。",
    "newest": "各期数据均按每件专利、商标最新导出的权利人和企业名录归属重算：专利权转让或名录调整使记录的全部历史归入新单位，"
              "因此不作为某月的增减列出。",
}
RECORD_COLUMNS = {
    "region_code": "单位",
    "record_key": "编号",
    "record_name": "名称",
    "holder": "权利人/企业",
    "event_date": "日期",
}


def waterfall_frame(parts: pd.DataFrame, start_label: str, end_label: str) -> pd.DataFrame:
    """Bars of a waterfall: the start, one bar per part (from the running level), the end."""
    if parts.empty:
        return pd.DataFrame(columns=["label", "low", "high", "kind", "text", "order"])
    start = float(parts["start_value"].iloc[0])
    end = float(parts["end_value"].iloc[0])
    rows = [{"label": start_label, "low": 0.0, "high": start, "kind": "期初/期末", "text": format_number(start), "order": 0}]
    level = start
    for index, part in enumerate(parts[parts["part_code"] != "none"].itertuples(), start=1):
        if is_missing(part.value):
            continue
        value = float(part.value)
        rows.append({"label": str(part.part_name), "low": min(level, level + value), "high": max(level, level + value),
                     "kind": "增加" if value >= 0 else "减少", "text": ("+" if value > 0 else "") + format_number(value),
                     "order": index})
        level += value
    rows.append({"label": end_label, "low": 0.0, "high": end, "kind": "期初/期末", "text": format_number(end), "order": len(rows)})
    return pd.DataFrame(rows)


def _waterfall_chart(frame: pd.DataFrame) -> alt.LayerChart:
    base = alt.Chart(frame).encode(x=alt.X("label:N", sort=alt.SortField("order"), title=None,
                                            axis=alt.Axis(labelAngle=-20, labelLimit=160)))
    bars = base.mark_bar().encode(
        y=alt.Y("low:Q", title=None), y2="high:Q",
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["期初/期末", "增加", "减少"],
                                                               range=["#2F5597", "#548235", "#C00000"])),
        tooltip=[alt.Tooltip("label:N", title="项目"), alt.Tooltip("text:N", title="数值")],
    )
    labels = base.mark_text(dy=-6).encode(y="high:Q", text="text:N")
    return (bars + labels).properties(height=280)


def change_analysis_section(context: data.PageContext, *, key: str) -> None:
    """The 变动分析 view: metric, region and comparison; the waterfall; the records of a part."""
    warehouse, viewer, period_end = context.warehouse, context.viewer, context.period_end
    st.subheader("变动分析")
    metrics = data.change_metrics(warehouse)
    if not metrics:
        st.info("数仓中没有变动分析数据（需要重新构建数仓）。")
        return
    catalog = data.metric_catalog(warehouse).set_index("metric_code")
    names = data.region_names(warehouse)
    ordered = [code for code in catalog.index if code in metrics]
    region_key = f"{key}_region"
    root = data.root_code(warehouse)
    # aggregates: the city and every unit for everyone; records: only what record_scope grants
    options = [root, *data.unit_codes(warehouse)] if viewer.sees_all_units else [viewer.region_code, root]
    settle_region(warehouse, viewer, region_key, options, url_key="change_region")
    left, middle, right = st.columns(3)
    with left:
        metric_code = st.selectbox("指标", ordered, key=f"{key}_metric",
                                   format_func=lambda code: str(catalog.at[code, "metric_name"]))
    with middle:
        region = st.selectbox("地区", options, key=region_key, format_func=lambda code: names.get(code, code))
    with right:
        comparison = st.radio("比较", list(COMPARISONS), key=f"{key}_comparison", horizontal=True,
                              format_func=COMPARISONS.get)
    unit = catalog.at[metric_code, "unit"]
    parts = data.change_decomposition(warehouse, period_end, region, metric_code, comparison)
    if parts.empty:
        st.info(f"{period_label(period_end)}没有可比较的期初数据。")
        return
    change = parts["change"].iloc[0]
    start_period = pd.Timestamp(parts["start_period"].iloc[0]).date()
    if is_missing(change):
        st.info("缺少常住人口数据，无法计算该指标的变动。")
        return
    st.markdown(
        f"**{catalog.at[metric_code, 'metric_name']}**（{names.get(region, region)}）："
        f"{period_label(start_period)}末 {format_quantity(parts['start_value'].iloc[0], unit)} → "
        f"{period_label(period_end)}末 {format_quantity(parts['end_value'].iloc[0], unit)}，"
        f"变动 {('+' if change > 0 else '')}{format_quantity(change, unit)}"
    )
    frame = waterfall_frame(parts, f"{period_label(start_period)}末", f"{period_label(period_end)}末")
    st.altair_chart(_waterfall_chart(frame), width="stretch")
    moving = parts[(parts["part_code"] != "none") & parts["records"].notna()]
    table = pd.DataFrame({
        "原因": moving["part_name"],
        "影响": [("+" if v > 0 else "") + format_quantity(v, unit) for v in moving["value"]],
        "记录数": moving["records"].astype("Int64"),
    })
    population = parts[parts["part_code"] == "population_effect"]
    if not population.empty:
        st.caption(f"常住人口变化的影响：{format_quantity(population['value'].iloc[0], unit)}")
    if table.empty:
        st.caption("期间没有记录进入或退出。")
    else:
        st.dataframe(table, hide_index=True, width="stretch")
        part_code = st.selectbox("查看明细", list(moving["part_code"]), key=f"{key}_part",
                                 format_func=dict(zip(moving["part_code"], moving["part_name"])).get)
        record_region = region if viewer.sees_all_units else viewer.region_code
        try:
            records = data.change_records(warehouse, viewer, metric_code, period_end, comparison, part_code, record_region)
        except data.AccessDenied as refused:
            st.warning(refused.user_message, icon="🔒")
            records = pd.DataFrame()
        if not viewer.sees_all_units:
            st.caption(f"🔒 县区账号只列出本单位（{names.get(viewer.region_code, viewer.region_code)}）的记录。")
        if not records.empty:
            shown = records[list(RECORD_COLUMNS)].rename(columns=RECORD_COLUMNS)
            shown["单位"] = [names.get(code, "未归属") for code in records["region_code"]]
            st.dataframe(shown, hide_index=True, width="stretch")
    settings = data.settings_in_use(warehouse)
    mode = dict(zip(settings["setting_name"], settings["value"])).get("attribution_as_of", "period")
    st.caption(ATTRIBUTION_NOTES.get(str(mode).strip(), ATTRIBUTION_NOTES["period"]))


@st.cache_data(show_spinner=False, max_entries=16)
def _briefing(path: str, mtime_ns: int, period_end: date, focus: str | None) -> tuple[str, bytes]:
    from orchestration.reports.briefing import briefing_bytes

    return briefing_bytes(Path(path), period_end, focus)


def briefing_download(context: data.PageContext, *, key: str) -> None:
    """The monthly 通报 (Word) for the selected month: the city's for city users, a unit official's own unit's."""
    warehouse, viewer, period_end = context.warehouse, context.viewer, context.period_end
    focus = None if viewer.sees_all_units else viewer.region_code
    names = data.region_names(warehouse)
    label = "月度通报" + ("" if focus is None else f"（{names.get(focus, focus)}版）")
    if st.button(f"生成{period_label(period_end)}{label}文档", key=f"{key}_make"):
        with st.spinner("正在生成通报…"):
            st.session_state[f"{key}_file_{period_end}"] = _briefing(warehouse.path, warehouse.mtime_ns, period_end, focus)
    made = st.session_state.get(f"{key}_file_{period_end}")
    if made:
        name, payload = made
        st.download_button(f"下载 {name}", payload, file_name=name, key=f"{key}_download",
                           mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
