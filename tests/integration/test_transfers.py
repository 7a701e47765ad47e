"""Transfers and re-attribution as causes of a change (attribution_as_of), on
tests/fixtures/landing_transfers: every expected number is worked out by hand in its README."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import built_fixture, query

MAY, APRIL, DEC = dt.date(2025, 5, 31), dt.date(2025, 4, 30), dt.date(2024, 12, 31)
CITY, HUALONG, QINGFENG = "410900", "410902", "410922"
B1, B2, B3, B4 = "201910000101.1", "202010000102.9", "201810000103.6", "202110000104.2"
WU = "91410922MA3X01056C"  # 濮阳市戊新材料有限公司: 清丰县 on the 2024 roster, 华龙区 on the 2025 roster


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    with built_fixture(tmp_path_factory, "landing_transfers") as result:
        assert result["code"] == 0
        yield result["warehouse"]


@pytest.fixture(scope="module")
def restated(tmp_path_factory):
    with built_fixture(tmp_path_factory, "landing_transfers", IPWH_ATTRIBUTION_AS_OF="newest") as result:
        assert result["code"] == 0
        yield result["warehouse"]


def value(warehouse, metric, region, period) -> float | None:
    rows = query(warehouse, """select value from marts.metric_values where metric_code = ? and region_code = ?
                               and period_end = ? and industry_code = 'ALL'""", [metric, region, period])
    return rows[0][0] if rows else None


def parts(warehouse, metric, region, comparison, period=MAY) -> dict[str, float]:
    rows = query(warehouse, """select part_code, value from marts.metric_change_decomposition
                               where period_end = ? and region_code = ? and metric_code = ? and comparison = ?""",
                 [period, region, metric, comparison])
    return {code: v for code, v in rows if code != "none"}


def test_a_patent_counts_for_the_unit_of_its_holder_at_each_month_end(warehouse):
    stock = {(p, r): value(warehouse, "valid_invention_patents", r, p)
             for p in (DEC, APRIL, MAY) for r in (CITY, HUALONG, QINGFENG)}
    assert stock == {(DEC, CITY): 4, (DEC, HUALONG): 2, (DEC, QINGFENG): 2,
                     (APRIL, CITY): 4, (APRIL, HUALONG): 3, (APRIL, QINGFENG): 1,
                     (MAY, CITY): 3, (MAY, HUALONG): 3, (MAY, QINGFENG): 0}


def test_a_transfer_moves_the_patent_out_of_one_unit_and_into_another_in_the_month_the_export_shows_it(warehouse):
    assert parts(warehouse, "valid_invention_patents", HUALONG, "month") == {"transfer_in": 1, "transfer_out": -1}
    assert parts(warehouse, "valid_invention_patents", QINGFENG, "month") == {"transfer_out": -1}
    # B3 went to a Beijing firm: out of the city, into no unit
    assert parts(warehouse, "valid_invention_patents", CITY, "month") == {"transfer_in": 1, "transfer_out": -2}


def test_a_trademark_follows_its_registrant_in_each_export(warehouse, restated):
    assert value(warehouse, "valid_trademarks", QINGFENG, APRIL) == 1
    assert value(warehouse, "valid_trademarks", HUALONG, APRIL) == 0
    assert parts(warehouse, "valid_trademarks", HUALONG, "month") == {"transfer_in": 1}
    assert parts(warehouse, "valid_trademarks", QINGFENG, "month") == {"transfer_out": -1}
    assert parts(warehouse, "valid_trademarks", CITY, "month") == {"transfer_in": 1, "transfer_out": -1}
    assert value(restated, "valid_trademarks", HUALONG, APRIL) == 1


def test_a_roster_move_re_attributes_the_firm_and_its_patents_from_1_january(warehouse):
    january = dt.date(2025, 1, 31)
    assert parts(warehouse, "valid_invention_patents", HUALONG, "month", january) == {"reattribution_in": 1}
    assert parts(warehouse, "valid_invention_patents", QINGFENG, "month", january) == {"reattribution_out": -1}
    for metric in ("above_scale_enterprises", "hightech_enterprises"):
        assert parts(warehouse, metric, HUALONG, "ytd") == {"reattribution_in": 1}, metric
        assert parts(warehouse, metric, QINGFENG, "ytd") == {"reattribution_out": -1}, metric
        assert parts(warehouse, metric, CITY, "ytd") == {"reattribution_in": 1, "reattribution_out": -1}, metric
    assert value(warehouse, "above_scale_enterprises", QINGFENG, DEC) == 2
    assert value(warehouse, "above_scale_enterprises", HUALONG, MAY) == 2


def test_an_enterprise_holds_a_patent_while_an_export_names_it(warehouse, restated):
    # 乙 held B1 until the export of 2025-05-31 named 甲: from then on 乙 holds no invention (清零 target)
    assert value(warehouse, "above_scale_zero_invention", QINGFENG, APRIL) == 0
    assert value(warehouse, "above_scale_zero_invention", QINGFENG, MAY) == 1
    assert value(warehouse, "above_scale_zero_invention", CITY, MAY) == 1
    assert parts(warehouse, "above_scale_zero_invention", QINGFENG, "month") == {"invention_lost": 1}
    assert parts(warehouse, "above_scale_zero_invention", CITY, "ytd") == {"invention_lost": 1}
    # restated from the newest export, 乙 never held B1
    assert value(restated, "above_scale_zero_invention", QINGFENG, DEC) == 1


def test_year_to_date_parts_of_every_cause_sum_to_the_change(warehouse):
    assert parts(warehouse, "valid_invention_patents", HUALONG, "ytd") == {
        "reattribution_in": 1, "transfer_in": 1, "transfer_out": -1}
    assert parts(warehouse, "valid_invention_patents", QINGFENG, "ytd") == {"reattribution_out": -1, "transfer_out": -1}
    assert parts(warehouse, "valid_invention_patents", CITY, "ytd") == {
        "reattribution_in": 1, "reattribution_out": -1, "transfer_in": 1, "transfer_out": -2}
    assert parts(warehouse, "invention_per_10k", HUALONG, "ytd") == pytest.approx(
        {"reattribution_in": 1 / 40, "transfer_in": 1 / 40, "transfer_out": -1 / 40})
    groups = query(warehouse, """select any_value(change), sum(value) from marts.metric_change_decomposition
                                 where change is not null group by period_end, comparison, region_code, metric_code""")
    assert groups and all(total == pytest.approx(change, abs=1e-9) for change, total in groups)


def test_the_records_of_a_transfer_part_are_the_patents_that_moved(warehouse):
    from dashboards import data
    from dashboards.auth import DEMO_VIEWER, Viewer

    published = data.published_warehouse(warehouse)
    out = data.change_records(published, DEMO_VIEWER, "valid_invention_patents", MAY, "month", "transfer_out")
    assert sorted(out["record_key"]) == sorted([B1, B3])
    qingfeng = Viewer(username="qf", display_name="清丰", role="unit", region_code=QINGFENG)
    own = data.change_records(published, qingfeng, "valid_invention_patents", MAY, "ytd", "reattribution_out")
    assert list(own["record_key"]) == [B2]
    with pytest.raises(data.AccessDenied):
        data.change_records(published, qingfeng, "valid_invention_patents", MAY, "month", "transfer_in", HUALONG)


def test_metric_records_say_what_began_and_ended_each_unit_span(warehouse):
    rows = query(warehouse, """select record_key, region_code, counted_from, counted_until, entered_by, left_by
                               from marts.metric_records where metric_code = 'valid_invention_patents'
                               and record_key in (?, ?, ?) order by record_key, counted_from""", [B1, B2, B3])
    assert rows == [
        (B3, HUALONG, dt.date(2019, 6, 1), MAY, None, "transfer"),
        (B1, QINGFENG, dt.date(2020, 5, 1), MAY, None, "transfer"),
        (B1, HUALONG, MAY, dt.date(2039, 2, 1), "transfer", None),  # the 20-year term from filing
        (B2, QINGFENG, dt.date(2021, 3, 1), dt.date(2025, 1, 1), None, "reattribution"),
        (B2, HUALONG, dt.date(2025, 1, 1), dt.date(2040, 3, 1), "reattribution", None),
    ]


def test_the_briefing_tells_the_transfers_in_plain_sentences(warehouse, tmp_path):
    import docx

    from orchestration.reports.briefing import write_monthly_briefing

    result = write_monthly_briefing(warehouse, MAY, tmp_path, pdf=False)
    texts = [p.text for p in docx.Document(str(result.docx)).paragraphs]
    assert ("有效发明专利拥有量本月减少1件（由4件到3件），其中转入（权利人变更）1件，"
            "转出（权利人变更，含转往市外）2件。") in texts
    assert any(t.startswith("说明：专利按各月末已知的第一专利权人、商标按注册人归属") for t in texts)


def test_with_attribution_as_of_newest_every_period_takes_the_newest_holder_and_roster(restated):
    assert query(restated, "select value from marts.settings_in_use where setting_name = 'attribution_as_of'") == [("newest",)]
    # B1, B2 and B4 are 华龙区's at every period; B3's newest holder is outside the city: it never counts
    for period in (DEC, MAY):
        assert value(restated, "valid_invention_patents", HUALONG, period) == 3
        assert value(restated, "valid_invention_patents", QINGFENG, period) == 0
        assert value(restated, "above_scale_enterprises", HUALONG, period) == 2
    codes = {row[0] for row in query(restated, "select distinct part_code from marts.metric_change_decomposition")}
    assert not codes & {"transfer_in", "transfer_out", "reattribution_in", "reattribution_out"}
    assert query(restated, "select count(*) from intermediate.int_patent_unit_segments") == [(0,)]
    assert query(restated, "select count(*) from intermediate.int_trademark_unit_segments") == [(0,)]


@pytest.mark.parametrize("mode", ["period", "newest"])
def test_the_change_analysis_says_how_transfers_are_counted(mode, warehouse, restated, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO_ROOT

    monkeypatch.setenv("IPWH_WAREHOUSE", str(warehouse if mode == "period" else restated))
    monkeypatch.setenv("IPWH_DEMO", "1")
    monkeypatch.setenv("IPWH_AUTH_CONFIG", str(tmp_path / "no_auth.yaml"))
    app = AppTest.from_file(str(REPO_ROOT / "dashboards" / "app.py"), default_timeout=120)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    captions = [c.value for c in app.caption]
    said = {"period": "计为转出、转入", "newest": "不作为某月的增减列出"}
    assert any(said[mode] in c for c in captions), captions
    other = said["newest" if mode == "period" else "period"]
    assert not any(other in c for c in captions), captions
