"""Ingestion throughput of one source, without the rest of the build: the files of
<landing>/<source>/ read, parsed, validated and loaded into a fresh DuckDB file by the same
``ingest_source`` a build runs (issue 13: patents must stay >= 130k rows/s at province scale).

    nice -n 10 .venv/bin/python bench/ingest_throughput.py --landing /work/benchdata/province --source patents

Prints rows read, seconds and rows/s per repetition and their median. Run from a checkout (its
``orchestration`` package is the code measured)."""

from __future__ import annotations

import argparse
import resource
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    from orchestration.sources.catalog import SOURCES
    from orchestration.sources.ingest import ingest_source
    import duckdb

    parser = argparse.ArgumentParser()
    parser.add_argument("--landing", required=True)
    parser.add_argument("--source", default="patents", choices=list(SOURCES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-limit", default="3GB")
    args = parser.parse_args()
    rates: list[float] = []
    cpus: list[float] = []
    for n in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            con = duckdb.connect(str(Path(tmp) / "bench.duckdb"), config={"memory_limit": args.memory_limit})
            began, cpu_began = time.perf_counter(), _cpu()
            summary = ingest_source(con, SOURCES[args.source], Path(args.landing), dt.datetime(2025, 1, 1))
            seconds, cpu = time.perf_counter() - began, _cpu() - cpu_began
            con.close()
        rows = sum(f.rows_read for f in summary.files if f.status == "loaded")
        rates.append(rows / seconds)
        cpus.append(cpu)
        print(f"run {n + 1}: {args.source} {rows:,} rows in {seconds:.2f} s = {rows / seconds:,.0f} rows/s "
              f"(CPU {cpu:.1f} s, all threads)", flush=True)
    print(f"median: {statistics.median(rates):,.0f} rows/s, CPU {statistics.median(cpus):.1f} s")


if __name__ == "__main__":
    main()
