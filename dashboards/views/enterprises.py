"""企业: a searchable enterprise profile, and the action lists (清零, key enterprises, high-tech firms
without an invention patent), each exportable. Enterprise-level: a unit official sees their own unit
only, enforced by dashboards.data whatever the URL or the widgets say."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import data
from dashboards.components.drill import settle_region
from dashboards.components.format import (
    NO_VALUE,
    date_label,
    designation_label,
    industry_label,
    period_label,
)
from dashboards.components.tables import display_frame, file_stem, record_table
from dashboards.drilldown import PATENT_COLUMNS, TRADEMARK_COLUMNS

UNIT_KEY = "enterprises_unit"
SEARCH_KEY = "enterprises_search"
PICK_KEY = "enterprises_pick"

ACTION_LISTS = (
    ("zero", "清零名单", "本期规上工业企业名录中尚未拥有有效发明专利的企业（“清零”对象）。", "所选范围内的规上工业企业都已拥有有效发明专利"),
    ("key", "重点企业倍增", "本期名录中的重点企业：基准日与期末的有效发明专利件数、倍增进度，以及距倍增还差的件数。", "所选范围内没有重点企业"),
    ("hightech", "无发明专利的高企", "持有有效高新技术企业证书、但没有有效发明专利的企业（按证书到期先后排列）。", "所选范围内的高新技术企业都已拥有有效发明专利"),
)


def _unit_options(context: data.PageContext) -> list[str]:
    warehouse, viewer = context.warehouse, context.viewer
    if not viewer.sees_all_units:
        return [viewer.region_code]
    return [data.root_code(warehouse), *data.unit_codes(warehouse), data.UNATTRIBUTED]


def _action_lists(context: data.PageContext, unit: str, names: dict[str, str]) -> None:
    warehouse, viewer, period_end = context.warehouse, context.viewer, context.period_end
    tabs = st.tabs([title for _, title, _, _ in ACTION_LISTS])
    for tab, (name, title, explanation, empty) in zip(tabs, ACTION_LISTS):
        with tab:
            st.caption(explanation)
            records = data.action_list(warehouse, viewer, name, period_end, unit)
            columns = records.spec.columns or {}
            if name == "key" and records.total:
                doubled = int(records.frame["doubled"].fillna(False).astype(bool).sum())
                st.markdown(f"已实现倍增 **{doubled}** 家，未实现 **{records.total - doubled}** 家（显示范围内）")
            record_table(
                display_frame(records.frame, columns, names),
                records.total,
                key=f"enterprises_{name}",
                stem=file_stem(title, names.get(unit, unit), f"{period_end:%Y-%m}"),
                full_frame=lambda records=records, columns=columns: display_frame(
                    data.full_records(warehouse, records), columns, names
                ),
                title=f"{title} · {names.get(unit, unit)} · {period_label(period_end)}末",
                empty_text=empty,
            )


def _profile(context: data.PageContext, enterprise_id: str, names: dict[str, str]) -> None:
    warehouse, viewer, period_end = context.warehouse, context.viewer, context.period_end
    try:
        profile = data.enterprise_profile(warehouse, viewer, enterprise_id, period_end)
    except data.AccessDenied as refused:
        st.warning(refused.user_message, icon=":material/lock:")
        return
    if profile is None:
        st.info("未找到该企业")
        return
    facts = profile.facts
    st.markdown(f"### {facts['enterprise']}")
    st.caption(
        f"统一社会信用代码：{facts['uscc'] or NO_VALUE} · 所属单位：{names.get(facts['region_code'], facts['region_code'] or NO_VALUE)}"
        f" · 所属产业：{industry_label(facts['industry_code'])} · 行业代码：{facts['gb_industry_code'] or NO_VALUE}"
    )
    patents = profile.patents
    valid = patents[patents["valid_now"].fillna(False).astype(bool)]
    inventions = valid[valid["patent_type"] == "invention"]
    trademarks = profile.trademarks
    current = profile.designations[profile.designations["valid_now"].fillna(False).astype(bool)]
    cards = st.columns(4)
    cards[0].metric("有效发明专利", f"{len(inventions):,} 件")
    cards[1].metric("有效专利（全部类型）", f"{len(valid):,} 件")
    cards[2].metric("有效注册商标", f"{int(trademarks['valid_now'].fillna(False).astype(bool).sum()):,} 件")
    cards[3].metric("当前认定", f"{current['kind'].nunique()} 项")
    st.caption(f"截至{period_label(period_end)}末；企业作为任一专利权人持有的专利都计入（区域统计只按第一专利权人）。")

    st.markdown("**认定情况**")
    if profile.designations.empty:
        st.caption("无认定记录")
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    "认定": [designation_label(k, lv) for k, lv in zip(profile.designations["kind"], profile.designations["level"])],
                    "起始日": [date_label(v) for v in profile.designations["valid_from"]],
                    "截止日": [date_label(v) if v is not None and not pd.isna(v) else "长期" for v in profile.designations["valid_until"]],
                    "期末是否有效": ["是" if v else "否" for v in profile.designations["valid_now"].fillna(False)],
                    "依据": profile.designations["source_key"],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    patent_columns = {**PATENT_COLUMNS, "valid_now": "期末有效", "high_value_now": "高价值"}
    patent_columns.pop("industries", None)
    patent_columns.pop("attribution_method", None)
    st.markdown("**专利**")
    record_table(
        display_frame(patents, patent_columns, names),
        len(patents),
        key="enterprise_patents",
        stem=file_stem(facts["enterprise"], "专利", f"{period_end:%Y-%m}"),
        full_frame=lambda: display_frame(patents, patent_columns, names),
        empty_text="未查到该企业的专利",
        height=300,
    )
    st.markdown("**商标**")
    trademark_columns = {**{k: v for k, v in TRADEMARK_COLUMNS.items() if k not in ("registrant", "region_name")}, "valid_now": "期末有效"}
    record_table(
        display_frame(trademarks, trademark_columns, names),
        len(trademarks),
        key="enterprise_trademarks",
        stem=file_stem(facts["enterprise"], "商标", f"{period_end:%Y-%m}"),
        full_frame=lambda: display_frame(trademarks, trademark_columns, names),
        empty_text="未查到该企业的注册商标",
        height=300,
    )


def _search(context: data.PageContext, unit: str, names: dict[str, str]) -> None:
    warehouse, viewer = context.warehouse, context.viewer
    st.subheader("企业档案")
    wanted = st.query_params.get("enterprise")
    if SEARCH_KEY not in st.session_state and st.query_params.get("q"):
        st.session_state[SEARCH_KEY] = st.query_params.get("q")
    text = st.text_input("搜索企业（名称或统一社会信用代码的一部分）", key=SEARCH_KEY, placeholder="例如：化工")
    if wanted and not text and PICK_KEY not in st.session_state:
        _profile(context, wanted, names)
        return
    if not text.strip():
        st.caption("输入企业名称或信用代码的一部分即可查找。")
        return
    found = data.enterprise_search(warehouse, viewer, text, unit)
    if found.empty:
        st.info("所选范围内没有匹配的企业")
        return
    labels = {
        row.enterprise_id: f"{row.enterprise}（{names.get(row.region_code, row.region_code or NO_VALUE)}）"
        for row in found.itertuples()
    }
    if st.session_state.get(PICK_KEY) not in labels:
        st.session_state[PICK_KEY] = next(iter(labels))
    st.caption(f"找到 {len(found)} 家" + ("（最多显示 50 家，请输入更完整的名称）" if len(found) >= 50 else ""))
    chosen = st.selectbox("选择企业", list(labels), key=PICK_KEY, format_func=labels.get)
    _profile(context, chosen, names)


def render(context: data.PageContext) -> None:
    warehouse, viewer, period_end = context.warehouse, context.viewer, context.period_end
    names = data.region_names(warehouse)
    root = data.root_region(data.regions(warehouse))
    st.title(f"{root['region_name']}企业知识产权")
    options = _unit_options(context)
    settle_region(warehouse, viewer, UNIT_KEY, options, url_key="unit")
    if viewer.sees_all_units:
        unit = st.selectbox("范围", options, key=UNIT_KEY, format_func=lambda code: names.get(code, code))
    else:
        unit = viewer.region_code
        st.caption(f":material/lock: 县区账号：仅显示{names.get(unit, unit)}的企业。")
    st.caption(f"数据期：{period_label(period_end)}末")
    st.subheader("行动清单")
    _action_lists(context, unit, names)
    _search(context, unit, names)
