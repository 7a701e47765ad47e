"""Ingestion: every landing source loaded into ``raw.<source>`` and checked, in one Dagster step.

One asset per source (``raw/<source>``, the key dagster-dbt gives the dbt source, so lineage joins
up), each with a blocking check ``expectations``, all computed by one multi-asset: a step per source
and per check cost Dagster a few hundred milliseconds each around tens of milliseconds of DuckDB, so
twenty steps were most of a small build's ingestion. The assets stay separate in the catalog, and
any subset of them (and of their checks) can be materialised: only the selected sources are read.

Bad rows go to ``audit.quarantine``, warnings to ``audit.flags``; a failed check stops the build
before dbt (blocking) and is recorded in the work warehouse, so that a publish in a later run knows.
"""


import datetime as dt
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import dagster as dg

from expectations import preload_in_background

from ..build_state import check_step, ingest_step, step_finished, step_started
from ..resources import WarehouseResource
from ..sources.catalog import SOURCES, Source
from ..sources.ingest import ingest_source

CHECK_NAME = "expectations"


def raw_asset_key(source_name: str) -> dg.AssetKey:
    # The same key dagster-dbt gives the dbt source raw.<source>, so lineage joins up.
    return dg.AssetKey(["raw", source_name])


def _spec(source: Source) -> dg.AssetSpec:
    return dg.AssetSpec(
        raw_asset_key(source.name),
        group_name="ingestion",
        description=f"{source.title}: files in <landing>/{source.name}/ loaded into raw.{source.name} "
        f"(key {' + '.join(source.key)}); bad rows to audit.quarantine, warnings to audit.flags.",
        kinds={"duckdb", "python"},
    )


def _check_spec(source: Source) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        CHECK_NAME, asset=raw_asset_key(source.name), blocking=True,
        description=f"Great Expectations suite '{source.name}' on raw.{source.name}, and rows read = "
        "loaded + quarantined for every file.")


def _ingest(context: dg.AssetExecutionContext, warehouse: WarehouseResource, source: Source) -> dg.MaterializeResult:
    with warehouse.recorded_step(ingest_step(source.name)) as step:
        with warehouse.connect() as con:
            summary = ingest_source(con, source, warehouse.landing, dt.datetime.now().replace(microsecond=0),
                                    warehouse.run_id)
        step["outcome"] = "changed" if summary.count("loaded") else "unchanged"
    rejected = {f.file_name: f.message for f in summary.files if f.status == "rejected"}
    for name, message in rejected.items():
        context.log.warning(f"rejected {name}: {message}")
    return dg.MaterializeResult(
        asset_key=raw_asset_key(source.name),
        metadata={
            "files_loaded": summary.count("loaded"),
            "files_unchanged": summary.count("unchanged"),
            "files_rejected": summary.count("rejected"),
            "rows_loaded": summary.rows_loaded,
            "rows_quarantined": summary.rows_quarantined,
            "rejected_files": dg.MetadataValue.json(rejected),
        },
    )


def _check(warehouse: WarehouseResource, source_name: str) -> dg.AssetCheckResult:
    from expectations import validate_source  # GX import is slow: only when a check runs

    with warehouse.connect(read_only=False) as con:
        unbalanced = con.execute(
            """SELECT file_name FROM audit.load_log
               WHERE source = ? AND rows_read <> rows_loaded + rows_quarantined""",
            [source_name],
        ).fetchall()
        outcome = validate_source(con, source_name)
        passed = outcome.success and not unbalanced
        # recorded in the work warehouse, so that a publish in a later run knows it failed
        step_finished(con, step_started(con, warehouse.run_id, check_step(source_name)),
                      "passed" if passed else "failed")
    return dg.AssetCheckResult(
        asset_key=raw_asset_key(source_name),
        check_name=CHECK_NAME,
        passed=passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=None if passed else "; ".join(
            outcome.failures + [f"rows do not balance in {f}" for (f,) in unbalanced]),
        metadata={"expectations_evaluated": outcome.evaluated, "failures": dg.MetadataValue.json(outcome.failures)},
    )


@dg.multi_asset(
    name="ingest_landing",
    specs=[_spec(source) for source in SOURCES.values()],
    check_specs=[_check_spec(source) for source in SOURCES.values()],
    can_subset=True,
)
def ingest_landing(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> Iterator:
    """Load the selected sources; check each as soon as it is loaded, in a second thread while the
    next one loads (the checks are mostly Python, the loading mostly DuckDB: on two cores they
    overlap). The results are reported after every load, in the catalog's order, as before."""
    selected = set(context.selected_asset_keys)
    checks = {key.asset_key for key in context.selected_asset_check_keys}
    if checks:
        preload_in_background()  # the checks need Great Expectations: import it while DuckDB reads
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipwh-checks") as checking:
        pending: dict[str, Future] = {}
        try:
            for source in SOURCES.values():
                if raw_asset_key(source.name) in selected:
                    yield _ingest(context, warehouse, source)
                if raw_asset_key(source.name) in checks:
                    pending[source.name] = checking.submit(_check, warehouse, source.name)
            for result in pending.values():
                yield result.result()
        finally:  # a load that failed: the checks not started yet are not run
            for result in pending.values():
                result.cancel()


ingestion_assets = [ingest_landing]
