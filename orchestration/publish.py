"""Build-into-a-copy, then publish atomically.

A build works on its own file, ``<warehouse dir>/.build/build.duckdb`` (a copy of the published
warehouse, so raw tables and the audit tables carry over between builds). Its path never changes,
so the dbt profile never changes and dbt's partial parsing survives from build to build; the dbt
target folder (artifacts, ``dbt.log``) sits beside it in ``.build/dbt-target/``. Publishing fsyncs
the work file, keeps the current published file as ``*.previous.duckdb`` for a manual restore, and
renames the build over the published path in one step. Readers that already opened the old file
keep reading it; new readers see the new one; nobody sees half a build.

A build lock (flock on ``<warehouse>.lock``) makes a second concurrent build wait
(``IPWH_LOCK_WAIT_SECONDS``) or fail clearly instead of interleaving. The kernel drops the lock when
a build is killed, even by ``kill -9``; the next build, holding the lock, waits until no process
of the dead build still has a work file open (dbt runs under a parent-death signal, so normally
none has) and then clears what it left: the work file, its write-ahead log, a half-copied
``.copying`` file, and a ``.linking`` / ``.restoring`` file beside the published one.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)


class BuildLockedError(RuntimeError):
    pass


@contextmanager
def build_lock(lock_path: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the exclusive build lock, waiting up to ``wait_seconds`` for another build to finish."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = lock_path.open("a+")
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                handle.close()
                waited = f" after waiting {wait_seconds:.0f}s" if wait_seconds > 0 else ""
                raise BuildLockedError(
                    f"another build is running ({holder}){waited}; wait for it to finish or set IPWH_LOCK_WAIT_SECONDS"
                ) from None
            time.sleep(0.5)
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    handle.flush()
    try:
        yield
    finally:
        handle.seek(0)
        handle.truncate()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


WORK_FILE_NAME = "build.duckdb"
DBT_TARGET_DIR_NAME = "dbt-target"
# Left beside the published file by a publish or restore that was killed half way.
PUBLISH_LEFTOVER_SUFFIXES = (".linking", ".restoring")


def work_dir_of(published: Path) -> Path:
    return published.parent / ".build"


def work_file_of(published: Path) -> Path:
    """The one work file of the warehouse: a fixed path keeps the dbt profile, and so partial parsing, stable."""
    return work_dir_of(published) / WORK_FILE_NAME


def dbt_target_dir_of(published: Path) -> Path:
    return work_dir_of(published) / DBT_TARGET_DIR_NAME


def processes_holding(paths: list[Path]) -> set[int]:
    """Other processes holding a lock on any of ``paths`` (DuckDB locks the files it has open).

    Read from /proc/locks (Linux); elsewhere nothing is known and nothing is returned.
    """
    inodes = set()
    for path in paths:
        try:
            inodes.add(os.stat(path).st_ino)
        except OSError:
            continue
    if not inodes:
        return set()
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return set()
    holders = set()
    for line in lines:
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


def clear_stale_work_files(work_dir: Path, published: Path | None = None, wait_seconds: float = 120.0) -> list[Path]:
    """Remove what a killed build left. Call only while holding the build lock.

    If a process of the dead build still has a work file open (an orphaned dbt), wait up to
    ``wait_seconds`` for it to end rather than pull the file from under it.
    """
    removed: list[Path] = []
    if work_dir.is_dir():
        stale = [p for p in work_dir.iterdir() if p.is_file()]
        deadline = time.monotonic() + wait_seconds
        holders = processes_holding(stale)
        if holders:
            log.warning("processes %s of an interrupted build still hold %s; waiting for them to end",
                        sorted(holders), work_dir)
        while holders:
            if time.monotonic() >= deadline:
                raise BuildLockedError(
                    f"processes {sorted(holders)} of an interrupted build still hold files in {work_dir}; "
                    "end them, then build again"
                )
            time.sleep(0.5)
            holders = processes_holding(stale)
        for path in stale:
            path.unlink(missing_ok=True)
            removed.append(path)
    if published is not None:
        for suffix in PUBLISH_LEFTOVER_SUFFIXES:
            for leftover in published.parent.glob(f"{published.stem}*{suffix}"):
                leftover.unlink(missing_ok=True)
                removed.append(leftover)
    return removed


def prepare_work_file(published: Path, work_file: Path) -> Path:
    """A private copy of the published warehouse (or nothing, for a first build) to build into."""
    work_file.parent.mkdir(parents=True, exist_ok=True)
    work_file.unlink(missing_ok=True)
    Path(str(work_file) + ".wal").unlink(missing_ok=True)
    if published.exists():
        tmp = work_file.with_suffix(".copying")
        shutil.copyfile(published, tmp)
        os.replace(tmp, work_file)
    return work_file


def pause_for_tests(point: str) -> None:
    """Test hook: sleep at a named point (``IPWH_TEST_PAUSE_AT=point:seconds``) so a test can kill a
    build there. Does nothing unless that variable names this point."""
    spec = os.environ.get("IPWH_TEST_PAUSE_AT", "")
    name, _, seconds = spec.partition(":")
    if name == point:
        log.warning("IPWH_TEST_PAUSE_AT: pausing %s s at %s", seconds or "30", point)
        marker = os.environ.get("IPWH_TEST_PAUSE_MARKER")
        if marker:
            Path(marker).write_text(point)
        time.sleep(float(seconds or 30))


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(work_file: Path, published: Path, previous: Path) -> None:
    """Atomically make ``work_file`` the published warehouse, keeping the old one as ``previous``."""
    if Path(str(work_file) + ".wal").exists():
        raise RuntimeError(f"{work_file} still has a write-ahead log; close every connection before publishing")
    published.parent.mkdir(parents=True, exist_ok=True)
    _fsync_file(work_file)
    if published.exists():
        keep = previous.with_suffix(".linking")
        keep.unlink(missing_ok=True)
        os.link(published, keep)
        os.replace(keep, previous)
        # rename() between two links of one file (a publish killed after this point last time left
        # previous and published as one file) does nothing and leaves the source name behind
        keep.unlink(missing_ok=True)
    pause_for_tests("publish")
    os.replace(work_file, published)
    _fsync_dir(published.parent)
    log.info("published %s", published)


def restore_previous(published: Path, previous: Path) -> None:
    """Put the previously published warehouse back (runbook: restore)."""
    if not previous.exists():
        raise FileNotFoundError(f"no previous warehouse at {previous}")
    tmp = published.with_suffix(".restoring")
    shutil.copyfile(previous, tmp)
    _fsync_file(tmp)
    os.replace(tmp, published)
    _fsync_dir(published.parent)
