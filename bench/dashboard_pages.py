"""How long each dashboard page takes to render on the server (Streamlit AppTest), at two scales.

    .venv/bin/python bench/dashboard_pages.py                      # city and province, generated
    .venv/bin/python bench/dashboard_pages.py --scale province --runs 3
    .venv/bin/python bench/dashboard_pages.py --warehouse data/warehouse/ipwh.duckdb   # a real build

For each page: the first run in the process on an empty query cache (the dashboards' modules
already imported, but nothing rendered yet), the median of the following runs (the cache keyed by
the published file answers), and the median of runs after clearing the cache in the warmed process
(a page's first render after a new build on a server that has been running). The generated warehouses have
the marts' columns (contract.md, issue 4) filled with random but plausible volumes:

    scale     pack    units  periods  patents   trademarks  enterprises
    city      puyang      8       72   12,000       60,000        3,000
    province  henan      18       72  400,000    1,500,000       60,000

Not part of the test run. Results go to stdout and bench/out/dashboard_pages.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "dbt_project" / "seeds"
sys.path.insert(0, str(REPO))

PAGES = ("overview", "assessment", "industries", "enterprises", "fees", "quality")
SCALES = {
    "city": {"pack": "puyang", "patents": 12_000, "trademarks": 60_000, "enterprises": 3_000},
    "province": {"pack": "henan", "patents": 400_000, "trademarks": 1_500_000, "enterprises": 60_000},
}
INDUSTRIES = ("chemicals", "equipment", "food", "home_furnishing", "down_products", "new_materials", "new_energy",
              "energy_saving_env", "next_gen_it", "hydrogen", "ai")


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def generate(path: Path, scale: str) -> Path:
    """Write a warehouse with the marts' shape at ``scale`` (random values, fixed seed)."""
    spec = SCALES[scale]
    units = [row for row in _seed("region_units.csv") if row["pack"] == spec["pack"]]
    root = next(row for row in units if not row["parent_code"])
    unit_codes = [row["region_code"] for row in units if row["is_assessment_unit"] == "true"]
    catalog = _seed("metric_definitions.csv")
    targets = [row for row in _seed("targets.csv") if row["pack"] == "puyang"]
    con = duckdb.connect(str(path))
    try:
        con.execute("select setseed(0.42)")
        con.execute("create schema marts; create schema audit;")
        con.execute(
            "create table marts.regions (region_code varchar, region_name varchar, short_name varchar, level varchar, "
            "parent_code varchar, is_assessment_unit boolean, sort_order integer, is_root boolean)"
        )
        con.executemany(
            "insert into marts.regions values (?, ?, ?, ?, ?, ?, ?, ?)",
            [(r["region_code"], r["region_name"], r["short_name"], r["level"], r["parent_code"] or None,
              r["is_assessment_unit"] == "true", int(r["sort_order"]), not r["parent_code"]) for r in units]
            + [("UNATTRIBUTED", "未归属", "未归属", "unattributed", root["region_code"], False, 99, False)],
        )
        con.execute(
            "create table marts.metric_catalog as select * replace (by_industry::boolean as by_industry, "
            "assessed::boolean as assessed, is_assumption::boolean as is_assumption, sort_order::integer as sort_order) "
            f"from read_csv('{SEEDS / 'metric_definitions.csv'}', all_varchar=true)"
        )
        con.execute("create table periods as select (date '2020-02-01' + to_months(i) - interval 1 day)::date as period_end "
                    "from range(72) t(i)")
        regions = [*unit_codes, "UNATTRIBUTED", root["region_code"]]
        con.execute("create table region_list as select unnest(?) as region_code", [regions])
        con.execute("create table industry_list as select unnest(?) as industry_code", [["ALL", *INDUSTRIES]])
        metric_rows = [(row["metric_code"], row["by_industry"] == "true", row["period_kind"]) for row in catalog]
        con.execute("create table metric_list (metric_code varchar, by_industry boolean, period_kind varchar)")
        con.executemany("insert into metric_list values (?, ?, ?)", metric_rows)
        con.execute(
            """
            create table marts.metric_values as
            select p.period_end, r.region_code, i.industry_code, m.metric_code,
                   round(random() * 1000 * (1 + datediff('month', date '2020-01-31', p.period_end) / 72.0), 2) as value,
                   null::double as numerator, null::double as denominator
            from periods p cross join region_list r cross join industry_list i cross join metric_list m
            where i.industry_code = 'ALL' or m.by_industry
            """
        )
        con.execute("update marts.metric_values set numerator = value * 300, denominator = 300 where metric_code like '%per_10k'")
        con.execute(
            "create table marts.population_used as select p.period_end, r.region_code, 3000000.0 as population, "
            "year(p.period_end) - 1 as population_year, '年末常住人口' as series, null::varchar as note "
            "from periods p cross join region_list r"
        )
        con.execute(
            "create table marts.target_progress (year integer, period_end date, metric_code varchar, comparator varchar, "
            "target double, actual double, gap double, status varchar, expected_by_now double)"
        )
        for row in targets:
            con.execute(
                """
                insert into marts.target_progress
                select ?, period_end, metric_code, ?, ?, value, ? - value, 'behind', value * 1.1
                from marts.metric_values
                where metric_code = ? and region_code = ? and industry_code = 'ALL' and year(period_end) = ?
                """,
                [int(row["year"]), row["comparator"], float(row["target"]), float(row["target"]), row["metric_code"],
                 root["region_code"], int(row["year"])],
            )
        assessed = [row["metric_code"] for row in catalog if row["assessed"] == "true"]
        columns = ", ".join(
            f"max(value) filter (where metric_code = '{code}') as {code}, "
            f"max(value_rank) filter (where metric_code = '{code}') as {code}_rank"
            for code in assessed
        )
        con.execute(
            f"""
            create table marts.county_assessment as
            with ranked as (
                select period_end, region_code, metric_code, value,
                       rank() over (partition by period_end, metric_code order by value desc nulls last) as value_rank
                from marts.metric_values
                where industry_code = 'ALL' and list_contains(?, region_code)
            )
            select r.period_end, r.region_code, g.region_name, {columns}
            from ranked r join marts.regions g using (region_code)
            group by all
            """,
            [unit_codes],
        )
        n_firms, n_patents, n_marks = spec["enterprises"], spec["patents"], spec["trademarks"]
        con.execute("create table units as select unnest(?) as region_code, generate_subscripts(?, 1) as k", [unit_codes, unit_codes])
        con.execute(
            f"""
            create table marts.enterprise_facts as
            select 'E' || i as enterprise_id, '91' || lpad(i::varchar, 16, '0') as uscc,
                   '企业' || i || (case i % 4 when 0 then '化工有限公司' when 1 then '装备制造有限公司'
                                   when 2 then '新材料科技有限公司' else '食品有限公司' end) as enterprise,
                   (select region_code from units where k = 1 + i % {len(unit_codes)}) as region_code,
                   ['chemicals', 'equipment', 'new_materials', 'food'][1 + i % 4] as industry_code,
                   lpad((1000 + i % 3000)::varchar, 4, '0') as gb_industry_code
            from range({n_firms}) t(i)
            """
        )
        con.execute(
            f"""
            create table marts.enterprise_designations as
            select 'E' || i as enterprise_id, kind, kind as level, kind || i as source_key,
                   (date '2018-01-01' + to_days((i * 37) % 2500))::date as valid_from,
                   (date '2018-01-01' + to_days((i * 37) % 2500 + 1095))::date as valid_until
            from range({n_firms}) t(i)
            cross join (select unnest(['hightech', 'above_scale', 'key_enterprise', 'srdi_sme']) as kind) k
            where (kind = 'hightech' and i % 5 = 0) or (kind = 'above_scale' and i % 2 = 0)
               or (kind = 'key_enterprise' and i % 25 = 0) or (kind = 'srdi_sme' and i % 11 = 0)
            """
        )
        con.execute(
            f"""
            create table marts.patent_facts as
            select 'CN' || (200000000000 + i) as application_no, '一种专利' || i as title,
                   ['invention', 'utility_model', 'design'][1 + i % 3] as patent_type,
                   (date '2005-01-01' + to_days(i % 7000))::date as application_date,
                   (date '2007-01-01' + to_days(i % 6500))::date as grant_date,
                   e.enterprise as first_patentee, e.enterprise as patentees,
                   case when i % 50 = 0 then 'UNATTRIBUTED' else e.region_code end as region_code,
                   'enterprise_master' as attribution_method, [e.industry_code] as industries,
                   (date '2007-01-01' + to_days(i % 6500))::date as valid_from,
                   case when i % 9 = 0 then (date '2015-01-01' + to_days(i % 4000))::date end as valid_until,
                   i % 3 = 0 as is_invention,
                   case when i % 7 = 0 then (date '2007-01-01' + to_days(i % 6500))::date end as hv_from,
                   i % 7 = 0 as hv_strategic_emerging, false as hv_overseas_family,
                   null::date as hv_maintained_from, null::date as hv_pledge_from, null::date as hv_award_from,
                   '有权' as legal_status, null::date as lapse_date, null::varchar as lapse_reason
            from range({n_patents}) t(i)
            join marts.enterprise_facts e on e.enterprise_id = 'E' || (i % {n_firms})
            """
        )
        con.execute(
            f"""
            create table marts.trademark_facts as
            select 'TM' || i as reg_no, 1 + i % 45 as nice_class, '商标' || i as name, e.enterprise as registrant,
                   e.enterprise_id, e.region_code, 'address' as attribution_method,
                   (date '2008-01-01' + to_days(i % 6000))::date as valid_from,
                   case when i % 8 = 0 then (date '2016-01-01' + to_days(i % 3000))::date end as valid_until,
                   '已注册' as status, date '2034-12-31' as term_end
            from range({n_marks}) t(i)
            join marts.enterprise_facts e on e.enterprise_id = 'E' || (i % {n_firms})
            """
        )
        con.execute(
            """
            create table marts.zero_invention_enterprises as
            select p.period_end, e.uscc, e.enterprise, e.region_code, e.industry_code, 1 as valid_patents_any_type, 0 as valid_trademarks
            from periods p join marts.enterprise_facts e on hash(e.enterprise_id) % 10 = 0
            """
        )
        con.execute(
            """
            create table marts.key_enterprise_progress as
            select p.period_end, e.enterprise_id, e.uscc, e.enterprise, e.region_code, e.industry_code,
                   10 as baseline_patents, 12 as current_patents, 1.2 as ratio, false as doubled
            from periods p join marts.enterprise_facts e on hash(e.enterprise_id) % 25 = 0
            """
        )
        con.execute(
            """
            create table marts.hightech_without_invention as
            select p.period_end, e.enterprise_id, e.uscc, e.enterprise, e.region_code, e.industry_code,
                   'GR2023410' || e.enterprise_id as certificate_no, date '2026-11-01' as valid_until
            from periods p join marts.enterprise_facts e on hash(e.enterprise_id) % 40 = 0
            """
        )
        con.execute(
            """
            create table marts.fee_warnings as
            select p.period_end, f.application_no, f.title, f.first_patentee as patentee, null::varchar as uscc, f.region_code,
                   p.period_end + 30 as due_date, 1200.0 as fee_yuan, 0.0 as surcharge_yuan,
                   ['due_soon', 'grace', 'lapse_risk', 'unknown'][(1 + hash(f.application_no) % 4)::bigint] as state
            from periods p join marts.patent_facts f on f.is_invention and hash(f.application_no || p.period_end) % 40 = 0
            """
        )
        con.execute(
            "create table marts.settings_in_use as select setting_name, default_value as value, default_value, false as is_overridden, "
            f"unit, description_zh, source from read_csv('{SEEDS / 'assumption_settings.csv'}', all_varchar=true)"
        )
        con.execute(
            """
            create table audit.load_log as
            select s.source, s.source || '/export_' || i || '.xlsx' as file_name, md5(s.source || i) as sha256,
                   timestamp '2025-07-01 08:00' + to_minutes(i) as loaded_at, 10000 as rows_read, 9990 as rows_loaded,
                   10 as rows_quarantined, 'loaded' as status, null::varchar as message
            from (select unnest(['patents', 'trademarks', 'hightech', 'srdi', 'enterprises']) as source) s, range(12) t(i)
            """
        )
        con.execute(
            """
            create table audit.quarantine as
            select l.source, l.file_name, i as row_number, 'application_no' as column_name, 'X' || i as raw_value,
                   ['application_no_check_digit', 'invalid_date', 'missing_key'][1 + i % 3] as rule, '示例' as message
            from audit.load_log l, range(10) t(i)
            """
        )
        con.execute("create table audit.flags as select * from audit.quarantine where row_number % 5 = 0")
        con.execute(
            "create table audit.build_info as select now()::timestamp as built_at, ? as region_pack, "
            "min(period_end) as first_period, max(period_end) as last_period, '{}' as settings_json from periods",
            [spec["pack"]],
        )
        for helper in ("periods", "region_list", "industry_list", "metric_list", "units"):
            con.execute(f"drop table {helper}")
    finally:
        con.close()
    return path


