"""The monthly 通报 as an asset: written after each publish for the latest period, or on demand
for any period (run config `period: YYYY-MM`), into IPWH_REPORTS_DIR (default reports/ beside
the warehouse). A failure here is logged and recorded as metadata: the warehouse is already
published, so it does not fail the build."""


from pathlib import Path

import dagster as dg

from ..settings import get_settings


class BriefingConfig(dg.Config):
    period: str = ""  # YYYY-MM; empty = the latest month-end in the published warehouse
    unit: str = ""  # a unit's region code for its own version; empty = the city
    pdf: bool = False  # also a PDF (LibreOffice or Chromium); `ipwh report monthly` makes one by default


@dg.asset(
    key="monthly_briefing",
    group_name="publish",
    deps=["published_warehouse"],
    description="The monthly 通报 (DOCX from the office's template, the county assessment workbook as its "
    "attachment, optionally a PDF) for the latest period, after each publish; any period on demand.",
    kinds={"docx"},
)
def monthly_briefing(context: dg.AssetExecutionContext, config: BriefingConfig) -> dg.MaterializeResult:
    from ..exports import parse_period, warehouse_reader
    from ..reports.briefing import write_monthly_briefing
    from ..reports.content import latest_period

    # the published file, read-only: no build lock and no work copy, so it can run on its own at any time
    published = Path(get_settings().warehouse_path)
    try:
        if config.period:
            period_end = parse_period(config.period)
        else:
            read, close = warehouse_reader(published)
            try:
                period_end = latest_period(read)
            finally:
                close()
        if period_end is None:
            context.log.warning("monthly briefing: the warehouse has no period; nothing written")
            return dg.MaterializeResult(metadata={"status": "no period"})
        out_dir = Path(get_settings().reports_dir) / f"{period_end:%Y-%m}"
        files = write_monthly_briefing(published, period_end, out_dir, config.unit or None, pdf=config.pdf)
    except Exception as exc:  # noqa: BLE001 - the build has published; say what went wrong and go on
        context.log.error(f"monthly briefing not written: {type(exc).__name__}: {exc}")
        return dg.MaterializeResult(metadata={"status": "failed", "error": f"{type(exc).__name__}: {exc}"})
    for message in files.messages:
        context.log.info(f"monthly briefing: {message}")
    return dg.MaterializeResult(metadata={
        "status": "written" if files.has_data else "no data for the period (the document says so)",
        "period": f"{period_end:%Y-%m}",
        "docx": str(files.docx),
        "attachment": str(files.xlsx) if files.xlsx else "none",
        "pdf": str(files.pdf) if files.pdf else "none",
        "messages": "; ".join(files.messages) or "none",
    })
