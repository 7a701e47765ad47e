"""Altair charts shared by the pages: sparklines for KPI cards, trends with target lines."""

from __future__ import annotations

from dataclasses import dataclass
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


def sparkline(series: pd.DataFrame, unit: str | None, height: int = 48) -> dict:
    """A bare line of the series with its last point marked; tooltips give period and value. A
    Vega-Lite spec for ``st.vega_lite_chart``, written out rather than built with Altair: a page
    draws one per KPI card, and Altair's build and schema validation cost ~20 ms each (most of the
    overview page's server time)."""
    frame = _with_labels(series, unit)
    tooltip = [
        {"field": "period_end", "type": "temporal", "title": "期末", "format": "%Y-%m"},
        {"field": "label", "type": "nominal", "title": "数值"},
    ]
    x = {"field": "period_end", "type": "temporal"}
    y = {"field": "value", "type": "quantitative"}
    return {
        "height": height,
        "datasets": {"series": frame, "last": frame.tail(1)},
        "layer": [
            {"data": {"name": "series"}, "mark": {"type": "line", "strokeWidth": 2},
             "encoding": {"x": {**x, "axis": None}, "y": {**y, "axis": None, "scale": {"zero": False}},
                          "tooltip": tooltip}},
            {"data": {"name": "last"}, "mark": {"type": "point", "filled": True, "size": 40},
             "encoding": {"x": x, "y": y, "tooltip": tooltip}},
        ],
    }


def data_domain(dates: pd.Series, *extra: object) -> list[str]:
    """The x-axis domain: from the first period with data to the last (or a later selected period)."""
    moments = [pd.Timestamp(d) for d in pd.to_datetime(dates).dropna()] + [pd.Timestamp(e) for e in extra if e is not None]
    return [min(moments).strftime("%Y-%m-%d"), max(moments).strftime("%Y-%m-%d")]


@dataclass(frozen=True)
class Clipping:
    """A value axis kept to the body of the data: points outside [low, high] are drawn on the edge."""

    low: float
    high: float
    clipped: int

    def note(self, what: str) -> str:
        return (
            f"为看清{what}的一般走势，纵轴限定在 {format_number(self.low)} 至 {format_number(self.high)}；"
            f"超出范围的 {self.clipped} 个点（多为基数很小时的增长率突变）画在边缘并以三角标出，悬停可见实际数值。"
        )


def clip_outliers(values: pd.Series, *, spread: float = 1.5) -> Clipping | None:
    """None when every value lies within ``spread`` interquartile ranges of the quartiles; else the
    range to show (the quartiles widened by ``spread`` IQRs, never narrower than the data's middle)."""
    numbers = pd.to_numeric(values, errors="coerce").dropna().astype("float64")
    if len(numbers) < 8:
        return None
    q1, q3 = numbers.quantile(0.25), numbers.quantile(0.75)
    iqr = max(q3 - q1, 1e-9)
    low, high = q1 - spread * iqr, q3 + spread * iqr
    low = max(low, numbers.min())
    high = min(high, numbers.max())
    outside = int(((numbers < low) | (numbers > high)).sum())
    if outside == 0:
        return None
    return Clipping(float(low), float(high), outside)


def trend_with_targets(
    series: pd.DataFrame,
    targets: pd.DataFrame,
    title: str,
    unit: str | None,
    selected_period: date | None = None,
) -> alt.LayerChart:
    """The series from its first month with data, one dashed horizontal rule per target year, and the
    selected period.

    ``targets`` has columns year, comparator, target (one row per year). The rules are told apart by
    colour and named in a legend below the chart (labels written on the chart overlapped when
    targets lie close together).
    """
    frame = _with_labels(series, unit).dropna(subset=["value"])
    axis_title = unit or title  # the chart's heading names the metric; the axis carries the unit
    domain = data_domain(frame["period_end"], selected_period)
    x = alt.X("period_end:T", title="期末（年-月）", axis=alt.Axis(format="%Y-%m"), scale=alt.Scale(domain=domain))
    line = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=20))
        .encode(
            x=x,
            y=alt.Y("value:Q", title=axis_title, scale=alt.Scale(zero=False)),
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
            .mark_rule(strokeDash=[6, 4], strokeWidth=1.5)
            .encode(
                y="target:Q",
                color=alt.Color(
                    "label:N",
                    title="年度目标",
                    sort=list(rules["label"]),
                    scale=alt.Scale(scheme="darkred"),
                    legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
                ),
                tooltip=[alt.Tooltip("label:N", title="目标")],
            )
        )
    if selected_period is not None:
        marker = pd.DataFrame({"period_end": [pd.Timestamp(selected_period)], "label": [f"所选数据期 {selected_period:%Y-%m}"]})
        layers.append(
            alt.Chart(marker)
            .mark_rule(color="#999999", strokeDash=[2, 2])
            .encode(x="period_end:T", tooltip=[alt.Tooltip("label:N", title="竖线")])
        )
    return alt.layer(*layers).properties(height=340)
