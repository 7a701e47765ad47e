"""Blocking checks on every raw table: the load log balances and the Great Expectations suite
of the source (expectations/) passes. A failure stops the build before publish."""


import dagster as dg

from ..assets.ingestion import raw_asset_key
from ..build_state import check_step, step_finished, step_started
from ..resources import WarehouseResource
from ..sources.catalog import SOURCES


def build_raw_check(source_name: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=raw_asset_key(source_name), name="expectations", blocking=True,
                    description=f"Great Expectations suite '{source_name}' on raw.{source_name}, and rows read = loaded + quarantined for every file.")
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from expectations import validate_source  # GX import is slow: only when the check runs

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
            passed=passed,
            severity=dg.AssetCheckSeverity.ERROR,
            description=None if passed else "; ".join(
                outcome.failures + [f"rows do not balance in {f}" for (f,) in unbalanced]),
            metadata={"expectations_evaluated": outcome.evaluated, "failures": dg.MetadataValue.json(outcome.failures)},
        )

    return _check


raw_checks = [build_raw_check(name) for name in SOURCES]
