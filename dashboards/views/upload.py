"""数据上传: data staff drop an export, see what it would become, and confirm to place it.

Only signed-in users of role ``data`` get this page (app.py registers it for them alone, and the
page checks again). The preview is ``orchestration.sources.preview.preview_file``, the same code
path as ``ipwh check-file`` and as a build's ingestion; nothing is written to the landing folder
before the confirmation, and a rejected file cannot be placed. The file lands in
``<landing>/<source>/`` with its as-of date in the name; the landing sensor or ``ipwh build`` loads it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards import data
from dashboards.auth import ROLE_DATA, Viewer

TITLE = "数据上传"
AUTO = "自动识别"
_PREVIEW_KEY = "_upload_preview"
RULE_LABELS = {
    "unknown_value": "未知取值（不在词表中）", "outside_pack": "不属于本区域", "missing_key": "缺少主键",
    "invalid_date": "日期无效", "invalid_application_no": "申请号格式错误", "application_no_check_digit": "申请号校验位错误",
    "malformed_row": "列数与表头不一致", "invalid_nice_class": "尼斯分类无效",
    "nice_class_name_mismatch": "尼斯分类类名与类号不符", "invalid_reg_no": "商标注册号无效",
}


def visible_to(viewer: Viewer | None) -> bool:
    return viewer is not None and not viewer.demo and viewer.role == ROLE_DATA


def _sources() -> dict[str, str]:
    from orchestration.sources.catalog import SOURCES

    return {f"{s.title}（{s.name}/）": s.name for s in SOURCES.values()}


def render(context: data.PageContext | None) -> None:
    st.title(TITLE)
    viewer = context.viewer if context is not None else None
    if not visible_to(viewer):
        st.warning("此页面仅供数据管理人员使用", icon=":material/lock:")
        return
    st.caption("上传一个导出文件，先查看它将如何被读取（来源、导出格式、列对应、将加载/隔离的行），确认后才放入数据目录；"
               "下次构建（或数据目录监测）时加载。被拒收的文件不会放入。")
    uploaded = st.file_uploader("导出文件（.csv、.xlsx、.xls、.pdf）", type=["csv", "xlsx", "xls", "pdf"], key="upload_file")
    sources = _sources()
    choice = st.selectbox("来源", [AUTO, *sources], key="upload_source")
    as_of = st.date_input("截至日期（文件名中没有日期时使用）", value=dt.date.today(), key="upload_as_of")
    if uploaded is None:
        return
    content = uploaded.getvalue()
    source = None if choice == AUTO else sources[choice]
    preview, path = _preview(uploaded.name, content, source)
    _show(preview)
    if not preview.accepted:
        st.error(f"该文件不会放入数据目录：{preview.message or '无法识别来源'}", icon=":material/block:")
        return
    from orchestration.sources.preview import landing_name

    target_name = landing_name(preview.file_name, as_of)
    st.info(f"确认后将保存为 {preview.source}/{target_name}", icon=":material/folder:")
    if st.button("确认放入数据目录", key="upload_confirm", type="primary"):
        _place(path, preview, as_of)


def _preview(name: str, content: bytes, source: str | None):
    """Preview once per (content, source); the file waits in a private temporary folder."""
    from orchestration.sources.preview import preview_file

    key = (hashlib.sha256(content).hexdigest(), name, source)
    cached = st.session_state.get(_PREVIEW_KEY)
    if cached and cached[0] == key and Path(cached[2]).exists():
        return cached[1], Path(cached[2])
    folder = Path(tempfile.mkdtemp(prefix="ipwh-upload-"))
    path = folder / Path(name).name
    path.write_bytes(content)
    preview = preview_file(path, source, display_name=path.name)
    st.session_state[_PREVIEW_KEY] = (key, preview, str(path))
    return preview, path


def _place(path: Path, preview, as_of: dt.date) -> None:
    from orchestration.settings import get_settings
    from orchestration.sources.preview import place_file

    try:
        placed = place_file(path, preview, get_settings().landing_dir, as_of)
    except (ValueError, FileExistsError) as exc:
        st.error(str(exc), icon=":material/block:")
        return
    st.success(f"已放入数据目录：{placed.parent.name}/{placed.name}。数据目录监测或下次 ipwh build 将加载它。", icon=":material/check_circle:")


def _show(p) -> None:
    st.subheader(f"文件：{p.file_name}")
    if p.source is None:
        return
    cols = st.columns(4)
    cols[0].metric("读取行数", f"{p.rows_read:,}")
    cols[1].metric("将加载", f"{p.rows_loaded:,}")
    cols[2].metric("带警告", f"{p.rows_flagged:,}")
    cols[3].metric("将隔离", f"{p.rows_quarantined:,}")
    facts = [("来源", f"{p.source_title}（{p.source}/）"),
             ("截至日期", f"{p.as_of}（{'来自文件名' if p.as_of_from == 'file_name' else '文件名中没有日期'}）")]
    if p.accepted:
        facts += [("导出格式", p.profile), ("编码", p.encoding or ""), ("表头所在行", str(p.header_row or ""))]
        if p.inferred:
            facts.append(("推断的名单信息", p.inferred))
        if p.unused_headers:
            facts.append(("未使用的列", p.unused_headers))
    st.dataframe(pd.DataFrame(facts, columns=["项目", "内容"]), hide_index=True, width="stretch")
    if p.mapping:
        st.markdown("**列对应**")
        st.dataframe(pd.DataFrame(p.mapping, columns=["标准列", "文件中的列"]), hide_index=True, width="stretch")
    if p.quarantine_by_rule:
        st.markdown("**隔离原因**")
        st.dataframe(pd.DataFrame([(RULE_LABELS.get(r, r), n) for r, n in p.quarantine_by_rule], columns=["原因", "行数"]),
                     hide_index=True, width="stretch")
    if p.quarantine or p.flags:
        st.markdown("**前几条问题**")
        issues = [("隔离", *row) for row in p.quarantine] + [("警告", *row) for row in p.flags]
        st.dataframe(pd.DataFrame([(kind, row, col, raw, msg) for kind, row, col, raw, _rule, msg in issues],
                                  columns=["处理", "行号", "列", "原值", "说明"]), hide_index=True, width="stretch")
    if p.unknown_words:
        st.markdown("**未知词**（确认含义后在 `dbt_project/seeds/value_vocabulary.csv` 中加一行）")
        st.dataframe(pd.DataFrame(p.unknown_words, columns=["列", "取值", "行数"]), hide_index=True, width="stretch")
