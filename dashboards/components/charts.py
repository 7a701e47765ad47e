"""Altair charts shared by the pages: sparklines for KPI cards, trends with target lines."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from dashboards.components.format import comparator_label, format_number, format_quantity

SPARKLINE_MONTHS = 24


def last_months(series: pd.DataFrame, period_end: date, months: int = SPARKLINE_MONTHS) -> pd.DataFrame:
    """The rows of a (period_end, value) series up to ``period_end``, at most ``months`` of them."""
    upto = series[pd.to_datetime(series["period_end"]) <= pd.Timestamp(period_end)]
    return upto.sort_values("period_end").tail(months)


def _with_labels(series: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    frame = series[["period_end", "value"]].copy()
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    frame["value"] = frame["value"].astype("float64")
    frame["label"] = [format_quantity(value, unit) for value in frame["value"]]
    return frame


def sparkline(series: pd.DataFrame, unit: str | None, height: int = 48) -> alt.LayerChart:
    """A bare line of the series with its last point marked; tooltips give period and value."""
    frame = _with_labels(series, unit)
    tooltip = [
        alt.Tooltip("period_end:T", title="期末", format="%Y-%m"),
        alt.Tooltip("label:N", title="数值"),
    ]
    base = alt.Chart(frame).encode(
        x=alt.X("period_end:T", axis=None),
        y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
        tooltip=tooltip,
    )
    line = base.mark_line(strokeWidth=2)
    last_point = alt.Chart(frame.tail(1)).mark_point(filled=True, size=40).encode(
        x="period_end:T", y="value:Q", tooltip=tooltip
    )
    return alt.layer(line, last_point).properties(height=height)


def trend_with_targets(
    series: pd.DataFrame,
    targets: pd.DataFrame,
    title: str,
    unit: str | None,
    selected_period: date | None = None,
) -> alt.LayerChart:
    """The whole series, one dashed horizontal rule per target year, and the selected period.

    ``targets`` has columns year, comparator, target (one row per year). Each rule is labelled with
    its year and comparator, so the lines can be told apart without colour.
    """
    frame = _with_labels(series, unit)
    axis_title = f"{title}（{unit}）" if unit else title
    line = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=20))
        .encode(
            x=alt.X("period_end:T", title="期末", axis=alt.Axis(format="%Y-%m")),
            y=alt.Y("value:Q", title=axis_title),
            tooltip=[
                alt.Tooltip("period_end:T", title="期末", format="%Y-%m"),
                alt.Tooltip("label:N", title=title),
            ],
        )
    )
    layers: list[alt.Chart] = [line]
    if not targets.empty:
        rules = targets[["year", "comparator", "target"]].copy()
        rules["target"] = rules["target"].astype("float64")
        rules["label"] = [
            f"{int(year)}年目标 {comparator_label(comparator)} {format_number(target, unit)}"
            for year, comparator, target in zip(rules["year"], rules["comparator"], rules["target"])
        ]
        layers.append(
            alt.Chart(rules)
            .mark_rule(strokeDash=[6, 4], color="#666666")
            .encode(y="target:Q", tooltip=[alt.Tooltip("label:N", title="目标")])
        )
        layers.append(
            alt.Chart(rules)
            .mark_text(align="left", baseline="bottom", dx=4, dy=-2, color="#444444")
            .encode(y="target:Q", x=alt.value(0), text="label:N")
        )
    if selected_period is not None:
        marker = pd.DataFrame({"period_end": [pd.Timestamp(selected_period)]})
        layers.append(
            alt.Chart(marker)
            .mark_rule(color="#999999", strokeDash=[2, 2])
            .encode(x="period_end:T")
        )
    return alt.layer(*layers).properties(height=300)
