"""Every metric of metrics.md on tests/fixtures/landing_metrics, worked out by hand in its README,
for the city and two units at P = 2025-06-30."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestration.cli import main
from orchestration.identifiers import format_appno
from tests.conftest import built_fixture, query, write_landing_file

P = dt.date(2025, 6, 30)

# metric -> (city, 华龙区 410902, 清丰县 410922); None = NULL
EXPECTED = {
    "valid_invention_patents": (8, 6, 2),
    "valid_invention_patents_growth": (60.0, 100.0, 0.0),
    "invention_per_10k": (0.08, 0.15, 2 / 60),
    "high_value_invention_patents": (8, 6, 2),
    "high_value_per_10k": (0.08, 0.15, 2 / 60),
    "hv_strategic_emerging": (5, 4, 1),
    "hv_overseas_family": (1, 1, 0),
    "hv_maintained_10y": (2, 2, 0),
    "hv_pledge": (1, 1, 0),
    "hv_award": (1, 0, 1),
    "invention_grants": (3, 2, 1),
    "valid_trademarks": (2, 0, 2),
    "overseas_applications": (2, 1, 1),
    "pct_applications": (1, 1, 0),
    "madrid_applications": (1, 0, 1),
    "hightech_enterprises": (2, 1, 1),
    "hightech_with_invention_rate": (50.0, 100.0, 0.0),
    "srdi_sme_new": (1, 1, 0),
    "little_giant_new": (0, 0, 0),
    "srdi_sme_valid": (2, 1, 1),
    "little_giant_valid": (1, 1, 0),
    "ip_advantage_enterprises_total": (3, 2, 1),
    "ip_advantage_enterprises_new": (1, 1, 0),
    "above_scale_enterprises": (4, 2, 2),
    "above_scale_zero_invention": (1, 0, 1),
    "above_scale_invention_coverage": (75.0, 100.0, 50.0),
    "above_scale_ip_coverage": (100.0, 100.0, 100.0),
    "key_enterprise_invention_patents": (6, 6, 0),
    "key_enterprise_doubling_ratio": (1.5, 1.5, None),
    "key_enterprises_doubled": (1, 1, 0),
    "pledge_amount": (1000, 1000, 0),
    "pledge_count": (1, 1, 0),
    "fee_warning_patents": (2, 1, 1),
    "lapsed_unpaid_fee": (1, 0, 1),
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    with built_fixture(tmp_path_factory, "landing_metrics") as built:
        assert built["code"] == 0
        yield built["warehouse"]


q = query


def test_every_metric_code_of_the_catalog_is_checked_here(warehouse):
    codes = {r[0] for r in q(warehouse, "SELECT metric_code FROM marts.metric_catalog")}
    assert codes == set(EXPECTED)


@pytest.mark.parametrize("metric", sorted(EXPECTED))
def test_metric_value_for_the_city_and_two_units(warehouse, metric):
    got = dict(q(warehouse, """SELECT region_code, value FROM marts.metric_values
                               WHERE period_end = ? AND industry_code = 'ALL' AND metric_code = ?
                                 AND region_code IN ('410900', '410902', '410922')""", [P, metric]))
    for region, expected in zip(("410900", "410902", "410922"), EXPECTED[metric]):
        if expected is None:
            assert got[region] is None, (metric, region)
        else:
            assert got[region] == pytest.approx(expected), (metric, region)


def test_every_metric_has_a_row_for_the_city_every_unit_and_unattributed_every_period(warehouse):
    units = q(warehouse, "SELECT count(*) FROM marts.regions")[0][0]  # root + 8 units + UNATTRIBUTED
    periods = q(warehouse, "SELECT count(DISTINCT period_end) FROM marts.metric_values")[0][0]
    per_metric = q(warehouse, """SELECT metric_code, count(*) FROM marts.metric_values WHERE industry_code = 'ALL'
                                 GROUP BY 1""")
    assert units == 10
    assert {m: n for m, n in per_metric} == {m: units * periods for m in EXPECTED}


def test_additive_metrics_add_up_to_the_city(warehouse):
    bad = q(warehouse, """
        WITH v AS (SELECT m.* FROM marts.metric_values m JOIN marts.metric_catalog c USING (metric_code)
                   WHERE c.aggregation = 'additive' AND m.industry_code = 'ALL')
        SELECT c.period_end, c.metric_code, c.value, sum(u.value)
        FROM v c JOIN v u ON u.period_end = c.period_end AND u.metric_code = c.metric_code AND u.region_code <> '410900'
        WHERE c.region_code = '410900' GROUP BY 1, 2, 3 HAVING abs(c.value - sum(u.value)) > 1e-9""")
    assert bad == []


def test_industry_rows(warehouse):
    rows = dict(q(warehouse, """SELECT industry_code, value FROM marts.metric_values WHERE period_end = ?
                                AND region_code = '410900' AND metric_code = 'valid_invention_patents' AND industry_code <> 'ALL'
                                AND value > 0""", [P]))
    # C07C: A1 A10; B23K: A2 A8 A11; A23L: A3 A9; H04L: A6
    assert rows == {"chemicals": 2, "equipment": 3, "food": 2, "next_gen_it": 1}
    assert q(warehouse, """SELECT value FROM marts.metric_values WHERE period_end = ? AND region_code = '410900'
                           AND metric_code = 'above_scale_zero_invention' AND industry_code = 'home_furnishing'""", [P]) == [(1.0,)]


def test_population_fallback_to_the_latest_earlier_year_is_recorded(warehouse):
    assert q(warehouse, "SELECT population, population_year, series FROM marts.population_used WHERE period_end = ? AND region_code = '410900'", [P]) == [
        (1000000.0, 2024, "年末常住人口")]


def test_fee_warnings(warehouse):
    rows = q(warehouse, """SELECT application_no, due_date, fee_yuan, surcharge_yuan, state FROM marts.fee_warnings
                           WHERE period_end = ? ORDER BY application_no""", [P])
    assert rows == [
        ("201510000010.X", dt.date(2025, 4, 15), 4000.0, 400.0, "grace"),
        ("201610000009.1", dt.date(2025, 7, 1), 4000.0, 0.0, "due_soon"),
        ("202010000002.6", dt.date(2025, 8, 15), 1200.0, 0.0, "unknown"),
    ]


def test_zero_invention_list(warehouse):
    assert q(warehouse, """SELECT enterprise, region_code, industry_code, valid_patents_any_type, valid_trademarks
                           FROM marts.zero_invention_enterprises WHERE period_end = ?""", [P]) == [
        ("清丰县丁家居有限公司", "410922", "home_furnishing", 0, 1)]


def test_county_assessment_ranks_units(warehouse):
    rows = dict(q(warehouse, """SELECT region_code, invention_per_10k_rank FROM marts.county_assessment
                                WHERE period_end = ?""", [P]))
    assert rows["410902"] == 1 and rows["410922"] == 2
    assert all(rank == 3 for code, rank in rows.items() if code not in ("410902", "410922"))  # no population
    (zero_rank,) = q(warehouse, "SELECT above_scale_zero_invention_rank FROM marts.county_assessment WHERE period_end = ? AND region_code = '410922'", [P])[0]
    assert zero_rank == 8  # lower is better: the only unit with a 清零 firm ranks last


def test_target_progress_covers_every_target_row(warehouse):
    rows = q(warehouse, "SELECT year, metric_code, status FROM marts.target_progress WHERE period_end = ?", [P])
    by = {(y, m): s for y, m, s in rows}
    assert by[(2025, "hightech_enterprises")] == "behind"  # 2 against 180
    assert by[(2025, "above_scale_zero_invention")] == "behind"  # 1 against <= 0
    assert q(warehouse, "SELECT count(DISTINCT metric_code || year) FROM marts.target_progress")[0][0] == 26


def test_the_citys_published_2021_figure(tmp_path, monkeypatch):
    """883 valid invention patents over the 361万 series gives 2.45 for April 2021 (domain.md §4.3)."""
    landing = tmp_path / "landing"
    rows = "".join(
        f"{format_appno(f'2015100{i:05d}')},2015-06-01,发明授权,发明{i},濮阳市甲公司,河南省濮阳市华龙区,2018-01-01,有效\n"
        for i in range(1, 884)
    )
    write_landing_file(landing, "patents", "patents_20210430.csv", "申请号,申请日,专利类型,专利名称,专利权人,地址,授权公告日,法律状态\n" + rows)
    write_landing_file(landing, "population", "pop.csv", "年份,区划代码,地区,常住人口(万人),口径\n2021,410900,濮阳市,361,年末常住人口\n")
    wh = tmp_path / "wh.duckdb"
    assert main(["build", "--landing", str(landing), "--warehouse", str(wh), "--period", "2021-04"]) == 0
    (value, numerator, denominator), = q(wh, """SELECT value, numerator, denominator FROM marts.metric_values
        WHERE period_end = DATE '2021-04-30' AND region_code = '410900' AND metric_code = 'invention_per_10k'""")
    assert (numerator, denominator) == (883, 361)
    assert round(value, 2) == 2.45


ENTERPRISE_LISTS = ("hightech_enterprises", "srdi_sme_valid", "little_giant_valid", "srdi_sme_new", "little_giant_new",
                    "ip_advantage_enterprises_total", "ip_advantage_enterprises_new", "above_scale_enterprises")


def test_enterprise_drill_downs_list_the_firms_the_metric_counts(warehouse):
    """The drill-down of each enterprise metric lists marts.metric_records, the rows the metric counts
    (int_metric_enterprise_records): for every unit, at the fixture's month-end and at the end of each
    year, as many firms as the metric's value, and none of them twice."""
    from dashboards import auth, data

    published = data.published_warehouse(warehouse)
    city = auth.Viewer("city", "市知识产权局", "city")
    periods = [P, *(p for (p,) in q(warehouse, "SELECT DISTINCT period_end FROM marts.metric_values WHERE month(period_end) = 12"))]
    nonzero = set()
    for period in periods:
        for metric in ENTERPRISE_LISTS:
            for region, value in q(warehouse, """SELECT region_code, value FROM marts.metric_values
                                                 WHERE period_end = ? AND industry_code = 'ALL' AND metric_code = ?""",
                                   [period, metric]):
                records = data.metric_records(published, city, metric, period, region, limit=None)
                assert records.total == int(value or 0), (metric, region, period)
                assert not records.frame.duplicated(["enterprise", "uscc"]).any(), (metric, region, period)
                if value:
                    nonzero.add(metric)
    assert nonzero == set(ENTERPRISE_LISTS)
