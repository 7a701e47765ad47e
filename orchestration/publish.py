"""The work warehouse, the build lock, and the atomic publish.

Every run writes into one persistent work warehouse, ``<warehouse dir>/.build/build.duckdb``, under
the build lock. It starts as a copy of the published file (raw tables and audit tables carry over
between builds) and lives until it is published: a run that fails leaves it as it is, so the next
run, a re-execution from failure, or the next asset materialised from the UI continues from what
the earlier steps loaded. Its path never changes, so the dbt profile never changes and dbt's
partial parsing survives from build to build; the dbt target folder (artifacts, ``dbt.log``) sits
beside it in ``.build/dbt-target/``. ``.build/build.base`` names the published file the work file
was copied from; when the published file is no longer that one (a restore, another build's
publish), the work file is started again from the published one.

Publishing fsyncs the work file, keeps the current published file as ``*.previous.duckdb`` for a
manual restore, and renames the work file over the published path in one step. Readers that
already opened the old file keep reading it; new readers see the new one; nobody sees half a build.

The build lock (``filelock`` on ``<warehouse>.lock``, holding the builder's pid) makes a second
build wait (``IPWH_LOCK_WAIT_SECONDS``, or a run's ``ipwh/lock_wait_seconds`` tag) or fail clearly
instead of interleaving. The kernel drops it when a build is killed, even by ``kill -9``; dbt runs
under a parent-death signal, so no process of a killed build keeps writing. DuckDB replays the
work file's write-ahead log when it is next opened, so a killed run leaves a consistent work file
(what the audit table ``audit.build_steps`` says was finished is there).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)


class BuildLockedError(RuntimeError):
    pass


@contextmanager
def build_lock(lock_path: Path, wait_seconds: float = 0.0, owner: str = "",
               on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the exclusive build lock, waiting up to ``wait_seconds`` for another build to finish.
    ``owner`` (say "run 1a2b3c4d") is written into the lock file beside the pid, for whoever finds it
    taken; ``on_wait`` is told who holds it when this build has to wait."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path), timeout=0, thread_local=False)

    def holder() -> str:
        try:
            return lock_path.read_text().strip() or "unknown"
        except OSError:
            return "unknown"

    try:
        lock.acquire(timeout=0)
    except Timeout:
        if wait_seconds <= 0:
            raise BuildLockedError(
                f"another build is running ({holder()}); wait for it to finish or set IPWH_LOCK_WAIT_SECONDS"
            ) from None
        if on_wait is not None:
            on_wait(f"another build is running ({holder()}): waiting up to {wait_seconds:.0f}s for it to finish")
        try:
            lock.acquire(timeout=wait_seconds, poll_interval=0.5)
        except Timeout:
            raise BuildLockedError(
                f"another build is running ({holder()}) after waiting {wait_seconds:.0f}s; wait for it to "
                "finish or set IPWH_LOCK_WAIT_SECONDS"
            ) from None
    try:
        lock_path.write_text(f"pid {os.getpid()} {'(' + owner + ') ' if owner else ''}since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        yield
    finally:
        try:
            lock_path.write_text("")
        finally:
            lock.release()


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


def clear_stale_work_files(work_dir: Path, published: Path | None = None) -> list[Path]:
    """Remove what a killed copy, publish or restore left half done. Call only while holding the
    build lock. The work file itself is kept: it is the state the next run continues from."""
    removed: list[Path] = []
    if work_dir.is_dir():
        for path in work_dir.glob("*.copying"):
            path.unlink(missing_ok=True)
            removed.append(path)
    if published is not None:
        for suffix in PUBLISH_LEFTOVER_SUFFIXES:
            for leftover in published.parent.glob(f"{published.stem}*{suffix}"):
                leftover.unlink(missing_ok=True)
                removed.append(leftover)
    return removed


def _identity(path: Path) -> dict[str, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return {"inode": stat.st_ino, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def base_file_of(work_file: Path) -> Path:
    return work_file.with_suffix(".base")


def discard_work_file(work_file: Path) -> None:
    for path in (work_file, Path(str(work_file) + ".wal"), base_file_of(work_file)):
        path.unlink(missing_ok=True)


def prepare_work_file(published: Path, work_file: Path) -> tuple[Path, bool]:
    """The work warehouse to build into, and whether it continues unpublished work.

    An existing work file copied from the file published now is kept (what earlier runs loaded
    and built is not lost); otherwise it becomes a fresh copy of the published warehouse (or
    nothing, for a first build)."""
    work_file.parent.mkdir(parents=True, exist_ok=True)
    base_file = base_file_of(work_file)
    base = _identity(published)
    if work_file.exists() and base_file.exists():
        try:
            recorded = json.loads(base_file.read_text())
        except (OSError, ValueError):
            recorded = "unreadable"
        if recorded == base:
            return work_file, True
        log.warning("the work warehouse %s was started from another published file; starting again from %s",
                    work_file, published)
    discard_work_file(work_file)
    if published.exists():
        tmp = work_file.with_suffix(".copying")
        shutil.copyfile(published, tmp)
        os.replace(tmp, work_file)
    base_file.write_text(json.dumps(base))
    return work_file, False


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


def _replace_published(work_file: Path, published: Path) -> None:
    """The one step that makes a build visible."""
    os.replace(work_file, published)


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
    _replace_published(work_file, published)
    base_file_of(work_file).unlink(missing_ok=True)
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
