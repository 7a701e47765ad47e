"""The seeds' combined not-null test (dbt_project/tests/generic/columns_not_null.sql): it passes on
the shipped seeds and fails, naming the seed, when a listed column of one row is emptied."""

from __future__ import annotations

import os
import subprocess

import duckdb

from orchestration.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR


def dbt(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "IPWH_BUILD_DB": str(tmp_path / "warehouse.duckdb")}
    return subprocess.run([DBT_EXECUTABLE, *args, "--target-path", str(tmp_path / "target")], cwd=DBT_PROJECT_DIR,
                          env=env, capture_output=True, text=True)


def test_the_combined_not_null_test_passes_on_the_seeds_and_fails_on_an_empty_target(tmp_path):
    loaded = dbt(tmp_path, "seed", "--select", "targets", "metric_definitions", "region_units", "--quiet")
    assert loaded.returncode == 0, loaded.stdout[-3000:]
    selection = ["test", "--select", "test_name:columns_not_null,targets"]
    passed = dbt(tmp_path, *selection)
    assert passed.returncode == 0 and "PASS=1" in passed.stdout, passed.stdout[-3000:]

    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("UPDATE seeds.targets SET target = NULL WHERE metric_code = 'invention_per_10k' AND year = 2025 "
                "AND pack = 'puyang'")
    con.close()
    failed = dbt(tmp_path, *selection)
    assert failed.returncode != 0
    assert "FAIL 1 columns_not_null_targets" in failed.stdout, failed.stdout[-3000:]
