"""Who and where (issue 3): enterprise master, entity resolution, unit attribution, review list and
overrides, on the hand-made landing folder tests/fixtures/who_and_where. Every expected value was
worked out by hand; tests/fixtures/who_and_where/README.md gives the reasoning per case.

The landing folder is ingested and only the models of this issue (and what they need) are built with
dbt, in a private copy of the dbt project (its own target/, and a seed the override test can edit).
"""

from __future__ import annotations

import os
import shutil
import subprocess

import duckdb
import pytest

from orchestration.resources import BUILD_CONTEXT_DDL
from orchestration.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR
from orchestration.sources.catalog import SOURCES
from orchestration.sources.ingest import ingest_source
from tests.conftest import FIXTURES, query

SELECTION = ("resource_type:seed +data_quality_matching +data_quality_attribution +entity_review_list "
             "+unmatched_roster_entries +int_pledge_attribution")

F1, F2, F3 = "91410923310000014W", "914109263100000223", "914109023100000305"
F4, F5, F6 = "91410928310000049P", "914109723100000579", "91410922310000065N"
F7, F8 = "91410902310000073J", "914109283100000813"
R1, R2 = "9141092231000009X4", "91410926310000102N"  # two firms of the same name (trademarks only)


def _dbt_build(project, db):
    env = {**os.environ, "IPWH_BUILD_DB": str(db)}
    done = subprocess.run(
        [DBT_EXECUTABLE, "build", "--select", SELECTION, "--indirect-selection", "cautious",
         "--exclude-resource-type", "unit_test"],
        cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-5000:]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    copy = tmp_path_factory.mktemp("who_where") / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, copy, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    return copy


@pytest.fixture(scope="module")
def built(project):
    db = project.parent / "who_where.duckdb"
    con = duckdb.connect(str(db))
    for source in SOURCES.values():
        ingest_source(con, source, FIXTURES / "who_and_where")
    con.execute(BUILD_CONTEXT_DDL)
    con.execute("INSERT INTO audit.build_context VALUES ('test', 'puyang', DATE '1900-01-31', DATE '2999-12-31', now())")
    con.close()
    _dbt_build(project, db)
    return db


@pytest.fixture(scope="module")
def overridden(project, built):
    """The same data after the engineer resolved one review item in the overrides seed."""
    db = project.parent / "who_where_override.duckdb"
    shutil.copy(built, db)
    with open(project / "seeds" / "entity_overrides.csv", "a", encoding="utf-8") as f:
        f.write(f"濮阳市恒信塑业有限责任公司,{F6},2025-01-15,国家企业信用信息公示系统: the roster misspelt the legal form\n")
    _dbt_build(project, db)
    return db


q = query


def patent(db, application_no):
    return q(db, """SELECT h.enterprise_id, h.match_method, a.region_code, a.attribution_method
                    FROM intermediate.int_patent_attribution AS a
                    JOIN intermediate.int_patent_holders AS h ON h.application_no = a.application_no AND h.is_first
                    WHERE a.application_no = ?""", [application_no])[0]


def roster_row(db, certificate_no):
    return q(db, """SELECT enterprise_id, match_method, match_score, region_code FROM intermediate.int_roster_enterprises
                    WHERE roster = 'hightech' AND roster_key = ?""", [certificate_no])[0]


def test_one_firm_under_three_address_variants_is_one_enterprise_in_one_unit(built):
    firm = "N:濮阳市恒通化工有限公司"
    # the third address names no unit: the firm's unit comes from the master
    assert [patent(built, a) for a in ("202010100001.9", "202010100002.3", "202010100003.8")] == [
        (firm, "name_only", "410922", "enterprise_master")] * 3
    assert q(built, "SELECT region_code, region_method FROM intermediate.int_enterprise_master WHERE enterprise_id = ?",
             [firm]) == [("410922", "record_address")]


