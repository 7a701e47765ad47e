"""Shared test setup: a clean environment per test, and helpers to write landing files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "tests" / "fixtures"

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch, tmp_path_factory):
    """No test reads or writes the developer's data/ folder."""
    base = tmp_path_factory.mktemp("ipwh-env")
    monkeypatch.setenv("IPWH_WAREHOUSE", str(base / "warehouse" / "ipwh.duckdb"))
    monkeypatch.setenv("IPWH_LANDING_DIR", str(base / "landing"))
    monkeypatch.setenv("IPWH_EPHEMERAL_INSTANCE", "1")
    monkeypatch.setenv("DAGSTER_HOME", str(base / "dagster_home"))
    (base / "dagster_home").mkdir()


def write_landing_file(landing: Path, source: str, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = landing / source / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def query(warehouse: Path, sql: str, params=None) -> list[tuple]:
    """Rows of one query against a warehouse file, through a short read-only connection."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@contextmanager
def built_fixture(tmp_path_factory: pytest.TempPathFactory, fixture: str, **env: str) -> Iterator[dict]:
    """Copy the hand-made landing folder tests/fixtures/<fixture> and run `ipwh build` on it in this
    process (an ephemeral Dagster instance, plus ``env``; the variables stay set inside the block).
    Yields code (the exit code), landing, warehouse and base (the folder holding both)."""
    from orchestration.cli import main

    base = tmp_path_factory.mktemp(fixture)
    landing = base / "landing"
    shutil.copytree(FIXTURES / fixture, landing)
    warehouse = base / "wh" / "ipwh.duckdb"
    mp = pytest.MonkeyPatch()
    try:
        for name, value in {"IPWH_EPHEMERAL_INSTANCE": "1", "DAGSTER_HOME": str(base / "dh"), **env}.items():
            mp.setenv(name, value)
        code = main(["build", "--landing", str(landing), "--warehouse", str(warehouse)])
        yield {"code": code, "landing": landing, "warehouse": warehouse, "base": base}
    finally:
        mp.undo()
