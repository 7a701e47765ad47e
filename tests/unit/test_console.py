"""Quiet `ipwh build` output (orchestration/console.py): stages, bars, the summary naming rejected files,
the run's own output kept out of the terminal, and usage statistics off in a new DAGSTER_HOME."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb

from orchestration import console
from orchestration.dagster_home import ensure_dagster_home

def test_assets_fall_into_their_stage() -> None:
    assert console.stage_of("raw/patents") == "ingest"
    assert console.stage_of("staging/stg_patents") == "dbt models"
    assert console.stage_of("marts/metric_values") == "dbt models"
    assert console.stage_of("published_warehouse") == "publish"
    assert console.stage_of("monthly_briefing") is None


def test_bar() -> None:
    assert console.bar(0, 4, width=8) == "[--------]   0/4"
    assert console.bar(2, 4, width=8) == "[####----]   2/4"
    assert console.bar(4, 4, width=8) == "[########]   4/4"


class _Event:
    """The shape of a Dagster EventLogEntry that Progress reads."""

    def __init__(self, key: str, kind: str = "ASSET_MATERIALIZATION") -> None:
        class _Key:
            def to_user_string(self) -> str:
                return key

        class _DagsterEvent:
            event_type_value = kind
            asset_key = _Key()

        self.dagster_event = _DagsterEvent()


def test_progress_prints_one_line_per_finished_stage_when_not_a_terminal() -> None:
    out = io.StringIO()
    progress = console.Progress({"ingest": 2, "dbt models": 1}, out, interactive=False)
    for event in (_Event("raw/patents"), _Event("raw/patents"), _Event("raw/trademarks"), _Event("raw/x", "STEP_START"),
                  _Event("marts/metric_values")):
        progress(event)
    progress.close()
    assert out.getvalue().splitlines() == [
        f"  {'ingest':<18} [########################]   2/2",  # the same asset twice counts once
        f"  {'dbt models':<18} [########################]   1/1",
    ]


def _warehouse(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema audit")
    con.execute(
        "create table audit.load_log (source varchar, file_name varchar, status varchar, rows_quarantined bigint, "
        "message varchar, run_id varchar, loaded_at timestamp)"
    )
    rows = [
        ("patents", "patents/专利_20250630.xlsx", "loaded", 10, None, "run-1"),
        ("patents", "patents/专利_20250531.xlsx", "unchanged", 5, None, "run-1"),
        ("trademarks", "trademarks/商标_2025Q2.csv", "rejected", 0, "缺少关键列：注册号", "run-1"),
        ("patents", "patents/专利_20250430.xlsx", "loaded", 99, None, "run-0"),  # an earlier run
    ]
    for row in rows:
        con.execute("insert into audit.load_log values (?, ?, ?, ?, ?, ?, ?)", [*row, datetime(2025, 7, 2)])
    con.execute("create table audit.quarantine as select range as row_number from range(115)")
    con.close()
    return path


def test_summary_names_rejected_files_and_counts_quarantined_rows(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "ipwh.duckdb")
    summary = console.read_summary(warehouse, "run-1", "2024-06..2025-06")
    assert (summary.loaded, summary.unchanged) == (1, 1)
    assert summary.rejected == [("trademarks/商标_2025Q2.csv", "缺少关键列：注册号")]
    assert (summary.quarantined_rows, summary.quarantined_in_use) == (10, 115)
    lines = console.summary_lines(summary, warehouse, 12.34, tmp_path / "build.log")
    assert lines[0] == f"ipwh build: published {warehouse} in 12.3s"
    assert "  periods built      2024-06..2025-06" in lines
    assert "  files rejected     1" in lines
    assert "    - trademarks/商标_2025Q2.csv: 缺少关键列：注册号" in lines
    assert any(line.startswith("  quarantined rows   115 in audit.quarantine, 10 from files loaded by this run") for line in lines)
    assert lines[-1] == f"  full log           {tmp_path / 'build.log'} (or run with -v)"


def test_period_text() -> None:
    assert console.period_text("2000-01..2026-10", "x") == "2000-01..2026-10"
    assert console.period_text("none", "2025-06..2025-06") == "2025-06..2025-06"


def test_captured_output_keeps_the_runs_own_output_out_of_the_terminal(tmp_path: Path) -> None:
    """What the run and its subprocesses (dbt) print goes to the log file; progress goes to the terminal."""
    script = f"""
import subprocess, sys
from pathlib import Path
from orchestration.console import captured_output
with captured_output(Path({str(tmp_path / 'build.log')!r})) as terminal:
    print("dbt chatter from python")
    subprocess.run([sys.executable, "-c", "import sys; print('from a subprocess'); print('to stderr', file=sys.stderr)"])
    terminal.write("progress line\\n")
print("after the run")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2],
                          env={**os.environ}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["progress line", "after the run"]
    assert done.stderr == ""
    log = (tmp_path / "build.log").read_text()
    assert "dbt chatter from python" in log and "from a subprocess" in log and "to stderr" in log


def test_usage_statistics_off_in_a_new_and_an_existing_dagster_home(tmp_path: Path) -> None:
    new = ensure_dagster_home(tmp_path / "new")
    assert "telemetry:\n  enabled: false" in (new / "dagster.yaml").read_text()
    existing = tmp_path / "old"
    existing.mkdir()
    (existing / "dagster.yaml").write_text("run_coordinator: {}\n")
    ensure_dagster_home(existing)
    text = (existing / "dagster.yaml").read_text()
    assert text.startswith("run_coordinator: {}\n") and "telemetry:\n  enabled: false" in text
    from dagster_shared.yaml_utils import safe_load_yaml

    assert safe_load_yaml(text)["telemetry"]["enabled"] is False
