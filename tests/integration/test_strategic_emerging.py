"""High-value criterion ① by the official strategic-emerging table (seed strategic_emerging_ipc_2021) on
tests/fixtures/landing_strategic: includes, exclusions, one rule excluding what another takes, later IPC
editions, keyword modes and the IPC scope. Every expected number is worked out by hand in the fixture's
README from the table's rows."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import built_fixture, query

P = dt.date(2025, 6, 30)
CITY, HUALONG = "410900", "410902"
S = {f"S{i}": f"202010000{i:03d}" for i in range(1, 12)}  # application_no without its check char


def appno(key: str) -> str:
    return next(a for a in APPNOS if a.startswith(S[key]))


APPNOS: list[str] = []


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    with built_fixture(tmp_path_factory, "landing_strategic") as built:
        assert built["code"] == 0
        APPNOS[:] = [r[0] for r in query(built["warehouse"], "SELECT application_no FROM marts.patent_facts")]
        yield built["warehouse"]


@pytest.fixture(scope="module")
def warehouse_main_only_title_abstract(tmp_path_factory):
    with built_fixture(tmp_path_factory, "landing_strategic", IPWH_HV_STRATEGIC_KEYWORD_MODE="title_abstract",
                       IPWH_HV_STRATEGIC_IPC_SCOPE="main_only") as built:
        assert built["code"] == 0
        yield built["warehouse"]


def rules_of(warehouse) -> dict[str, list[str]]:
    rows = query(warehouse, "SELECT application_no, strategic_rules FROM marts.patent_facts")
    by_appno = dict(rows)
    return {key: sorted(by_appno[appno(key)]) for key in S}


def metric(warehouse, code: str, region: str = CITY) -> float:
    return query(warehouse, """SELECT value FROM marts.metric_values WHERE period_end = ? AND region_code = ?
                               AND industry_code = 'ALL' AND metric_code = ?""", [P, region, code])[0][0]


def test_each_patent_shows_the_rules_that_take_it(warehouse):
    assert rules_of(warehouse) == {
        "S1": ["1.3-04"],             # H04L9/40: include H04L9*
        "S2": [],                     # C07C1/00: 4.1-04 includes C07C* but excludes C07C1*
        "S3": ["2.1-04"],             # B23K31/02: 3.2-10 excludes B23K31*, 2.1-04 includes it
        "S4": ["1.2-06"],             # H10K50/00 read as H01L51* / H01L25*
        "S5": ["1.2-05", "1.5-06"],   # G06V10/82 read as G06K9* (1.2-05) and G06K9/00 (1.5-06; excluded in 1.2-05)
        "S6": ["1.4-04", "1.5-05"],   # G06N3/045(2023.01): as classified 1.4-04, under G06N3/04 1.5-05
        "S7": ["3.6-06"],
        "S8": ["3.6-06"],
        "S9": ["3.6-06"],
        "S10": ["3.6-01"],            # main C07C1/00 excluded; B82Y30/00 taken
        "S11": ["1.4-04"],            # no version indicator: not read as G06N3/04
    }


def test_branches_sectors_and_what_a_later_edition_added(warehouse):
    rows = {a: (b, s, r) for a, b, s, r in query(warehouse, """SELECT application_no, strategic_branches, strategic_sectors,
                                                              strategic_later_edition_readings FROM marts.patent_facts""")}
    assert rows[appno("S5")] == (["1.2", "1.5"], ["1"], ["G06V10/82 → G06K9*", "G06V10/82 → G06K9/00"])
    assert rows[appno("S4")] == (["1.2"], ["1"], ["H10K50/00 → H01L25*", "H10K50/00 → H01L51*"])
    assert rows[appno("S6")] == (["1.4", "1.5"], ["1"], ["G06N3/045(2023.01) → G06N3/04"])
    assert rows[appno("S1")] == (["1.3"], ["1"], [])
    assert query(warehouse, "SELECT rule_ids_by_later_edition FROM intermediate.int_patent_strategic_emerging WHERE application_no = ?",
                 [appno("S6")]) == [(["1.5-05"],)]


def test_criterion_ignoring_keywords_is_the_default(warehouse):
    assert query(warehouse, "SELECT value FROM marts.settings_in_use WHERE setting_name = 'hv_strategic_keyword_mode'") == [("ignore",)]
    # S1 S3..S11: ten of the eleven valid inventions; all of them in 华龙区
    assert metric(warehouse, "hv_strategic_emerging") == 10
    assert metric(warehouse, "hv_strategic_emerging", HUALONG) == 10
    assert metric(warehouse, "high_value_invention_patents") == 10


def test_the_count_under_each_keyword_mode(warehouse):
    rows = dict(query(warehouse, """SELECT group_code, value FROM marts.strategic_emerging_values WHERE period_end = ?
                                    AND region_code = ? AND group_kind = 'keyword_mode'""", [P, CITY]))
    # title: S1 区块链, S6 函数库 (1.5-05, a later-edition rule), S7 石墨烯薄膜, S10 (3.6-01 has no keywords);
    # title_abstract adds S3 (等离子弧焊接机) and S8 (石墨烯薄膜 in the abstract)
    assert rows == {"ignore": 10, "title": 4, "title_abstract": 6}


def test_branch_sector_and_policy_industry_counts(warehouse):
    rows = {(k, c, m): v for k, c, m, v in query(warehouse, """SELECT group_kind, group_code, metric_code, value
        FROM marts.strategic_emerging_values WHERE period_end = ? AND region_code = ? AND group_kind <> 'keyword_mode'
        AND value > 0""", [P, CITY])}
    valid = {(k, c): v for (k, c, m), v in rows.items() if m == "valid_invention_patents"}
    assert valid == {
        ("branch", "1.2"): 2, ("branch", "1.3"): 1, ("branch", "1.4"): 2, ("branch", "1.5"): 2,
        ("branch", "2.1"): 1, ("branch", "3.6"): 4,
        ("sector", "1"): 5, ("sector", "2"): 1, ("sector", "3"): 4,
        ("policy_industry", "next_gen_it"): 5, ("policy_industry", "new_materials"): 4,
        ("all", "strategic_emerging"): 10,
    }
    high_value = {(k, c): v for (k, c, m), v in rows.items() if m == "high_value_invention_patents"}
    assert high_value == valid  # under the default mode every patent the table takes is high-value


def test_keyword_mode_and_main_symbol_scope_change_the_criterion(warehouse_main_only_title_abstract):
    wh = warehouse_main_only_title_abstract
    # title_abstract: S1 S3 S6 S7 S8 S10; main_only drops S10 (its B82Y30/00 is not the main symbol)
    assert metric(wh, "hv_strategic_emerging") == 5
    rules = rules_of(wh)
    assert rules["S10"] == [] and rules["S4"] == [] and rules["S3"] == ["2.1-04"] and rules["S6"] == ["1.5-05"]
    rows = dict(query(wh, """SELECT group_code, value FROM marts.strategic_emerging_values WHERE period_end = ?
                             AND region_code = ? AND group_kind = 'keyword_mode'""", [P, CITY]))
    assert rows == {"ignore": 9, "title": 3, "title_abstract": 5}
