"""Run a source's suite on ``raw.<source>`` with an ephemeral GX context, and say what failed in words.

Imported only when a validation runs: it imports Great Expectations, which takes about 2 s.
"""

from __future__ import annotations

import os

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before GX is imported: no telemetry

import datetime as dt  # noqa: E402
from typing import Any  # noqa: E402

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

from . import ValidationOutcome  # noqa: E402
from .suites import SUITES, build_suite  # noqa: E402

EXAMPLES_SHOWN = 3


def run_suite(con: duckdb.DuckDBPyConnection, source_name: str, *, max_rows_in_full: int,
              sample_rows: int) -> ValidationOutcome:
    if source_name not in SUITES:
        raise KeyError(f"no expectation suite for source {source_name!r}; known: {', '.join(SUITES)}")
    table = f"raw.{source_name}"
    suite = build_suite(source_name)
    # Fetch only the columns the suite reads (titles and addresses would double the fetch). A column
    # the suite names but the table lacks is left out, so GX reports it as missing.
    present = {name for (name,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = ?",
        [source_name]).fetchall()}
    columns = ", ".join(f'"{c}"' for c in sorted(_columns_used(suite) & present))
    rows_total = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if rows_total > max_rows_in_full:
        # Deterministic sample: the same rows every run for the same table content.
        frame = con.execute(
            f"SELECT {columns} FROM {table} ORDER BY hash(_source_file, _row_number), _source_file, _row_number LIMIT ?",
            [sample_rows],
        ).df()
    else:
        frame = con.execute(f"SELECT {columns} FROM {table}").df()

    frame = _fast_dtypes(frame)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (
        context.data_sources.add_pandas("raw")
        .add_dataframe_asset(source_name)
        .add_batch_definition_whole_dataframe("whole table")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    result = batch.validate(suite, result_format={"result_format": "SUMMARY",
                                                  "partial_unexpected_count": EXAMPLES_SHOWN})

    # Report in the order the suite lists its expectations (GX returns them in its own order).
    position = {_identity(e.configuration): i for i, e in enumerate(suite.expectations)}
    results = sorted(result.results, key=lambda r: position.get(_identity(r.expectation_config), len(position)))
    sample_note = f" (in a sample of {len(frame):,} of {rows_total:,} rows)" if len(frame) < rows_total else ""
    failures = [describe(table, r) + sample_note for r in results if not r.success]
    return ValidationOutcome(
        source=source_name,
        success=bool(result.success),
        failures=failures,
        evaluated=len(results),
        rows_total=rows_total,
        rows_checked=len(frame),
    )


def _columns_used(suite: gx.ExpectationSuite) -> set[str]:
    used: set[str] = set()
    for expectation in suite.expectations:
        kw = expectation.configuration.kwargs
        used.update(kw[k] for k in ("column", "column_A", "column_B") if k in kw)
        used.update(kw.get("column_list") or [])
        condition = kw.get("row_condition")
        if condition is not None and hasattr(condition, "column"):
            used.add(condition.column.name)
    return used


def _fast_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """GX compares ranges vectorised only on nanosecond timestamps and int64/float64 columns; DuckDB
    hands pandas microsecond timestamps and 32-bit or nullable integers, which GX then checks one
    Python call per value (~10x slower). Convert those columns; values are unchanged."""
    for name, dtype in frame.dtypes.items():
        if pd.api.types.is_datetime64_dtype(dtype) and not pd.api.types.is_datetime64_ns_dtype(dtype):
            try:
                frame[name] = frame[name].astype("datetime64[ns]")
            except (OverflowError, pd.errors.OutOfBoundsDatetime):
                pass  # a date outside 1677-2262: keep it (slow path) so the range check can report it
        elif pd.api.types.is_integer_dtype(dtype) and dtype != "int64":
            frame[name] = frame[name].astype("float64")  # nullable ints: <NA> becomes NaN
    return frame


def _identity(config: Any) -> str:
    kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}  # GX adds batch_id to results
    return f"{config.type} {sorted(kwargs.items(), key=lambda kv: kv[0])!r}"


