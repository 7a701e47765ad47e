"""One asset per landing source: read, validate, quarantine and load ``raw.<source>``."""


import datetime as dt

import dagster as dg

from expectations import preload_in_background

from ..build_state import ingest_step
from ..resources import WarehouseResource
from ..sources.catalog import SOURCES, Source
from ..sources.ingest import ingest_source


def raw_asset_key(source_name: str) -> dg.AssetKey:
    # The same key dagster-dbt gives the dbt source raw.<source>, so lineage joins up.
    return dg.AssetKey(["raw", source_name])


def build_ingestion_asset(source: Source) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(source.name),
        group_name="ingestion",
        description=f"{source.title}: files in <landing>/{source.name}/ loaded into raw.{source.name} "
        f"(key {' + '.join(source.key)}); bad rows to audit.quarantine, warnings to audit.flags.",
        kinds={"duckdb", "python"},
    )
    def _ingest(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        preload_in_background()  # the checks that follow need Great Expectations; import it meanwhile
        with warehouse.recorded_step(ingest_step(source.name)) as step:
            with warehouse.connect() as con:
                summary = ingest_source(con, source, warehouse.landing, dt.datetime.now().replace(microsecond=0),
                                        warehouse.run_id)
            step["outcome"] = "changed" if summary.count("loaded") else "unchanged"
        rejected = {f.file_name: f.message for f in summary.files if f.status == "rejected"}
        for name, message in rejected.items():
            context.log.warning(f"rejected {name}: {message}")
        return dg.MaterializeResult(
            metadata={
                "files_loaded": summary.count("loaded"),
                "files_unchanged": summary.count("unchanged"),
                "files_rejected": summary.count("rejected"),
                "rows_loaded": summary.rows_loaded,
                "rows_quarantined": summary.rows_quarantined,
                "rejected_files": dg.MetadataValue.json(rejected),
            }
        )

    return _ingest


ingestion_assets = [build_ingestion_asset(source) for source in SOURCES.values()]
