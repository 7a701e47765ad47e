"""Record lists as people read them: Chinese headers, names for codes, and Excel/CSV downloads."""

from __future__ import annotations

import numbers
import re
from datetime import date
from typing import Callable, Mapping

import pandas as pd
import streamlit as st

from dashboards.components.format import (
    ATTRIBUTION_METHOD_LABELS,
    DESIGNATION_LEVEL_LABELS,
    FEE_STATE_SHORT,
    NO_VALUE,
    PATENT_TYPE_LABELS,
    date_label,
    industry_label,
    is_missing,
    yes_no,
)
from orchestration.exports import table_csv, tables_xlsx

DATE_COLUMNS = frozenset(
    {"application_date", "grant_date", "lapse_date", "valid_from", "valid_until", "term_end", "due_date", "since", "first_due"}
)
# Ratios keep their decimals even when a value is whole (倍增进度 1.00 倍, not 1).
RATIO_HEADER_ENDINGS = ("（倍）", "（%）", "率")
BOOL_COLUMNS = frozenset({"doubled", "valid_now", "high_value_now", "is_overridden"})


def _industries(value: object) -> str:
    if is_missing(value) or value == "":
        return NO_VALUE
    return "、".join(industry_label(code) for code in str(value).split(",") if code)


def _levels(value: object) -> str:
    if is_missing(value):
        return NO_VALUE
    return "、".join(
        DESIGNATION_LEVEL_LABELS.get(level, f"{level.removeprefix('roster_')}年名录" if level.startswith("roster_") else level)
        for level in str(value).split(",")
    )


def display_frame(frame: pd.DataFrame, columns: Mapping[str, str], region_names: Mapping[str, str]) -> pd.DataFrame:
    """The raw list with codes replaced by names and the columns renamed (only those in ``columns``)."""
    shown = pd.DataFrame(index=frame.index)
    for column, header in columns.items():
        if column == "region_name":
            source = frame["region_code"] if "region_code" in frame.columns else pd.Series(NO_VALUE, index=frame.index)
            shown[header] = [region_names.get(code, code) if not is_missing(code) else NO_VALUE for code in source]
            continue
        if column not in frame.columns:
            continue
        values = frame[column]
        if column in DATE_COLUMNS:
            shown[header] = [date_label(v) for v in values]
        elif column in BOOL_COLUMNS:
            shown[header] = [yes_no(v) for v in values]
        elif column == "industry_code":
            shown[header] = [industry_label(v) for v in values]
        elif column == "industries":
            shown[header] = [_industries(v) for v in values]
        elif column == "patent_type":
            shown[header] = [PATENT_TYPE_LABELS.get(v, v) if not is_missing(v) else NO_VALUE for v in values]
        elif column == "state":
            shown[header] = [FEE_STATE_SHORT.get(v, v) for v in values]
        elif column == "attribution_method":
            shown[header] = [ATTRIBUTION_METHOD_LABELS.get(v, v) if not is_missing(v) else NO_VALUE for v in values]
        elif column == "detail":
            shown[header] = [_levels(v) for v in values]
        elif column == "flag":
            shown[header] = ["" if is_missing(v) else v for v in values]
        elif values.dtype == object and len(values.dropna()) and all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values.dropna()
        ):
            shown[header] = pd.to_numeric(values, errors="coerce").astype("float64")  # numbers with gaps stay numbers
        elif (
            pd.api.types.is_float_dtype(values)
            and values.dropna().map(float.is_integer).all()
            and not header.endswith(RATIO_HEADER_ENDINGS)
        ):
            shown[header] = values.round().astype("Int64")  # counts and whole yuan without ".0"
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            shown[header] = [NO_VALUE if is_missing(v) else v for v in values]
        else:
            shown[header] = values
    return shown.reset_index(drop=True)


def count_columns(*columns: str) -> dict[str, object]:
    """column_config for whole-number columns: numeric (sortable, right-aligned), with thousands separators."""
    return {column: st.column_config.NumberColumn(column, format="localized") for column in columns}


def decimal_columns(*columns: str, digits: int = 2) -> dict[str, object]:
    """column_config for decimal columns: numeric with ``digits`` decimals."""
    return {column: st.column_config.NumberColumn(column, format=f"%.{digits}f") for column in columns}


def file_stem(*parts: object) -> str:
    text = "_".join(str(part) for part in parts if part not in (None, ""))
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", text)


def logged_download(make: Callable[[], object], file_name: str) -> Callable[[], object]:
    """The data callable of a download button, writing who downloaded which file to the access log
    when the file is made (Streamlit calls it on the click). The viewer is taken when the button is drawn."""
    from dashboards import access_log
    from dashboards.components.signin import VIEWER_KEY, client_address

    viewer = st.session_state.get(VIEWER_KEY)
    client = client_address()
    page = st.session_state.get("_ipwh_page")

    def made() -> object:
        content = make()
        access_log.record(
            "download",
            user=getattr(viewer, "username", None), role=getattr(viewer, "role", None),
            region_code=getattr(viewer, "region_code", None), client=client, page=page, detail=file_name,
        )
        return content

    return made


