"""Operations: re-runs, backfills, the landing sensor, kill -9, concurrent builds, readers.

Every build here is the real command, `ipwh build` in a subprocess, on a copy of the hand-worked
landing folder tests/fixtures/landing_basic (see its README for the numbers). The builds share one
warehouse, in this order: a whole build; a build of 2024-06 killed by kill -9 while dbt runs; a
build of 2024-06 (continuing that one's work) killed by kill -9 in the middle of publishing; a re-run of one period (it continues the
killed builds' unpublished work and gives identical metric rows); a backfill of 2020 with a
changed setting, during which a reader queries the published file in a loop and a second build is
refused; a restore of the previous file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.publish import BuildLockedError, build_lock
from tests.conftest import FIXTURES, REPO_ROOT

D = dt.date
IPWH = REPO_ROOT / ".venv" / "bin" / "ipwh"
BUILD_TIMEOUT = 300


# --- helpers ---------------------------------------------------------------------------------------


def read_published(warehouse: Path, sql: str, params=None) -> list[tuple]:
    """Query the published file the way dashboards/data.py does: a fresh in-memory database with
    the file attached read-only, closed at once."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{warehouse}' AS warehouse (READ_ONLY)")
        con.execute("USE warehouse")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


METRIC_ROWS = """
    SELECT count(*), md5(string_agg(concat_ws('|', period_end, region_code, industry_code, metric_code,
                                              value, numerator, denominator), chr(10)
                                    ORDER BY period_end, region_code, industry_code, metric_code))
    FROM marts.metric_values WHERE {where}
"""


def metric_hash(warehouse: Path, where: str = "true") -> tuple[int, str]:
    return read_published(warehouse, METRIC_ROWS.format(where=where))[0]


def city_value(warehouse: Path, period: dt.date, region: str = "410900") -> float | None:
    rows = read_published(warehouse, """SELECT value FROM marts.metric_values
        WHERE metric_code = 'valid_invention_patents' AND industry_code = 'ALL' AND region_code = ? AND period_end = ?""",
                          [region, period])
    return rows[0][0] if rows else None


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Builds:
    """Starts `ipwh build` subprocesses on one landing folder and warehouse."""

    def __init__(self, base: Path):
        self.base = base
        self.landing = base / "landing"
        self.warehouse = base / "wh" / "ipwh.duckdb"
        self.count = 0
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("IPWH_", "DBT_"))}
        self.env.update({
            "IPWH_LANDING_DIR": str(self.landing),
            "IPWH_WAREHOUSE": str(self.warehouse),
            "IPWH_EPHEMERAL_INSTANCE": "1",
            "DAGSTER_HOME": str(base / "dagster_home"),
            "GX_ANALYTICS_ENABLED": "false",
            "DAGSTER_DISABLE_TELEMETRY": "1",
            "PYTHONPATH": str(REPO_ROOT),  # the checkout under test, whatever is installed
        })
        (base / "dagster_home").mkdir(parents=True, exist_ok=True)

    def start(self, *args: str, **env: str) -> tuple[subprocess.Popen, Path]:
        self.count += 1
        log = self.base / f"build-{self.count}.log"
        command = [str(IPWH)] if IPWH.exists() else [sys.executable, "-m", "orchestration.cli"]
        proc = subprocess.Popen([*command, "build", *args], cwd=REPO_ROOT, env={**self.env, **env},
                                stdout=log.open("w"), stderr=subprocess.STDOUT)
        return proc, log

    def start_paused_at_publish(self, marker: Path, *args: str) -> subprocess.Popen:
        """`ipwh build` that stops just before its publishing rename (tests/integration/pausing_build.py)."""
        self.count += 1
        log = self.base / f"build-{self.count}.log"
        runner = REPO_ROOT / "tests" / "integration" / "pausing_build.py"
        return subprocess.Popen([sys.executable, str(runner), str(marker), "120", *args], cwd=REPO_ROOT,
                                env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT)

    def run(self, *args: str, **env: str) -> tuple[int, str]:
        proc, log = self.start(*args, **env)
        code = proc.wait(timeout=BUILD_TIMEOUT)
        return code, log.read_text()


