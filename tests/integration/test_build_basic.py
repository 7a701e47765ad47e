"""The whole graph, materialised in-process through `ipwh build`, on the hand-made landing folder
tests/fixtures/landing_basic. Every expected number below was worked out by hand from the rows of
that folder (see tests/fixtures/landing_basic/README.md for the reasoning per patent)."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestration.cli import main
from tests.conftest import built_fixture, query

D = dt.date


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with built_fixture(tmp_path_factory, "landing_basic") as built:
        yield built


q = query


def values(warehouse, metric, period, industry="ALL"):
    return dict(q(warehouse, """SELECT region_code, value FROM marts.metric_values
                                WHERE metric_code = ? AND period_end = ? AND industry_code = ?""",
                  [metric, period, industry]))


def test_build_publishes(built):
    assert built["code"] == 0
    assert built["warehouse"].exists()
    assert not list((built["warehouse"].parent / ".build").glob("*.duckdb"))


@pytest.mark.parametrize(
    "period,city",
    [
        # P1 P4 P5 P8 valid; P9 granted 2020-06-01 later
        (D(2020, 4, 30), 4),
        (D(2020, 12, 31), 5),
        # P12 granted 2021-02-02
        (D(2021, 3, 31), 6),
        # P2 valid on its grant day; P4 lapsed on its lapse day; P3 granted the next day
        (D(2021, 4, 30), 6),
        # P3 now granted; P1 lapses 2022-05-01 (from the later GBK export that supersedes it)
        (D(2022, 4, 30), 7),
        (D(2022, 5, 31), 6),
        # P5's 20-year term ended 2023-10-15
        (D(2023, 10, 31), 5),
        (D(2024, 6, 30), 5),
    ],
)
def test_valid_invention_patents_for_the_city(built, period, city):
    assert values(built["warehouse"], "valid_invention_patents", period)["410900"] == city


def test_units_at_april_2021_add_up_to_the_city(built):
    got = values(built["warehouse"], "valid_invention_patents", D(2021, 4, 30))
    expected = {
        "410900": 6, "410902": 1,  # P1 via the enterprise roster (华龙区)
        "410922": 1,  # P2 by address (清丰县)
        "410923": 1,  # P12 (南乐县), an invention by its type 发明公开;发明授权
        "410926": 0, "410927": 1,  # P5 (台前县)
        "410928": 0,  # P4 lapsed that day
        "410971": 0, "410972": 1,  # P9 in the development zone (roster area 经开区 and address)
        "UNATTRIBUTED": 1,  # P8: 濮阳市 + the ambiguous town 城关镇, no credit code
    }
    assert got == expected
    assert sum(v for k, v in got.items() if k != "410900") == got["410900"]


def test_first_patentee_outside_puyang_is_excluded(built):
    rows = q(built["warehouse"], "SELECT region_code, attribution_method, is_excluded FROM intermediate.int_patent_attribution WHERE application_no = '201810078901.0'")
    assert rows == [(None, "outside_pack", True)]


def test_invention_per_10k_uses_the_population_series_of_the_year(built):
    wh = built["warehouse"]
    # 2021: 年末常住人口 361万 -> 6 / 361 ; 2020: census 3,772,088 -> 5 / 377.2088
    assert values(wh, "invention_per_10k", D(2021, 4, 30))["410900"] == pytest.approx(6 / 361)
    assert values(wh, "invention_per_10k", D(2020, 12, 31))["410900"] == pytest.approx(5 / 377.2088)
    assert q(wh, "SELECT population, population_year, series FROM marts.population_used WHERE period_end = '2021-04-30' AND region_code = '410900'") == [
        (3610000.0, 2021, "年末常住人口")]


def test_per_10k_without_population_is_null_with_a_reason(built):
    wh = built["warehouse"]
    assert values(wh, "invention_per_10k", D(2021, 4, 30))["410922"] is None
    (note,) = q(wh, "SELECT note FROM marts.population_used WHERE period_end = '2021-04-30' AND region_code = '410922'")[0]
    assert "清丰县" in note


def test_growth_against_the_same_month_a_year_earlier(built):
    # 6 at 2021-04 against 4 at 2020-04
    assert values(built["warehouse"], "valid_invention_patents_growth", D(2021, 4, 30))["410900"] == pytest.approx(50.0)


def test_industry_rows_by_ipc(built):
    # chemicals: P1 (C07C) and P9 (C01B7, electronic chemicals) at 2021-04
    assert values(built["warehouse"], "valid_invention_patents", D(2021, 4, 30), "chemicals").get("410900") == 2


def test_periods_run_from_the_earliest_data_to_the_latest_export(built):
    first, last, n = q(built["warehouse"], "SELECT min(period_end), max(period_end), count(DISTINCT period_end) FROM marts.metric_values")[0]
    # earliest record: P5 filed 2003-10-15; newest export: patents_2024-06.csv
    assert (first, last) == (D(2003, 10, 31), D(2024, 6, 30))
    assert n == (2024 - 2003) * 12 + (6 - 10) + 1


def test_target_progress_for_both_metrics(built):
    rows = q(built["warehouse"], "SELECT year, metric_code, status FROM marts.target_progress WHERE metric_code IN ('invention_per_10k', 'valid_invention_patents_growth') ORDER BY 1, 2")
    # no period of 2025-2027 has data in this fixture
    assert rows == [(y, m, "no_data") for y in (2025, 2026, 2027) for m in ("invention_per_10k", "valid_invention_patents_growth")]


def test_bad_rows_are_quarantined_with_file_row_column_rule(built):
    rows = q(built["warehouse"], "SELECT file_name, row_number, column_name, rule FROM audit.quarantine ORDER BY row_number")
    assert rows == [
        ("patents/专利导出_20210430.csv", 13, "application_no", "application_no_check_digit"),
        ("patents/专利导出_20210430.csv", 14, "application_date", "invalid_date"),
        ("patents/专利导出_20210430.csv", 15, "application_no", "missing_key"),
    ]


def test_every_file_is_logged_and_balances(built):
    rows = q(built["warehouse"], "SELECT file_name, status, rows_read, rows_loaded, rows_quarantined FROM audit.load_log ORDER BY file_name")
    assert rows == sorted([
        ("enterprises/规上工业企业_2021.csv", "loaded", 2, 2, 0),
        ("hightech/高新技术企业名单_2022.xlsx", "loaded", 1, 1, 0),
        ("patents/patents_2024-06.csv", "loaded", 1, 1, 0),
        ("patents/专利导出_20210430.csv", "loaded", 15, 12, 3),
        ("patents/商标导出_误放.csv", "rejected", 0, 0, 0),
        ("population/七普人口.csv", "loaded", 1, 1, 0),
        ("population/年末常住人口_2021.csv", "loaded", 1, 1, 0),
    ])


def test_lapsed_without_date_is_flagged_and_never_counted(built):
    wh = built["warehouse"]
    assert q(wh, "SELECT row_number, rule FROM audit.flags") == [(10, "lapsed_without_date")]
    assert q(wh, "SELECT valid_from FROM intermediate.int_patent_validity WHERE application_no = '201810101234.3'") == [(None,)]


def test_a_second_build_loads_nothing_new_and_gives_the_same_metrics(built):
    wh = built["warehouse"]
    before = q(wh, "SELECT * FROM marts.metric_values ORDER BY ALL")
    assert main(["build", "--landing", str(built["landing"]), "--warehouse", str(wh)]) == 0
    assert q(wh, "SELECT * FROM marts.metric_values ORDER BY ALL") == before
    statuses = q(wh, "SELECT status, count(*) FROM audit.load_log WHERE run_id = (SELECT run_id FROM audit.build_info ORDER BY built_at DESC LIMIT 1) GROUP BY 1 ORDER BY 1")
    assert statuses == [("rejected", 1), ("unchanged", 6)]
    assert wh.with_name("ipwh.previous.duckdb").exists()


def test_a_failed_build_keeps_the_published_warehouse(built, monkeypatch, capsys):
    wh = built["warehouse"]
    before = wh.read_bytes()
    monkeypatch.setenv("IPWH_INVENTION_TERM_YEARS", "not-a-number")  # dbt fails on this setting
    code = main(["build", "--landing", str(built["landing"]), "--warehouse", str(wh), "--period", "2021-04"])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("ipwh build: failed") and "previous warehouse kept" in err
    assert wh.read_bytes() == before
    # what the failed build did stays in the work warehouse, for the next build to continue
    assert (wh.parent / ".build" / "build.duckdb").exists()


def test_a_failed_blocking_check_stops_the_build_before_publish(built, monkeypatch, capsys):
    import expectations

    wh = built["warehouse"]
    before = wh.read_bytes()
    real = expectations.validate_source

    def failing(con, source_name, **kwargs):
        outcome = real(con, source_name, **kwargs)
        if source_name == "patents":
            outcome.success = False
            outcome.failures = ["raw.patents.application_no: injected failure for the test"]
        return outcome

    monkeypatch.setattr(expectations, "validate_source", failing)
    code = main(["build", "--landing", str(built["landing"]), "--warehouse", str(wh)])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "raw/patents:expectations" in err and "injected failure" in err
    assert wh.read_bytes() == before


def test_a_failed_dbt_test_stops_the_build_before_publish_and_is_named(built, monkeypatch, capsys):
    """dbt's data tests are not Dagster asset checks (assets/dbt.py), but they still block: a row the
    raw checks let through and a staging test refuses (a patent type stg_patents does not know) fails
    the dbt step, keeps the published warehouse and names the test."""
    import duckdb

    from orchestration.assets import ingestion

    wh = built["warehouse"]
    before = wh.read_bytes()
    work = wh.parent / ".build" / "build.duckdb"
    real_check = ingestion._check

    spoiled = {}

    def check_then_spoil(warehouse, source_name):
        result = real_check(warehouse, source_name)
        if source_name == "patents":  # after its expectations passed, as a bug upstream of dbt would
            with warehouse.connect() as con:  # the step's other connections are open: same settings
                spoiled["row"] = con.execute("SELECT application_no, patent_type FROM raw.patents "
                                             "ORDER BY application_no LIMIT 1").fetchone()
                con.execute("UPDATE raw.patents SET patent_type = 'bogus_type' WHERE application_no = ?",
                            [spoiled["row"][0]])
        return result

    monkeypatch.setattr(ingestion, "_check", check_then_spoil)
    try:
        code = main(["build", "--landing", str(built["landing"]), "--warehouse", str(wh)])
        assert code == 1
        err = capsys.readouterr().err.strip().splitlines()[-1]
        assert "accepted_values_stg_patents_patent_type" in err and "previous warehouse kept" in err
        assert wh.read_bytes() == before
    finally:  # the spoiled row would stay in the work warehouse (the files are unchanged)
        if "row" in spoiled:
            con = duckdb.connect(str(work))
            con.execute("UPDATE raw.patents SET patent_type = ? WHERE application_no = ?",
                        [spoiled["row"][1], spoiled["row"][0]])
            con.close()


def test_rebuilding_a_period_with_unchanged_inputs_runs_only_the_period_marts(built, capsys):
    wh = built["warehouse"]
    # the failed builds above left unpublished work; a whole build publishes it (and nothing waits after)
    assert main(["build", "--landing", str(built["landing"]), "--warehouse", str(wh)]) == 0
    assert not (wh.parent / ".build" / "build.duckdb").exists()
    rows = "SELECT * FROM marts.metric_values WHERE period_end = DATE '2021-04-30' ORDER BY ALL"
    others = "SELECT * FROM marts.metric_values WHERE period_end <> DATE '2021-04-30' ORDER BY ALL"
    before, before_others = q(wh, rows), q(wh, others)
    assert main(["build", "--landing", str(built["landing"]), "--warehouse", str(wh), "--period", "2021-04"]) == 0
    assert "rebuilding the period marts only" in capsys.readouterr().out
    assert q(wh, rows) == before and q(wh, others) == before_others


def test_a_changed_setting_rebuilds_everything_for_the_period(built, monkeypatch, capsys):
    monkeypatch.setenv("IPWH_HIGH_VALUE_PLEDGE_THRESHOLD_WAN", "500")
    assert main(["build", "--landing", str(built["landing"]), "--warehouse", str(built["warehouse"]), "--period", "2021-04"]) == 0
    assert "rebuilding the period marts only" not in capsys.readouterr().out
    assert q(built["warehouse"], "SELECT value FROM marts.settings_in_use WHERE setting_name = 'high_value_pledge_threshold_wan'") == [("500",)]


def test_data_quality_sources_counts_records_in_use_after_supersession(built):
    """The fixture's README: the 2024-06 export supersedes P1 of the 2021-04 export, so 12 + 1 rows
    were loaded and 12 applications are in use; the newest export is the 2024-06 one (by the date in
    its name); the trademark export put in the patents folder is the rejected file."""
    rows = q(built["warehouse"], """SELECT files, rejected_files, rows_in_use, newest_file, newest_as_of
                                    FROM marts.data_quality_sources WHERE source = 'patents'""")
    assert rows == [(3, 1, 12, "patents/patents_2024-06.csv", dt.date(2024, 6, 30))]


def test_a_build_prints_progress_and_a_summary_naming_the_rejected_file(built, tmp_path, monkeypatch, capsys):
    """Quiet output: one line per stage and the summary (the fixture's README: 3 quarantined rows, the
    trademark export in the patents folder rejected); the run's own log goes to a file, not the terminal."""
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    assert main(["build", "--landing", str(built["landing"]), "--warehouse", str(built["warehouse"])]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "ipwh build: published" in out and "Running with dbt" not in out
    assert "  files rejected     1" in lines
    assert any(line.startswith("    - patents/商标导出_误放.csv: ") for line in lines)
    assert any(line.startswith("  quarantined rows   3 in audit.quarantine") for line in lines)
    log = next((tmp_path / "dagster_home" / "logs").glob("build-*.log"))
    assert any(line == f"  full log           {log} (or run with -v)" for line in lines)
