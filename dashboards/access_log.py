"""The access log: who signed in (or failed to), which pages they opened and what they downloaded.

One JSON object per line in a file beside the published warehouse (setting ``access_log``: env
``IPWH_ACCESS_LOG``, default ``<warehouse folder>/access_log.jsonl``), outside the warehouse itself so
that a new build never replaces it. Each line has ``at`` (UTC, ISO 8601), ``event``, ``user``,
``role``, ``region_code``, ``client`` (the browser's address), and where it applies ``page``,
``query`` and ``detail`` (the file downloaded, the reason of a refusal). Passwords are never logged.

Events: ``sign_in``, ``sign_in_failed``, ``sign_in_locked``, ``session_resumed`` (a signed token after
a refresh or in a new tab), ``sign_out``, ``idle_timeout``, ``page``, ``download``, ``access_denied``,
``refused`` (no or a broken user file).

Read it with ``python -m dashboards.access_log [--since YYYY-MM-DD] [--user NAME]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

LOG = logging.getLogger(__name__)
_WRITE_LOCK = threading.Lock()
EVENTS = (
    "sign_in", "sign_in_failed", "sign_in_locked", "session_resumed", "sign_out", "idle_timeout",
    "page", "download", "access_denied", "refused",
)


def log_path() -> Path:
    from orchestration.settings import get_settings

    return Path(get_settings().access_log)


def record(event: str, *, user: str | None = None, role: str | None = None, region_code: str | None = None,
           client: str | None = None, page: str | None = None, query: str | None = None, detail: str | None = None,
           path: Path | None = None) -> None:
    """Append one event. A log that cannot be written is reported in the server log, not to the viewer."""
    if event not in EVENTS:
        raise ValueError(f"unknown access event {event!r}")
    entry: dict[str, Any] = {"at": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "event": event,
                             "user": user, "role": role, "region_code": region_code, "client": client}
    for name, value in (("page", page), ("query", query), ("detail", detail)):
        if value not in (None, ""):
            entry[name] = value
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    target = Path(path) if path is not None else log_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _WRITE_LOCK:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
    except OSError as exc:
        LOG.error("access log %s not written (%s): %s", target, exc, line.strip())


def entries(path: Path | None = None) -> Iterator[dict[str, Any]]:
    target = Path(path) if path is not None else log_path()
    if not target.exists():
        return
    with open(target, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboards.access_log", description="Show the dashboards' access log.")
    parser.add_argument("--file", help="the log (default: IPWH_ACCESS_LOG or beside the warehouse)")
    parser.add_argument("--since", help="only events on or after this date (YYYY-MM-DD, UTC)")
    parser.add_argument("--user", help="only this user's events")
    args = parser.parse_args(argv)
    try:
        for entry in entries(Path(args.file) if args.file else None):
            if args.since and entry["at"][:10] < args.since or args.user and entry.get("user") != args.user:
                continue
            extra = " ".join(f"{k}={entry[k]}" for k in ("page", "query", "detail") if k in entry)
            print(f"{entry['at']}\t{entry['event']}\t{entry.get('user') or '-'}\t{entry.get('client') or '-'}\t{extra}")
    except (OSError, ValueError) as exc:
        print(f"python -m dashboards.access_log: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
