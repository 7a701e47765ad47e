"""The ipwh command: build, sample, export, restore.

    ipwh build [--landing DIR] [--warehouse FILE] [--period YYYY-MM | --from YYYY-MM --to YYYY-MM]
    ipwh sample [--scale city|province|nation] [--out DIR] [--seed N]
    ipwh export county-assessment --period YYYY-MM [--format xlsx|csv] [--out FILE]
    ipwh restore-previous [--warehouse FILE]
    ipwh report monthly [--period YYYY-MM] [--unit CODE] [--out DIR] [--no-pdf]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import re
import sys
import time
from pathlib import Path


log = logging.getLogger("ipwh")


def _set_paths(args: argparse.Namespace) -> None:
    """Command-line paths override the environment for this process and everything it starts."""
    if getattr(args, "landing", None):
        os.environ["IPWH_LANDING_DIR"] = str(Path(args.landing).expanduser().resolve())
    if getattr(args, "warehouse", None):
        os.environ["IPWH_WAREHOUSE"] = str(Path(args.warehouse).expanduser().resolve())
    from .dagster_home import ensure_dagster_home

    ensure_dagster_home()


def partition_range(period: str | None, first: str | None, last: str | None) -> tuple[str, str] | None:
    """Partition keys (YYYY-MM-01) for the requested months, or None for every period."""
    from .partitions import parse_month, partition_key

    if period and (first or last):
        raise SystemExit("ipwh build: use --period or --from/--to, not both")
    if period:
        key = partition_key(parse_month(period))
        return key, key
    if first or last:
        if not (first and last):
            raise SystemExit("ipwh build: --from and --to go together")
        start, end = parse_month(first), parse_month(last)
        if end < start:
            raise SystemExit(f"ipwh build: --from {first} is after --to {last}")
        return partition_key(start), partition_key(end)
    return None


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_DBT_NODE_HEADER = re.compile(r"^(?:Failure|[A-Za-z ]*Error) in (model|test|seed|snapshot|unit_test) (\S+)")


def dbt_error_summary(message: str) -> str | None:
    """'dbt model X: Binder Error: ...' from the text of a failed dbt invocation, else None."""
    text = _ANSI.sub("", message)
    if "Errors parsed from dbt logs:" not in text:
        return None
    lines = [line.strip() for line in text.split("Errors parsed from dbt logs:", 1)[1].splitlines()]
    for i, line in enumerate(lines):
        match = _DBT_NODE_HEADER.match(line)
        if not match:
            continue
        detail = next((rest for rest in lines[i + 1:] if rest and not _DBT_NODE_HEADER.match(rest)), "")
        return f"dbt {match.group(1)} {match.group(2)}: {detail}".strip().rstrip(":")
    return None


def _error_line(err) -> str:
    """The most telling line of a step's error: dbt's own error, else the root cause's last line."""
    if err is None:
        return "unknown error"
    chain = [err]
    while chain[-1].cause is not None:
        chain.append(chain[-1].cause)
    for e in chain:
        summary = dbt_error_summary(e.message or "")
        if summary:
            return summary
    for e in reversed(chain):
        lines = [line.strip() for line in (e.message or "").strip().splitlines() if line.strip()]
        if lines:
            # our own errors read as plain sentences: drop "orchestration.publish.BuildLockedError: "
            return re.sub(r"^orchestration\.[\w.]+: ", "", lines[-1])
    return "unknown error"


def failure_reason_from_events(events) -> str:
    """One line naming what stopped the build: a failed step's error or a failed blocking check,
    else an error raised outside any step (a resource that could not be set up)."""
    reasons: list[str] = []
    run_errors: list[str] = []
    for event in events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if not data.passed:
                desc = data.description or ""
                reasons.append(f"check {data.asset_key.to_user_string()}:{data.check_name} failed {desc}".strip())
        elif event.event_type_value == "STEP_FAILURE":
            reasons.append(f"step {event.step_key} failed: {_error_line(event.event_specific_data.error)}")
        elif event.event_type_value in ("RESOURCE_INIT_FAILURE", "PIPELINE_FAILURE", "ENGINE_EVENT"):  # PIPELINE_ = run
            err = getattr(event.event_specific_data, "error", None)
            if err is not None:
                run_errors.append(_error_line(err))
    return "; ".join(dict.fromkeys(reasons or run_errors)) or "the run did not succeed (see the Dagster run log)"


