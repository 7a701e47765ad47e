"""The as-of date of an export, from its file name (else its modification time).

contract.md: the latest date in the file name wins: ``20250712`` (that day), ``2025-06`` or
``2025年6月`` (end of that month), ``2025Q2`` (end of that quarter), a lone ``2025`` (end of that
year). A year inside a longer token (``v2025a``, ``GR2025``) is not a date of its own.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from pathlib import Path

# A token boundary: not an ASCII letter or digit (Chinese characters, punctuation, _ - . and spaces separate).
_B = r"(?<![0-9A-Za-z])"
_E = r"(?![0-9A-Za-z])"
_FULL_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_CN_DATE = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
_MONTH = re.compile(_B + r"(\d{4})[-_.](\d{1,2})" + _E)
_COMPACT_MONTH = re.compile(_B + r"(\d{4})(0[1-9]|1[0-2])" + _E)
_QUARTER = re.compile(r"(?<![0-9A-Za-z])(\d{4})[-_ ]?[Qq]([1-4])" + _E)
_CN_YEAR = re.compile(r"(?<!\d)(\d{4})年(?!\d)")
_YEAR = re.compile(_B + r"(\d{4})" + _E)

MIN_YEAR, MAX_YEAR = 1980, 2100


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _plausible(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def date_from_name(name: str) -> dt.date | None:
    """The latest date the file name carries, or None."""
    text = unicodedata.normalize("NFKC", Path(name).stem)
    found: list[dt.date] = []

    def consume(pattern: re.Pattern[str], make) -> None:
        nonlocal text
        for m in list(pattern.finditer(text)):
            try:
                value = make(m)
            except ValueError:
                continue
            if value is not None and _plausible(value.year):
                found.append(value)
                text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end():]

    consume(_CN_DATE, lambda m: dt.date(int(m[1]), int(m[2]), int(m[3])) if m[3] else _month_end(int(m[1]), int(m[2])))
    consume(_FULL_DATE, lambda m: dt.date(int(m[1]), int(m[2]), int(m[3])))
    consume(_QUARTER, lambda m: _month_end(int(m[1]), int(m[2]) * 3))
    consume(_MONTH, lambda m: _month_end(int(m[1]), int(m[2])))
    consume(_COMPACT_MONTH, lambda m: _month_end(int(m[1]), int(m[2])))
    consume(_CN_YEAR, lambda m: dt.date(int(m[1]), 12, 31))
    consume(_YEAR, lambda m: dt.date(int(m[1]), 12, 31))
    return max(found) if found else None


def file_as_of(path: Path) -> tuple[dt.date, str]:
    """(as-of date, how it was found: 'file_name' or 'mtime')."""
    from_name = date_from_name(path.name)
    if from_name is not None:
        return from_name, "file_name"
    return dt.datetime.fromtimestamp(path.stat().st_mtime).date(), "mtime"
