"""Benchmark the whole build at a chosen scale and write a results table.

    .venv/bin/python bench/run_bench.py --scale city [--landing DIR] [--out bench/out] [--skip-generate]

The build is timed as a user runs it: `ipwh build` in a new process (start-up included), recording
its run in a DAGSTER_HOME of the bench's own (the on-disk history `ipwh build` uses), from which the
stages are read. For each stage (start-up, each source's ingest, the checks, dbt core, dbt period
marts, publish): wall time,
rows per second (ingest) and the peak resident memory of the process tree during the stage. Then:
the floor (the headline metrics by one hand-written DuckDB query over the same landing files) and
the ratio of build time to floor time, the time to re-run one monthly period, and each dashboard
page's server time (bench/dashboard_pages.py, when present). Appends a section to bench/RESULTS.md
unless --no-record. Not part of the test run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


class TreeMemorySampler(threading.Thread):
    """Samples the resident memory of this process and its children (dbt) every 0.1 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, int]] = []
        self._halt = threading.Event()

    @staticmethod
    def _tree_rss_kb(root: int) -> int:
        total = 0
        pids = [root]
        seen = set()
        while pids:
            pid = pids.pop()
            if pid in seen:
                continue
            seen.add(pid)
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                with open(f"/proc/{pid}/task/{pid}/children") as f:
                    pids += [int(c) for c in f.read().split()]
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
        return total

    def run(self) -> None:
        me = os.getpid()
        while not self._halt.is_set():
            self.samples.append((time.time(), self._tree_rss_kb(me)))
            time.sleep(0.1)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def peak_between(self, start: float, end: float) -> int:
        values = [kb for t, kb in self.samples if start <= t <= end]
        return max(values) if values else 0


def run_build(landing: Path, warehouse: Path, period: str | None = None) -> dict:
    """Time `ipwh build [--period P]` as a user runs it (a new process: start-up included), then read
    its stages from the run history it recorded (a DAGSTER_HOME of the bench's own)."""
    import dagster as dg

    from orchestration.dagster_home import ensure_dagster_home

    home = ensure_dagster_home(warehouse.parent.parent / "dagster_home")
    env = {**os.environ, "IPWH_LANDING_DIR": str(landing), "IPWH_WAREHOUSE": str(warehouse),
           "DAGSTER_HOME": str(home), "IPWH_LOG_LEVEL": "WARNING"}
    env.pop("IPWH_EPHEMERAL_INSTANCE", None)
    command = [str(Path(sys.executable).with_name("ipwh")), "build", *(["--period", period] if period else [])]
    sampler = TreeMemorySampler()
    sampler.start()
    began = time.time()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.time() - began
    sampler.stop()
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[1:])} failed:\n{(done.stderr or done.stdout)[-3000:]}")
    instance = dg.DagsterInstance.from_config(str(home))
    run = instance.get_runs(limit=1)[0]
    steps: dict[str, dict] = {}
    first_event = None
    for entry in instance.all_logs(run.run_id):
        first_event = entry.timestamp if first_event is None else first_event
        event = entry.dagster_event
        if event is None:
            continue
        if event.event_type_value == "STEP_START":
            steps.setdefault(event.step_key, {})["start"] = entry.timestamp
        elif event.event_type_value == "STEP_SUCCESS":
            steps.setdefault(event.step_key, {})["end"] = entry.timestamp
    stages = [{"stage": "start-up (interpreter, Dagster, definitions, run planning)",
               "seconds": (first_event or began) - began, "peak_mb": sampler.peak_between(began, first_event or began) / 1024}]
    for key, t in steps.items():
        if "start" in t and "end" in t:
            stages.append({"stage": key, "seconds": t["end"] - t["start"],
                           "peak_mb": sampler.peak_between(t["start"], t["end"]) / 1024})
    return {"wall": wall, "stages": stages, "job": run.job_name,
            "peak_mb": max((kb for _, kb in sampler.samples), default=0) / 1024}