def describe(table: str, result: Any) -> str:
    """One line for a failed expectation: where, how many, what was expected, a few examples."""
    config = result.expectation_config
    kw = config.kwargs
    kind = config.type
    where = f"{table}.{kw['column']}" if "column" in kw else table
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        where = f"{table}.{kw['column_A']}"
    elif kind == "expect_compound_columns_to_be_unique":
        where = f"{table}({', '.join(kw['column_list'])})"

    problem = _exception_message(result.exception_info)
    if problem:
        return f"{where}: {kind} could not run: {problem}"

    info = result.result or {}
    count = int(info.get("unexpected_count") or 0)
    values = "value" if count == 1 else "values"
    rows = "row" if count == 1 else "rows"
    are = "is" if count == 1 else "are"
    does = "does" if count == 1 else "do"
    have = "has" if count == 1 else "have"
    if kind == "expect_column_values_to_not_be_null":
        text = f"{count} {values} {are} null"
        if kw.get("row_condition") is not None:
            text += f" where {_condition(kw['row_condition'])}"
    elif kind == "expect_column_values_to_match_regex":
        text = f"{count} {values} {does} not match {kw['regex']}"
    elif kind == "expect_column_values_to_be_in_set":
        text = f"{count} {values} {are} not one of {', '.join(kw['value_set'])}"
    elif kind == "expect_column_values_to_be_between":
        text = f"{count} {values} {are} {_bounds(kw)}"
    elif kind == "expect_column_pair_values_a_to_be_greater_than_b":
        text = f"{count} {rows} {have} {kw['column_A']} before {kw['column_B']}"
    elif kind == "expect_compound_columns_to_be_unique":
        text = f"{count} {rows} repeat a ({', '.join(kw['column_list'])}) combination"
    else:
        text = f"{count} unexpected {values} ({kind})"

    mostly = kw.get("mostly", 1.0)
    if mostly is not None and mostly < 1.0 and info.get("unexpected_percent") is not None:
        text += f" ({info['unexpected_percent']:.2f}%, at most {100 * (1 - mostly):g}% allowed)"
    examples = [e for e in (info.get("partial_unexpected_list") or []) if not _missing(e)]
    if examples and kind != "expect_column_values_to_not_be_null":
        text += ", e.g. " + ", ".join(_show(e) for e in examples[:EXAMPLES_SHOWN])
    return f"{where}: {text}"


def _condition(condition: Any) -> str:
    """'uscc IS NULL' for a nullity row condition (results carry it serialised as a dict)."""
    if isinstance(condition, dict) and condition.get("type") == "nullity":
        return f"{condition['column']['name']} IS {'NULL' if condition['is_null'] else 'NOT NULL'}"
    return repr(condition)


def _bounds(kw: dict) -> str:
    """'outside [1, 45]', or for one bound 'below 1' / 'not above 0' / 'above 25'."""
    low, high = kw.get("min_value"), kw.get("max_value")
    if high is None:
        return f"not above {_show(low)}" if kw.get("strict_min") else f"below {_show(low)}"
    if low is None:
        return f"not below {_show(high)}" if kw.get("strict_max") else f"above {_show(high)}"
    left = "(" if kw.get("strict_min") else "["
    right = ")" if kw.get("strict_max") else "]"
    return f"outside {left}{_show(low)}, {_show(high)}{right}"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "(" + ", ".join(_show(v) for v in value.values()) + ")"
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if isinstance(value, (pd.Timestamp, dt.datetime)) or hasattr(value, "dtype") and "datetime" in str(value.dtype):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, str):
        return repr(value)
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # tuples, lists
        return False


def _exception_message(info: Any) -> str | None:
    """GX nests exception details either flat or per metric; return the first message found."""
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "unknown error").splitlines()[0]
    for value in info.values():
        message = _exception_message(value)
        if message:
            return message
    return None
