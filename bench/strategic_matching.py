"""The cost of the strategic-emerging matching alone, at nation size (issue #14).

    .venv/bin/python bench/strategic_matching.py [--patents 26000000] [--out bench/out/strategic]

A full nation build takes ~27 min; this times only the dbt models that match patents to the official
table (int_strategic_emerging_patterns … int_patent_strategic_emerging), with dbt itself, on a synthetic
stg_patents of the given size: 1-3 IPC symbols per patent drawn from ~44k symbols (every subclass and
main group the table names plus others, eight subgroups each; 2 % with a later version indicator, and
H10K / G06V / G06F18 symbols), titles from a small pool (some carrying table keywords), an abstract on 30 %.
Prints per-model seconds (dbt's run_results.json), the row counts and the peak memory of dbt.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from orchestration.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR  # noqa: E402

MODELS = [
    "int_strategic_emerging_patterns", "int_strategic_emerging_rules", "int_ipc_symbol_readings",
    "int_ipc_symbol_strategic_rules", "int_patent_strategic_matches", "int_patent_strategic_emerging",
]
TITLES = [
    "一种石墨烯薄膜的制备方法", "一种基于区块链的数据存证方法", "一种烯烃制备方法", "一种管道焊接方法",
    "一种有机发光器件", "一种图像识别方法", "一种神经网络函数库的生成方法", "一种催化剂及其制备方法",
    "一种锂离子电池正极材料", "一种污水处理装置", "一种节能型气体压缩机", "一种聚甲醛树脂组合物",
]

SYNTHETIC = """
create schema if not exists staging;
create or replace table vocabulary as
with subclasses as (
    select distinct left(ipc_pattern, 4) as subclass from strategic_emerging_ipc_2021
    union select unnest(['A01B', 'A21D', 'B65D', 'F16K', 'E04B', 'H10K', 'G06V', 'G06F', 'C12N', 'D06M'])
    union select chr(cast(65 + i % 8 as integer)) || lpad(cast(1 + i % 99 as varchar), 2, '0') || chr(cast(65 + (i // 8) % 26 as integer))
          from range(150) as t(i)
),
groups as (
    select distinct subclass, main_group from (
        select left(ipc_pattern, 4) as subclass,
               nullif(ltrim(split_part(substr(rtrim(ipc_pattern, '*'), 5), '/', 1), '0'), '') as main_group
        from strategic_emerging_ipc_2021
        union all select subclass, cast(g as varchar) from subclasses, range(1, 31, 3) as t(g)
    ) where main_group is not null
)
select row_number() over () - 1 as k,
       subclass || main_group || '/' || sg || case when hash(subclass, main_group, sg) % 50 = 0 then '(2023.01)' else '' end as symbol
from groups, unnest(['00', '02', '04', '045', '06', '08', '10', '12']) as t(sg);

"""

PATENTS = """
create or replace table staging.stg_patents as
with p as (
    select i, 1 + cast(hash(i) % 3 as bigint) as symbols from range({patents}) as t(i)
),
s as (
    select p.i, list(v.symbol order by r.j) as ipc_list
    from p
    cross join range(3) as r(j)
    join vocabulary as v on v.k = cast(hash(p.i * 7 + r.j) % {vocabulary} as bigint)
    where r.j < p.symbols
    group by p.i
)
select
    printf('%012d', i) || '.0' as application_no,
    ipc_list[1] as ipc_main,
    ipc_list,
    ({titles})[1 + cast(hash(i, 't') % {n_titles} as bigint)] as title,
    case when hash(i, 'a') % 10 < 3 then '本发明得到石墨烯薄膜，采用等离子弧焊接机。' end as abstract
from s;
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patents", type=int, default=26_000_000)
    parser.add_argument("--out", default=str(REPO / "bench" / "out" / "strategic"))
    args = parser.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    db = out / "strategic.duckdb"
    env = {**os.environ, "IPWH_BUILD_DB": str(db)}
    target = ["--target-path", str(out / "target")]

    def dbt(*command: str) -> None:
        done = subprocess.run([DBT_EXECUTABLE, *command, *target], cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(done.stdout[-3000:])

    dbt("seed", "--select", "strategic_emerging_ipc_2021", "ipc_revisions", "--quiet")
    began = time.time()
    con = duckdb.connect(str(db))
    con.execute("set preserve_insertion_order = false")
    con.execute("create or replace view strategic_emerging_ipc_2021 as select * from seeds.strategic_emerging_ipc_2021")
    titles = "[" + ", ".join(f"'{t}'" for t in TITLES) + "]"
    con.execute(SYNTHETIC)
    vocabulary = con.execute("select count(*) from vocabulary").fetchone()[0]
    con.execute(PATENTS.format(patents=args.patents, vocabulary=vocabulary, titles=titles, n_titles=len(TITLES)))
    patents, symbols = con.execute("select count(*), sum(len(ipc_list)) from staging.stg_patents").fetchone()
    con.close()
    print(f"synthetic stg_patents: {patents:,} patents, {symbols:,} symbols from {vocabulary:,} ({time.time() - began:.1f} s)")

    began = time.time()
    dbt("run", "--select", *MODELS)
    wall = time.time() - began
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    results = json.loads((out / "target" / "run_results.json").read_text())
    con = duckdb.connect(str(db), read_only=True)
    print("| model | seconds | rows |\n|---|---:|---:|")
    for r in results["results"]:
        name = r["unique_id"].split(".")[-1]
        rows = con.execute(f"select count(*) from intermediate.{name}").fetchone()[0]
        print(f"| {name} | {r['execution_time']:.1f} | {rows:,} |")
    taken = con.execute("select count(*) filter (where is_taken), count(*) filter (where taken_by_title) from intermediate.int_patent_strategic_emerging").fetchone()
    con.close()
    print(f"dbt run wall {wall:.1f} s (dbt start-up included), peak memory of dbt {peak_mb:,.0f} MB; "
          f"patents taken: {taken[0]:,} (keywords ignored), {taken[1]:,} (title)")


if __name__ == "__main__":
    main()
