"""Exports for officials: the county assessment workbook, and any list as Excel or CSV.

One place for both callers: the 县区考核 page offers these bytes as downloads, and
``ipwh export county-assessment --period YYYY-MM [--format xlsx|csv] [--out FILE]`` writes the same
file. Needs only duckdb, pandas and xlsxwriter (no Streamlit).

Every text cell is neutralised against spreadsheet formula injection: a value starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so Excel and WPS show it
as text instead of evaluating it. Numbers stay numbers.
"""

from __future__ import annotations

import io
import numbers
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import duckdb
import numpy as np
import pandas as pd

Reader = Callable[[str, Sequence[Any]], pd.DataFrame]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
COUNT_UNITS = frozenset({"件", "家", "笔", "个"})

# Sheets of the workbook, in order: (sheet name, metric-code prefixes that belong to it).
METRIC_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("专利创造", ("valid_invention", "invention_", "high_value", "hv_")),
    ("商标与海外布局", ("valid_trademarks", "overseas_", "pct_", "madrid_")),
    ("企业培育", ("hightech_", "srdi_", "little_giant_", "ip_advantage_")),
    ("规上与重点企业", ("above_scale_", "key_enterprise")),
    ("运用与保护", ("pledge_", "fee_", "lapsed_")),
)
OTHER_GROUP = "其他指标"

ASSESSMENT_COLUMNS = ("排名", "单位", "数值", "上年同期", "同比变化", "上年排名", "名次变化")


# --- cells ---------------------------------------------------------------------------------------


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would read as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(column)) for column in out.columns]
    return out


def month_end(year: int, month: int) -> date:
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(next_first.toordinal() - 1)


def same_month_last_year(period_end: date) -> date:
    """The month-end one year earlier (29 February falls back to the 28th)."""
    return month_end(period_end.year - 1, period_end.month)


def parse_period(text: str) -> date:
    """``2025-06`` (or ``2025-06-30``) -> 2025-06-30."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"period must be YYYY-MM, got {text!r}")
    return month_end(int(match.group(1)), int(match.group(2)))


def metric_group(metric_code: str) -> str:
    for sheet, prefixes in METRIC_GROUPS:
        if metric_code.startswith(prefixes):
            return sheet
    return OTHER_GROUP


def is_missing(value: Any) -> bool:
    """None, NaN, NaT or pd.NA (a scalar); anything else, including text, is present."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def rank_change_text(rank: Any, previous_rank: Any) -> str:
    """``↑2`` moved up two places, ``↓1`` down one, ``持平`` unchanged, ``—`` without a rank last year."""
    if is_missing(rank) or is_missing(previous_rank):
        return "—"
    moved = int(previous_rank) - int(rank)
    if moved > 0:
        return f"↑{moved}"
    if moved < 0:
        return f"↓{-moved}"
    return "持平"


# --- the county assessment -----------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentReport:
    """The county assessment at one month-end, with the same month a year earlier."""

    root_name: str
    period_end: date
    previous_period: date
    has_previous: bool
    metrics: pd.DataFrame  # metric_code, metric_name, unit, definition, direction, group (assessed, in order)
    rows: pd.DataFrame  # metric_code, region_code, region_name, sort_order, value, rank, previous_value, previous_rank

    def metrics_of(self, group: str) -> list[str]:
        return list(self.metrics.loc[self.metrics["group"] == group, "metric_code"])

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(self.metrics["group"]))


class NoAssessment(LookupError):
    """The warehouse has no county assessment for the requested month."""


