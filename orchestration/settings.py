"""Runtime settings: every path and switch the pipeline reads, in one place.

Each setting has a default and an environment variable that overrides it. Metric assumptions
(thresholds, baseline date, terms) are dbt vars in ``dbt_project/dbt_project.yml``; this module only
knows where things are and which region pack is active. Importing it must stay cheap: the dashboards
use it too.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
# dbt runs from the same environment as the pipeline (the venv may not be on PATH).
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))


def _default_memory_limit() -> str:
    """DuckDB's memory limit for builds: 60% of this machine's memory, at most 8 GB. DuckDB spills
    larger joins and sorts to disk (next to the work file), so the nation-scale stress test stays
    well under 12 GB with the Python and dbt processes on top."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "8GB"
    return f"{max(1, min(8, int(total * 0.6 / 2**30)))}GB"


def _path(env: str, default: Path) -> Path:
    value = os.environ.get(env)
    return Path(value).expanduser().resolve() if value else default


def _number(env: str, default: float) -> float:
    value = os.environ.get(env, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{env}={value!r} is not a number") from None


def _default_access_log() -> Path:
    warehouse = _path("IPWH_WAREHOUSE", REPO_ROOT / "data" / "warehouse" / "ipwh.duckdb")
    return warehouse.parent / "access_log.jsonl"


@dataclass(frozen=True)
class Settings:
    landing_dir: Path = field(default_factory=lambda: _path("IPWH_LANDING_DIR", REPO_ROOT / "data" / "landing"))
    warehouse_path: Path = field(default_factory=lambda: _path("IPWH_WAREHOUSE", REPO_ROOT / "data" / "warehouse" / "ipwh.duckdb"))
    region_pack: str = field(default_factory=lambda: os.environ.get("IPWH_REGION_PACK", "puyang"))
    # First period a run may rebuild (YYYY-MM); empty: the first month of any landing file's records.
    first_period: str = field(default_factory=lambda: os.environ.get("IPWH_FIRST_PERIOD", ""))
    dbt_project_dir: Path = DBT_PROJECT_DIR
    # DuckDB memory limit of the build connections and of dbt (e.g. "4GB").
    duckdb_memory_limit: str = field(default_factory=lambda: os.environ.get("IPWH_DUCKDB_MEMORY_LIMIT") or _default_memory_limit())
    auth_config: Path = field(default_factory=lambda: _path("IPWH_AUTH_CONFIG", REPO_ROOT / "auth.yaml"))
    # Dashboards without sign-in: only when asked for explicitly (make demo); otherwise no user file = no access.
    demo: bool = field(default_factory=lambda: os.environ.get("IPWH_DEMO", "").strip().lower() in ("1", "true", "yes"))
    # Sign-in: how long a sign-in lasts across refreshes and tabs, and after how long without use it ends.
    session_hours: float = field(default_factory=lambda: _number("IPWH_SESSION_HOURS", 8.0))
    idle_minutes: float = field(default_factory=lambda: _number("IPWH_IDLE_MINUTES", 30.0))
    # Lock-out: this many failed sign-ins within the window lock the user name (and, doubled, the client).
    lockout_failures: int = field(default_factory=lambda: int(_number("IPWH_LOCKOUT_FAILURES", 5)))
    lockout_minutes: float = field(default_factory=lambda: _number("IPWH_LOCKOUT_MINUTES", 15.0))
    # The access log (sign-ins, pages, downloads): JSON lines beside the published warehouse by default.
    access_log: Path = field(default_factory=lambda: _path("IPWH_ACCESS_LOG", _default_access_log()))

    @property
    def work_dir(self) -> Path:
        """Builds are written here and renamed over the published file when they succeed."""
        return self.warehouse_path.parent / ".build"

    @property
    def reports_dir(self) -> Path:
        """Where the monthly_briefing asset writes the 通报 (IPWH_REPORTS_DIR, else reports/ beside the warehouse)."""
        return _path("IPWH_REPORTS_DIR", self.warehouse_path.parent / "reports")

    @property
    def previous_warehouse_path(self) -> Path:
        """The file that was published before the current one, kept for a manual restore."""
        return self.warehouse_path.with_name(self.warehouse_path.stem + ".previous" + self.warehouse_path.suffix)

    @property
    def lock_path(self) -> Path:
        return self.warehouse_path.with_name(self.warehouse_path.name + ".lock")


def get_settings() -> Settings:
    """Settings as the environment says now (read on each call so tests can point elsewhere)."""
    return Settings()
