"""Every way a data engineer runs the graph from Dagster does what it shows, on an on-disk Dagster
instance (the SQLite history `dagster dev` keeps), on copies of tests/fixtures/landing_basic (its
README works out the numbers used here):

- a re-execution from failure continues the failed run's work: the export it loaded is published;
- assets materialised one run at a time, as from the asset catalog or the asset graph (ingestion,
  then the period-free dbt models, then the period marts over two months, then published_warehouse), publish
  a correct warehouse, and a publish that would lose loaded data is refused with the reason;
- one period, materialised with its window, publishes; a period outside the data is refused;
- the landing sensor does not repeat a failed build on the same inputs and retries it after a fix.
"""

from __future__ import annotations

import datetime as dt
import shutil

import dagster as dg
import pytest

from orchestration.assets.dbt import period_asset_keys
from orchestration.build import build_run_config
from orchestration.definitions import build_definitions
from tests.conftest import FIXTURES, query

D = dt.date
BAD_SETTING = {"IPWH_INVENTION_TERM_YEARS": "twenty"}  # dbt cannot compute a term from it


def build_warehouse_job():
    """The job as `dagster dev` loads it (a reconstructable job for re-execution)."""
    return build_definitions().resolve_job_def("build_warehouse")


@pytest.fixture
def place(tmp_path, monkeypatch):
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURES / "landing_basic", landing)
    warehouse = tmp_path / "wh" / "ipwh.duckdb"
    monkeypatch.setenv("IPWH_LANDING_DIR", str(landing))
    monkeypatch.setenv("IPWH_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("IPWH_SENSOR_SETTLE_SECONDS", "0")
    monkeypatch.delenv("IPWH_EPHEMERAL_INSTANCE", raising=False)
    from orchestration.dagster_home import ensure_dagster_home

    home = ensure_dagster_home(tmp_path / "dagster_home")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.from_config(str(home)) as instance:  # the SQLite history dagster dev keeps
        yield {"landing": landing, "warehouse": warehouse, "instance": instance, "tmp": tmp_path}


def city_value(warehouse, period: dt.date) -> float | None:
    rows = query(warehouse, """SELECT value FROM marts.metric_values WHERE metric_code = 'valid_invention_patents'
                               AND industry_code = 'ALL' AND region_code = '410900' AND period_end = ?""", [period])
    return rows[0][0] if rows else None


def loaded_files(warehouse) -> set[str]:
    return {f for (f,) in query(warehouse, "SELECT file_name FROM audit.load_log WHERE status = 'loaded'")}


def add_export(landing) -> str:
    """A new population export: the 2021 one re-issued as of 2022 with one figure corrected."""
    new = landing / "population" / "年末常住人口_2022.csv"
    text = (landing / "population" / "年末常住人口_2021.csv").read_bytes()
    assert b"361" in text
    new.write_bytes(text.replace(b"361", b"362"))
    return "population/年末常住人口_2022.csv"


def step_failures(result) -> list[str]:
    return [e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]


def failure_text(result) -> str:
    from orchestration.failures import failure_reason_from_events

    return failure_reason_from_events(result.all_events)


# --- re-execution from failure ---------------------------------------------------------------------


def test_reexecution_from_failure_publishes_the_export_the_failed_run_loaded(place, monkeypatch):
    instance, warehouse = place["instance"], place["warehouse"]
    first = build_warehouse_job().execute_in_process(instance=instance, run_config=build_run_config())
    assert first.success
    new_file = add_export(place["landing"])
    assert new_file not in loaded_files(warehouse)

    # run A loads the new export, then dbt fails
    for name, value in BAD_SETTING.items():
        monkeypatch.setenv(name, value)
    run_a = build_warehouse_job().execute_in_process(instance=instance, run_config=build_run_config(),
                                                     raise_on_error=False)
    assert not run_a.success
    assert step_failures(run_a) == ["dbt_models"]
    assert new_file not in loaded_files(warehouse)  # nothing published

    # fixed; re-executed from failure: the ingestion steps do not run again
    for name in BAD_SETTING:
        monkeypatch.delenv(name)
    with dg.execute_job(dg.reconstructable(build_warehouse_job), instance=instance, run_config=build_run_config(),
                        reexecution_options=dg.ReexecutionOptions.from_failure(run_a.run_id, instance)) as run_b:
        assert run_b.success
        executed = {e.step_key for e in run_b.all_events if e.event_type == dg.DagsterEventType.STEP_SUCCESS}
    assert "ingest_landing" not in executed and "published_warehouse" in executed
    assert new_file in loaded_files(warehouse)
    files = query(warehouse, "SELECT files_json FROM audit.build_info ORDER BY built_at DESC LIMIT 1")[0][0]
    assert new_file in files


# --- assets one run at a time, as from the asset catalog or graph ----------------------------------


def test_assets_materialised_run_by_run_publish_a_correct_warehouse(place):
    instance, warehouse = place["instance"], place["warehouse"]
    defs = build_definitions()
    asset_job = defs.resolve_implicit_global_asset_job_def()
    keys = {k.path[-1]: k for k in asset_job.asset_layer.asset_graph.get_all_asset_keys() if k.path[0] != "raw"}
    raw = [k for k in asset_job.asset_layer.asset_graph.get_all_asset_keys() if k.path[0] == "raw"]
    dbt_models = defs.resolve_assets_def(keys["stg_patents"])
    periods = sorted(period_asset_keys(dbt_models))
    core = [k for k in dbt_models.keys if k not in periods]
    assert keys["metric_values"] in periods and keys["stg_patents"] in core
    published = [keys["published_warehouse"]]

    def materialize(selection, window=None):
        return asset_job.execute_in_process(instance=instance, asset_selection=selection,
                                            run_config=build_run_config(window) if selection == periods else None,
                                            raise_on_error=False)

    assert materialize(raw).success
    refused = materialize(published)
    assert not refused.success
    assert "not published: raw.patents was loaded by run" in failure_text(refused)
    assert "the dbt models have not been rebuilt since" in failure_text(refused)
    assert not warehouse.exists()

    assert materialize(core).success
    refused = materialize(published)
    assert "the period marts have not been rebuilt since" in failure_text(refused)
    assert not warehouse.exists()

    assert materialize(periods, ("2021-03", "2021-04")).success
    assert materialize(published).success
    # the two months, as worked out by hand (P12 granted 2021-02-02; P2 valid, P4 lapsed on 2021-04-xx)
    assert city_value(warehouse, D(2021, 3, 31)) == 6
    assert city_value(warehouse, D(2021, 4, 30)) == 6
    assert query(warehouse, "SELECT min(period_end), max(period_end) FROM marts.metric_values") == [
        (D(2021, 3, 31), D(2021, 4, 30))]
    assert query(warehouse, "SELECT period_end FROM audit.period_lineage ORDER BY 1") == [
        (D(2021, 3, 31),), (D(2021, 4, 30),)]
    assert "patents/patents_2024-06.csv" in loaded_files(warehouse)

    # one more period, materialised with its window, from the same page
    assert materialize(periods, ("2022-05", "2022-05")).success
    assert materialize(published).success
    assert city_value(warehouse, D(2022, 5, 31)) == 6
    assert city_value(warehouse, D(2021, 4, 30)) == 6
    assert len(query(warehouse, "SELECT * FROM audit.period_lineage")) == 3

    # a period the data cannot have is refused, and says which periods there are
    today = dt.date.today()
    late = materialize(periods, (f"{today.year + 1}-01", f"{today.year + 1}-01"))
    assert not late.success and f"period {today.year + 1}-01 is after the current month" in failure_text(late)
    early = materialize(periods, ("1990-01", "1990-12"))
    assert not early.success and "period 1990-01 is before the first period: the periods are 2003-10.." in failure_text(early)


# --- the landing sensor ------------------------------------------------------------------------------


def test_the_sensor_does_not_repeat_a_failed_build_and_retries_it_after_a_fix(place, monkeypatch):
    from orchestration.sensors import landing_folder_sensor

    instance = place["instance"]

    def tick(cursor):
        context = dg.build_sensor_context(cursor=cursor, instance=instance)
        return landing_folder_sensor(context), context.cursor

    def launch(request):
        return build_warehouse_job().execute_in_process(
            instance=instance, run_config=request.run_config,
            tags={**request.tags, "dagster/run_key": request.run_key}, raise_on_error=False)

    for name, value in BAD_SETTING.items():
        monkeypatch.setenv(name, value)
    request, cursor = tick(None)
    assert isinstance(request, dg.RunRequest)
    assert not launch(request).success

    again, cursor = tick(cursor)
    assert isinstance(again, dg.SkipReason)
    assert "the build of these inputs failed (run" in again.skip_message

    for name in BAD_SETTING:  # the fix
        monkeypatch.delenv(name)
    retry, cursor = tick(cursor)
    assert isinstance(retry, dg.RunRequest) and retry.run_key != request.run_key
    assert launch(retry).success
    done, _ = tick(cursor)
    assert isinstance(done, dg.SkipReason) and "up to date" in done.skip_message
