"""Drill-down: pick a metric and a region, see the records the number counts, export them."""

from __future__ import annotations

from typing import Sequence

import pandas as pd
import streamlit as st

from dashboards import data
from dashboards.components.format import (
    COUNT_UNITS,
    format_quantity,
    industry_label,
    period_label,
)
from dashboards.components.tables import display_frame, file_stem, record_table

# Metrics whose value is the number of records in their list (so the two must agree).
_COUNTED_KINDS = frozenset({"patents", "trademarks", "enterprises", "zero", "fees"})
_NOT_COUNTS = ("_rate", "_coverage", "_ratio", "_growth", "_per_10k")


def region_options(warehouse: data.Warehouse, viewer: data.Viewer) -> list[str]:
    """The regions a viewer can list records for: everything for the city, the own unit otherwise."""
    if not viewer.sees_all_units:
        return [viewer.region_code]
    return [data.root_code(warehouse), *data.unit_codes(warehouse), data.UNATTRIBUTED]


def settle_region(
    warehouse: data.Warehouse, viewer: data.Viewer, state_key: str, options: Sequence[str], url_key: str = "region"
) -> None:
    """Put a permitted region into ``st.session_state[state_key]`` before its widget is drawn.

    The request may come from the URL (first load) or from session/widget state; the data layer
    decides whether it is allowed, and a refused request falls back to the viewer's own scope.
    """
    if state_key not in st.session_state:
        from_url = st.query_params.get(url_key) or st.query_params.get("unit")
        if from_url:
            st.session_state[state_key] = from_url
    requested = st.session_state.get(state_key)
    if requested is not None:
        try:
            data.record_scope(warehouse, viewer, requested)
        except data.AccessDenied as refused:
            st.warning(refused.user_message, icon=":material/lock:")
            requested = None
        except data.WarehouseError:
            requested = None
    if requested not in options:
        st.session_state[state_key] = options[0]


def drill_section(
    context: data.PageContext,
    metric_codes: Sequence[str],
    catalog: pd.DataFrame,
    *,
    key: str,
    industry_code: str = data.ALL_INDUSTRIES,
) -> None:
    warehouse, viewer, period_end = context.warehouse, context.viewer, context.period_end
    names = data.region_names(warehouse)
    by_code = catalog.set_index("metric_code")
    metric_key, region_key = f"{key}_metric", f"{key}_region"
    if metric_key not in st.session_state and st.query_params.get("metric") in metric_codes:
        st.session_state[metric_key] = st.query_params.get("metric")
    if st.session_state.get(metric_key) not in metric_codes:
        st.session_state[metric_key] = metric_codes[0]
    options = region_options(warehouse, viewer)
    settle_region(warehouse, viewer, region_key, options)

    left, right = st.columns(2)
    with left:
        metric_code = st.selectbox(
            "指标",
            list(metric_codes),
            key=metric_key,
            format_func=lambda code: by_code.at[code, "metric_name"] if code in by_code.index else code,
        )
    with right:
        region = st.selectbox("地区", options, key=region_key, format_func=lambda code: names.get(code, code))

    records = data.metric_records(warehouse, viewer, metric_code, period_end, region, industry_code)
    metric_name = by_code.at[metric_code, "metric_name"] if metric_code in by_code.index else metric_code
    unit = by_code.at[metric_code, "unit"] if metric_code in by_code.index else None
    values = data.metric_values_at(warehouse, period_end, [metric_code], industry_code)
    at_region = values.loc[values["region_code"] == region, "value"]
    value = at_region.iloc[0] if len(at_region) else None
    scope_text = f"{names.get(region, region)}，{period_label(period_end)}末" + (
        "" if industry_code == data.ALL_INDUSTRIES else f"，{industry_label(industry_code)}"
    )
    st.markdown(f"**{metric_name}**（{scope_text}）= **{format_quantity(value, unit)}** · 明细：{records.spec.title}")
    if not viewer.sees_all_units:
        st.caption(f":material/lock: 县区账号只列出本单位（{names.get(viewer.region_code, viewer.region_code)}）的记录。")
    if not records.spec.available:
        st.info(records.spec.note)
        return
    counted = (
        records.spec.kind in _COUNTED_KINDS
        and unit in COUNT_UNITS
        and not metric_code.endswith(_NOT_COUNTS)
        and value is not None
        and not pd.isna(value)
    )
    if counted and int(round(float(value))) != records.total:
        st.caption(f":material/warning: 明细共 {records.total:,} 条，与指标值 {format_quantity(value, unit)} 不一致，请核对口径。")
    if records.spec.note:
        st.caption(records.spec.note)
    columns = records.spec.columns or {}
    record_table(
        display_frame(records.frame, columns, names),
        records.total,
        key=f"{key}_download",
        stem=file_stem(metric_name, names.get(region, region), f"{period_end:%Y-%m}"),
        full_frame=lambda: display_frame(data.full_records(warehouse, records), columns, names),
        title=f"{metric_name} · {scope_text} · {records.spec.title}",
    )
