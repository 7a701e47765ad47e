"""The month-end picker in the sidebar, shared by every page through ``st.session_state``."""

from __future__ import annotations

from datetime import date
from typing import Sequence

import streamlit as st

from dashboards.components.format import period_label

PERIOD_STATE_KEY = "period_end"
_LATEST_SEEN_KEY = "_period_latest_seen"
_LINK_READ_KEY = "_period_link_read"
PERIOD_PARAM = "period"


def period_picker(periods: Sequence[date]) -> date:
    """Let the user pick a month-end; the latest by default.

    A user who has stayed on the latest month follows it when a newer warehouse adds a month; a
    period that no longer exists falls back to the latest.
    """
    options = sorted(set(periods), reverse=True)
    latest = options[0]
    linked = period_from_link(st.query_params.get(PERIOD_PARAM), options)
    chosen = st.session_state.get(PERIOD_STATE_KEY)
    if linked is not None and not st.session_state.get(_LINK_READ_KEY):
        st.session_state[PERIOD_STATE_KEY] = linked  # a deep link (bookmark, shared URL) names the period
    elif chosen not in options or chosen == st.session_state.get(_LATEST_SEEN_KEY):
        st.session_state[PERIOD_STATE_KEY] = latest
    st.session_state[_LINK_READ_KEY] = True
    st.session_state[_LATEST_SEEN_KEY] = latest
    picked = st.sidebar.selectbox(
        "数据期（月末）",
        options,
        key=PERIOD_STATE_KEY,
        format_func=period_label,
        help="所有页面共用此数据期，默认为最新月份。存量指标按月末计算，流量指标为当年1月1日至月末累计。"
        "地址栏中的 ?period=YYYY-MM 记录所选数据期，可收藏或转发。",
    )
    st.query_params[PERIOD_PARAM] = f"{picked:%Y-%m}"  # the address always says which period is shown
    return picked


def period_from_link(value: str | None, options: Sequence[date]) -> date | None:
    """The month-end of ``?period=2025-06`` when the warehouse has it, else None."""
    if not value:
        return None
    for option in options:
        if f"{option:%Y-%m}" == str(value).strip()[:7]:
            return option
    return None


def data_range_label(periods: Sequence[date]) -> str:
    """The one data range shown everywhere: the month-ends the warehouse holds (the picker's options),
    ``2000年01月 至 2026年10月``."""
    if not periods:
        return "—"
    return f"{period_label(min(periods))} 至 {period_label(max(periods))}"
