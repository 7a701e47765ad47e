"""Fingerprints of what a build reads besides the period window.

- ``code_and_settings_fingerprint``: the dbt project's files, the pipeline's own code
  (orchestration/, expectations/) and the IPWH_* settings;
- ``inputs_fingerprint``: that, plus the landing files (path, size, modification time).

Both are recorded in ``audit.build_info`` when a build is published. When the inputs fingerprint
equals the published one, re-running some periods needs only the period marts; the landing sensor
compares the code-and-settings one to start a build after a change of code or settings.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .settings import DBT_PROJECT_DIR, REPO_ROOT

# environment variables that name places or switch logging, not what is computed
NOT_SETTINGS = {
    "IPWH_LANDING_DIR", "IPWH_WAREHOUSE", "IPWH_BUILD_DB", "IPWH_EPHEMERAL_INSTANCE", "IPWH_LOG_LEVEL",
    "IPWH_LOCK_WAIT_SECONDS", "IPWH_AUTH_CONFIG", "IPWH_PORT", "IPWH_DBT_EXECUTABLE", "IPWH_SENSOR_SETTLE_SECONDS",
    "IPWH_MONTHLY_BUILD_CRON", "IPWH_DUCKDB_MEMORY_LIMIT",
}
CODE_FOLDERS = (REPO_ROOT / "orchestration", REPO_ROOT / "expectations")


def _hash_files(h, root: Path, paths) -> None:
    for path in sorted(paths):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())


def code_and_settings_fingerprint(region_pack: str) -> str:
    h = hashlib.sha256()
    h.update(f"pack={region_pack}\n".encode())
    for folder in ("models", "macros", "seeds"):
        _hash_files(h, DBT_PROJECT_DIR, (DBT_PROJECT_DIR / folder).rglob("*"))
    _hash_files(h, DBT_PROJECT_DIR, [DBT_PROJECT_DIR / "dbt_project.yml"])
    for folder in CODE_FOLDERS:
        if folder.is_dir():
            _hash_files(h, REPO_ROOT, folder.rglob("*.py"))
    for key in sorted(os.environ):
        if key.startswith("IPWH_") and key not in NOT_SETTINGS and not key.startswith("IPWH_PERIOD_"):
            h.update(f"{key}={os.environ[key]}\n".encode())
    return h.hexdigest()


def inputs_fingerprint(landing: Path, region_pack: str) -> str:
    h = hashlib.sha256()
    h.update(code_and_settings_fingerprint(region_pack).encode())
    if landing.is_dir():
        for path in sorted(p for p in landing.rglob("*") if p.is_file()):
            stat = path.stat()
            h.update(f"{path.relative_to(landing).as_posix()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()


def published_fingerprints(warehouse: Path) -> dict[str, str | None]:
    """{'inputs': …, 'code_and_settings': …} recorded by the last build of the published warehouse."""
    empty: dict[str, str | None] = {"inputs": None, "code_and_settings": None}
    if not warehouse.exists():
        return empty
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{str(warehouse).replace(chr(39), chr(39) * 2)}' AS published (READ_ONLY)")
        columns = {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'published' "
            "AND schema_name = 'audit' AND table_name = 'build_info'").fetchall()}
        if "inputs_fingerprint" not in columns:
            return empty
        code = "code_fingerprint" if "code_fingerprint" in columns else "NULL"
        row = con.execute(f"SELECT inputs_fingerprint, {code} FROM published.audit.build_info "
                          "ORDER BY built_at DESC LIMIT 1").fetchone()
        return {"inputs": row[0], "code_and_settings": row[1]} if row else empty
    except Exception:  # an unreadable or foreign file: nothing known
        return empty
    finally:
        con.close()


def published_fingerprint(warehouse: Path) -> str | None:
    """The inputs fingerprint recorded by the last build of the published warehouse, if any."""
    return published_fingerprints(warehouse)["inputs"]
