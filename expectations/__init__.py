"""Great Expectations suites for the raw tables, one per source, as code (see ``suites.py``).

``validate_source(con, source_name)`` runs the suite of one source on ``raw.<source>`` and returns a
``ValidationOutcome``. Importing this package is cheap: Great Expectations (~2 s to import) is
loaded only when a validation actually runs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

# Above this many rows a table is validated on a deterministic sample (see validation.py).
MAX_ROWS_IN_FULL = 1_000_000
SAMPLE_ROWS = 200_000


@dataclass
class ValidationOutcome:
    source: str
    success: bool
    failures: list[str] = field(default_factory=list)  # plain-English one-liners, one per failed expectation
    evaluated: int = 0  # expectations run
    rows_total: int = 0  # rows in raw.<source>
    rows_checked: int = 0  # rows validated (rows_total, or the sample size)

    @property
    def sampled(self) -> bool:
        return self.rows_checked < self.rows_total


def validate_source(
    con: duckdb.DuckDBPyConnection,
    source_name: str,
    *,
    max_rows_in_full: int = MAX_ROWS_IN_FULL,
    sample_rows: int = SAMPLE_ROWS,
) -> ValidationOutcome:
    """Run the expectation suite of ``source_name`` on ``raw.<source_name>``.

    ``con`` stays open. A table of more than ``max_rows_in_full`` rows is validated on a deterministic
    sample of ``sample_rows`` rows, and every failure text then says so.
    """
    from .validation import run_suite  # imports Great Expectations

    return run_suite(con, source_name, max_rows_in_full=max_rows_in_full, sample_rows=sample_rows)


_preload_lock = threading.Lock()
_preloading: threading.Thread | None = None


def _import_validation() -> None:
    from . import validation  # noqa: F401


def preload_in_background() -> None:
    """Start importing Great Expectations in a daemon thread (once per process).

    The ingestion assets call this before they read: DuckDB releases the GIL while it reads and
    checks, so the ~2 s import overlaps with ingestion instead of adding to the first check.
    ``validate_source`` then finds the module imported, or waits on Python's import lock for it.
    """
    global _preloading
    with _preload_lock:
        if _preloading is None:
            _preloading = threading.Thread(target=_import_validation, name="gx-preload", daemon=True)
            _preloading.start()


__all__ = ["ValidationOutcome", "validate_source", "preload_in_background", "MAX_ROWS_IN_FULL", "SAMPLE_ROWS"]
