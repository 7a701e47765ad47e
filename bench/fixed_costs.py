"""What a build costs before it has data to work on: the fixed costs of the stack, and a tiny landing
folder built end to end (issue 16: a dozen files < 12 s on a machine whose calibration is 1.4 s).

    .venv/bin/python bench/fixed_costs.py [--repeat 3] [--no-record]

Measures, each the median of --repeat runs, in new processes as a user starts them:
- importing the stack: ``import dagster, dagster_dbt, great_expectations`` (what every build imports);
- dbt's start-up on a project of ipwh's shape with nothing in it: as many table/view/incremental
  models (each ``select 1``), data tests (unique and not_null on them), seeds (one row each) as
  ipwh's own manifest lists, on DuckDB with ipwh's two threads: ``dbt ls`` (start-up and a parse)
  and ``dbt build`` (every node run once the parse is kept);
- ``ipwh build`` of tests/fixtures/landing_changes (12 files: two patent exports, a trademark export,
  rosters, population) into a new warehouse each time (what a new landing folder costs), and again
  into the same warehouse with the files unchanged (loaded files are skipped by sha256).

Beside them the calibration figure (a pure-Python loop of 20M additions, median of 3) and each
time scaled to the reference machine (x 1.4 / calibration). Appends a section to bench/RESULTS.md
unless --no-record. Not part of the test run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.calibration import calibration_seconds  # noqa: E402

REFERENCE_CALIBRATION = 1.4
TINY_FOLDER = REPO / "tests" / "fixtures" / "landing_changes"
VENV_BIN = Path(sys.executable).parent


def timed(command: list[str], env: dict | None = None, cwd: Path | None = None) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{(done.stderr or done.stdout)[-3000:]}")
    return seconds


def ipwh_node_counts() -> dict[str, int]:
    """Node counts of ipwh's dbt project from the manifest a parse leaves in dbt_project/target."""
    manifest = REPO / "dbt_project" / "target" / "manifest.json"
    if not manifest.exists():
        subprocess.run([str(VENV_BIN / "dbt"), "parse", "--quiet"], cwd=REPO / "dbt_project", check=True,
                       env={**os.environ, "DBT_PROFILES_DIR": str(REPO / "dbt_project")})
    nodes = json.loads(manifest.read_text())["nodes"].values()
    counts = {"table": 0, "view": 0, "incremental": 0, "test": 0, "seed": 0}
    for node in nodes:
        kind = node["resource_type"]
        if kind == "model" and node["config"]["materialized"] in counts:
            counts[node["config"]["materialized"]] += 1
        elif kind in ("test", "seed"):
            counts[kind] += 1
    return counts


