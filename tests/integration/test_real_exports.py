"""Exports in the shapes the office actually gets, built to metric values: the hand-made landing
folder tests/fixtures/landing_exports (incoPat .xls, PatSnap, CNIPR GBK with history cells holding
line breaks, a 佰腾-style .xlsx under a title row, 天眼查 and 企查查 trademark lists, the statistics
bureau's list, the pledge gazette, and official rosters as published: an .xlsx whose level, year and
stage stand only in its title, and a PDF). Every expected number is worked out by hand in that
folder's README.md."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import built_fixture, query

D = dt.date


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with built_fixture(tmp_path_factory, "landing_exports") as built:
        yield built


def city(warehouse, metric, period):
    rows = query(warehouse, """SELECT value FROM marts.metric_values WHERE metric_code = ? AND period_end = ?
                               AND industry_code = 'ALL' AND region_code = '410900'""", [metric, period])
    return rows[0][0] if rows else None


def test_every_file_loads(built):
    assert built["code"] == 0
    log = query(built["warehouse"], "SELECT file_name, status, rows_read, rows_loaded, rows_quarantined, profile FROM audit.load_log")
    by_file = {r[0]: r[1:] for r in log}
    assert by_file["patents/incoPat导出_20241231.xls"] == ("loaded", 4, 4, 0, "incopat")
    assert by_file["patents/patsnap_20241231.csv"] == ("loaded", 3, 3, 0, "patsnap")
    assert by_file["patents/CNIPR检索_2024年12月.csv"] == ("loaded", 3, 3, 0, "cnipr")
    assert by_file["patents/佰腾导出_20241231.xlsx"] == ("loaded", 2, 2, 0, "baiten")
    assert by_file["trademarks/天眼查商标_20241231.xlsx"] == ("loaded", 2, 2, 0, "tianyancha")
    assert by_file["trademarks/企查查商标_20241231.csv"] == ("loaded", 2, 2, 0, "qichacha")
    assert by_file["enterprises/联网直报名录_20241231.csv"] == ("loaded", 1, 1, 0, "nbs")
    assert by_file["pledges/专利权质押公告_20241231.csv"] == ("loaded", 2, 2, 0, "pledge_gazette")
    # other cities' firms of the provincial lists: kept in audit, never loaded
    assert by_file["srdi/2024年度河南省专精特新中小企业名单.xlsx"] == ("loaded", 3, 1, 2, "published_roster")
    assert by_file["srdi/第五批专精特新小巨人企业名单_2023.pdf"] == ("loaded", 2, 1, 1, "published_roster")
    assert by_file["hightech/2023年高新技术企业认定名单.xlsx"] == ("loaded", 2, 1, 1, "published_roster")
    for _, (status, read, loaded, quarantined, _) in by_file.items():
        assert read == loaded + quarantined


def test_roster_metadata_inferred_and_recorded(built):
    rows = dict(query(built["warehouse"], "SELECT file_name, inferred FROM audit.load_log WHERE source = 'srdi'"))
    assert rows["srdi/2024年度河南省专精特新中小企业名单.xlsx"] == \
        "级别=专精特新中小企业（来自标题）；年度=2024（来自标题）；状态=公布（来自标题）"
    assert rows["srdi/第五批专精特新小巨人企业名单_2023.pdf"] == \
        "级别=专精特新小巨人（来自标题）；年度=2023（来自文件名）；批次=第五批（来自标题）；状态=公布（来自标题）"


def test_outside_pack_rows_kept_in_audit(built):
    rows = query(built["warehouse"], "SELECT raw_value FROM audit.quarantine WHERE rule = 'outside_pack' ORDER BY raw_value")
    assert [r[0] for r in rows] == ["安阳市", "开封市", "新乡市", "郑州市"]


@pytest.mark.parametrize(
    "period,expected",
    [
        # I1 I2 I3 S1 S2 C1 C2 (README): B1 not yet granted, C3 never valid (lapsed, no date, term running)
        (D(2021, 12, 31), 7),
        # I2 lapsed 2022-03-01 (授权后失效); B1 granted 2022-09-01
        (D(2022, 12, 31), 7),
        # I3 (授权后放弃) 2023-05-05, S2 (PatSnap 失效) 2023-06-01, C2 (有效期届满) term end 2023-05-01
        (D(2023, 12, 31), 4),
        (D(2024, 12, 31), 4),
    ],
)
def test_valid_invention_patents(built, period, expected):
    assert city(built["warehouse"], "valid_invention_patents", period) == expected


def test_units_at_end_of_2024(built):
    rows = dict(query(built["warehouse"], """SELECT region_code, value FROM marts.metric_values
        WHERE metric_code = 'valid_invention_patents' AND period_end = DATE '2024-12-31' AND industry_code = 'ALL'"""))
    # I1 华龙区 (甲), S1 清丰县 (乙, via [标]当前申请(专利权)人), C1 南乐县 (丙), B1 台前县 (丁, 当前权利人 not 申请人)
    assert {k: v for k, v in rows.items() if v} == {"410900": 4, "410902": 1, "410922": 1, "410923": 1, "410927": 1}


def test_trademarks(built):
    # TM1 (第1类) and TM2 (38-电讯、通信服务) of 甲, TM3 (29类 食品, 商标已注册) of 乙; TM4 商标无效 never counts
    assert city(built["warehouse"], "valid_trademarks", D(2024, 12, 31)) == 3


def test_rosters(built):
    assert city(built["warehouse"], "srdi_sme_new", D(2024, 12, 31)) == 1
    assert city(built["warehouse"], "little_giant_new", D(2023, 12, 31)) == 1
    assert city(built["warehouse"], "little_giant_valid", D(2024, 12, 31)) == 1


def test_hightech_list_without_certificates(built):
    # 丙 on the 2023 list (no 证书编号): a high-tech firm from 2023-01-01 for three years
    assert city(built["warehouse"], "hightech_enterprises", D(2022, 12, 31)) == 0
    assert city(built["warehouse"], "hightech_enterprises", D(2023, 12, 31)) == 1
    assert city(built["warehouse"], "hightech_enterprises", D(2024, 12, 31)) == 1
    rows = query(built["warehouse"], "SELECT certificate_no, issue_date FROM staging.stg_hightech")
    assert rows == [("名单2023:濮阳市丙新材料有限公司", D(2023, 1, 1))]


def test_pledges_with_and_without_check_character(built):
    rows = query(built["warehouse"], "SELECT application_no FROM raw.pledges ORDER BY registration_no")
    assert [r[0] for r in rows] == ["201510011111.7", "201710088888.2"]
    flags = query(built["warehouse"], "SELECT rule FROM audit.flags WHERE source = 'pledges'")
    assert flags == [("application_no_check_missing",)]
