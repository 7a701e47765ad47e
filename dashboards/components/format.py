"""How numbers, periods and codes are written for the people reading the dashboards (in Chinese)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

# Units counted in whole items: shown without decimals, with thousands separators.
COUNT_UNITS = frozenset({"件", "家", "笔", "个"})
# Units written straight after the number, without a space.
TIGHT_UNITS = frozenset({"%"})

NO_VALUE = "—"

STATUS_LABELS = {
    "met": "✅ 已达标",
    "on_track": "➡️ 进度正常",
    "behind": "⚠️ 落后",
    "no_data": "⏺ 无数据",
}

COMPARATOR_LABELS = {
    ">=": "达到 ≥",
    ">": "超过 >",
    "<=": "不超过 ≤",
}

FILE_STATUS_LABELS = {
    "loaded": "已加载",
    "unchanged": "未变化",
    "rejected": "被拒绝",
}

SOURCE_LABELS = {
    "patents": "专利",
    "trademarks": "商标",
    "overseas_filings": "海外申请",
    "hightech": "高新技术企业",
    "srdi": "专精特新企业",
    "ip_advantage": "知识产权优势企业",
    "enterprises": "企业名录",
    "population": "常住人口",
    "pledges": "质押融资",
    "awards": "专利奖",
}


def is_missing(value: Any) -> bool:
    """None, NaN, NaT or pd.NA (a scalar); anything else, including text, is present."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_number(value: Any, unit: str | None = None) -> str:
    """``1,234`` for counts, ``2.45`` / ``1,234.50`` for everything else; ``—`` when missing."""
    if is_missing(value):
        return NO_VALUE
    number = float(value)
    if unit in COUNT_UNITS and number.is_integer():
        return f"{number:,.0f}"
    return f"{number:,.2f}"


def format_quantity(value: Any, unit: str | None) -> str:
    """A number with its unit: ``2.45 件/万人``, ``15.00%``, ``884 件``."""
    text = format_number(value, unit)
    if text == NO_VALUE or not unit:
        return text
    return f"{text}{unit}" if unit in TIGHT_UNITS else f"{text} {unit}"


def format_population_wan(persons: Any) -> str:
    """Resident population in 万人 with two decimals."""
    if is_missing(persons):
        return NO_VALUE
    return f"{float(persons) / 10_000:,.2f}"


def period_label(period_end: date) -> str:
    return f"{period_end.year}年{period_end.month:02d}月"


def timestamp_label(moment: Any) -> str:
    if is_missing(moment):
        return NO_VALUE
    return moment.strftime("%Y-%m-%d %H:%M")


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "no_data", STATUS_LABELS["no_data"])


def comparator_label(comparator: str) -> str:
    return COMPARATOR_LABELS.get(comparator, comparator)