def write_empty_project(folder: Path, counts: dict[str, int]) -> None:
    """A dbt project of ipwh's shape whose nodes do (almost) nothing."""
    models = folder / "models"
    seeds = folder / "seeds"
    models.mkdir(parents=True)
    seeds.mkdir()
    (folder / "dbt_project.yml").write_text(
        "name: empty_shape\nversion: '1.0'\nprofile: empty_shape\n")
    (folder / "profiles.yml").write_text(
        "empty_shape:\n  target: build\n  outputs:\n    build:\n      type: duckdb\n"
        f"      path: {folder / 'empty.duckdb'}\n      threads: 2\n")
    names = []
    for kind in ("table", "view", "incremental"):
        for i in range(counts[kind]):
            name = f"{kind}_{i}"
            names.append(name)
            # an incremental model adds nothing on later builds (as ipwh's do when nothing changed)
            where = "\nwhere not {{ is_incremental() }}" if kind == "incremental" else ""
            (models / f"{name}.sql").write_text(
                f"{{{{ config(materialized='{kind}') }}}}\nselect {i} as id, 'x' as label{where}\n")
    # the tests spread over the models: unique and not_null on id, then not_null on label
    kinds = ["unique", "not_null", "not_null_label"]
    per_model: dict[str, list[str]] = {name: [] for name in names}
    for i in range(counts["test"]):
        per_model[names[i % len(names)]].append(kinds[(i // len(names)) % len(kinds)])
    lines = ["version: 2", "models:"]
    for name, tests in per_model.items():
        if not tests:
            continue
        lines += [f"  - name: {name}", "    columns:"]
        id_tests = [t for t in tests if t != "not_null_label"]
        if id_tests:
            lines += ["      - name: id", f"        data_tests: [{', '.join(id_tests)}]"]
        if "not_null_label" in tests:
            lines += ["      - name: label", "        data_tests: [not_null]"]
    (models / "schema.yml").write_text("\n".join(lines) + "\n")
    for i in range(counts["seed"]):
        (seeds / f"seed_{i}.csv").write_text("code,label\n1,x\n")


def dbt_shape_times(repeat: int, counts: dict[str, int]) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="ipwh-empty-shape-") as tmp:
        folder = Path(tmp)
        write_empty_project(folder, counts)
        env = {**os.environ, "DBT_PROFILES_DIR": str(folder), "DBT_LOG_LEVEL_FILE": "info",
               "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        dbt = str(VENV_BIN / "dbt")
        timed([dbt, "parse", "--quiet"], env, folder)
        return {
            "dbt ls (start-up and parse)": statistics.median(timed([dbt, "ls", "--quiet"], env, folder) for _ in range(repeat)),
            "dbt build (every node, parse kept)": statistics.median(
                timed([dbt, "build", "--quiet", "--no-write-json"], env, folder) for _ in range(repeat)),
        }


def tiny_folder_times(repeat: int) -> dict[str, float]:
    new_warehouse, same_warehouse = [], []
    with tempfile.TemporaryDirectory(prefix="ipwh-tiny-") as tmp:
        root = Path(tmp)
        landing = root / "landing"
        shutil.copytree(TINY_FOLDER, landing, ignore=shutil.ignore_patterns("README.md"))
        from orchestration.dagster_home import ensure_dagster_home

        home = ensure_dagster_home(root / "dagster_home")
        base = {**os.environ, "IPWH_LANDING_DIR": str(landing), "DAGSTER_HOME": str(home), "IPWH_LOG_LEVEL": "WARNING"}
        base.pop("IPWH_EPHEMERAL_INSTANCE", None)
        ipwh = str(VENV_BIN / "ipwh")
        for i in range(repeat):
            warehouse = root / f"wh{i}" / "ipwh.duckdb"
            new_warehouse.append(timed([ipwh, "build"], {**base, "IPWH_WAREHOUSE": str(warehouse)}))
        for _ in range(repeat):
            same_warehouse.append(timed([ipwh, "build"], {**base, "IPWH_WAREHOUSE": str(root / "wh0" / "ipwh.duckdb")}))
    return {"ipwh build, 12 files, new warehouse": statistics.median(new_warehouse),
            "ipwh build, same 12 files again (loads skipped)": statistics.median(same_warehouse)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()

    calibration_before = calibration_seconds()
    counts = ipwh_node_counts()
    times = {"import dagster, dagster_dbt, great_expectations": statistics.median(
        timed([sys.executable, "-c", "import dagster, dagster_dbt, great_expectations"]) for _ in range(args.repeat))}
    times |= dbt_shape_times(args.repeat, counts)
    times |= tiny_folder_times(args.repeat)
    calibration = statistics.median([calibration_before, calibration_seconds()])

    shape = (f"{counts['table']} table, {counts['view']} view and {counts['incremental']} incremental models, "
             f"{counts['test']} data tests, {counts['seed']} seeds")
    lines = [
        f"### fixed costs, {dt.date.today().isoformat()} (bench/fixed_costs.py, median of {args.repeat})",
        "",
        f"Calibration {calibration:.2f} s (before {calibration_before:.2f} s); reference machine {REFERENCE_CALIBRATION} s. "
        f"Empty dbt project of ipwh's shape: {shape}, each model `select 1`.",
        "",
        "| what | seconds here | on the reference machine (x 1.4 / calibration) |",
        "|---|---|---|",
    ]
    for what, seconds in times.items():
        lines.append(f"| {what} | {seconds:.1f} | {seconds * REFERENCE_CALIBRATION / calibration:.1f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_record:
        with open(REPO / "bench" / "RESULTS.md", "a", encoding="utf-8") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
