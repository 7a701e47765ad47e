"""Arithmetic the pages show beside the marts' numbers: year-end projections and "what it takes".

Pure functions (no Streamlit, no warehouse), so each rule is tested on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Projection:
    """The value a metric reaches by 31 December if it keeps the pace it has had this year."""

    value: float
    basis: str  # how it was projected, in Chinese, for the card's tooltip/caption


def project_year_end(
    actual: float | None, previous_year_end: float | None, period_end: date, period_kind: str | None
) -> Projection | None:
    """Linear projection to the year end.

    - flow metrics (counted from 1 January): the year-to-date total scaled to twelve months;
    - stock and ratio metrics: the change since the previous year-end, continued at the same pace.
    In December the value is the year's own. None when there is nothing to project from.
    """
    if actual is None:
        return None
    months = period_end.month
    if months == 12:
        return Projection(actual, "已到年末")
    if period_kind == "flow":
        return Projection(actual * 12 / months, f"按1-{months}月累计值折算全年")
    if previous_year_end is None:
        return None
    return Projection(
        previous_year_end + (actual - previous_year_end) * 12 / months,
        f"按上年末以来{months}个月的变化速度线性外推",
    )


def meets(value: float, comparator: str, target: float) -> bool:
    if comparator == ">=":
        return value >= target - 1e-9
    if comparator == ">":
        return value > target + 1e-9
    if comparator == "<=":
        return value <= target + 1e-9
    raise ValueError(f"unknown comparator {comparator!r}")


def required_count(target_per_10k: float, comparator: str, population_wan: float) -> int:
    """The least whole number of patents that meets a per-10k target for this population (万人)."""
    threshold = round(target_per_10k * population_wan, 6)  # 1.3 x 100 is 130.00000000000003 in floats
    if comparator == ">":
        return math.floor(threshold) + 1
    return math.ceil(threshold)


@dataclass(frozen=True)
class WhatItTakes:
    current: int
    required: int
    population_wan: float
    months_left: int

    @property
    def more_needed(self) -> int:
        return max(self.required - self.current, 0)

    @property
    def per_month(self) -> int | None:
        """Net additions a month until December (None in December or when nothing is missing)."""
        if self.more_needed == 0 or self.months_left == 0:
            return None
        return math.ceil(self.more_needed / self.months_left)


def what_it_takes(
    current: float | None,
    population_wan: float | None,
    target_per_10k: float,
    comparator: str,
    period_end: date,
    target_year: int,
) -> WhatItTakes | None:
    """How many more valid patents a region needs by the end of ``target_year`` to meet the target.

    ``current`` is the region's count (the per-10k metric's numerator), ``population_wan`` its
    population in 万人 (the denominator). None without a population.
    """
    if current is None or population_wan is None or population_wan <= 0:
        return None
    months_left = max((target_year - period_end.year) * 12 + 12 - period_end.month, 0)
    return WhatItTakes(
        current=int(round(current)),
        required=required_count(target_per_10k, comparator, population_wan),
        population_wan=population_wan,
        months_left=months_left,
    )
