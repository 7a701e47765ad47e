"""Build-into-a-copy, then publish atomically.

A build works on its own file under ``<warehouse dir>/.build/`` (a copy of the published
warehouse, so raw tables and the load log carry over between builds). Publishing fsyncs that
file, keeps the current published file as ``*.previous.duckdb`` for a manual restore, and renames
the build over the published path in one step. Readers that already opened the old file keep
reading it; new readers see the new one; nobody sees half a build. A build lock (flock) makes a
second concurrent build fail clearly instead of interleaving; the kernel drops it if a build is
killed, and the next build clears the dead build's work files.
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
                raise BuildLockedError(
                    f"another build is running ({holder}); wait for it to finish or set IPWH_LOCK_WAIT_SECONDS"
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


def clear_stale_work_files(work_dir: Path) -> list[Path]:
    """Work files left by a killed build. Call only while holding the build lock."""
    removed = []
    if work_dir.is_dir():
        for path in work_dir.iterdir():
            if path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
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
