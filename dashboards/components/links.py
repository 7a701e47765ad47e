"""Links between pages (with query parameters), e.g. from a unit's assessment to its enterprise lists."""

from __future__ import annotations

from typing import Mapping

import streamlit as st

_PAGES_KEY = "_ipwh_pages"


def register(pages: Mapping[str, st.Page]) -> None:
    """Called by app.py on every run with this run's pages by url_path."""
    st.session_state[_PAGES_KEY] = dict(pages)


def page_link(url_path: str, label: str, *, icon: str | None = None, query_params: Mapping[str, str] | None = None) -> None:
    page = st.session_state.get(_PAGES_KEY, {}).get(url_path)
    if page is None:
        return
    st.page_link(page, label=label, icon=icon, query_params=dict(query_params or {}))
