"""The pipeline uses Dagster's and dagster-dbt's public API only, and importing it does no work."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("orchestration", "dashboards", "expectations")
PRIVATE = ("dagster._", "dagster_dbt._", "dagster_webserver._")


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [f"{path.relative_to(REPO_ROOT)}:{node.lineno} imports {n}" for n in names if n.startswith(PRIVATE)]
    return found


def test_no_module_imports_a_private_dagster_module():
    offending = [hit for package in PACKAGES for path in sorted((REPO_ROOT / package).rglob("*.py"))
                 for hit in _private_imports(path)]
    assert offending == []


def test_the_scan_would_see_a_private_import(tmp_path):
    module = tmp_path / "x.py"
    module.write_text("from dagster._core.storage.tags import PARTITION_NAME_TAG\nimport dagster_dbt._x\n")
    original = REPO_ROOT
    try:
        globals()["REPO_ROOT"] = tmp_path
        assert len(_private_imports(module)) == 2
    finally:
        globals()["REPO_ROOT"] = original


def test_importing_the_definitions_parses_nothing_and_builds_nothing(tmp_path):
    # a fresh interpreter: importing the module that `dagster dev` loads must not run dbt (no
    # manifest is written) and must not build the asset graph
    code = (
        "import sys, subprocess\n"
        "calls = []\n"
        "real = subprocess.Popen.__init__\n"
        "def spy(self, *a, **k):\n"
        "    calls.append(a[0] if a else k.get('args'))\n"
        "    return real(self, *a, **k)\n"
        "subprocess.Popen.__init__ = spy\n"
        "import orchestration.definitions as d\n"
        "assert d.build_definitions.cache_info().currsize == 0, 'definitions built at import'\n"
        "assert 'orchestration.assets.dbt' not in sys.modules, 'dbt assets imported at import'\n"
        "assert not [c for c in calls if 'dbt' in str(c)], calls\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