def _time_pages(warehouse: Path, runs: int) -> dict[str, dict[str, float]]:
    """Runs in a child process so the first run of each page starts on an empty query cache."""
    code = f"""
import json, os, statistics, sys, time
sys.path.insert(0, {str(REPO)!r})
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash
# A running server has imported the dashboards' modules (pandas, plotly, ...) for its first visitor;
# import them here too, so that "first" is a page's first render after a new build (an empty query
# cache), not the process start-up.
import dashboards.views.overview, dashboards.views.assessment, dashboards.views.industries  # noqa: E401
import dashboards.views.enterprises, dashboards.views.fees, dashboards.views.quality  # noqa: E401
# A server scans the installed packages for Streamlit components once, when it starts
# (streamlit/runtime/runtime.py); AppTest does it again on every run (~0.45 s here, most of a page's
# time in Streamlit 1.5x+). Scan once, as the server does, so that a page's time is the page's.
import functools
import streamlit.components.v2.manifest_scanner as manifest_scanner
manifest_scanner.scan_component_manifests = functools.lru_cache(maxsize=None)(manifest_scanner.scan_component_manifests)
def render(page):
    app = AppTest.from_file({str(REPO / 'dashboards' / 'app.py')!r}, default_timeout=600)
    if page != "overview":
        app._page_hash = calc_hash(page)
    started = time.perf_counter()
    app.run()
    return app, time.perf_counter() - started
results = {{}}
for page in {list(PAGES)!r}:
    times = []
    for _ in range({runs}):
        app, seconds = render(page)
        times.append(seconds)
        if app.exception:
            raise SystemExit(f"{{page}}: {{app.exception[0].value}}")
        if app.warning:
            raise SystemExit(f"{{page}}: {{app.warning[0].value}}")
    # A new build on a server that has been running: every query misses the cache (keyed by the
    # file), but the process has rendered pages before (chart libraries' one-time set-up is done).
    fresh = []
    for _ in range({runs}):
        st.cache_data.clear()
        fresh.append(render(page)[1])
    results[page] = {{"first_s": times[0], "cached_median_s": statistics.median(times[1:]) if len(times) > 1 else None,
                     "new_build_median_s": statistics.median(fresh)}}
print("RESULT " + json.dumps(results))
"""
    env = {**os.environ, "IPWH_WAREHOUSE": str(warehouse), "IPWH_AUTH_CONFIG": str(warehouse.with_suffix(".noauth.yaml")),
           "IPWH_DEMO": "1"}
    import subprocess

    completed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    line = next((l for l in completed.stdout.splitlines() if l.startswith("RESULT ")), None)
    if completed.returncode or line is None:
        raise SystemExit(f"page timing failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}")
    return json.loads(line.removeprefix("RESULT "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=[*SCALES, "all"], default="all")
    parser.add_argument("--warehouse", help="time against this warehouse instead of generating one")
    parser.add_argument("--runs", type=int, default=3, help="runs per page (the first on an empty cache)")
    args = parser.parse_args(argv)

    report: dict[str, object] = {}
    if args.warehouse:
        targets = [("given", Path(args.warehouse).resolve(), None)]
    else:
        scales = list(SCALES) if args.scale == "all" else [args.scale]
        scratch = Path(tempfile.mkdtemp(prefix="ipwh-bench-"))
        targets = [(scale, scratch / f"{scale}.duckdb", scale) for scale in scales]
    for label, path, scale in targets:
        if scale is not None:
            started = time.perf_counter()
            generate(path, scale)
            print(f"{label}: generated {path.stat().st_size / 2**20:,.0f} MiB in {time.perf_counter() - started:.1f}s")
        con = duckdb.connect(str(path), read_only=True)
        sizes = {name: con.execute(f"select count(*) from marts.{name}").fetchone()[0]
                 for name in ("metric_values", "patent_facts", "trademark_facts", "enterprise_facts")}
        units = con.execute("select count(*) from marts.regions where is_assessment_unit").fetchone()[0]
        con.close()
        timings = _time_pages(path, args.runs)
        report[label] = {"warehouse": str(path), "units": units, "rows": sizes, "pages": timings}
        print(f"\n{label}: {units} units, " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
        print(f"{'page':<12}{'first run (s)':>15}{'new build (s)':>15}{'cached (s)':>12}")
        for page, times in timings.items():
            cached = "-" if times["cached_median_s"] is None else f"{times['cached_median_s']:.2f}"
            print(f"{page:<12}{times['first_s']:>15.2f}{times['new_build_median_s']:>15.2f}{cached:>12}")
    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "dashboard_pages.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwrote {out / 'dashboard_pages.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
