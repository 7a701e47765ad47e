"""The dashboards' entry point: ``streamlit run dashboards/app.py``.

Sets up the page, signs the user in when a user file exists (dashboards.auth; otherwise a demo that
says so), the navigation and the sidebar (the shared period picker), then runs the page the user
chose with a ``PageContext`` (the warehouse version of this run, the selected month-end and the viewer,
whose unit the data layer enforces on every enterprise-level list).
To add a page, write ``dashboards/views/<name>.py`` with ``render(context)`` and add one entry to
``PAGES``.

The page modules live in ``views/``, not ``pages/``: a ``pages/`` folder beside this file switches
Streamlit to its legacy multipage mode (always under AppTest, on a server's first run), which routes
to the files in that folder and gives the sidebar widgets a different identity from run to run.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

# `streamlit run dashboards/app.py` puts only dashboards/ on the path; the packages live one level up.
_REPO_ROOT = str(Path(__file__).resolve().parents[1])
if _REPO_ROOT not in sys.path:
    sys.path.insert(0, _REPO_ROOT)

import streamlit as st  # noqa: E402
from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: E402

from dashboards import access_log, data  # noqa: E402
from dashboards.auth import Viewer  # noqa: E402
from dashboards.components import links  # noqa: E402
from dashboards.components.period import period_picker  # noqa: E402
from dashboards.components.signin import DEMO_MODE_NOTE, client_address, current_viewer  # noqa: E402
from dashboards.views import assessment, enterprises, fees, industries, overview, quality, upload  # noqa: E402

APP_TITLE = "知识产权倍增监测"
__all__ = ["DEMO_MODE_NOTE", "PAGES", "main"]
# A KPI value wraps instead of ending in "…" when its column is narrow (1280 px, four cards a row).
APP_CSS = """<style>
[data-testid="stMetricValue"] > div {white-space: normal; overflow: visible; text-overflow: clip;}
[data-testid="stMetricValue"] {font-size: clamp(1.5rem, 2.2vw, 2.25rem);}
</style>"""
REPLACED_GIVE_UP_MESSAGE = "数仓正在更新，请稍后刷新页面"
_REPLACED_RERUNS_KEY = "_warehouse_replaced_reruns"
_LOGGED_PAGE_KEY = "_ipwh_logged_page"
_MAX_REPLACED_RERUNS = 3


@dataclass(frozen=True)
class PageEntry:
    title: str
    url_path: str
    icon: str
    render: Callable[[data.PageContext], None]


# One entry per page, in menu order; the first is the landing page.
PAGES: tuple[PageEntry, ...] = (
    PageEntry("总览", "overview", ":material/dashboard:", overview.render),
    PageEntry("县区考核", "assessment", ":material/leaderboard:", assessment.render),
    PageEntry("产业", "industries", ":material/precision_manufacturing:", industries.render),
    PageEntry("企业", "enterprises", ":material/factory:", enterprises.render),
    PageEntry("年费预警", "fees", ":material/schedule:", fees.render),
    PageEntry("数据质量", "quality", ":material/fact_check:", quality.render),
)
UPLOAD_PAGE = PageEntry("数据上传", "upload", ":material/upload_file:", upload.render)


def _load_context(viewer: Viewer) -> data.PageContext:
    """The warehouse version for this run, the period picked in the sidebar, and who is looking."""
    warehouse = data.published_warehouse()
    periods = data.periods(warehouse)
    if not periods:
        raise data.WarehouseError(data.NO_PERIODS_MESSAGE, warehouse.path)
    return data.PageContext(warehouse=warehouse, period_end=period_picker(periods), viewer=viewer)


def _log_page(viewer: Viewer, page: st.Page) -> None:
    """One access-log line per page (and query) a signed-in viewer opens; reruns on it are not repeated."""
    if viewer.demo:
        return
    query = "&".join(f"{name}={value}" for name, value in sorted(st.query_params.to_dict().items()))
    opened = (page.url_path or PAGES[0].url_path, query)
    st.session_state["_ipwh_page"] = opened[0]
    if st.session_state.get(_LOGGED_PAGE_KEY) != opened:
        st.session_state[_LOGGED_PAGE_KEY] = opened
        access_log.record("page", user=viewer.username, role=viewer.role, region_code=viewer.region_code,
                          client=client_address(), page=opened[0], query=query)


def _show_problem(problem: data.WarehouseError, viewer: Viewer | None = None) -> None:
    if isinstance(problem, data.AccessDenied):
        st.warning(problem.user_message, icon=":material/lock:")
        if viewer is not None:
            access_log.record("access_denied", user=viewer.username, role=viewer.role, region_code=viewer.region_code,
                              client=client_address(), page=st.session_state.get("_ipwh_page"), detail=problem.detail)
        return
    st.warning(problem.user_message, icon=":material/warning:")
    st.caption(f"数仓文件：{data.warehouse_path()}")


def _rerun_after_replacement() -> None:
    """The warehouse was replaced mid-run: run again on the new file, a few times at most."""
    reruns = st.session_state.get(_REPLACED_RERUNS_KEY, 0)
    if reruns >= _MAX_REPLACED_RERUNS:
        st.session_state[_REPLACED_RERUNS_KEY] = 0
        st.warning(REPLACED_GIVE_UP_MESSAGE, icon=":material/warning:")
        return
    st.session_state[_REPLACED_RERUNS_KEY] = reruns + 1
    st.rerun()


def _page(entry: PageEntry, context: data.PageContext | None, index: int) -> st.Page:
    def run() -> None:
        if context is not None:
            entry.render(context)

    # The landing page lives at "/" (Streamlit ignores a default page's url_path); its own name is
    # served by the hidden alias below, so that /overview works as a deep link too.
    url_path = f"{entry.url_path}-home" if index == 0 else entry.url_path
    return st.Page(run, title=entry.title, icon=entry.icon, url_path=url_path, default=index == 0)


def _landing_alias(entry: PageEntry, context: data.PageContext | None) -> st.Page:
    def run() -> None:
        if context is not None:
            entry.render(context)

    return st.Page(run, title=entry.title, icon=entry.icon, url_path=entry.url_path, visibility="hidden")


NOT_FOUND_TITLE = "页面不存在"
_UNKNOWN_PATHS_KEY = "_ipwh_unknown_paths"
_PENDING_PATH_KEY = "_ipwh_pending_path"
_URL_PATH = re.compile(r"^[^/\s]{1,100}$")


def requested_path() -> str | None:
    """The page name in the address on a fresh load (a bookmark, F5, a typed URL), else None."""
    ctx = get_script_run_ctx()
    if ctx is None or ctx.pages_manager.intended_page_script_hash:
        return None
    return ctx.pages_manager.intended_page_name or None


def not_found_page(path: str, pages: list[st.Page]) -> st.Page:
    """A Chinese page for an address that names no page (instead of Streamlit's English notice)."""

    def run() -> None:
        st.title(NOT_FOUND_TITLE)
        st.markdown(f"地址 **/{path}** 没有对应的页面，可能是链接有误或页面已调整。请从下列页面中选择：")
        for page in pages:
            st.page_link(page, label=page.title, icon=page.icon)

    return st.Page(run, title=NOT_FOUND_TITLE, icon=":material/help:", url_path=path, visibility="hidden")


def _remember_requested_path() -> None:
    path = requested_path()
    requested: list[str] = st.session_state.setdefault(_UNKNOWN_PATHS_KEY, [])
    if path and _URL_PATH.match(path):
        if path not in requested:
            requested.append(path)
        if path not in {entry.url_path for entry in PAGES}:
            st.session_state[_PENDING_PATH_KEY] = path


def _unknown_path_pages(known: set[str], pages: list[st.Page]) -> list[st.Page]:
    """Hidden 404 pages for the unknown addresses this session was opened on."""
    requested: list[str] = st.session_state.get(_UNKNOWN_PATHS_KEY, [])
    return [not_found_page(path, pages) for path in requested if path not in known]


def main() -> None:
    st.set_page_config(page_title=APP_TITLE, page_icon=":material/monitoring:", layout="wide")
    st.html(APP_CSS)
    _remember_requested_path()  # before sign-in, which may rerun without the address's page name
    viewer = current_viewer()
    if viewer is None:  # the sign-in form (or a refusal) is all there is to see
        # The pages are still declared (hidden, none runs) so that the path asked for (/enterprises,
        # a bookmark) stays in the address bar, and the run after signing in opens that page.
        # Unknown addresses get their hidden 404 page here too: without it Streamlit would open its own
        # "Page not found" dialog over the sign-in form.
        entries = PAGES + (UPLOAD_PAGE,)
        pages = [_page(entry, None, index) for index, entry in enumerate(entries)]
        known = {entry.url_path for entry in entries} | {page.url_path for page in pages}
        hidden = [_landing_alias(PAGES[0], None), *_unknown_path_pages(known, pages)]
        st.navigation([*pages, *hidden], position="hidden")
        return

    # One read-only connection for the queries of this run, closed when it ends (data.reading_session).
    with data.reading_session():
        _run_page(viewer)


def _run_page(viewer: Viewer) -> None:
    context: data.PageContext | None = None
    problem: data.WarehouseError | None = None
    replaced = False
    try:
        context = _load_context(viewer)
    except data.WarehouseError as exc:
        problem = exc
    except data.WarehouseReplaced:
        replaced = True

    entries = PAGES + ((UPLOAD_PAGE,) if upload.visible_to(viewer) else ())  # 数据上传: data staff only
    pages = [_page(entry, context, index) for index, entry in enumerate(entries)]
    links.register({entry.url_path: page for entry, page in zip(entries, pages)})
    known = {entry.url_path for entry in entries} | {page.url_path for page in pages}
    hidden = [_landing_alias(PAGES[0], context), *_unknown_path_pages(known, pages)]
    page = st.navigation([*pages, *hidden])
    _log_page(viewer, page)
    pending = st.session_state.pop(_PENDING_PATH_KEY, None)
    if pending and requested_path() is None:  # signed in by a rerun that lost the address's page name
        for candidate in hidden:
            if candidate.url_path == pending:
                st.switch_page(candidate)
    if replaced:
        _rerun_after_replacement()
        return
    if problem is not None:
        _show_problem(problem)
        return
    try:
        page.run()
    except data.WarehouseReplaced:
        _rerun_after_replacement()
        return
    except data.WarehouseError as exc:
        _show_problem(exc, viewer)
        return
    st.session_state[_REPLACED_RERUNS_KEY] = 0


if __name__ == "__main__":
    main()
