"""The dbt unit tests (dbt_project/models/unit_tests/*.yml): the boundary rules of metrics.md on
hand-made rows. dbt needs the models' relations to exist, so they are created empty first."""

from __future__ import annotations

import os
import subprocess

import duckdb

from orchestration.resources import BUILD_CONTEXT_DDL
from orchestration.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR
from orchestration.sources.ingest import ensure_tables


def test_dbt_unit_tests_pass(tmp_path):
    db = tmp_path / "unit.duckdb"
    con = duckdb.connect(str(db))
    ensure_tables(con)
    con.execute(BUILD_CONTEXT_DDL)
    con.execute("INSERT INTO audit.build_context VALUES ('unit', 'puyang', DATE '1900-01-31', DATE '2999-12-31', now())")
    con.close()
    env = {**os.environ, "IPWH_BUILD_DB": str(db)}
    target = ["--target-path", str(tmp_path / "target")]
    for args in (["seed", "--quiet"], ["run", "--empty", "--quiet"]):
        done = subprocess.run([DBT_EXECUTABLE, *args, *target], cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-3000:]
    done = subprocess.run([DBT_EXECUTABLE, "test", "--select", "test_type:unit", *target], cwd=DBT_PROJECT_DIR,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-5000:]
    assert "ERROR=0" in done.stdout and "PASS=" in done.stdout
