"""Monthly periods: every period-dependent asset is partitioned by month (partition key YYYY-MM-01,
period_end = the last day of that month)."""

from __future__ import annotations

import calendar
import datetime as dt

import dagster as dg

from .settings import get_settings

monthly_periods = dg.MonthlyPartitionsDefinition(
    start_date=f"{get_settings().first_period}-01",
    end_offset=1,  # the current month is a period too (data as of today)
)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def parse_month(text: str) -> dt.date:
    """'2025-06' -> 2025-06-01 (a partition key's date)."""
    try:
        year, month = text.split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except ValueError as exc:
        raise ValueError(f"expected a month as YYYY-MM, got {text!r}") from exc


def partition_key(month: dt.date) -> str:
    return month.strftime("%Y-%m-01")


def window_of(start_key: str, end_key: str) -> tuple[dt.date, dt.date]:
    """(first period_end, last period_end) of a partition key range."""
    return month_end(dt.date.fromisoformat(start_key)), month_end(dt.date.fromisoformat(end_key))
