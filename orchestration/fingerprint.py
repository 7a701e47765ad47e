"""A fingerprint of everything a build reads besides the period window: the landing files (path,
size, modification time), the dbt project's files and the IPWH_* settings. When it equals the
fingerprint of the published build, re-running some periods needs only the period marts."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .settings import DBT_PROJECT_DIR

# environment variables that name places or switch logging, not what is computed
NOT_SETTINGS = {
    "IPWH_LANDING_DIR", "IPWH_WAREHOUSE", "IPWH_BUILD_DB", "IPWH_EPHEMERAL_INSTANCE", "IPWH_LOG_LEVEL",
    "IPWH_LOCK_WAIT_SECONDS", "IPWH_AUTH_CONFIG", "IPWH_PORT", "IPWH_DBT_EXECUTABLE", "IPWH_SENSOR_SETTLE_SECONDS",
    "IPWH_MONTHLY_BUILD_CRON", "IPWH_DUCKDB_MEMORY_LIMIT", "IPWH_TEST_PAUSE_AT", "IPWH_TEST_PAUSE_MARKER",
}


def inputs_fingerprint(landing: Path, region_pack: str) -> str:
    h = hashlib.sha256()
    h.update(f"pack={region_pack}\n".encode())
    if landing.is_dir():
        for path in sorted(p for p in landing.rglob("*") if p.is_file()):
            stat = path.stat()
            h.update(f"{path.relative_to(landing).as_posix()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    for folder in ("models", "macros", "seeds"):
        for path in sorted((DBT_PROJECT_DIR / folder).rglob("*")):
            if path.is_file():
                h.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode())
                h.update(hashlib.sha256(path.read_bytes()).digest())
    h.update(hashlib.sha256((DBT_PROJECT_DIR / "dbt_project.yml").read_bytes()).digest())
    for key in sorted(os.environ):
        if key.startswith("IPWH_") and key not in NOT_SETTINGS and not key.startswith("IPWH_PERIOD_"):
            h.update(f"{key}={os.environ[key]}\n".encode())
    return h.hexdigest()


def published_fingerprint(warehouse: Path) -> str | None:
    """The fingerprint recorded by the last build of the published warehouse, if any."""
    if not warehouse.exists():
        return None
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{warehouse}' AS published (READ_ONLY)")
        columns = {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'published' "
            "AND schema_name = 'audit' AND table_name = 'build_info'").fetchall()}
        if "inputs_fingerprint" not in columns:
            return None
        row = con.execute("SELECT inputs_fingerprint FROM published.audit.build_info ORDER BY built_at DESC LIMIT 1").fetchone()
        return row[0] if row else None
    except Exception:  # an unreadable or foreign file: no fast path
        return None
    finally:
        con.close()