def load_county_assessment(read: Reader, period_end: date) -> AssessmentReport:
    """Read marts.county_assessment for ``period_end`` and the same month last year."""
    previous = same_month_last_year(period_end)
    table = read(
        "select * from marts.county_assessment where period_end in (?, ?) order by period_end",
        [period_end, previous],
    )
    table["period_end"] = pd.to_datetime(table["period_end"]).dt.date
    current = table[table["period_end"] == period_end]
    if current.empty:
        raise NoAssessment(f"no county assessment for {period_end:%Y-%m}")
    catalog = read(
        "select metric_code, metric_name, unit, definition, direction, sort_order "
        "from marts.metric_catalog where assessed order by sort_order, metric_code",
        [],
    )
    metrics = catalog[catalog["metric_code"].isin(table.columns)].copy()
    metrics["group"] = metrics["metric_code"].map(metric_group)
    group_order = {name: index for index, (name, _) in enumerate(METRIC_GROUPS)}
    metrics["group_order"] = metrics["group"].map(lambda g: group_order.get(g, len(group_order)))
    metrics = metrics.sort_values(["group_order", "sort_order"], kind="stable").drop(columns="group_order")

    regions = read(
        "select region_code, region_name, sort_order, coalesce(is_root, false) as is_root from marts.regions", []
    )
    roots = regions[regions["is_root"].astype(bool)]
    root_name = str(roots["region_name"].iloc[0]) if not roots.empty else ""
    order = dict(zip(regions["region_code"], regions["sort_order"]))

    prev = table[table["period_end"] == previous].set_index("region_code")
    long_rows = []
    for code in metrics["metric_code"]:
        rank_column = f"{code}_rank"
        for _, row in current.iterrows():
            region = row["region_code"]
            has_prev = region in prev.index
            long_rows.append(
                {
                    "metric_code": code,
                    "region_code": region,
                    "region_name": row["region_name"],
                    "sort_order": order.get(region, 999),
                    "value": row[code],
                    "rank": row.get(rank_column),
                    "previous_value": prev.at[region, code] if has_prev else None,
                    "previous_rank": prev.at[region, rank_column] if has_prev and rank_column in prev.columns else None,
                }
            )
    rows = pd.DataFrame(
        long_rows,
        columns=["metric_code", "region_code", "region_name", "sort_order", "value", "rank", "previous_value", "previous_rank"],
    )
    for column in ("value", "previous_value"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce").astype("float64")
    for column in ("rank", "previous_rank"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce").astype("Int64")
    # Last year's rank means nothing where last year had no value (all units tie when none has one).
    rows.loc[rows["previous_value"].isna(), "previous_rank"] = pd.NA
    return AssessmentReport(root_name, period_end, previous, not prev.empty, metrics.reset_index(drop=True), rows)


def ranking_table(report: AssessmentReport, metric_code: str) -> pd.DataFrame:
    """One metric's units, best first, with Chinese headers (the page's table and the CSV rows)."""
    part = report.rows[report.rows["metric_code"] == metric_code].copy()
    part["_rank_sort"] = part["rank"].fillna(10**6)
    part = part.sort_values(["_rank_sort", "sort_order"], kind="stable")
    change = part["value"] - part["previous_value"]
    return pd.DataFrame(
        {
            "排名": part["rank"].to_numpy(),
            "单位": part["region_name"].to_numpy(),
            "数值": part["value"].to_numpy(),
            "上年同期": part["previous_value"].to_numpy(),
            "同比变化": change.to_numpy(),
            "上年排名": part["previous_rank"].to_numpy(),
            "名次变化": [rank_change_text(r, p) for r, p in zip(part["rank"], part["previous_rank"])],
            "单位代码": part["region_code"].to_numpy(),
        }
    ).reset_index(drop=True)


def _metric_header(metric: pd.Series) -> str:
    return f"{metric['metric_name']}（{metric['unit']}）" if metric["unit"] else str(metric["metric_name"])


def assessment_csv(report: AssessmentReport) -> bytes:
    """Long form, one row per metric and unit, UTF-8 with BOM so Excel reads the Chinese."""
    frames = []
    for _, metric in report.metrics.iterrows():
        table = ranking_table(report, metric["metric_code"])
        table.insert(0, "指标代码", metric["metric_code"])
        table.insert(0, "计量单位", metric["unit"])
        table.insert(0, "指标", metric["metric_name"])
        table.insert(0, "指标组", metric["group"])
        table.insert(0, "数据期", f"{report.period_end:%Y-%m}")
        frames.append(table)
    columns = ["数据期", "指标组", "指标", "计量单位", "指标代码", *ASSESSMENT_COLUMNS, "单位代码"]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    for column in ("数值", "上年同期", "同比变化"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").round(4)  # no float noise in the file
    return table_csv(frame[columns])


def assessment_xlsx(report: AssessmentReport, *, generated_at: datetime | None = None) -> bytes:
    """The workbook: a 说明 sheet, then one sheet per metric group with every unit and metric."""
    import xlsxwriter

    generated_at = generated_at or datetime.now()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    fmt = _formats(book)
    title = f"{report.root_name}县区知识产权考核 · {report.period_end:%Y年%m月}"
    previous_label = f"{report.previous_period:%Y年%m月}"

    notes = book.add_worksheet("说明")
    notes.set_column(0, 0, 26)
    notes.set_column(1, 1, 90)
    notes.write_string(0, 0, neutralise(title), fmt["title"])
    lines = [
        ("数据期", f"{report.period_end:%Y年%m月}末（存量指标截至月末，流量指标为当年1月1日至月末累计）"),
        ("上年同期", previous_label + ("" if report.has_previous else "（数仓中无该期数据）")),
        ("排名规则", "1 为最好，按各指标方向（越高越好或越低越好）排序；无数据的单位排在最后。未归属记录不参与排名。"),
        ("同比变化", "本期数值减上年同期数值（百分比指标为百分点）。名次变化：↑ 上升、↓ 下降。"),
        ("生成时间", f"{generated_at:%Y-%m-%d %H:%M}"),
    ]
    for index, (label, text) in enumerate(lines, start=2):
        notes.write_string(index, 0, label, fmt["label"])
        notes.write_string(index, 1, neutralise(text), fmt["wrap"])
    row = len(lines) + 3
    notes.write_string(row, 0, "指标", fmt["header"])
    notes.write_string(row, 1, "口径", fmt["header"])
    for _, metric in report.metrics.iterrows():
        row += 1
        notes.write_string(row, 0, neutralise(_metric_header(metric)), fmt["label"])
        notes.write_string(row, 1, neutralise(str(metric["definition"] or "")), fmt["wrap"])

    sub_headers = ("数值", "排名", "上年同期", "同比变化", "名次变化")
    units = (
        report.rows[["region_code", "region_name", "sort_order"]]
        .drop_duplicates("region_code")
        .sort_values(["sort_order", "region_code"])
    )
    for group in report.groups:
        sheet = book.add_worksheet(group)
        codes = report.metrics_of(group)
        last_column = 1 + len(codes) * len(sub_headers)
        sheet.merge_range(0, 0, 0, last_column, neutralise(f"{title} · {group}"), fmt["title"])
        sheet.write_string(1, 0, neutralise(f"上年同期为 {previous_label}；排名 1 为最好"), fmt["note"])
        sheet.merge_range(2, 0, 3, 0, "单位代码", fmt["header"])
        sheet.merge_range(2, 1, 3, 1, "单位", fmt["header"])
        sheet.set_column(0, 0, 10)
        sheet.set_column(1, 1, 18)
        metrics = report.metrics.set_index("metric_code")
        for index, code in enumerate(codes):
            metric = metrics.loc[code]
            first = 2 + index * len(sub_headers)
            sheet.merge_range(2, first, 2, first + len(sub_headers) - 1, neutralise(_metric_header(metric)), fmt["header"])
            for offset, label in enumerate(sub_headers):
                sheet.write_string(3, first + offset, label, fmt["subheader"])
            sheet.set_column(first, first + len(sub_headers) - 1, 11)
        values = report.rows.set_index(["metric_code", "region_code"])
        for row_index, (_, unit) in enumerate(units.iterrows(), start=4):
            sheet.write_string(row_index, 0, neutralise(str(unit["region_code"])), fmt["text"])
            sheet.write_string(row_index, 1, neutralise(str(unit["region_name"])), fmt["text"])
            for index, code in enumerate(codes):
                cell = values.loc[(code, unit["region_code"])]
                number = fmt["count"] if metrics.at[code, "unit"] in COUNT_UNITS else fmt["decimal"]
                first = 2 + index * len(sub_headers)
                change = (
                    None
                    if is_missing(cell["value"]) or is_missing(cell["previous_value"])
                    else cell["value"] - cell["previous_value"]
                )
                for offset, (value, style) in enumerate(
                    ((cell["value"], number), (cell["rank"], fmt["rank"]), (cell["previous_value"], number), (change, number))
                ):
                    if is_missing(value):
                        sheet.write_string(row_index, first + offset, "—", fmt["missing"])
                    else:
                        sheet.write_number(row_index, first + offset, float(value), style)
                sheet.write_string(
                    row_index, first + 4, rank_change_text(cell["rank"], cell["previous_rank"]), fmt["center"]
                )
        sheet.freeze_panes(4, 2)
    book.close()
    return buffer.getvalue()


def _formats(book: Any) -> dict[str, Any]:
    border = {"border": 1, "border_color": "#BFBFBF", "font_name": "等线", "font_size": 10}
    return {
        "title": book.add_format({"bold": True, "font_size": 14, "font_name": "等线"}),
        "note": book.add_format({"italic": True, "font_color": "#595959", "font_name": "等线", "font_size": 9}),
        "label": book.add_format({"bold": True, "valign": "top", "font_name": "等线", "font_size": 10}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top", "font_name": "等线", "font_size": 10}),
        "header": book.add_format({**border, "bold": True, "bg_color": "#DDEBF7", "align": "center",
                                   "valign": "vcenter", "text_wrap": True}),
        "subheader": book.add_format({**border, "bold": True, "bg_color": "#F2F2F2", "align": "center"}),
        "text": book.add_format(border),
        "count": book.add_format({**border, "num_format": "#,##0"}),
        "decimal": book.add_format({**border, "num_format": "#,##0.00"}),
        "rank": book.add_format({**border, "num_format": "0", "align": "center"}),
        "center": book.add_format({**border, "align": "center"}),
        "missing": book.add_format({**border, "align": "center", "font_color": "#7F7F7F"}),
    }


# --- any list ------------------------------------------------------------------------------------


def table_csv(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM (Excel opens it with the Chinese intact), text cells neutralised."""
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8-sig")


def tables_xlsx(sheets: Mapping[str, pd.DataFrame], *, title: str | None = None) -> bytes:
    """A workbook with one formatted sheet per frame (bold header, widths, frozen header row)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    fmt = _formats(book)
    for name, frame in sheets.items():
        sheet = book.add_worksheet(_sheet_name(name))
        top = 0
        if title:
            sheet.write_string(0, 0, neutralise(title), fmt["title"])
            top = 2
        safe = neutralise_frame(frame)
        for column_index, column in enumerate(safe.columns):
            sheet.write_string(top, column_index, str(column), fmt["header"])
            widths = [len(str(column)) * 2] + [len(str(v)) * 1.6 for v in safe[column].head(200)]
            sheet.set_column(column_index, column_index, min(max(widths) + 2, 60))
        for row_index, values in enumerate(safe.itertuples(index=False), start=top + 1):
            for column_index, value in enumerate(values):
                if is_missing(value):
                    sheet.write_blank(row_index, column_index, None, fmt["text"])
                elif isinstance(value, bool):
                    sheet.write_string(row_index, column_index, "是" if value else "否", fmt["text"])
                elif isinstance(value, (numbers.Real, np.integer, np.floating)):
                    # a number stays a number (SUM works), shown with thousands separators
                    number = float(value)
                    sheet.write_number(row_index, column_index, number,
                                       fmt["count"] if number.is_integer() else fmt["decimal"])
                elif isinstance(value, (pd.Timestamp, datetime, date)):
                    sheet.write_string(row_index, column_index, pd.Timestamp(value).strftime("%Y-%m-%d"), fmt["text"])
                else:
                    sheet.write_string(row_index, column_index, str(value), fmt["text"])
        sheet.freeze_panes(top + 1, 0)
    book.close()
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'")
    return (cleaned or "Sheet")[:31]


# --- the command ---------------------------------------------------------------------------------


def warehouse_reader(path: Path) -> tuple[Reader, Callable[[], None]]:
    """A reader on a read-only attach of the published file, and the function that closes it."""
    connection = duckdb.connect(":memory:")
    connection.execute("ATTACH '" + str(path).replace("'", "''") + "' AS warehouse (READ_ONLY)")
    connection.execute("USE warehouse")

    def read(sql: str, params: Sequence[Any]) -> pd.DataFrame:
        return connection.execute(sql, list(params)).df()

    return read, connection.close


def export_county_assessment(period: str, fmt: str = "xlsx", out: Path | None = None) -> Path:
    """Write the county assessment of ``period`` (YYYY-MM) as xlsx or csv; return the file written."""
    from .settings import get_settings

    if fmt not in ("xlsx", "csv"):
        raise SystemExit(f"ipwh export: unknown format {fmt!r} (xlsx or csv)")
    try:
        period_end = parse_period(period)
    except ValueError as exc:
        raise SystemExit(f"ipwh export: {exc}") from exc
    warehouse = Path(get_settings().warehouse_path)
    if not warehouse.exists():
        raise SystemExit(f"ipwh export: no published warehouse at {warehouse} (run ipwh build first)")
    read, close = warehouse_reader(warehouse)
    try:
        report = load_county_assessment(read, period_end)
    except NoAssessment as exc:
        raise SystemExit(f"ipwh export: {exc} in {warehouse}") from exc
    except duckdb.CatalogException as exc:
        raise SystemExit(f"ipwh export: the warehouse lacks the assessment marts ({exc}); rebuild it") from exc
    finally:
        close()
    target = Path(out) if out else Path.cwd() / f"county_assessment_{period_end:%Y-%m}.{fmt}"
    target = target.expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = assessment_xlsx(report) if fmt == "xlsx" else assessment_csv(report)
    staging = target.with_name(target.name + ".part")
    staging.write_bytes(payload)
    staging.replace(target)
    return target