def rows_loaded(warehouse: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return dict(con.execute("SELECT source, sum(rows_read) FROM audit.load_log WHERE status = 'loaded' GROUP BY 1").fetchall())
    finally:
        con.close()


FLOOR_SQL = """
WITH patents AS (
    SELECT * FROM read_csv(?, union_by_name = true, all_varchar = true, filename = true)
),
latest AS (
    SELECT replace(replace(replace(upper({appno}), 'CN', ''), 'ZL', ''), '.', '') AS appno,
           {kind} AS kind, {filed} AS filed, {granted} AS granted, {lapsed} AS lapsed, {address} AS address
    FROM patents
    QUALIFY row_number() OVER (PARTITION BY appno ORDER BY filename DESC) = 1
),
typed AS (
    SELECT appno, address,
           try_strptime(filed, ['%Y-%m-%d', '%Y%m%d', '%Y/%m/%d', '%Y.%m.%d'])::DATE AS filed,
           try_strptime(granted, ['%Y-%m-%d', '%Y%m%d', '%Y/%m/%d', '%Y.%m.%d'])::DATE AS granted,
           try_strptime(lapsed, ['%Y-%m-%d', '%Y%m%d', '%Y/%m/%d', '%Y.%m.%d'])::DATE AS lapsed
    FROM latest WHERE kind LIKE '%发明%'
),
years AS (SELECT make_date(y::INTEGER, 12, 31) AS period_end FROM range(2015, 2027) t(y))
SELECT y.period_end, regexp_extract(t.address, '(华龙区|清丰县|南乐县|范县|台前县|濮阳县|[^省]+市)', 1) AS unit, count(*) AS valid
FROM years y JOIN typed t
  ON t.granted <= y.period_end AND (t.lapsed IS NULL OR t.lapsed > y.period_end) AND t.filed + INTERVAL 20 YEAR > y.period_end
GROUP BY ALL
"""

FLOOR_COLUMNS = {
    "appno": ["申请号"], "kind": ["专利类型"], "filed": ["申请日"], "granted": ["授权公告日", "授权日"],
    "lapsed": ["失效日", "失效日期", "权利终止日"], "address": ["申请人地址", "地址", "专利权人地址"],
}


def floor_seconds(landing: Path) -> float | None:
    """The headline metrics by one DuckDB query over the UTF-8 patent files (GBK ones are skipped)."""
    import duckdb

    files = []
    for path in sorted((landing / "patents").glob("*.csv")):
        head = path.read_bytes()[:65536]
        try:
            head.decode("utf-8")
            files.append(str(path))
        except UnicodeDecodeError:
            continue
    if not files:
        return None
    con = duckdb.connect()
    began = time.time()
    try:
        present = {r[0] for r in con.execute(
            "DESCRIBE SELECT * FROM read_csv(?, union_by_name = true, all_varchar = true)", [files]).fetchall()}
        parts = {}
        for key, names in FLOOR_COLUMNS.items():
            found = [f'"{n}"' for n in names if n in present]
            parts[key] = f"coalesce({', '.join(found)})" if len(found) > 1 else (found[0] if found else "NULL")
        con.execute(FLOOR_SQL.format(**parts), [files]).fetchall()
    except duckdb.Error as exc:
        print(f"floor query failed: {exc}", file=sys.stderr)
        return None
    return time.time() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="city", choices=["city", "province", "nation"])
    parser.add_argument("--landing")
    parser.add_argument("--out", default=str(REPO / "bench" / "out"))
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    out = Path(args.out) / args.scale
    landing = Path(args.landing) if args.landing else out / "landing"
    warehouse = out / "warehouse" / "ipwh.duckdb"
    if args.scale != "city":
        os.environ["IPWH_REGION_PACK"] = "henan"
    gen_seconds = None
    if not args.skip_generate:
        from orchestration.sample import generate

        began = time.time()
        generate(landing, scale=args.scale)
        gen_seconds = time.time() - began
    work_dir = warehouse.parent / ".build"  # an earlier benchmark's unpublished work warehouse, if any
    for stale in (warehouse, warehouse.with_name("ipwh.previous.duckdb"), work_dir / "build.duckdb",
                  work_dir / "build.duckdb.wal", work_dir / "build.base"):
        stale.unlink(missing_ok=True)
    shutil.rmtree(out / "dagster_home", ignore_errors=True)  # run history of earlier benchmarks

    sys.path.insert(0, str(REPO / "bench"))
    from calibration import calibration_seconds

    calibration_before = calibration_seconds()
    full = run_build(landing, warehouse)
    loaded = rows_loaded(warehouse)
    # re-run the latest month-end period alone
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    last = con.execute("SELECT max(period_end) FROM marts.metric_values").fetchone()[0]
    con.close()
    # `ipwh build --period`: with inputs unchanged since the published build it runs the period marts only.
    # It builds into a copy of the published file (the old one is then renamed to ipwh.previous.duckdb),
    # so it needs the warehouse's size in free disk and some room to work; say so rather than fill the disk.
    rerun = None
    free = shutil.disk_usage(warehouse.parent).free
    needed = 1.1 * warehouse.stat().st_size
    if free >= needed:
        rerun = run_build(landing, warehouse, period=last.strftime("%Y-%m"))
    else:
        rerun_skipped = (f"not run: the re-run copies the {warehouse.stat().st_size / 2**30:.1f} GB warehouse "
                         f"(~{needed / 2**30:.0f} GB with room to work) and {free / 2**30:.0f} GB were free")
        print(f"re-run {rerun_skipped}", file=sys.stderr)
    calibration_after = calibration_seconds()
    floor = floor_seconds(landing)
    pages = None
    page_script = REPO / "bench" / "dashboard_pages.py"
    if page_script.exists():
        done = subprocess.run([sys.executable, str(page_script), "--warehouse", str(warehouse), "--runs", "3"],
                              capture_output=True, text=True, env={**os.environ, "IPWH_WAREHOUSE": str(warehouse)})
        try:
            report = json.loads((REPO / "bench" / "out" / "dashboard_pages.json").read_text(encoding="utf-8"))
            pages = {page: {"first_ms": round(1000 * t["first_s"]),
                            "new_build_ms": round(1000 * t["new_build_median_s"]),
                            "cached_ms": None if t["cached_median_s"] is None else round(1000 * t["cached_median_s"])}
                     for page, t in report["given"]["pages"].items()}
        except (OSError, ValueError, KeyError):
            pages = {"error": (done.stderr or done.stdout)[-500:]}

    lines = [f"## {args.scale} — {dt.date.today().isoformat()}", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
             f"Calibration (20M additions, median of 3; the targets assume 1.4 s): {calibration_before:.2f} s before "
             f"the builds, {calibration_after:.2f} s after; load average {os.getloadavg()[0]:.1f}.",
             f"Rows read: {sum(loaded.values()):,} ({', '.join(f'{k} {v:,}' for k, v in sorted(loaded.items()))})."
             + (f" Sample generated in {gen_seconds:.1f} s." if gen_seconds else ""), "",
             "| stage | wall s | rows/s | peak MB |", "|---|---:|---:|---:|"]
    for s in sorted(full["stages"], key=lambda s: -s["seconds"]):
        source = s["stage"].removeprefix("raw__") if s["stage"].startswith("raw__") and not s["stage"].endswith("expectations") else None
        rate = f"{loaded.get(source, 0) / s['seconds']:,.0f}" if source and s["seconds"] > 0 else ""
        lines.append(f"| {s['stage']} | {s['seconds']:.2f} | {rate} | {s['peak_mb']:.0f} |")
    lines += ["", f"- full build (`ipwh build`, start-up included): **{full['wall']:.1f} s**, peak memory {full['peak_mb']:.0f} MB",
              (f"- re-run of one period (`ipwh build --period {last:%Y-%m}`, job {rerun['job']}): **{rerun['wall']:.1f} s** "
               f"= {100 * rerun['wall'] / full['wall']:.0f}% of the full build" if rerun else
               f"- re-run of one period (`ipwh build --period {last:%Y-%m}`): {rerun_skipped}")]
    if floor:
        lines.append(f"- floor (one DuckDB query: valid inventions by unit at each year end): {floor:.2f} s; build / floor = {full['wall'] / floor:.0f}x")
    if pages:
        lines.append(f"- dashboard pages (server time, ms): {json.dumps(pages, ensure_ascii=False)}")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_record:
        results = REPO / "bench" / "RESULTS.md"
        header = "" if results.exists() else "# Benchmark results\n\nProduced by `bench/run_bench.py`. Targets (issue: speed and scale): city full build < 20 s, province < 3 min, nation < 30 min with peak < 12 GB, one period re-run < 15% of a full build, every dashboard page < 300 ms at province scale.\n\n"
        with results.open("a", encoding="utf-8") as f:
            f.write(header + text + "\n")


if __name__ == "__main__":
    main()
