"""Streaming writers for the sample's export files (CSV in several encodings, XLSX with title rows).

A writer formats one record at a time in its file's dialect (date style, application-number style,
multi-value separator), injects bad rows at a small rate and counts what it wrote for the manifest.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

EXCEL_EPOCH = date(1899, 12, 30).toordinal()
FIXED_CREATED = datetime(2024, 3, 5, 9, 0, 0)
MAX_BAD_DETAILS = 1000

# Canonical keys that hold dates / application numbers (formatted per file dialect).
DATE_KEYS = frozenset({
    "application_date", "pub_date", "grant_date", "lapse_date", "exam_date", "reg_date", "prelim_date",
    "cancel_date", "term_end", "issue_date", "registration_date", "release_date", "filing_date",
    "valid_from", "valid_to", "transfer_date",
})
APPNO_KEYS = frozenset({"application_no"})
LIST_KEYS = frozenset({"patentees", "inventors", "ipc_all", "family_countries", "countries"})


def format_date(d: date, style: str) -> str:
    y, m, dd = d.year, d.month, d.day
    if style == "iso":
        return f"{y:04d}-{m:02d}-{dd:02d}"
    if style == "slash":
        return f"{y}/{m}/{dd}"
    if style == "dot":
        return f"{y:04d}.{m:02d}.{dd:02d}"
    if style == "compact":
        return f"{y:04d}{m:02d}{dd:02d}"
    if style == "cn":
        return f"{y}年{m}月{dd}日"
    if style == "cn0":
        return f"{y}年{m:02d}月{dd:02d}日"
    raise ValueError(f"unknown date style {style!r}")


def impossible_date(year: int, style: str, rng: random.Random) -> str:
    """A date-shaped text that names no real day (Feb 30th or month 13), in the file's style."""
    m, d = (2, 30) if rng.random() < 0.6 else (13, 1)
    if style in ("iso", "excel", "serial"):
        return f"{year:04d}-{m:02d}-{d:02d}"
    if style == "slash":
        return f"{year}/{m}/{d}"
    if style == "dot":
        return f"{year:04d}.{m:02d}.{d:02d}"
    if style == "compact":
        return f"{year:04d}{m:02d}{d:02d}"
    if style == "cn":
        return f"{year}年{m}月{d}日"
    return f"{year}年{m:02d}月{d:02d}日"


def format_appno(canonical: str, style: str) -> str:
    """canonical = 'body.check' (e.g. 202121635235.X)."""
    if style == "dot":
        return canonical
    if style == "cn_dot":
        return "CN" + canonical
    if style == "zl_dot":
        return "ZL" + canonical
    if style == "plain":
        return canonical.replace(".", "")
    if style == "cn_plain":
        return "CN" + canonical.replace(".", "")
    raise ValueError(f"unknown application-number style {style!r}")


def wrong_check(appno_text: str, rng: random.Random) -> str:
    """Replace the check character (last char) by a different one."""
    last = appno_text[-1]
    options = [c for c in "0123456789X" if c != last]
    return appno_text[:-1] + rng.choice(options)


@dataclass
class BadRule:
    """A way to break a row: rule name, canonical column, and the value(s) to use."""

    rule: str          # application_no_check_digit | invalid_date | missing_key | unknown_value
    key: str
    values: tuple[str, ...] = ()


@dataclass
class FileSpec:
    source: str
    name: str
    as_of: date
    columns: list[tuple[str, str]]            # (header as printed, canonical key)
    fmt: str = "csv"                           # csv | xlsx
    encoding: str = "utf-8"                    # utf-8 | utf-8-sig | gbk (csv only)
    date_style: str = "iso"                    # iso slash dot compact cn cn0 | excel serial (xlsx)
    appno_style: str = "dot"
    list_sep: str = ";"
    title_rows: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)  # dialect options read by the generators

    @property
    def keys(self) -> set[str]:
        return {k for _, k in self.columns}