def processes_holding(paths: list[Path]) -> set[int]:
    """Processes other than this one holding a lock on any of ``paths`` (DuckDB locks the files it
    has open), from /proc/locks."""
    inodes = {os.stat(p).st_ino for p in paths if p.exists()}
    holders = set()
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        # "1: POSIX  ADVISORY  WRITE 1234 fd:01:5678 0 EOF" (blocked waiters carry a "->" field)
        if "->" in fields or len(fields) < 6:
            continue
        try:
            pid, inode = int(fields[4]), int(fields[5].rsplit(":", 1)[1])
        except (ValueError, IndexError):
            continue
        if inode in inodes and pid != os.getpid():
            holders.add(pid)
    return holders


def wait_for(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the build ended (exit {proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def last_line(log: str) -> str:
    return [line for line in log.splitlines() if line.strip()][-1]


# --- the shared warehouse ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ops(tmp_path_factory):
    builds = Builds(tmp_path_factory.mktemp("operations"))
    shutil.copytree(FIXTURES / "landing_basic", builds.landing)  # copy2: modification times kept
    code, log = builds.run()
    assert code == 0, log[-3000:]
    return {"builds": builds, "first_log": log, "base_hash": metric_hash(builds.warehouse),
            "base_sha": file_sha(builds.warehouse)}


def test_a_whole_build_records_every_period_lineage(ops):
    wh = ops["builds"].warehouse
    (run_id,) = read_published(wh, "SELECT run_id FROM audit.build_info")[0]
    rows = read_published(wh, """SELECT count(*), min(period_end), max(period_end), count(DISTINCT run_id),
                                        any_value(json_extract_string(settings_json, 'invention_term_years')),
                                        any_value(files_json)
                                 FROM audit.period_lineage""")
    count, first, last, runs, term, files_json = rows[0]
    # the fixture's data runs from 2003-10 (P5 filed) to 2024-06 (the newest export)
    assert (first, last) == (D(2003, 10, 31), D(2024, 6, 30))
    assert count == (2024 - 2003) * 12 + (6 - 10) + 1 and runs == 1
    assert term == "20"
    files = {f["file"] for f in json.loads(files_json)}
    # the six readable files; the trademark export misfiled under patents/ was rejected
    assert files == {"enterprises/规上工业企业_2021.csv", "hightech/高新技术企业名单_2022.xlsx",
                     "patents/patents_2024-06.csv", "patents/专利导出_20210430.csv",
                     "population/七普人口.csv", "population/年末常住人口_2021.csv"}
    assert read_published(wh, "SELECT DISTINCT run_id FROM audit.period_lineage") == [(run_id,)]


# --- kill -9 --------------------------------------------------------------------------------------


def test_kill_9_during_the_transform_keeps_the_published_warehouse(ops):
    builds: Builds = ops["builds"]
    work_file = builds.warehouse.parent / ".build" / "build.duckdb"
    proc, _log = builds.start("--period", "2024-06")
    # dbt is running when a process other than the build itself holds the work file
    wait_for(lambda: processes_holding([work_file]) - {proc.pid}, 120, "dbt to open the work file", proc)
    time.sleep(1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    # dbt was started under a parent-death signal: nothing of the dead build holds the work file
    wait_for(lambda: not processes_holding([work_file]), 10, "the dead build's dbt to end")
    assert file_sha(builds.warehouse) == ops["base_sha"]
    assert metric_hash(builds.warehouse) == ops["base_hash"]
    # the killed build's work stays for the next build to continue
    assert work_file.exists()


def test_kill_9_during_the_publish_keeps_the_published_warehouse(ops):
    builds: Builds = ops["builds"]
    marker = builds.base / "paused-at"
    proc = builds.start_paused_at_publish(marker, "--period", "2024-06")
    # paused after the old file became ipwh.previous.duckdb and before the rename over ipwh.duckdb
    wait_for(marker.exists, 180, "the build to reach the publish step", proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert file_sha(builds.warehouse) == ops["base_sha"]
    assert metric_hash(builds.warehouse) == ops["base_hash"]
    previous = builds.warehouse.with_name("ipwh.previous.duckdb")
    assert file_sha(previous) == ops["base_sha"]
    # what the killed build leaves: its unpublished work file (continued by the next build)
    assert (builds.warehouse.parent / ".build" / "build.duckdb").exists()


# --- re-running one period -------------------------------------------------------------------------


def test_rerunning_a_period_recovers_and_gives_identical_metric_rows(ops):
    builds: Builds = ops["builds"]
    wh = builds.warehouse
    runs_before = dict(read_published(wh, "SELECT period_end, run_id FROM audit.period_lineage"))
    dbt_log = wh.parent / ".build" / "dbt-target" / "dbt.log"
    dbt_log_size = dbt_log.stat().st_size
    # -v: the run's log, not the progress bars; dbt's log file at debug (builds write it at info,
    # orchestration/bin/dbt-in-build) for test_dbt_partial_parsing_survives_between_builds below
    code, log = builds.run("--period", "2021-04", "-v", DBT_LOG_LEVEL_FILE="debug")
    assert code == 0, log[-3000:]
    if dbt_log.stat().st_size < dbt_log_size:  # dbt rotated its log (10 MB) during the run
        appended = dbt_log.with_name("dbt.log.1").read_bytes()[dbt_log_size:] + dbt_log.read_bytes()
    else:
        with dbt_log.open("rb") as f:
            f.seek(dbt_log_size)
            appended = f.read()
    ops["period_dbt_log"] = appended.decode(errors="replace")
    # the next build continued the work the killed ones left, without anyone's help, and published it
    assert "continuing the unpublished work of earlier runs" in log
    assert not (wh.parent / ".build" / "build.duckdb").exists()
    assert not list(wh.parent.glob("*.linking"))
    assert metric_hash(wh) == ops["base_hash"]
    runs_after = dict(read_published(wh, "SELECT period_end, run_id FROM audit.period_lineage"))
    changed = {p for p in runs_after if runs_after[p] != runs_before[p]}
    # 2021-04 rebuilt by this run; 2024-06 rebuilt by the build killed while publishing, whose
    # work this run published with its own
    assert changed == {D(2021, 4, 30), D(2024, 6, 30)}
    assert runs_after[D(2024, 6, 30)] != runs_after[D(2021, 4, 30)]


def test_dbt_partial_parsing_survives_between_builds(ops):
    # dbt's own log of the re-run (appended to .build/dbt-target/dbt.log): it read the
    # partial_parse.msgpack the earlier builds of this warehouse left there
    dbt_log = ops["period_dbt_log"]
    assert "Running with dbt=" in dbt_log and "Partial parsing enabled" in dbt_log
    assert "Unable to do partial parsing" not in dbt_log
    assert "Starting full parse" not in dbt_log
    assert "Partial parse save file not found" not in dbt_log


# --- a backfill with a changed setting, with a reader and a competing build ------------------------


def test_backfilling_a_range_after_a_setting_change_recomputes_only_that_range(ops):
    builds: Builds = ops["builds"]
    wh = builds.warehouse
    outside_2020 = "period_end < DATE '2020-01-31' OR period_end > DATE '2020-12-31'"
    before_outside = metric_hash(wh, outside_2020)
    builds_before = read_published(wh, "SELECT count(*) FROM audit.build_info")[0][0]

    reads: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                reads.append(read_published(wh, "SELECT count(*) FROM audit.build_info")[0][0])
                read_published(wh, "SELECT count(*) FROM marts.metric_values WHERE period_end = DATE '2020-04-30'")
            except Exception as exc:  # every failure counts, whatever its kind
                errors.append(repr(exc))
            time.sleep(0.02)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        # invention term 12 years instead of 20: P5 (filed 2003-10-15) lapses on 2015-10-15
        proc, log = builds.start("--from", "2020-01", "--to", "2020-12", IPWH_INVENTION_TERM_YEARS="12")
        lock_file = wh.with_name("ipwh.duckdb.lock")
        wait_for(lambda: lock_file.exists() and f"pid {proc.pid} " in lock_file.read_text(), 120,
                 "the build to take the lock", proc)
        second = subprocess.run([str(IPWH) if IPWH.exists() else sys.executable, *([] if IPWH.exists() else ["-m", "orchestration.cli"]),
                                 "build"], cwd=REPO_ROOT, env={**builds.env, "IPWH_LOCK_WAIT_SECONDS": "0"},
                                capture_output=True, text=True, timeout=120)
        code = proc.wait(timeout=BUILD_TIMEOUT)
    finally:
        stop.set()
        thread.join(timeout=10)
    text = log.read_text()
    assert code == 0, text[-3000:]

    # two builds at once: the second one fails at once with one clear line, exit 3
    assert second.returncode == 3
    err_lines = second.stderr.strip().splitlines()
    assert err_lines[-1].startswith(f"ipwh build: failed: another build is running (pid {proc.pid} ")

    # the reader never failed, and saw the warehouse before and after the publish
    assert errors == []
    assert len(reads) > 20 and reads[0] == builds_before and reads[-1] == builds_before + 1

    # inside the range: recomputed with the new term (P1 P4 P8 at 2020-04; + P9 by 2020-12)
    assert city_value(wh, D(2020, 4, 30)) == 3
    assert city_value(wh, D(2020, 12, 31)) == 4
    assert city_value(wh, D(2020, 4, 30), region="410927") == 0  # P5's unit, 台前县
    # outside: untouched, still under the 20-year term (P1 P4 P5 P8 at 2019-12)
    assert metric_hash(wh, outside_2020) == before_outside
    assert city_value(wh, D(2019, 12, 31)) == 4
    assert city_value(wh, D(2021, 4, 30)) == 6

    # which setting each period was built with
    terms = dict(read_published(wh, """SELECT period_end, json_extract_string(settings_json, 'invention_term_years')
                                       FROM audit.period_lineage WHERE period_end IN
                                       (DATE '2019-12-31', DATE '2020-01-31', DATE '2020-12-31', DATE '2021-01-31')"""))
    assert terms == {D(2019, 12, 31): "20", D(2020, 1, 31): "12", D(2020, 12, 31): "12", D(2021, 1, 31): "20"}
    # and the build says which periods still use the other value
    assert "built with other settings (2003-10..2019-12, 2021-01..2024-06)" in text


def test_restore_previous_puts_back_the_warehouse_before_the_backfill(ops):
    builds: Builds = ops["builds"]
    command = [str(IPWH)] if IPWH.exists() else [sys.executable, "-m", "orchestration.cli"]
    done = subprocess.run([*command, "restore-previous"], cwd=REPO_ROOT, env=builds.env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert metric_hash(builds.warehouse) == ops["base_hash"]
    assert city_value(builds.warehouse, D(2020, 4, 30)) == 4


def test_a_window_past_the_data_says_which_months_got_nothing(ops):
    # landing_basic's data runs to 2024-06 (its newest export's as-of date); the window runs on to
    # the current month, which may be asked for (a new export could reach it) but has no data here
    builds: Builds = ops["builds"]
    this_month = dt.date.today().strftime("%Y-%m")
    code, log = builds.run("--from", "2024-05", "--to", this_month)
    assert code == 0, log[-3000:]
    assert (f"  periods built      2024-05..2024-06; no data for 2024-07..{this_month} "
            "(the data runs 2003-10..2024-06)") in log.splitlines()
    assert read_published(builds.warehouse, "SELECT max(period_end) FROM audit.period_lineage") == [(D(2024, 6, 30),)]


# --- the build lock ------------------------------------------------------------------------------


def test_a_second_build_waits_for_the_lock_when_told_to(tmp_path):
    lock = tmp_path / "ipwh.duckdb.lock"
    acquired = threading.Event()
    release = threading.Event()

    def first() -> None:
        with build_lock(lock, owner="run 1a2b3c4d"):
            acquired.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    acquired.wait(5)
    with pytest.raises(BuildLockedError, match=r"another build is running \(pid \d+ \(run 1a2b3c4d\) since "):
        with build_lock(lock, wait_seconds=0):
            pass
    threading.Timer(0.5, release.set).start()
    started = time.monotonic()
    told = []
    with build_lock(lock, wait_seconds=10, on_wait=told.append):
        waited = time.monotonic() - started
    thread.join()
    assert 0.3 < waited < 5
    # a run that waits says so, and for whom, before it waits (not a silent pause)
    assert len(told) == 1 and "run 1a2b3c4d" in told[0] and "waiting up to 10s" in told[0]


# --- the landing sensor --------------------------------------------------------------------------


@pytest.fixture
def sensor_env(ops, tmp_path, monkeypatch):
    """A copy of the landing folder the shared warehouse was built from, watched by the sensor."""
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURES / "landing_basic", landing)
    monkeypatch.setenv("IPWH_LANDING_DIR", str(landing))
    monkeypatch.setenv("IPWH_WAREHOUSE", str(ops["builds"].warehouse))
    monkeypatch.setenv("IPWH_SENSOR_SETTLE_SECONDS", "0")
    return landing


def tick(cursor: str | None, instance=None):
    from orchestration.sensors import landing_folder_sensor

    context = dg.build_sensor_context(cursor=cursor, instance=instance or dg.DagsterInstance.ephemeral())
    result = landing_folder_sensor(context)
    return result, context.cursor


def test_the_sensor_does_not_fire_on_a_folder_the_warehouse_was_built_from(sensor_env):
    first, cursor = tick(None)  # compared with the published load log and build info
    assert isinstance(first, dg.SkipReason)
    again, cursor_again = tick(cursor)
    assert isinstance(again, dg.SkipReason) and cursor_again == cursor
    # a touched file, same content: nothing to do
    touched = sensor_env / "population" / "七普人口.csv"
    os.utime(touched, (time.time() - 100, time.time() - 100))
    result, _ = tick(cursor)
    assert isinstance(result, dg.SkipReason)


def test_the_sensor_fires_on_a_new_file_and_on_a_changed_one(sensor_env):
    _, cursor = tick(None)
    new_file = sensor_env / "patents" / "patents_2024-07.csv"
    shutil.copy(sensor_env / "patents" / "patents_2024-06.csv", new_file)
    os.utime(new_file, (time.time() - 100, time.time() - 100))
    request, cursor = tick(cursor)
    assert isinstance(request, dg.RunRequest)
    assert request.tags["ipwh/changed_files"] == "patents/patents_2024-07.csv"
    assert request.job_name == "build_warehouse"
    assert request.run_config["ops"]["dbt_models"]["config"] == {"first_period": "", "last_period": ""}
    assert request.tags["ipwh/lock_wait_seconds"] == "3600"
    # until the warehouse is rebuilt, every tick asks for the same build: Dagster starts one run per key
    again, cursor = tick(cursor)
    assert isinstance(again, dg.RunRequest) and again.run_key == request.run_key

    changed = sensor_env / "population" / "年末常住人口_2021.csv"
    changed.write_bytes(changed.read_bytes().replace(b"361", b"362"))
    os.utime(changed, (time.time() - 100, time.time() - 100))
    request2, cursor = tick(cursor)
    assert isinstance(request2, dg.RunRequest)
    assert request2.tags["ipwh/changed_files"] == "patents/patents_2024-07.csv, population/年末常住人口_2021.csv"
    assert request2.run_key != request.run_key


def test_the_sensor_fires_when_a_setting_changes(sensor_env, monkeypatch):
    quiet, cursor = tick(None)
    assert isinstance(quiet, dg.SkipReason)
    monkeypatch.setenv("IPWH_FEE_WARNING_WINDOW_DAYS", "60")
    request, _ = tick(cursor)
    assert isinstance(request, dg.RunRequest)
    assert request.tags["ipwh/changed_files"] == "(code or settings)"


def test_the_sensor_waits_for_a_file_still_being_copied(sensor_env, monkeypatch):
    _, cursor = tick(None)
    monkeypatch.setenv("IPWH_SENSOR_SETTLE_SECONDS", "60")
    (sensor_env / "patents" / "patents_2024-08.csv").write_text("申请号\n")
    result, cursor_after = tick(cursor)
    assert isinstance(result, dg.SkipReason) and "settle" in result.skip_message
    assert cursor_after == cursor


# --- small pieces --------------------------------------------------------------------------------


def test_what_a_killed_copy_or_publish_left_is_cleared_and_the_work_warehouse_kept(tmp_path):
    from orchestration.publish import clear_stale_work_files

    published = tmp_path / "ipwh.duckdb"
    published.write_bytes(b"the published warehouse")
    work = tmp_path / ".build"
    (work / "dbt-target").mkdir(parents=True)
    leftovers = [work / "build.copying", tmp_path / "ipwh.previous.linking", tmp_path / "ipwh.restoring"]
    kept = [work / "build.duckdb", work / "build.duckdb.wal", work / "build.base"]
    for path in leftovers + kept:
        path.write_bytes(b"half")
    removed = clear_stale_work_files(work, published)
    assert sorted(removed) == sorted(leftovers)
    assert published.read_bytes() == b"the published warehouse"
    assert all(path.exists() for path in kept)  # the unpublished work, for the next run to continue
    assert (work / "dbt-target").is_dir()  # dbt's target folder (partial parsing) stays


def test_a_dbt_failure_reads_as_one_line():
    from orchestration.failures import dbt_error_summary

    message = (
        "The dbt CLI process with command\n\n`dbt build`\n\nfailed with exit code `1`.\n\n"
        "Errors parsed from dbt logs:\n\n"
        "176 of 194 ERROR creating sql table model marts.enterprise_facts ...... [\x1b[31mERROR\x1b[0m in 0.12s]\n\n"
        "\x1b[31mFailure in model enterprise_facts (models/marts/enterprise_facts.sql)\x1b[0m\n\n"
        "  Runtime Error in model enterprise_facts (models/marts/enterprise_facts.sql)\n"
        '  Binder Error: Referenced column "enterprise_id" not found in FROM clause!\n'
        "  LINE 12:     enterprise_id,\n"
    )
    assert dbt_error_summary(message) == (
        'dbt model enterprise_facts: Binder Error: Referenced column "enterprise_id" not found in FROM clause!')
    assert dbt_error_summary("KeyError: 'x'") is None


def test_a_failed_run_is_tagged_with_its_reason():
    from orchestration.failures import FAILURE_REASON_TAG
    from orchestration.sensors import build_failure_reason_sensor

    @dg.op
    def load_the_month():
        raise RuntimeError("the month's export has no header row")

    @dg.job
    def monthly_load():
        load_the_month()

    instance = dg.DagsterInstance.ephemeral()
    result = monthly_load.execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    run = instance.get_run_by_id(result.run_id)
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)
    context = dg.build_run_status_sensor_context(
        sensor_name="build_failure_reason_sensor", dagster_instance=instance, dagster_run=run,
        dagster_event=failure).for_run_failure()
    build_failure_reason_sensor(context)
    tags = instance.get_run_by_id(result.run_id).tags
    assert tags[FAILURE_REASON_TAG] == "step load_the_month failed: RuntimeError: the month's export has no header row"


def test_the_monthly_schedule_builds_every_period():
    from orchestration.definitions import build_definitions
    from orchestration.schedules import monthly_build_schedule

    assert build_definitions().resolve_schedule_def("monthly_build_schedule").cron_schedule == "0 6 5 * *"
    when = dt.datetime(2025, 8, 5, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    request = monthly_build_schedule(dg.build_schedule_context(scheduled_execution_time=when))
    assert request.job_name == "build_warehouse"
    assert request.run_config["ops"]["dbt_models"]["config"] == {"first_period": "", "last_period": ""}
    assert request.tags["ipwh/trigger"] == "monthly_build_schedule"
    assert request.tags["ipwh/lock_wait_seconds"] == "3600"
