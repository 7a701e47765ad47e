"""Periods: the month-ends the warehouse reports on, and the window a run rebuilds.

The period marts are not Dagster partitions: a run rebuilds a window of months (the run config of
``dbt_models``: ``first_period`` / ``last_period`` as YYYY-MM, empty for every period), so a
whole build records one materialisation per mart, however many years the data covers. Which
periods exist, and which run built each, is the published warehouse's ``audit.period_lineage``
(shown on ``published_warehouse``'s page).

The periods offered run from the first month of any landing file's records (``int_data_range``)
or, when it is set, the configured start ``IPWH_FIRST_PERIOD``, to the current month.
"""

from __future__ import annotations

import calendar
import datetime as dt


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def parse_month(text: str) -> dt.date:
    """'2025-06' -> 2025-06-01."""
    try:
        year, month = text.strip().split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except ValueError as exc:
        raise ValueError(f"expected a month as YYYY-MM, got {text!r}") from exc


def partition_key(month: dt.date) -> str:
    return month.strftime("%Y-%m-01")


class PeriodWindowError(ValueError):
    pass


def offered_periods(data_first: dt.date | None, configured_first: str | None,
                    today: dt.date | None = None) -> tuple[dt.date | None, dt.date]:
    """(first month, last month) a run may rebuild: the configured start, else the first month with
    data (None when nothing is loaded yet), to the current month."""
    today = today or dt.date.today()
    first = parse_month(configured_first) if configured_first else (data_first.replace(day=1) if data_first else None)
    return first, today.replace(day=1)


def check_window(first: dt.date, last: dt.date, offered: tuple[dt.date | None, dt.date]) -> None:
    """Refuse a window outside the periods offered, saying which ones are."""
    low, high = offered
    if last < first:
        raise PeriodWindowError(f"the window starts ({first:%Y-%m}) after it ends ({last:%Y-%m})")
    span = f"{low:%Y-%m}..{high:%Y-%m}" if low else f"up to {high:%Y-%m}"
    if last > high:
        raise PeriodWindowError(f"period {last:%Y-%m} is after the current month: the periods are {span}")
    if low is not None and first < low:
        raise PeriodWindowError(f"period {first:%Y-%m} is before the first period: the periods are {span}")


def window_of(first: str, last: str) -> tuple[dt.date, dt.date] | None:
    """(first period_end, last period_end) of a window given as YYYY-MM strings; None for every period."""
    if not first and not last:
        return None
    if not (first and last):
        raise PeriodWindowError("first_period and last_period go together (or leave both empty for every period)")
    return month_end(parse_month(first)), month_end(parse_month(last))
