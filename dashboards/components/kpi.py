"""KPI cards: a metric's value, its target for the year, the gap, the status (icon and word), a sparkline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import pandas as pd
import streamlit as st

from dashboards.analysis import Projection, meets
from dashboards.components.charts import sparkline
from dashboards.components.format import (
    COUNT_UNITS,
    comparator_label,
    format_quantity,
    is_missing,
    status_label,
)


@dataclass(frozen=True)
class TargetStatus:
    """One row of marts.target_progress: the year's target and where the period stands."""

    year: int
    comparator: str
    target: float
    actual: float | None
    gap: float | None
    status: str
    expected_by_now: float | None = None


@dataclass(frozen=True)
class KpiCard:
    metric_code: str
    name: str
    unit: str | None
    value: float | None
    definition: str = ""
    target: TargetStatus | None = None
    # Shown when the period's year has no target: the next year that has one, else the last one before.
    next_target: TargetStatus | None = None
    last_target: TargetStatus | None = None
    sparkline: pd.DataFrame | None = None
    projection: Projection | None = None


def projection_text(card: KpiCard) -> str | None:
    """``年末预计 2.60 件/万人（预计未达标, with its icon）`` — the pace of the year so far, carried to December."""
    if card.projection is None:
        return None
    text = f"年末预计 {format_quantity(card.projection.value, card.unit)}"
    goal = card.target  # only this year's target is judged: the projection runs to this December
    if goal is None:
        return text
    if meets(card.projection.value, goal.comparator, goal.target):
        return text + "（:green[:material/check_circle: 预计达标]）"
    return text + "（:orange[:material/warning: 预计未达标]）"


def path_text(card: KpiCard) -> str | None:
    """Where the linear path from last year-end to the target stands this month."""
    if card.target is None or is_missing(card.target.expected_by_now):
        return None
    expected = float(card.target.expected_by_now)
    if card.unit in COUNT_UNITS:
        expected = float(round(expected))  # whole patents and enterprises
    return f"按线性进度本月应达 {format_quantity(expected, card.unit)}"


def target_text(target: TargetStatus, unit: str | None) -> str:
    return f"{target.year}年目标：{comparator_label(target.comparator)} {format_quantity(target.target, unit)}"


def gap_text(target: TargetStatus, unit: str | None) -> str:
    """The distance to the target in words; the sign convention of ``gap`` does not matter."""
    if is_missing(target.actual):
        return "差距：—"
    actual = float(target.actual)
    shortfall = target.target - actual if target.comparator in (">=", ">") else actual - target.target
    size = abs(float(target.gap)) if not is_missing(target.gap) else abs(shortfall)
    amount = format_quantity(size, unit)
    if shortfall > 0:
        return f"距目标还差 {amount}"
    if shortfall == 0:
        return "与目标持平，须超过目标" if target.comparator == ">" else "恰好达到目标"
    return f"低于上限 {amount}" if target.comparator == "<=" else f"超出目标 {amount}"


def kpi_card(card: KpiCard, on_drill: Callable[[str], None] | None = None) -> None:
    """Draw one card in the current container; ``on_drill(metric_code)`` backs its 明细 button."""
    with st.container(border=True):
        # the name as wrapping text (a metric's own label is cut to one line: "累计国家、省、市级知识…")
        st.markdown(f"**{card.name}**", help=card.definition or None)
        st.metric(card.name, format_quantity(card.value, card.unit), label_visibility="collapsed")
        if card.target is not None:
            st.markdown(target_text(card.target, card.unit))
            st.markdown(gap_text(card.target, card.unit))
            st.markdown(f"**{status_label(card.target.status)}**")
        elif card.next_target is not None:
            st.markdown(f"本年度未设目标（{target_text(card.next_target, card.unit)}）")
        elif card.last_target is not None:
            st.markdown(f"本年度未设目标（上一目标 {target_text(card.last_target, card.unit)}）")
        else:
            st.markdown("未设考核目标")
        for line in (path_text(card), projection_text(card)):
            if line:
                st.caption(line)
        if card.sparkline is not None and len(card.sparkline) > 1:
            st.vega_lite_chart(
                spec=sparkline(card.sparkline, card.unit),
                width="stretch",
                alt=f"{card.name}近{len(card.sparkline)}个月走势",
            )
            first, last = card.sparkline["period_end"].iloc[0], card.sparkline["period_end"].iloc[-1]
            st.caption(f"近{len(card.sparkline)}个月：{first:%Y-%m} 至 {last:%Y-%m}")
        if on_drill is not None:
            st.button(
                "查看明细 ›",
                key=f"drill_button_{card.metric_code}",
                on_click=on_drill,
                args=(card.metric_code,),
                type="tertiary",
                help="在页面下方列出该数字所统计的专利、商标或企业，并可导出",
            )


def kpi_grid(cards: Sequence[KpiCard], columns: int = 4, on_drill: Callable[[str], None] | None = None) -> None:
    """Cards in rows of ``columns``."""
    for start in range(0, len(cards), columns):
        row = st.columns(columns)
        for slot, card in zip(row, cards[start : start + columns]):
            with slot:
                kpi_card(card, on_drill)