class TableWriter:
    def __init__(self, out_dir: Path, spec: FileSpec, seed: int, rules: list[BadRule], bad_rate: float):
        self.spec = spec
        self.rel_path = f"{spec.source}/{spec.name}"
        self.path = out_dir / spec.source / spec.name
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._rng = random.Random(f"{seed}:bad:{self.rel_path}")
        self._rate = bad_rate
        keys = [k for _, k in spec.columns]
        self._keys = keys
        self._rules = [(r, keys.index(r.key)) for r in rules if r.key in keys]
        self.rows = 0
        self.bad_counts: dict[str, int] = {}
        self.bad_details: list[dict[str, Any]] = []
        self.flag_counts: dict[str, int] = {}
        self._xlsx = spec.fmt == "xlsx"
        self._formatters = [self._formatter(k) for k in keys]
        self._pairs = list(zip(self._formatters, keys))
        if self._xlsx:
            self._open_xlsx()
        else:
            self._fh = open(self.path, "w", encoding=spec.encoding, newline="", errors="strict")
            self._csv = csv.writer(self._fh)
            for title in spec.title_rows:
                self._csv.writerow([title] + [""] * (len(keys) - 1))
            self._csv.writerow([h for h, _ in spec.columns])

    # -- formatting -----------------------------------------------------------------------------
    def _formatter(self, key: str) -> Callable[[Any], Any]:
        spec = self.spec
        if key in DATE_KEYS:
            style = spec.date_style
            if style == "excel":
                def fmt_excel(v: Any) -> Any:
                    if isinstance(v, date):
                        return datetime(v.year, v.month, v.day)
                    return "" if v is None else v
                return fmt_excel
            if style == "serial":
                def fmt_serial(v: Any) -> Any:
                    if isinstance(v, date):
                        return v.toordinal() - EXCEL_EPOCH
                    return "" if v is None else v
                return fmt_serial

            def fmt_date(v: Any) -> Any:
                if isinstance(v, date):
                    return format_date(v, style)
                return "" if v is None else str(v)
            return fmt_date
        if key in APPNO_KEYS:
            astyle, sep = spec.appno_style, spec.list_sep

            def fmt_appno(v: Any) -> Any:
                if not v:
                    return ""
                if isinstance(v, (list, tuple)):  # several patents in one cell (pledges)
                    return sep.join(format_appno(a, astyle) for a in v)
                return format_appno(v, astyle)
            return fmt_appno
        if key in LIST_KEYS:
            sep = spec.list_sep

            def fmt_list(v: Any) -> Any:
                if v is None:
                    return ""
                return sep.join(v) if isinstance(v, (list, tuple)) else str(v)
            return fmt_list
        if self._xlsx:
            return lambda v: "" if v is None else v
        return lambda v: v if v.__class__ is str else ("" if v is None else str(v))

    # -- xlsx -------------------------------------------------------------------------------------
    def _open_xlsx(self) -> None:
        import xlsxwriter

        spec = self.spec
        self._wb = xlsxwriter.Workbook(str(self.path), {
            "in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False,
        })
        self._wb.set_properties({"title": spec.title_rows[0] if spec.title_rows else spec.name,
                                 "author": "濮阳市市场监督管理局", "created": FIXED_CREATED})
        self._ws = self._wb.add_worksheet("Sheet1")
        self._date_fmt = self._wb.add_format({"num_format": "yyyy-mm-dd"})
        title_fmt = self._wb.add_format({"bold": True, "font_size": 14, "align": "center"})
        sub_fmt = self._wb.add_format({"align": "right"})
        head_fmt = self._wb.add_format({"bold": True, "border": 1, "align": "center"})
        ncols = len(spec.columns)
        self._row = 0
        for i, title in enumerate(spec.title_rows):
            if ncols > 1:
                self._ws.merge_range(self._row, 0, self._row, ncols - 1, title, title_fmt if i == 0 else sub_fmt)
            else:
                self._ws.write_string(self._row, 0, title, title_fmt)
            self._row += 1
        for c, (header, _) in enumerate(spec.columns):
            self._ws.write_string(self._row, c, header, head_fmt)
            self._ws.set_column(c, c, max(8, min(40, 2 * len(header) + 4)))
        self._row += 1

    def _write_xlsx_row(self, values: list[Any]) -> None:
        ws, r = self._ws, self._row
        for c, v in enumerate(values):
            if isinstance(v, datetime):
                ws.write_datetime(r, c, v, self._date_fmt)
            elif isinstance(v, bool):
                ws.write_string(r, c, str(v))
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            elif v == "":
                continue
            else:
                ws.write_string(r, c, v)
        self._row += 1

    # -- rows -------------------------------------------------------------------------------------
    def write(self, rec: dict[str, Any]) -> None:
        get = rec.get
        values = [f(get(k)) for f, k in self._pairs]
        self.rows += 1
        bad = False
        if self._rules and self._rng.random() < self._rate:
            bad = self._break(values, rec)
        if not bad:  # flags count rows that load (with a warning); a quarantined row loads nothing
            flags = rec.get("_flags")
            if flags:
                for flag in flags:
                    self.flag_counts[flag] = self.flag_counts.get(flag, 0) + 1
        if self._xlsx:
            self._write_xlsx_row(values)
        else:
            self._csv.writerow(values)

    def _break(self, values: list[Any], rec: dict[str, Any]) -> bool:
        rule, idx = self._rng.choice(self._rules)
        current = values[idx]
        if rule.rule == "application_no_check_digit":
            if not current:
                return False
            if isinstance(rec.get(rule.key), (list, tuple)):
                first, sep, rest = current.partition(self.spec.list_sep)
                new = wrong_check(first, self._rng) + sep + rest
            else:
                new = wrong_check(str(current), self._rng)
        elif rule.rule == "invalid_date":
            d = rec.get(rule.key)
            if not isinstance(d, date):
                return False
            new = impossible_date(d.year, self.spec.date_style, self._rng)
        elif rule.rule == "missing_key":
            if current in ("", None):
                return False
            new = ""
        elif rule.rule == "unknown_value":
            new = self._rng.choice(rule.values)
        else:  # pragma: no cover - rules are defined in this package
            raise ValueError(rule.rule)
        values[idx] = new
        self.bad_counts[rule.rule] = self.bad_counts.get(rule.rule, 0) + 1
        if len(self.bad_details) < MAX_BAD_DETAILS:
            self.bad_details.append({"row": self.rows, "column": rule.key, "rule": rule.rule, "value": new})
        return True

    def close(self) -> dict[str, Any]:
        if self._xlsx:
            self._wb.close()
        else:
            self._fh.close()
        spec = self.spec
        return {
            "path": self.rel_path,
            "format": spec.fmt,
            "encoding": None if self._xlsx else spec.encoding,
            "header_row": len(spec.title_rows) + 1,
            "as_of": spec.as_of.isoformat(),
            "columns": [[h, k] for h, k in spec.columns],
            "rows": self.rows,
            "bad_rows": dict(sorted(self.bad_counts.items())),
            "bad_rows_total": sum(self.bad_counts.values()),
            "bad_row_details": self.bad_details,
            "bad_row_details_complete": sum(self.bad_counts.values()) <= MAX_BAD_DETAILS,
            "flags": dict(sorted(self.flag_counts.items())),
        }