def test_full_and_half_width_brackets_and_traditional_characters_name_the_same_firm(built):
    assert patent(built, "202010100004.2") == (F5, "exact_name", "410972", "enterprise_master")
    assert q(built, "SELECT reg_no, enterprise_id, region_code FROM intermediate.int_trademark_attribution ORDER BY reg_no") == [
        ("50000001", F5, "410972"),  # 远茂 （濮阳） 重工…, full-width brackets and spaces
        ("50000002", F1, "410923"),  # 濮陽市華達化工有限公司
        ("50000003", "N:濮阳市恒通化工有限公司", "410922"),
        ("50000004", "9141092231000009X4", "410922"),
        ("50000005", "91410926310000102N", "410926"),
    ]
    assert roster_row(built, "GR202341000006") == (F5, "exact_name", 100.0, "410972")  # 遠茂(濮陽)…


def test_a_renamed_firm_is_found_by_its_former_name(built):
    assert patent(built, "202010100005.7") == (F3, "exact_name", "410902", "enterprise_master")
    assert roster_row(built, "GR202341000002") == (F3, "exact_name", 100.0, "410902")


def test_a_branch_is_an_entity_of_its_own_beside_its_parent(built):
    assert patent(built, "202020100006.7") == ("N:濮阳市宏业石油装备有限公司清丰分公司", "name_only", "410922", "enterprise_master")
    assert patent(built, "202010100007.6") == (F4, "exact_name", "410928", "enterprise_master")


def test_firms_differing_only_by_youxian_and_youxian_zeren_stay_apart(built):
    assert patent(built, "202010100008.0") == (F1, "exact_name", "410923", "enterprise_master")
    assert patent(built, "202010100009.5") == (F2, "exact_name", "410926", "enterprise_master")


def test_puyang_county_is_not_the_city(built):
    assert patent(built, "202020100010.3")[2:] == ("410928", "enterprise_master")
    assert q(built, "SELECT region_code, in_pack FROM intermediate.int_address_units WHERE address = '河南省濮阳市濮阳县城关镇建设路18号'") == [
        ("410928", True)]


def test_the_development_zone_wins_over_its_county_but_a_county_zone_stays_with_its_county(built):
    assert patent(built, "202010100011.2")[2] == "410972"  # …华龙区濮阳经济技术开发区…
    assert patent(built, "202020100013.7")[2] == "410972"  # 濮阳市开发区…
    assert patent(built, "202020100012.2")[2] == "410922"  # …清丰县经济开发区…


def test_a_patent_co_owned_by_two_puyang_firms_counts_for_its_first_patentee_and_both_hold_it(built):
    assert patent(built, "202010100014.6") == (F1, "exact_name", "410923", "enterprise_master")
    assert q(built, "SELECT position, enterprise_id FROM intermediate.int_patent_holders WHERE application_no = '202010100014.6' ORDER BY 1") == [
        (1, F1), (2, F3)]


def test_a_patent_whose_first_patentee_is_outside_puyang_is_excluded_but_held_by_the_puyang_co_owner(built):
    assert q(built, "SELECT region_code, attribution_method, is_excluded FROM intermediate.int_patent_attribution WHERE application_no = '202010100015.0'") == [
        (None, "outside_pack", True)]
    assert q(built, "SELECT position, enterprise_id, match_method FROM intermediate.int_patent_holders WHERE application_no = '202010100015.0' ORDER BY 1") == [
        (1, "N:北京化工大学", "name_only"), (2, F6, "exact_name")]
    assert q(built, "SELECT entity_kind, region_code, region_method FROM intermediate.int_enterprise_master WHERE enterprise_id = 'N:北京化工大学'") == [
        ("institution", None, "outside_pack")]


def test_individuals_are_placed_by_their_address_alone(built):
    assert patent(built, "202020100016.0") == ("N:王建国", "person", "410928", "address")  # 柳屯镇王寨村
    assert patent(built, "202020100017.5") == ("N:李明", "person", None, "outside_pack")  # 山东省郓城县王楼镇…
    assert patent(built, "202020100018.X") == ("N:张三", "person", "UNATTRIBUTED", "no_location")
    assert q(built, "SELECT count(*) FROM intermediate.int_enterprise_master WHERE enterprise_id IN ('N:王建国', 'N:李明', 'N:张三')") == [(0,)]