def download_buttons(
    stem: str,
    full_frame: Callable[[], pd.DataFrame],
    key: str,
    *,
    sheet: str = "明细",
    title: str | None = None,
) -> None:
    """Excel and CSV buttons; the full list is read and written only when someone clicks."""
    left, right, _ = st.columns([1, 1, 4])
    with left:
        st.download_button(
            ":material/download: 导出 Excel",
            data=logged_download(lambda: tables_xlsx({sheet: full_frame()}, title=title), f"{stem}.xlsx"),
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"{key}_xlsx",
            on_click="ignore",
        )
    with right:
        st.download_button(
            ":material/download: 导出 CSV",
            data=logged_download(lambda: table_csv(full_frame()), f"{stem}.csv"),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
        )


def record_table(
    shown: pd.DataFrame,
    total: int,
    *,
    key: str,
    stem: str,
    full_frame: Callable[[], pd.DataFrame],
    title: str | None = None,
    empty_text: str = "没有符合条件的记录",
    height: int | None = None,
    keep: tuple[str, ...] = (),
) -> None:
    """A list with its count ("共 N 条"), the first rows, and its downloads."""
    if total == 0:
        st.info(empty_text)
        return
    more = f"，下表显示前 {len(shown):,} 条，导出文件包含全部记录" if total > len(shown) else ""
    st.caption(f"共 {total:,} 条{more}")
    screen, config = screen_frame(shown)
    on_screen = screen_columns(screen, keep=keep)
    if len(on_screen) < len(screen.columns):
        left_out = [column for column in screen.columns if column not in on_screen]
        st.caption(f"屏幕上显示主要字段；{'、'.join(left_out)}见导出文件。")
    st.dataframe(
        screen[on_screen], hide_index=True, width="stretch", column_config={c: v for c, v in config.items() if c in on_screen},
        **({"height": height} if height else {}),
    )
    download_buttons(stem, full_frame, key, title=title)


# Record lists carry more fields than a screen holds at 1280 px (about SCREEN_BUDGET_PX for the table).
# Fields leave the screen (never the export) in this order, then from the end of the list; the
# numbers a list is about stay.
SCREEN_DROP_ORDER = (
    "统一社会信用代码", "全部专利权人", "归属依据", "战略性新兴产业规则", "起始日", "专利类型", "授权日", "国际分类",
    "所属产业", "状态未知（件）", "最早应缴日", "法律状态", "失效日", "专用权期限至", "已倍增",
)
SCREEN_BUDGET_PX = 760


def text_width(text: object) -> int:
    """Roughly how many pixels a cell's text takes (a Chinese character ~14 px, other characters ~8 px)."""
    return sum(13 if ord(ch) > 0x2E80 else 8 for ch in str(text))


def _estimated_width(frame: pd.DataFrame, column: str) -> int:
    """The column's width on screen: its header or its widest value (of the first rows), padded, capped
    at 200 px for the long text columns (which the screen truncates)."""
    widest = max([text_width(column)] + [text_width(v) for v in frame[column].head(50)])
    return min(widest + 26, WIDE_TEXT_PX if column in WIDE_TEXT_COLUMNS else 400)


def screen_columns(frame: pd.DataFrame, budget: int = SCREEN_BUDGET_PX, keep: tuple[str, ...] = ()) -> list[str]:
    """The fields a record list shows on screen: all when they fit, else without SCREEN_DROP_ORDER's
    fields (in that order), then without the last ones (never those in ``keep``), until they fit."""
    kept = list(frame.columns)
    widths = {column: _estimated_width(frame, column) for column in kept}
    droppable = [c for c in SCREEN_DROP_ORDER if c in kept and c not in keep]
    droppable += [c for c in reversed(kept) if c not in droppable and c not in keep]
    while sum(widths[c] for c in kept) > budget and droppable:
        kept.remove(droppable.pop(0))
    return kept


# Long text columns get a bounded width on screen (the cell shows the start, the export has it whole),
# so that the columns after them, often the numbers, still fit at 1280 px.
WIDE_TEXT_PX = 160
WIDE_TEXT_COLUMNS = frozenset({"专利名称", "全部专利权人", "企业名称", "专利权人", "第一专利权人", "注册人", "说明", "认定情况", "示例说明", "原始值", "文件"})


def screen_frame(shown: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, object]]:
    """The frame as the screen shows it, and its column_config.

    Whole numbers stay numeric (thousands separators); decimals and numbers with gaps are written as
    text (two decimals, ``—`` for missing: Streamlit would print ``None``), right-aligned. The exports
    use the numeric frame, so their cells stay numbers.
    """
    screen = shown.copy()
    config: dict[str, object] = {}
    for column in screen.columns:
        values = screen[column]
        if pd.api.types.is_bool_dtype(values):
            continue
        if pd.api.types.is_numeric_dtype(values):
            numbers = pd.to_numeric(values, errors="coerce")
            whole = numbers.dropna().map(lambda v: float(v).is_integer()).all() and not str(column).endswith(RATIO_HEADER_ENDINGS)
            if whole and not numbers.isna().any():
                config[column] = st.column_config.NumberColumn(column, format="localized")
                continue
            screen[column] = [NO_VALUE if is_missing(v) else (f"{v:,.0f}" if whole else f"{v:,.2f}") for v in numbers]
            config[column] = st.column_config.TextColumn(column, alignment="right")
        elif column in WIDE_TEXT_COLUMNS:
            config[column] = st.column_config.TextColumn(column, width=WIDE_TEXT_PX)
    return screen, config


def period_stem(period_end: date) -> str:
    return f"{period_end:%Y-%m}"
