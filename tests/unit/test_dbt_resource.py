"""The dbt resource of the builds: it learns dbt's version without running `dbt --version` and opens
no dbt adapter in the Dagster process (both cost seconds per build and serve nothing ipwh uses)."""

from __future__ import annotations

import subprocess
from importlib.metadata import version

from orchestration.assets.dbt import dbt_resource


def test_the_dbt_version_comes_from_the_installed_package_without_a_subprocess(monkeypatch):
    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"ran a subprocess: {args}")

    import dagster_dbt.core.resource as dagster_dbt_resource

    monkeypatch.setattr(subprocess, "check_output", no_subprocess)
    monkeypatch.setattr(dagster_dbt_resource, "check_output", no_subprocess)  # how dagster-dbt calls it
    resource = dbt_resource()
    assert str(resource._cli_version) == version("dbt-core")
    assert resource._cli_version.major == 1


def test_no_dbt_adapter_is_opened_in_process():
    assert dbt_resource()._initialize_dbt_core_adapter(["build"]) is None