def failure_reason(result) -> str:
    """One line naming what stopped the build (from an execute_in_process result)."""
    return failure_reason_from_events(result.all_events)


def cmd_build(args: argparse.Namespace) -> int:
    _set_paths(args)
    keys = partition_range(args.period, args.from_, args.to)
    started = time.monotonic()
    early = _lock_held_elsewhere()
    if early:
        print(f"ipwh build: failed: {early}", file=sys.stderr)
        return 3
    import dagster as dg
    from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

    from .definitions import defs
    from .partitions import monthly_periods
    from .publish import BuildLockedError
    from .settings import get_settings

    all_keys = monthly_periods.get_partition_keys()
    explicit_range = keys is not None
    if keys is None:
        keys = (all_keys[0], all_keys[-1])
    for key in keys:
        if key not in all_keys:
            print(f"ipwh build: failed: period {key[:7]} is outside the periods {all_keys[0][:7]}..{all_keys[-1][:7]}",
                  file=sys.stderr)
            return 2
    job = defs.resolve_job_def("build_warehouse")
    if explicit_range:
        from .fingerprint import inputs_fingerprint, published_fingerprint

        s = get_settings()
        if published_fingerprint(s.warehouse_path) == inputs_fingerprint(s.landing_dir, s.region_pack):
            print("ipwh build: landing files, dbt project and settings unchanged since the published build: "
                  "rebuilding the period marts only")
            job = defs.resolve_job_def("rebuild_periods")
    instance = dg.DagsterInstance.ephemeral() if os.environ.get("IPWH_EPHEMERAL_INSTANCE") else dg.DagsterInstance.get()
    try:
        # Dagster's console logger prints every event at DEBUG; a build prints one line unless
        # IPWH_LOG_LEVEL asks for more (the full log is in the Dagster UI for a persistent instance).
        console_level = os.environ.get("IPWH_LOG_LEVEL", "WARNING").upper()
        result = job.execute_in_process(
            instance=instance,
            tags={ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[1]},
            run_config={"loggers": {"console": {"config": {"log_level": console_level}}}},
            raise_on_error=False,
        )
    except BuildLockedError as exc:
        print(f"ipwh build: failed: {exc}", file=sys.stderr)
        return 3
    elapsed = time.monotonic() - started
    if not result.success:
        reason = failure_reason(result)
        _tag_failed_run(instance, result.run_id, reason)
        if "another build is running" in reason or "of an interrupted build still hold" in reason:
            print(f"ipwh build: failed: {reason}", file=sys.stderr)
            return 3
        print(f"ipwh build: failed after {elapsed:.1f}s, previous warehouse kept: {reason}", file=sys.stderr)
        return 1
    print(f"ipwh build: published {get_settings().warehouse_path} (periods {keys[0][:7]}..{keys[1][:7]}) "
          f"in {elapsed:.1f}s, run {result.run_id[:8]}")
    published = _published_metadata(result)
    stale = published.get("periods_with_other_settings", "none")
    if stale != "none":
        print(f"ipwh build: note: periods not rebuilt by this run were built with other settings ({stale}); "
              "rebuild them to apply the current settings", file=sys.stderr)
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


def _published_metadata(result) -> dict[str, object]:
    """The published_warehouse materialization's metadata, as plain values."""
    for event in result.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION":
            mat = event.event_specific_data.materialization
            if mat.asset_key.to_user_string() == "published_warehouse":
                return {k: getattr(v, "value", v) for k, v in mat.metadata.items()}
    return {}


def _tag_failed_run(instance, run_id: str, reason: str) -> None:
    """The reason on the run itself, so the Dagster UI's run list shows it too."""
    try:
        from .sensors import FAILURE_REASON_TAG

        instance.add_run_tags(run_id, {FAILURE_REASON_TAG: reason[:1000]})
    except Exception as exc:  # the reason was printed anyway; never mask it
        log.debug("could not tag run %s: %s", run_id, exc)


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

    from .reports.command import add_report_parser

    add_report_parser(sub)

    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
