"""The ipwh command: build, sample, export, restore.

    ipwh build [--landing DIR] [--warehouse FILE] [--period YYYY-MM | --from YYYY-MM --to YYYY-MM]
    ipwh sample [--scale city|province|nation] [--out DIR] [--seed N]
    ipwh export county-assessment --period YYYY-MM [--format xlsx|csv] [--out FILE]
    ipwh restore-previous [--warehouse FILE]
    ipwh report monthly [--period YYYY-MM] [--unit CODE] [--out DIR] [--no-pdf]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import uuid
from pathlib import Path

from .failures import dbt_error_summary, failure_reason_from_events  # noqa: F401 (where they used to live)

log = logging.getLogger("ipwh")


def _set_paths(args: argparse.Namespace) -> None:
    """Command-line paths override the environment for this process and everything it starts."""
    if getattr(args, "landing", None):
        os.environ["IPWH_LANDING_DIR"] = str(Path(args.landing).expanduser().resolve())
    if getattr(args, "warehouse", None):
        os.environ["IPWH_WAREHOUSE"] = str(Path(args.warehouse).expanduser().resolve())
    from .dagster_home import ensure_dagster_home

    ensure_dagster_home()


def cmd_build(args: argparse.Namespace) -> int:
    _set_paths(args)
    from .build import check_requested_window, requested_window, run_build
    from .partitions import PeriodWindowError

    try:
        window = requested_window(args.period, args.from_, args.to)
        if window is not None:
            check_requested_window(window)
    except PeriodWindowError as exc:
        print(f"ipwh build: failed: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        raise SystemExit(f"ipwh build: {exc}") from None
    early = _lock_held_elsewhere()
    if early:
        print(f"ipwh build: failed: {early}", file=sys.stderr)
        return 3
    if window is not None:
        from .build import inputs_unchanged_since_publish

        if inputs_unchanged_since_publish():
            print("ipwh build: landing files, dbt project and settings unchanged since the published build: "
                  "rebuilding the period marts only")
    # Dagster's console logger prints every event at DEBUG. Without -v the run's output goes to a log
    # file and the terminal shows a progress bar per stage and a summary (orchestration/console.py);
    # -v (or IPWH_LOG_LEVEL) prints the full log.
    from . import console

    verbose = bool(getattr(args, "verbose", False))
    console_level = "INFO" if verbose else os.environ.get("IPWH_LOG_LEVEL", "WARNING").upper()
    run_id = str(uuid.uuid4())
    if not verbose:
        from .definitions import build_definitions

        # loading the definitions parses the dbt project when its manifest is stale: that log goes to
        # the build's log file too, not the terminal
        with console.captured_output(console.build_log_path(run_id)):
            build_definitions()
    watchers: list[console.QuietBuild] = []

    def watch(job, instance):
        watchers.append(console.QuietBuild(job, instance, run_id, verbose=verbose))
        return watchers[0]

    result = run_build(window, console_level=console_level, run_id=run_id, watch=watch)
    return report_build(result, watchers[0] if watchers else None)


def report_build(result, quiet=None) -> int:
    """Print a BuildResult: a summary (periods, files loaded and rejected, quarantined rows, time), or
    one line of failure."""
    from .settings import get_settings

    hint = quiet.log_hint() if quiet is not None else ""
    if result.exit_code == 3:
        print(f"ipwh build: failed: {result.reason}", file=sys.stderr)
        return 3
    if not result.success:
        print(f"ipwh build: failed after {result.seconds:.1f}s, previous warehouse kept: {result.reason}{hint}",
              file=sys.stderr)
        return 1
    requested = f"{result.window[0]}..{result.window[1]}" if result.window else str(result.rebuilt_periods)
    warehouse = result.warehouse or get_settings().warehouse_path
    if quiet is not None:
        quiet.print_summary(warehouse, result.published_metadata, requested, result.seconds)
    else:
        print(f"ipwh build: published {warehouse} (periods {requested}) in {result.seconds:.1f}s, run {result.run_id[:8]}")
    if result.periods_with_other_settings != "none":
        print(f"ipwh build: note: periods not rebuilt by this run were built with other settings "
              f"({result.periods_with_other_settings}); rebuild them to apply the current settings", file=sys.stderr)
    return 0


def _lock_held_elsewhere() -> str | None:
    """Fail fast, before a run is even created, when another build holds the lock and this one
    would not wait (the run's resource takes the lock for real, so there is no race)."""
    from .publish import BuildLockedError, build_lock
    from .settings import get_settings

    if float(os.environ.get("IPWH_LOCK_WAIT_SECONDS", 0) or 0) > 0:
        return None
    try:
        with build_lock(get_settings().lock_path, 0):
            return None
    except BuildLockedError as exc:
        return str(exc)


def cmd_sample(args: argparse.Namespace) -> int:
    from .sample import generate
    from .settings import get_settings

    out = Path(args.out).expanduser().resolve() if args.out else get_settings().landing_dir
    started = time.monotonic()
    summary = generate(out, scale=args.scale, seed=args.seed)
    files = summary.get("files") if isinstance(summary, dict) else None
    print(f"ipwh sample: wrote a {args.scale} landing folder to {out} in {time.monotonic() - started:.1f}s"
          + (f" ({len(files)} files)" if files else ""))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    _set_paths(args)
    from .exports import export_county_assessment

    path = export_county_assessment(args.period, fmt=args.format, out=Path(args.out) if args.out else None)
    print(f"ipwh export: wrote {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _set_paths(args)
    from .publish import BuildLockedError, build_lock, restore_previous
    from .settings import get_settings

    s = get_settings()
    try:
        with build_lock(s.lock_path, float(os.environ.get("IPWH_LOCK_WAIT_SECONDS", 0))):
            restore_previous(s.warehouse_path, s.previous_warehouse_path)
    except BuildLockedError as exc:
        print(f"ipwh restore-previous: failed: {exc}", file=sys.stderr)
        return 3
    except FileNotFoundError as exc:
        print(f"ipwh restore-previous: failed: {exc}", file=sys.stderr)
        return 1
    print(f"ipwh restore-previous: {s.warehouse_path} is the previously published warehouse again")
    return 0


def cmd_check_file(args: argparse.Namespace) -> int:
    from .sources.preview import preview_file, render_text

    path = Path(args.file).expanduser().resolve()
    if not path.is_file():
        print(f"ipwh check-file: failed: no such file {path}", file=sys.stderr)
        return 2
    preview = preview_file(path, args.source)
    print(render_text(preview))
    return 0 if preview.accepted else 1


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("IPWH_LOG_LEVEL", "WARNING"), format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="ipwh", description="Puyang IP doubling monitor: build the warehouse from exports.")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="ingest, check, transform and publish")
    b.add_argument("--landing", help="landing folder (default IPWH_LANDING_DIR)")
    b.add_argument("--warehouse", help="published warehouse file (default IPWH_WAREHOUSE)")
    b.add_argument("--period", help="rebuild one month-end, YYYY-MM")
    b.add_argument("--from", dest="from_", help="first month of a range to rebuild, YYYY-MM")
    b.add_argument("--to", help="last month of a range to rebuild, YYYY-MM")
    b.add_argument("-v", "--verbose", action="store_true", help="print the full Dagster and dbt log instead of progress bars")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("sample", help="write a realistic landing folder")
    s.add_argument("--scale", choices=["city", "province", "nation"], default="city")
    s.add_argument("--out", help="folder to write (default IPWH_LANDING_DIR)")
    s.add_argument("--seed", type=int, default=20240305)
    s.set_defaults(func=cmd_sample)

    e = sub.add_parser("export", help="export a mart for officials")
    e.add_argument("what", choices=["county-assessment"])
    e.add_argument("--period", required=True, help="month, YYYY-MM")
    e.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    e.add_argument("--out", help="output file")
    e.add_argument("--warehouse", help="published warehouse file (default IPWH_WAREHOUSE)")
    e.set_defaults(func=cmd_export)

    r = sub.add_parser("restore-previous", help="put the previously published warehouse back")
    r.add_argument("--warehouse", help="published warehouse file (default IPWH_WAREHOUSE)")
    r.set_defaults(func=cmd_restore)

    c = sub.add_parser("check-file", help="show what one export would become, without building")
    c.add_argument("file", help="the export file (.csv, .xlsx, .xls, .pdf)")
    from .sources.catalog import SOURCES

    c.add_argument("--source", choices=list(SOURCES), help="its source (default: its folder, else its header)")
    c.set_defaults(func=cmd_check_file)

    from .reports.command import add_report_parser

    add_report_parser(sub)

    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    finally:
        stop_helper_processes()


def stop_helper_processes() -> None:
    """End the helper process Python's multiprocessing starts when dbt's selection code (inside
    dagster-dbt) creates a lock: it would otherwise outlive `ipwh build` for a moment, orphaned in
    its process group. (Python 3.11 offers no public call for this; the project pins 3.11.)"""
    from multiprocessing import resource_tracker

    stop = getattr(resource_tracker._resource_tracker, "_stop", None)
    if stop is not None:
        try:
            stop()
        except Exception as exc:  # noqa: BLE001 - never fail a finished command over its helper
            log.debug("could not stop the multiprocessing resource tracker: %s", exc)


def console_main() -> None:
    """The `ipwh` command: ``main``, then out at once. Everything is written and closed when ``main``
    returns (the run history commits every event, the warehouse is published or left alone, dbt has
    ended); Python's own teardown of what a build imported (Dagster, dbt's adapter, GX, pandas) would
    add ~1.5 s to every command for nothing."""
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    console_main()
