"""The run history ipwh sets up: dagster.yaml in a new DAGSTER_HOME, batched asset events, one
planned event per asset for a range run, and the DuckDB memory limit setting."""

import dagster as dg
import pytest
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from orchestration.dagster_home import DAGSTER_EVENT_SETTINGS, ensure_dagster_home

months = dg.MonthlyPartitionsDefinition(start_date="2024-01-01", end_date="2026-01-01")


@dg.asset(partitions_def=months, backfill_policy=dg.BackfillPolicy.single_run())
def monthly_mart(context: dg.AssetExecutionContext) -> None:
    context.log.info(f"{len(context.partition_keys)} periods")


@dg.asset(partitions_def=months, backfill_policy=dg.BackfillPolicy.single_run(), deps=[monthly_mart])
def monthly_assessment() -> None:
    return None


@pytest.fixture
def home(tmp_path, monkeypatch):
    for name in DAGSTER_EVENT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return ensure_dagster_home(tmp_path / "dagster_home")


def test_a_new_dagster_home_gets_the_batching_storage_and_an_existing_config_is_kept(home, tmp_path):
    instance = dg.DagsterInstance.from_config(str(home))
    assert type(instance.event_log_storage).__name__ == "BatchingSqliteEventLogStorage"
    assert str(home / "history" / "runs") in (home / "dagster.yaml").read_text()

    own = tmp_path / "own_home"
    own.mkdir()
    (own / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    ensure_dagster_home(own)
    assert (own / "dagster.yaml").read_text() == "telemetry:\n  enabled: false\n"


def test_a_range_run_records_every_partition_through_the_batched_writes(home):
    instance = dg.DagsterInstance.from_config(str(home))
    job = dg.Definitions(assets=[monthly_mart, monthly_assessment]).resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(
        instance=instance,
        tags={ASSET_PARTITION_RANGE_START_TAG: "2024-01-01", ASSET_PARTITION_RANGE_END_TAG: "2025-12-01"},
    )
    assert result.success
    for key in ("monthly_mart", "monthly_assessment"):
        partitions = instance.get_materialized_partitions(dg.AssetKey(key))
        assert len(partitions) == 24 and min(partitions) == "2024-01-01" and max(partitions) == "2025-12-01"
        latest = instance.get_latest_materialization_event(dg.AssetKey(key))
        assert latest.run_id == result.run_id
    records = instance.fetch_materializations(dg.AssetKey("monthly_mart"), limit=100).records
    assert sorted(r.partition_key for r in records) == [f"{y}-{m:02d}-01" for y in (2024, 2025) for m in range(1, 13)]
    # one "planned" event per asset for the range, not one per partition
    planned = [e for e in instance.all_logs(result.run_id)
               if e.dagster_event and e.dagster_event.event_type_value == "ASSET_MATERIALIZATION_PLANNED"]
    assert len(planned) == 2


def test_the_memory_limit_setting_reaches_the_build_connection(tmp_path, monkeypatch):
    from orchestration.resources import WarehouseResource

    monkeypatch.setenv("IPWH_DUCKDB_MEMORY_LIMIT", "1GB")
    resource = WarehouseResource(landing_dir=str(tmp_path / "landing"), warehouse_path=str(tmp_path / "wh" / "ipwh.duckdb"))
    resource._work_file = tmp_path / "work.duckdb"
    with resource.connect() as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit in ("953.6 MiB", "1.0 GB", "1000.0 MB"), limit
