"""数据质量: freshness, the load log, quarantine and flags by rule, match and attribution rates, and the
glossary (every metric's definition, the targets, the assumption settings in use)."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import data
from dashboards.components.format import (
    DIRECTION_LABELS,
    FILE_STATUS_LABELS,
    NO_VALUE,
    PERIOD_KIND_LABELS,
    SOURCE_LABELS,
    ATTRIBUTION_METHOD_LABELS,
    comparator_label,
    date_label,
    field_label,
    format_number,
    is_missing,
    setting_basis,
    period_label,
    rule_label,
    timestamp_label,
    yes_no,
)
from dashboards.components.period import data_range_label
from dashboards.components.tables import count_columns, display_frame, file_stem, record_table

# The load log's long texts get bounded widths so that its counts fit at 1280 px.
LOG_COLUMNS = {
    "文件": st.column_config.TextColumn("文件", width=170),
    "说明": st.column_config.TextColumn("说明", width=160),
}
MISSING_MART_NOTE = "当前数仓尚未提供该表（需由数据管理员用新版本重新构建数仓），暂不显示。"
QUALITY_SOURCE_LABELS = {**SOURCE_LABELS, "patent_holders": "专利（全部专利权人）", "patents": "专利（第一专利权人）",
                         "enterprise_master": "企业名录"}
OUTCOME_LABELS = {"unit": "归属到单位", "unattributed": "未归属（只计入全市）", "excluded": "区域外（不计入）"}
REVIEW_STATUS_LABELS = {"open": "待确认", "resolved": "已确认"}
UNMATCHED_REASON_LABELS = {"ambiguous": "有歧义（见待确认名单）", "no_candidate": "名录中没有相近的企业",
                           "below_threshold": "最接近的企业相似度不足"}


def _freshness(warehouse: data.Warehouse) -> None:
    st.subheader("数据新鲜度")
    info = data.build_info(warehouse)
    if info:
        st.markdown(
            f"数仓构建于 **{timestamp_label(pd.Timestamp(info['built_at']))}**，数据期 {data_range_label(data.periods(warehouse))}"
            f"（区域：{data.root_region(data.regions(warehouse))['region_name']}）"
        )
    summary = data.source_summary(warehouse)
    if summary is None:
        st.caption(MISSING_MART_NOTE)
        return
    if summary.empty:
        st.info("尚无加载记录")
        return
    built = pd.Timestamp(info["built_at"]) if info else pd.Timestamp.now()
    st.dataframe(
        pd.DataFrame(
            {
                "来源": [SOURCE_LABELS.get(s, s) for s in summary["source"]],
                "最新文件（按导出日期）": [NO_VALUE if not isinstance(f, str) else f.split("/")[-1] for f in summary["newest_file"]],
                "导出日期": [date_label(d) for d in summary["newest_as_of"]],
                "在用记录数": summary["rows_in_use"].astype("int64"),
                "各文件入库行数合计": summary["rows_loaded_all_files"].astype("int64"),
                "文件数": summary["files"].astype("int64"),
                "被拒绝文件": summary["rejected_files"].astype("int64"),
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "最新文件（按导出日期）": st.column_config.TextColumn("最新文件（按导出日期）", width="medium"),
            **count_columns("在用记录数", "各文件入库行数合计", "文件数", "被拒绝文件"),
        },
    )
    last = pd.to_datetime(summary["last_loaded_at"]).max()
    st.caption(
        f"最近一次加载 {timestamp_label(last)}（距构建 {max((built - last).days, 0)} 天）。"
        "在用记录数：新导出按记录取代旧导出后仍在使用的记录（去重后）；各文件入库行数合计含已被取代的旧版本。"
        "最新文件按文件名中的导出日期判断，而非加载时间。"
    )


def _load_log(warehouse: data.Warehouse) -> None:
    st.subheader("加载记录")
    files = data.latest_file_loads(warehouse)
    counts = files["status"].value_counts()
    st.caption(
        f"来源文件 {len(files)} 个：" + "，".join(f"{label} {int(counts.get(s, 0))} 个" for s, label in FILE_STATUS_LABELS.items())
        + "。每个文件：读取行数 = 入库行数 + 隔离行数。"
    )
    shown = pd.DataFrame(
        {
            "来源": [SOURCE_LABELS.get(s, s) for s in files["source"]],
            "文件": files["file_name"],
            "状态": [FILE_STATUS_LABELS.get(s, s) for s in files["status"]],
            "读取行数": files["rows_read"],
            "入库行数": files["rows_loaded"],
            "隔离行数": files["rows_quarantined"],
            "加载时间": [timestamp_label(pd.Timestamp(t)) for t in files["loaded_at"]],
            "说明": [m if isinstance(m, str) else "" for m in files["message"]],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", column_config=LOG_COLUMNS)
    with st.expander("全部加载历史"):
        history = data.load_history(warehouse)
        st.dataframe(
            pd.DataFrame(
                {
                    "加载时间": [timestamp_label(pd.Timestamp(t)) for t in history["loaded_at"]],
                    "来源": [SOURCE_LABELS.get(s, s) for s in history["source"]],
                    "文件": history["file_name"],
                    "状态": [FILE_STATUS_LABELS.get(s, s) for s in history["status"]],
                    "读取行数": history["rows_read"],
                    "入库行数": history["rows_loaded"],
                    "隔离行数": history["rows_quarantined"],
                }
            ),
            hide_index=True,
            width="stretch",
            column_config=LOG_COLUMNS,
        )


PROFILE_LABELS = {
    "incopat": "incoPat", "patsnap": "智慧芽 PatSnap", "baiten": "佰腾类", "cnipr": "CNIPR / 省级平台 / CNIPA",
    "tianyancha": "天眼查", "qichacha": "企查查", "ctmo": "中国商标网", "pledge_gazette": "质押公告",
    "nbs": "统计局名录", "published_roster": "公布的名单", "ipwh_template": "ipwh 模板", "generic": "未识别（通用列名）",
}


def _export_profiles(warehouse: data.Warehouse) -> None:
    """Which system each file came from, what its header had that was not used, what was inferred."""
    files = data.file_profiles(warehouse)
    if files.empty:
        return
    with st.expander("导出格式与未使用的列"):
        st.dataframe(
            pd.DataFrame(
                {
                    "来源": [SOURCE_LABELS.get(s, s) for s in files["source"]],
                    "文件": files["file_name"],
                    "导出格式": [PROFILE_LABELS.get(p, p) for p in files["profile"]],
                    "未使用的列": [u if isinstance(u, str) else "" for u in files["unused_headers"]],
                    "从标题/文件名推断": [i if isinstance(i, str) else "" for i in files["inferred"]],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def _unknown_words(warehouse: data.Warehouse) -> None:
    words = data.unknown_words(warehouse)
    if words.empty:
        return
    st.subheader("未知取值")
    st.caption("不在词表中的专利类型、法律状态、商标状态等取值（对应行已隔离，未作猜测）。确认含义后在 "
               "dbt_project/seeds/value_vocabulary.csv 中加一行，重新构建数仓。")
    st.dataframe(
        pd.DataFrame(
            {
                "来源": [SOURCE_LABELS.get(s, s) for s in words["source"]],
                "列": words["column_name"],
                "取值": words["raw_value"],
                "行数": words["rows"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _issues(context: data.PageContext, table: str, title: str, explanation: str) -> None:
    warehouse, viewer = context.warehouse, context.viewer
    st.subheader(title)
    st.caption(explanation)
    counts = data.issue_counts(warehouse, table, viewer=viewer)
    if counts.empty:
        st.success("没有记录", icon=":material/check_circle:")
        return
    by_rule = counts.groupby("rule", as_index=False)["rows"].sum().sort_values("rows", ascending=False)
    by_rule["规则"] = [rule_label(r) for r in by_rule["rule"]]
    st.markdown(f"共 **{int(counts['rows'].sum()):,}** 行；按规则：" + "，".join(
        f"{label} {int(n):,} 行" for label, n in zip(by_rule["规则"], by_rule["rows"])
    ))
    chart_slot, table_slot = st.columns(2)[0], st.container()  # the table full width below: side by side it was cut
    with chart_slot:
        st.altair_chart(
            alt.Chart(by_rule)
            .mark_bar()
            .encode(
                y=alt.Y("规则:N", sort="-x", title=None),
                x=alt.X("rows:Q", title="行数"),
                tooltip=["规则:N", alt.Tooltip("rows:Q", title="行数")],
            )
            .properties(height=alt.Step(28)),
            width="stretch",
            alt=f"{title}按规则的行数",
        )
    with table_slot:
        st.dataframe(
            pd.DataFrame(
                {
                    "来源": [SOURCE_LABELS.get(s, s) for s in counts["source"]],
                    "规则": [rule_label(r) for r in counts["rule"]],
                    "字段": [field_label(s, c) for s, c in zip(counts["source"], counts["column_name"])],
                    "行数": counts["rows"].astype(int),
                    # examples quote raw values of some unit's export: city leadership only (data layer)
                    **({"示例说明": counts["example"]} if viewer.sees_all_units else {}),
                }
            ),
            hide_index=True,
            width="stretch",
            column_config={**count_columns("行数"), "示例说明": st.column_config.TextColumn("示例说明", width="large")},
        )
    if not viewer.sees_all_units:
        st.caption(":material/lock: 逐行明细含原始数据，仅市级账号可见。")
        return
    with st.expander(f"{title}明细（逐行）"):
        rules = ["（全部）", *by_rule["rule"]]
        rule = st.selectbox("规则", rules, key=f"quality_{table}_rule", format_func=lambda r: r if r == "（全部）" else rule_label(r))
        chosen = None if rule == "（全部）" else rule
        rows = data.issue_rows(warehouse, viewer, table, rule=chosen)
        total = int(counts.loc[counts["rule"] == chosen, "rows"].sum()) if chosen else int(counts["rows"].sum())
        columns = {"source": "来源", "file_name": "文件", "row_number": "行号", "column_name": "字段", "raw_value": "原始值",
                   "rule": "规则", "message": "说明"}

        def shown(frame: pd.DataFrame) -> pd.DataFrame:
            out = display_frame(frame, columns, {})
            out["字段"] = [field_label(s, c) for s, c in zip(frame["source"], frame["column_name"])]
            out["来源"] = [SOURCE_LABELS.get(s, s) for s in out["来源"]]
            out["规则"] = [rule_label(r) for r in out["规则"]]
            return out

        record_table(
            shown(rows),
            total,
            key=f"quality_{table}_rows",
            stem=file_stem(title, chosen or "全部"),
            full_frame=lambda: shown(data.issue_rows(warehouse, viewer, table, rule=chosen, limit=10**7)),
            title=title,
        )


def _source(code: object) -> str:
    return QUALITY_SOURCE_LABELS.get(str(code), str(code))


def _matching(context: data.PageContext) -> None:
    st.markdown("**与企业名录的匹配**")
    mart = data.optional_mart(
        context.warehouse, "data_quality_matching", context.viewer,
        ["source", "match_method", "method_label", "is_matched", "records", "source_records", "share_pct"],
    )
    if mart is None:
        st.caption(MISSING_MART_NOTE)
        return
    matched = mart[mart["is_matched"].fillna(False).astype(bool)].groupby("source", sort=False)["share_pct"].sum()
    totals = mart.groupby("source", sort=False)["source_records"].max()
    st.markdown("匹配率：" + "；".join(
        f"{_source(source)} **{matched.get(source, 0.0):.1f}%**（{int(total):,} 条）" for source, total in totals.items()
    ))
    st.dataframe(
        pd.DataFrame(
            {
                "来源": [_source(v) for v in mart["source"]],
                "匹配方式": mart["method_label"],
                "已匹配": [yes_no(v) for v in mart["is_matched"]],
                "记录数": mart["records"].astype(int),
                "占比（%）": [f"{v:.1f}" for v in mart["share_pct"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption("已匹配：统一社会信用代码、人工确认、名称完全一致或名称相似（达到阈值）。未匹配的名称仍作为独立主体计数，不做猜测。")


def _attribution(context: data.PageContext) -> None:
    warehouse, viewer = context.warehouse, context.viewer
    st.markdown("**归属单位**")
    mart = data.optional_mart(
        warehouse, "data_quality_attribution", viewer,
        ["source", "attribution_method", "outcome", "records", "source_records", "share_pct"],
    )
    if mart is not None:
        shares = mart.pivot_table(index="source", columns="outcome", values="share_pct", aggfunc="sum", sort=False).fillna(0)
        st.markdown("；".join(
            f"{_source(source)}归属到单位 **{row.get('unit', 0.0):.1f}%**，未归属 {row.get('unattributed', 0.0):.1f}%"
            + (f"，区域外 {row.get('excluded', 0.0):.1f}%" if row.get("excluded", 0.0) else "")
            for source, row in shares.iterrows()
        ))
        st.dataframe(
            pd.DataFrame(
                {
                    "来源": [_source(v) for v in mart["source"]],
                    "归属依据": [ATTRIBUTION_METHOD_LABELS.get(m, m) for m in mart["attribution_method"]],
                    "结果": [OUTCOME_LABELS.get(o, o) for o in mart["outcome"]],
                    "记录数": mart["records"].astype(int),
                    "占比（%）": [f"{v:.1f}" for v in mart["share_pct"]],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        return
    # Without the mart: the same rates counted from the patent and trademark facts.
    frame = data.attribution_summary(warehouse)
    if frame.empty:
        st.caption(MISSING_MART_NOTE)
        return
    total = frame.groupby("kind")["records"].sum()
    attributed = frame[frame["attributed"]].groupby("kind")["records"].sum()
    lines = []
    for kind, label in (("patents", "专利（按第一专利权人）"), ("trademarks", "商标（按注册人）")):
        if kind in total.index and total[kind]:
            rate = 100.0 * attributed.get(kind, 0) / total[kind]
            lines.append(f"{label}归属到单位 **{rate:.1f}%**（{int(attributed.get(kind, 0)):,} / {int(total[kind]):,}）")
    st.markdown("；".join(lines) + "。其余计入“未归属”，只计入全市合计。")
    st.caption("（按专利、商标明细推算；区域外的记录不计入。）")


def _review_lists(context: data.PageContext) -> None:
    warehouse, viewer = context.warehouse, context.viewer
    st.markdown("**待人工确认的名称**")
    try:
        review = data.optional_mart(
            warehouse, "entity_review_list", viewer,
            ["example_name", "review_reason_label", "review_status", "candidate_count", "candidates_text", "records"],
        )
    except data.AccessDenied as refused:
        st.caption(f":material/lock: {refused.user_message}")
    else:
        if review is None:
            st.caption(MISSING_MART_NOTE)
        elif review.empty:
            st.caption("没有待确认的名称")
        else:
            open_count = int((review["review_status"] == "open").sum())
            st.caption(f"待确认 {open_count} 个名称：在 seeds/entity_overrides.csv 中写明对应企业后重新构建即生效。")
            st.dataframe(
                pd.DataFrame(
                    {
                        "名称": review["example_name"],
                        "原因": review["review_reason_label"],
                        "状态": [REVIEW_STATUS_LABELS.get(v, v) for v in review["review_status"]],
                        "候选数": review["candidate_count"],
                        # each candidate carries the review reason's code in brackets: the 原因 column says it in words
                        "候选企业（相似度）": [
                            NO_VALUE if is_missing(text) else re.sub(r"\s*\[[a-z_]+\]", "", str(text))
                            for text in review["candidates_text"]
                        ],
                        "涉及记录": review["records"],
                    }
                ),
                hide_index=True,
                width="stretch",
                column_config={
                    "名称": st.column_config.TextColumn("名称", width=170, pinned=True),
                    "原因": st.column_config.TextColumn("原因", width=150),
                    "候选企业（相似度）": st.column_config.TextColumn("候选企业（相似度）", width=230),
                },
            )
    st.markdown("**名录中未能匹配的企业**")
    unmatched = data.optional_mart(
        warehouse, "unmatched_roster_entries", viewer,
        ["roster", "enterprise", "reason", "closest_enterprise", "closest_score", "threshold", "linked_records", "region_code"],
    )
    if unmatched is None:
        st.caption(MISSING_MART_NOTE)
        return
    if unmatched.empty:
        st.caption("认定名录中的企业都已匹配")
        return
    names = data.region_names(warehouse)
    st.dataframe(
        pd.DataFrame(
            {
                "名录": [_source(v) for v in unmatched["roster"]],
                "企业名称": unmatched["enterprise"],
                "原因": [UNMATCHED_REASON_LABELS.get(v, v) for v in unmatched["reason"]],
                "最接近的企业": [NO_VALUE if v is None or pd.isna(v) else v for v in unmatched["closest_enterprise"]],
                "相似度": [NO_VALUE if pd.isna(v) else f"{v:.1f}" for v in unmatched["closest_score"]],
                "阈值": [NO_VALUE if pd.isna(v) else f"{v:.0f}" for v in unmatched["threshold"]],
                "关联专利商标数": unmatched["linked_records"],
                "所属单位": [names.get(v, NO_VALUE) if isinstance(v, str) else NO_VALUE for v in unmatched["region_code"]],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "企业名称": st.column_config.TextColumn("企业名称", width=150, pinned=True),
            "原因": st.column_config.TextColumn("原因", width=120),
            "最接近的企业": st.column_config.TextColumn("最接近的企业", width=140),
        },
    )


def _glossary(warehouse: data.Warehouse) -> None:
    st.subheader("指标口径与设置")
    catalog = data.metric_catalog(warehouse)
    levels = data.target_levels(warehouse)
    units = dict(zip(catalog["metric_code"], catalog["unit"]))
    targets = {
        code: "；".join(
            f"{int(r.year)}年 {comparator_label(r.comparator)} {format_number(r.target, units.get(code))}"
            for r in part.itertuples()
        )
        for code, part in levels.groupby("metric_code")
    }
    st.dataframe(
        pd.DataFrame(
            {
                "指标": catalog["metric_name"],
                "单位": catalog["unit"],
                "口径": [
                    f"{definition}（{PERIOD_KIND_LABELS.get(kind, kind)}，{DIRECTION_LABELS.get(direction, direction)}"
                    + ("，分产业" if by_industry else "") + "）"
                    for definition, kind, direction, by_industry in zip(
                        catalog["definition"], catalog["period_kind"], catalog["direction"], catalog["by_industry"].fillna(False)
                    )
                ],
                "目标": [targets.get(code, NO_VALUE) for code in catalog["metric_code"]],
                "考核": [yes_no(v) for v in catalog["assessed"]],
                "假设": ["是" if v else "否" for v in catalog["is_assumption"].fillna(False)],
            }
        ),
        hide_index=True,
        width="stretch",
        height=35 * (len(catalog) + 1) + 3,  # every metric, no inner scrolling
        column_config={
            "指标": st.column_config.TextColumn("指标", width=180, pinned=True),
            "口径": st.column_config.TextColumn("口径", width=240),
            "目标": st.column_config.TextColumn("目标", width=170),
            "考核": st.column_config.TextColumn("考核", width=50, help="纳入县区考核"),
            "假设": st.column_config.TextColumn("假设", width=50, help="口径含尚未找到官方依据的假设设置"),
        },
    )
    st.caption("“假设”为“是”的指标依赖下表中尚未找到官方依据的设置；数值可在设置中调整后重新构建。")
    settings = data.settings_in_use(warehouse)
    st.markdown("**本次构建使用的设置**")
    st.dataframe(
        pd.DataFrame(
            {
                "设置": [str(d).replace("【假设】", "").replace("【项目设定】", "") for d in settings["description_zh"]],
                "当前值": settings["value"],
                "默认值": settings["default_value"],
                "单位": [NO_VALUE if is_missing(u) else u for u in settings["unit"]],
                "已调整": ["是" if v else "否" for v in settings["is_overridden"].fillna(False)],
                "依据": [setting_basis(s) for s in settings["source"]],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "设置": st.column_config.TextColumn("设置", width=300, pinned=True),
            "依据": st.column_config.TextColumn("依据", width=180),
        },
    )
    st.caption("设置由数据管理员维护，调整后重新构建数仓即生效。")


KEYWORD_MODES = (
    ("ignore", "不应用关键词：只按IPC分类号匹配参照表（上限口径）"),
    ("title", "专利名称须含该规则的关键词之一"),
    ("title_abstract", "专利名称或摘要须含该规则的关键词之一（摘要仅部分导出提供）"),
)


def _strategic_keyword_modes(context: data.PageContext) -> None:
    """High-value criterion ① for the city under each keyword mode, so that the reading's weight is visible."""
    warehouse, period_end = context.warehouse, context.period_end
    values = data.strategic_emerging_values_at(warehouse, period_end)
    root = data.root_code(warehouse)
    counts = values[(values["group_kind"] == "keyword_mode") & (values["region_code"] == root)]
    if counts.empty:
        return
    by_mode = dict(zip(counts["group_code"], counts["value"]))
    settings = data.settings_in_use(warehouse)
    current = dict(zip(settings["setting_name"], settings["value"])).get("hv_strategic_keyword_mode")
    st.markdown(f"**高价值第①类“战略性新兴产业的发明专利”在各关键词口径下的件数（{period_label(period_end)}末，全市）**")
    st.dataframe(
        pd.DataFrame(
            {
                "口径（hv_strategic_keyword_mode）": [code for code, _ in KEYWORD_MODES],
                "说明": [text for _, text in KEYWORD_MODES],
                "件数": [format_number(by_mode.get(code, 0.0), "件") for code, _ in KEYWORD_MODES],
                "本次构建": ["使用中" if code == current else "" for code, _ in KEYWORD_MODES],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption("参照表中288条规则附有关键词条件，其使用说明未找到；切换口径：设置 IPWH_HV_STRATEGIC_KEYWORD_MODE 后重新构建。")


def render(context: data.PageContext) -> None:
    warehouse = context.warehouse
    root = data.root_region(data.regions(warehouse))
    st.title(f"{root['region_name']}数据质量")
    _freshness(warehouse)
    _load_log(warehouse)
    _export_profiles(warehouse)
    _issues(context, "quarantine", "隔离记录", "违反规则、未入库的行（文件其余行照常加载）。修正数据源后重新构建数仓即可。")
    _issues(context, "flags", "警示记录", "已入库但带有警示的行（如信用代码校验位不符：早期试点代码可能合法）。")
    _unknown_words(warehouse)
    st.subheader("匹配与归属")
    _matching(context)
    _attribution(context)
    _review_lists(context)
    _glossary(warehouse)
    _strategic_keyword_modes(context)
