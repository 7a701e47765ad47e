"""The run history ipwh sets up: Dagster's own SQLite storage under DAGSTER_HOME, found relative to
it (no absolute path in dagster.yaml), an older ipwh's dagster.yaml replaced, anyone else's kept;
and the DuckDB memory limit setting."""

import dagster as dg

from orchestration.dagster_home import DAGSTER_YAML, ensure_dagster_home

OLD_IPWH_YAML = """\
# Written by ipwh. Run history on local SQLite (Dagster's default layout under DAGSTER_HOME), with
# batched asset-event writes: see orchestration/event_storage.py.
event_log_storage:
  module: orchestration.event_storage
  class: BatchingSqliteEventLogStorage
  config:
    base_dir: /somewhere/else/data/dagster_home/history/runs
"""


def test_a_new_dagster_home_uses_dagsters_storage_relative_to_it(tmp_path):
    home = ensure_dagster_home(tmp_path / "dagster_home")
    text = (home / "dagster.yaml").read_text()
    assert str(tmp_path) not in text and "/" not in "".join(l for l in text.splitlines() if not l.startswith("#"))

    @dg.asset
    def a_mart() -> None:
        return None

    with dg.DagsterInstance.from_config(str(home)) as instance:
        result = dg.materialize([a_mart], instance=instance)
        assert result.success
    # the history is under DAGSTER_HOME, so a moved folder keeps it
    moved = tmp_path / "moved_home"
    home.rename(moved)
    with dg.DagsterInstance.from_config(str(moved)) as instance:
        assert instance.get_latest_materialization_event(dg.AssetKey("a_mart")).run_id == result.run_id


def test_an_older_ipwh_config_is_replaced_and_anyone_elses_kept(tmp_path):
    old = tmp_path / "old_home"
    old.mkdir()
    (old / "dagster.yaml").write_text(OLD_IPWH_YAML)
    ensure_dagster_home(old)
    assert (old / "dagster.yaml").read_text() == DAGSTER_YAML

    own = tmp_path / "own_home"
    own.mkdir()
    (own / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    ensure_dagster_home(own)
    assert (own / "dagster.yaml").read_text() == "telemetry:\n  enabled: false\n"


def test_the_memory_limit_setting_reaches_the_build_connection(tmp_path, monkeypatch):
    from orchestration.resources import WarehouseResource

    monkeypatch.setenv("IPWH_DUCKDB_MEMORY_LIMIT", "1GB")
    resource = WarehouseResource(landing_dir=str(tmp_path / "landing"), warehouse_path=str(tmp_path / "wh" / "ipwh.duckdb"))
    resource._work_file = tmp_path / "work.duckdb"
    with resource.connect() as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit in ("953.6 MiB", "1.0 GB", "1000.0 MB"), limit