def test_a_name_borne_by_two_credit_codes_is_not_guessed_and_the_record_keeps_its_own_address(built):
    assert patent(built, "202010100019.9") == ("N:濮阳市瑞丰建材有限公司", "ambiguous", "410926", "address")


def test_every_patent_has_one_unit_and_units_add_up(built):
    rows = q(built, "SELECT coalesce(region_code, 'excluded'), count(*) FROM intermediate.int_patent_attribution GROUP BY 1 ORDER BY 1")
    assert rows == [("410902", 1), ("410922", 5), ("410923", 2), ("410926", 2), ("410928", 3), ("410972", 3),
                    ("UNATTRIBUTED", 1), ("excluded", 2)]


def test_roster_names_match_exactly_then_fuzzily_and_ambiguity_is_not_guessed(built):
    assert roster_row(built, "GR202341000001") == (F1, "fuzzy", 95.2, "410923")
    assert roster_row(built, "GR202341000003") == ("N:濮阳市恒信塑业有限责任公司", "ambiguous", None, "410922")
    assert roster_row(built, "GR202341000004") == ("N:濮阳金源环保科技有限公司", "ambiguous", None, "UNATTRIBUTED")
    assert roster_row(built, "GR202341000005") == ("N:濮阳市宏业石油装备有限公司范县分公司", "ambiguous", None, "410926")
    assert roster_row(built, "GR202341000007") == ("N:濮阳市绿能新能源有限公司", "name_only", None, "410927")


def test_the_review_list_holds_the_ambiguous_names_with_their_candidates(built):
    rows = q(built, """SELECT name_key, review_reason, review_status, [c.enterprise_id for c in candidates],
                              [c.score for c in candidates]
                       FROM marts.entity_review_list ORDER BY name_key""")
    assert rows == [
        # 2x13/(18+13) = 83.9 and 2x11/(13+11) = 91.7: below 92, reported because of what they are
        ("濮阳市宏业石油装备有限公司范县分公司", "branch_vs_parent", "open", [F4], [83.9]),
        ("濮阳市恒信塑业有限责任公司", "legal_form_differs", "open", [F6], [91.7]),
        ("濮阳市瑞丰建材有限公司", "same_name_several_codes", "open", [R1, R2], [100.0, 100.0]),
        ("濮阳金源环保科技有限公司", "several_candidates", "open", [F7, F8], [96.0, 96.0]),
    ]


def test_unmatched_roster_entries(built):
    rows = q(built, "SELECT roster_key, reason, closest_score < threshold FROM marts.unmatched_roster_entries ORDER BY roster_key")
    assert rows == [
        ("GR202341000003", "ambiguous", True), ("GR202341000004", "ambiguous", False),
        ("GR202341000005", "ambiguous", True), ("GR202341000007", "below_threshold", True),
    ]


def test_data_quality_shares(built):
    matching = q(built, "SELECT match_method, records, share_pct FROM marts.data_quality_matching WHERE source = 'hightech' ORDER BY 1")
    assert matching == [("ambiguous", 3, 42.86), ("exact_name", 2, 28.57), ("fuzzy", 1, 14.29), ("name_only", 1, 14.29)]
    attribution = q(built, "SELECT outcome, sum(records) FROM marts.data_quality_attribution WHERE source = 'patents' GROUP BY 1 ORDER BY 1")
    assert attribution == [("excluded", 2), ("unattributed", 1), ("unit", 16)]


def test_an_override_resolves_a_review_item_and_wins(overridden):
    assert q(overridden, "SELECT review_status, resolved_enterprise_id FROM marts.entity_review_list WHERE name_key = '濮阳市恒信塑业有限责任公司'") == [
        ("resolved", F6)]
    # matched to F6; F6's latest roster row (enterprise roster 2024) says 华龙区
    assert roster_row(overridden, "GR202341000003") == (F6, "override", None, "410902")
    assert q(overridden, "SELECT count(*) FROM intermediate.int_enterprise_master WHERE enterprise_id = 'N:濮阳市恒信塑业有限责任公司'") == [(0,)]
    # the other items stay open
    assert q(overridden, "SELECT count(*) FROM marts.entity_review_list WHERE review_status = 'open'") == [(3,)]
