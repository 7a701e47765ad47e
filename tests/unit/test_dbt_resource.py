"""The dbt resource of the builds: it learns dbt's version without running `dbt --version` and opens
no dbt adapter in the Dagster process (both cost seconds per build and serve nothing ipwh uses).

dagster-dbt has no public switch for either, so orchestration/assets/dbt.py overrides two of its
private methods. The last test fails when dagster-dbt changes them (or how `cli` calls them): then
re-read the upstream code, adapt the overrides, and record the new fingerprints here."""

from __future__ import annotations

import hashlib
import inspect
import subprocess
from importlib.metadata import version

from dagster_dbt import DbtCliResource

from orchestration.assets.dbt import BuildDbtCliResource, dbt_resource

# sha256 of the upstream source of each overridden method, as reviewed for dagster-dbt 0.29.x
REVIEWED_UPSTREAM = {
    "_initialize_dbt_core_adapter": "f033303d9d777bffeaade6af11c8a7759dfbf8bf9a408ac6db44f81c5b22eb0c",
    "_cli_version": "b06b86a642ba8bcd1d34f297a7bbb9f4471925ce09c7f852eee332ee83049f45",
}


def _upstream_source(name: str) -> str:
    member = DbtCliResource.__dict__[name]
    return inspect.getsource(getattr(member, "func", member))


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


def test_the_overridden_dagster_dbt_methods_are_the_ones_reviewed():
    assert version("dagster-dbt").startswith("0.29.")
    for name, reviewed in REVIEWED_UPSTREAM.items():
        assert name in BuildDbtCliResource.__dict__, f"{name} is no longer overridden: drop it from this test"
        current = hashlib.sha256(_upstream_source(name).encode()).hexdigest()
        assert current == reviewed, f"dagster-dbt changed DbtCliResource.{name}: review the override"
    cli = inspect.getsource(DbtCliResource.cli)
    assert "adapter = self._initialize_dbt_core_adapter(args)" in cli
    assert "if self._cli_version.major < 2:" in cli
