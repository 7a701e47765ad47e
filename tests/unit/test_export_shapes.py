"""Issue 13: vendor vocabularies, header precedence, readers and rosters as published, each rule
through the real ingestion path on a tiny hand-written file. Expected values are the meanings of
the words as documented by the systems (../reference/export_headers/README.md), written here by hand
(never read from the seed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from orchestration.sources.catalog import SOURCES
from orchestration.sources.ingest import ingest_source
from tests.conftest import write_landing_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HEADER = "申请号,申请日,专利类型,专利名称,专利权人,授权公告日,法律状态,失效日\n"
ROW = "201510012345.3,2015-03-10,发明授权,一种方法,濮阳市甲公司,2018-06-01,有效,\n"


@pytest.fixture
def con():
    c = duckdb.connect()
    yield c
    c.close()


def ingest(con, landing, source="patents", pack="puyang"):
    return ingest_source(con, SOURCES[source], landing, dt.datetime(2025, 1, 1), region_pack=pack)


def rows(con, sql):
    return con.execute(sql).fetchall()


def patent_with(tmp_path, con, **cells):
    row = ROW
    for old, new in cells.items():
        row = row.replace({"status": "有效", "ptype": "发明授权", "patentees": "濮阳市甲公司"}[old], new, 1)
    write_landing_file(tmp_path, "patents", "p.csv", HEADER + row)
    ingest(con, tmp_path)


# ---------------------------------------------------------------- vocabularies (seed value_vocabulary)

@pytest.mark.parametrize(
    "word,status_class,reason",
    [
        # the three valid-looking lapsed words, and their kin
        ("授权后失效", "lapsed", None),
        ("授权后放弃", "lapsed", "abandoned"),
        ("有效期届满", "lapsed", "expired"),
        ("专利权有效期届满", "lapsed", "expired"),
        ("未授权失效", "not_granted", None),
        ("未授权放弃", "not_granted", None),
        # incoPat
        ("有效", "valid", None), ("失效", "lapsed", None), ("审中", "pending", None), ("公开", "pending", None),
        ("实质审查", "pending", None), ("授权", "valid", None), ("未缴年费", "lapsed", "unpaid_fee"),
        ("驳回", "not_granted", None), ("撤回", "not_granted", None), ("放弃", "not_granted", None),
        ("PCT-有效期内", "pending", None), ("PCT-有效期满", "not_granted", None),
        # PatSnap simple and events
        ("PCT指定期内", "pending", None), ("PCT指定期满", "not_granted", None), ("期限届满", "lapsed", "expired"),
        ("权利终止", "lapsed", None), ("全部撤销", "lapsed", "invalidated"), ("部分无效", "valid", None),
        ("权利恢复", "valid", None), ("撤回-视为撤回", "not_granted", None), ("放弃-视为放弃", "not_granted", None),
        ("申请终止", "not_granted", None),
        # 佰腾-style
        ("有权-审定授权", "valid", None), ("无权-未缴年费", "lapsed", "unpaid_fee"), ("无权-期限届满", "lapsed", "expired"),
        ("审中-实质审查", "pending", None), ("无权-驳回", "not_granted", None), ("无权-视为撤回", "not_granted", None),
        # CNIPA case statuses
        ("专利权的终止", "lapsed", None), ("未缴年费终止失效", "lapsed", "unpaid_fee"),
        ("未缴年费专利权终止，等恢复", "lapsed", "unpaid_fee"), ("视为放弃取得专利权", "not_granted", None),
        ("恢复权利", "valid", None), ("全部无效", "lapsed", "invalidated"),
        # CNIPR 专利权状态
        ("有权", "valid", None), ("无权", "lapsed", None), ("在审", "pending", None),
    ],
)
def test_patent_status_words(con, tmp_path, word, status_class, reason):
    patent_with(tmp_path, con, status=word)
    assert rows(con, "SELECT status_class, lapse_reason FROM raw.patents") == [(status_class, reason)]


@pytest.mark.parametrize(
    "cell,status_class",
    [
        ('"授权 | 权利转移"', "valid"),  # PatSnap events: a transfer says nothing about validity
        ('"授权 | 未缴年费"', "lapsed"),  # the last event that is not a mere event decides
        ('"未缴年费 | 权利恢复"', "valid"),
        ('"#法律状态公告日：20120926;\n法律状态：授权;\n#法律状态公告日：20160101;\n法律状态：专利权的终止;"', "lapsed"),
        ('"#法律状态公告日：20120926;\n法律状态：授权;\n#法律状态公告日：20150101;\n法律状态：专利申请权、专利权的转移;"', "valid"),
    ],
)
def test_event_cells_and_history_cells(con, tmp_path, cell, status_class):
    patent_with(tmp_path, con, status=cell)
    assert rows(con, "SELECT status_class FROM raw.patents") == [(status_class,)]


@pytest.mark.parametrize("cell", ["神秘状态", "授权后神秘", '"授权 | 神秘"', "权利转移"])
def test_unknown_status_word_is_quarantined_never_guessed(con, tmp_path, cell):
    patent_with(tmp_path, con, status=cell)
    assert rows(con, "SELECT count(*) FROM raw.patents") == [(0,)]
    got = rows(con, "SELECT column_name, raw_value, rule FROM audit.quarantine")
    assert got == [("legal_status", cell.strip('"'), "unknown_value")]
    assert "value_vocabulary.csv" in rows(con, "SELECT message FROM audit.quarantine")[0][0]


@pytest.mark.parametrize(
    "word,ptype",
    [("授权发明", "invention"), ("发明申请", "invention"), ("发明公布", "invention"), ("中国发明", "invention"),
     ("PCT发明", "invention"), ("发明专利", "invention"), ("中国实用新型", "utility_model"), ("实用新型", "utility_model"),
     ("中国外观设计", "design"), ("外观设计", "design"), ('"发明公开;发明授权"', "invention")],
)
def test_patent_type_words(con, tmp_path, word, ptype):
    patent_with(tmp_path, con, ptype=word)
    assert rows(con, "SELECT patent_type FROM raw.patents") == [(ptype,)]


@pytest.mark.parametrize("word", ["检索报告", "其他", "发明外观"])
def test_unknown_patent_type_is_quarantined(con, tmp_path, word):
    patent_with(tmp_path, con, ptype=word)
    assert rows(con, "SELECT column_name, raw_value, rule FROM audit.quarantine") == [("patent_type", word, "unknown_value")]


TM_HEADER = "注册号,国际分类,商标名称,注册人,专用权期限,商标状态\n"


@pytest.mark.parametrize(
    "word,status_class",
    [("商标已注册", "registered"), ("注册", "registered"), ("已注册", "registered"), ("商标无效", "ended"),
     ("无效", "ended"), ("已无效", "ended"), ("已销亡", "ended"), ("注销", "ended"), ("撤销", "ended"),
     ("等待实质审查", "never_registered"), ("待审", "never_registered"), ("受理中", "never_registered"),
     ("商标注册申请等待受理中", "never_registered"), ("初审公告", "never_registered"), ("驳回复审中", "never_registered"),
     ("驳回待复审", "never_registered"), ("商标驳回通知书", "never_registered")],
)
def test_trademark_status_words(con, tmp_path, word, status_class):
    write_landing_file(tmp_path, "trademarks", "tm.csv", TM_HEADER + f"9023455,25,甲,濮阳市甲公司,2012年07月14日 至 2022年07月13日,{word}\n")
    ingest(con, tmp_path, "trademarks")
    assert rows(con, "SELECT status_class FROM raw.trademarks") == [(status_class,)]


def test_unknown_trademark_status_is_quarantined(con, tmp_path):
    write_landing_file(tmp_path, "trademarks", "tm.csv", TM_HEADER + "9023455,25,甲,濮阳市甲公司,,商标神秘\n")
    ingest(con, tmp_path, "trademarks")
    assert rows(con, "SELECT raw_value, rule FROM audit.quarantine") == [("商标神秘", "unknown_value")]


# Nice classes through the seed nice_classes.csv: the class names below are the short names of the
# Nice classes (商标分类简称) and 企查查's wording of class 38, written here by hand.
@pytest.mark.parametrize("cell,number", [("25", 25), ("第35类", 35), ("29类 食品", 29), ("38-电讯、通信服务", 38),
                                         ("第 9 类", 9), ("３５", 35), ("25.0", 25), ("1", 1), ("45", 45),
                                         ("第25类-服装鞋帽", 25), ("35类 广告销售", 35), ("38 通讯服务", 38),
                                         ("第４３类：餐饮住宿", 43), ("29类 食 品", 29), ("26-钮扣拉链", 26)])
def test_nice_class_forms(con, tmp_path, cell, number):
    write_landing_file(tmp_path, "trademarks", "tm.csv", TM_HEADER + f"9023455,{cell},甲,濮阳市甲公司,,已注册\n")
    ingest(con, tmp_path, "trademarks")
    assert rows(con, "SELECT nice_class FROM raw.trademarks") == [(number,)]
    assert rows(con, "SELECT count(*) FROM audit.quarantine") == [(0,)]


@pytest.mark.parametrize("cell", ["46", "第46类", "46类 食品", "00", "第0类", "0类 化学原料", "99", "食品", "2935", "35 36"])
def test_nice_class_other_forms_and_numbers_outside_the_seed_are_quarantined(con, tmp_path, cell):
    write_landing_file(tmp_path, "trademarks", "tm.csv", TM_HEADER + f"9023455,{cell},甲,濮阳市甲公司,,已注册\n")
    ingest(con, tmp_path, "trademarks")
    assert rows(con, "SELECT count(*) FROM raw.trademarks") == [(0,)]
    [(column, raw_value, rule, message)] = rows(con, "SELECT column_name, raw_value, rule, message FROM audit.quarantine")
    assert (column, raw_value, rule) == ("nice_class", cell, "invalid_nice_class")
    assert f"「{cell}」" in message and "nice_classes.csv" in message


def test_nice_class_zero_alone_is_quarantined(con, tmp_path):
    # a bare 0 reads as "no value" (as for dates): the row lacks its class, part of the key
    write_landing_file(tmp_path, "trademarks", "tm.csv", TM_HEADER + "9023455,0,甲,濮阳市甲公司,,已注册\n")
    ingest(con, tmp_path, "trademarks")
    assert rows(con, "SELECT count(*) FROM raw.trademarks") == [(0,)]
    assert rows(con, "SELECT column_name FROM audit.quarantine") == [("nice_class",)]


def test_nice_class_seed_lists_the_45_classes_each_with_one_short_name(tmp_path, monkeypatch):
    from orchestration.sources import vocabulary

    classes = vocabulary.load_nice_classes()
    assert sorted(classes) == list(range(1, 46))
    assert classes[29][0] == "食品" and classes[35][0] == "广告销售" and "电讯、通信服务" in classes[38][1]
    # a seed row without a short name for its class is refused, not silently accepted
    bad = tmp_path / "nice_classes.csv"
    bad.write_text("nice_class,class_name,name_kind,systems\n1,化学原料,short_name,\n2,颜料,variant,\n", encoding="utf-8")
    monkeypatch.setattr(vocabulary, "NICE_SEED", bad)
    vocabulary.load_nice_classes.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"\[2\] have no short_name"):
            vocabulary.load_nice_classes()
    finally:
        vocabulary.load_nice_classes.cache_clear()


@pytest.mark.parametrize("cell,name,number,short_name",
                         [("29类 服装", "服装", 29, "食品"), ("第35类-食品", "食品", 35, "广告销售"),
                          ("38-电讯", "电讯", 38, "通讯服务"), ("25 服装鞋帽鞋", "服装鞋帽鞋", 25, "服装鞋帽")])
def test_nice_class_name_not_of_that_class_is_quarantined_never_guessed(con, tmp_path, cell, name, number, short_name):
    write_landing_file(tmp_path, "trademarks", "tm.csv", TM_HEADER + f"9023455,{cell},甲,濮阳市甲公司,,已注册\n")
    ingest(con, tmp_path, "trademarks")
    assert rows(con, "SELECT count(*) FROM raw.trademarks") == [(0,)]
    [(column, raw_value, rule, message)] = rows(con, "SELECT column_name, raw_value, rule, message FROM audit.quarantine")
    assert (column, raw_value, rule) == ("nice_class", cell, "nice_class_name_mismatch")
    assert f"「{cell}」" in message and f"「{name}」" in message
    assert f"第{number}类为「{short_name}」" in message and "nice_classes.csv" in message


# ---------------------------------------------------------------- header aliases and precedence

def test_simple_status_beats_current_status_beats_event_history(con, tmp_path):
    header = "申请号,专利类型,授权公告日,法律状态,当前法律状态,专利有效性,[标]当前申请(专利权)人,当前申请(专利权)人,申请人\n"
    row = "201510012345.3,发明授权,2018-06-01,授权; 未缴年费,授权后失效,失效,濮阳市乙公司,乙公司,某大学\n"
    write_landing_file(tmp_path, "patents", "p.csv", header + row)
    ingest(con, tmp_path)
    assert rows(con, "SELECT legal_status, patentees FROM raw.patents") == [("失效", "濮阳市乙公司")]
    unused = rows(con, "SELECT unused_headers FROM audit.load_log")[0][0]
    assert "法律状态（同义列，已用「专利有效性」）" in unused and "申请人（同义列，已用「[标]当前申请(专利权)人」）" in unused


def test_standardised_current_holder_beats_original_applicant_full_width_brackets(con, tmp_path):
    header = "申请号,专利类型,申请（专利权）人,当前权利人,标准化当前权利人\n"
    write_landing_file(tmp_path, "patents", "p.csv", header + "201510012345.3,发明,某大学,甲,濮阳市甲公司\n")
    ingest(con, tmp_path)
    assert rows(con, "SELECT patentees FROM raw.patents") == [("濮阳市甲公司",)]


@pytest.mark.parametrize(
    "cell,expected",
    [('"濮阳市甲公司 | ACME Co., Ltd."', "濮阳市甲公司;ACME Co., Ltd."),
     ('"Foo Corp., Inc.; 濮阳市乙公司"', "Foo Corp., Inc.;濮阳市乙公司"),
     ("濮阳市甲公司；濮阳市乙公司", "濮阳市甲公司;濮阳市乙公司"),
     ('"甲, 乙"', "甲;乙")],
)
def test_list_separators_keep_company_commas(con, tmp_path, cell, expected):
    patent_with(tmp_path, con, patentees=cell)
    assert rows(con, "SELECT patentees FROM raw.patents") == [(expected,)]


def test_trademark_list_headers_tianyancha(con, tmp_path):
    header = "商标名称,申请/注册号,国际分类,申请人名称（中文）,专用权期限,商标流程\n"
    write_landing_file(tmp_path, "trademarks", "t.csv", header + "甲,12345678,第35类,濮阳市甲公司,2015年01月07日 至 2025年01月06日,注册证发文\n")
    ingest(con, tmp_path, "trademarks")
    assert rows(con, "SELECT reg_no, nice_class, registrant FROM raw.trademarks") == [("12345678", 35, "濮阳市甲公司")]
    assert rows(con, "SELECT profile, unused_headers FROM audit.load_log") == [("tianyancha", "商标流程")]


def test_nbs_list_headers(con, tmp_path):
    write_landing_file(tmp_path, "enterprises", "n.csv", "单位详细名称,统一社会信用代码,期别(年),行业代码\n濮阳市甲公司,91410902MA3X10016R,2024,2614\n")
    ingest(con, tmp_path, "enterprises")
    assert rows(con, "SELECT enterprise, above_scale_year FROM raw.enterprises") == [("濮阳市甲公司", 2024)]
    assert rows(con, "SELECT profile FROM audit.load_log") == [("nbs",)]


# ---------------------------------------------------------------- readers

def test_quoted_line_breaks_in_a_csv_cell(con, tmp_path):
    cell = '"#法律状态公告日：20120926;\n法律状态：授权;\n"'
    body = ROW.replace("有效", cell) + ROW.replace("201510012345.3", "201610023456.9")
    write_landing_file(tmp_path, "patents", "p.csv", HEADER + body)
    ingest(con, tmp_path)
    assert rows(con, "SELECT _row_number, application_no, status_class FROM raw.patents ORDER BY 1") == [
        (1, "201510012345.3", "valid"), (2, "201610023456.9", "valid")]
    assert rows(con, "SELECT rows_read, rows_loaded FROM audit.load_log") == [(2, 2)]


def test_xls_is_read(con, tmp_path):
    (tmp_path / "patents").mkdir()
    src = FIXTURES / "landing_exports" / "patents" / "incoPat导出_20241231.xls"
    (tmp_path / "patents" / src.name).write_bytes(src.read_bytes())
    ingest(con, tmp_path)
    assert rows(con, "SELECT status, rows_loaded FROM audit.load_log") == [("loaded", 4)]


@pytest.mark.parametrize("raw,expected", [("0", None), ("20230506", dt.date(2023, 5, 6)), ("2023.05.06", dt.date(2023, 5, 6)),
                                          ("2023年5月6日", dt.date(2023, 5, 6))])
def test_date_cells_of_vendor_exports(con, tmp_path, raw, expected):
    write_landing_file(tmp_path, "patents", "p.csv", HEADER + ROW.replace("2018-06-01", raw))
    ingest(con, tmp_path)
    assert rows(con, "SELECT grant_date FROM raw.patents") == [(expected,)]


def test_xlsx_integer_dates_and_merged_two_row_header(con, tmp_path):
    path = tmp_path / "patents" / "佰腾_2024.xlsx"
    path.parent.mkdir(parents=True)
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet()
    ws.merge_range(0, 0, 0, 4, "专利检索结果")
    ws.merge_range(1, 0, 2, 0, "申请号")  # merged over the two header rows
    ws.merge_range(1, 1, 1, 2, "日期")
    ws.write_row(2, 1, ["申请日", "授权公告日"])
    ws.merge_range(1, 3, 2, 3, "专利类型")
    ws.merge_range(1, 4, 2, 4, "法律状态")
    ws.write_row(3, 0, ["201510012345.3", 20150310, 0, "中国发明", "审中-实质审查"])
    wb.close()
    ingest(con, tmp_path)
    assert rows(con, "SELECT application_no, application_date, grant_date, patent_type, status_class FROM raw.patents") == [
        ("201510012345.3", dt.date(2015, 3, 10), None, "invention", "pending")]


def test_application_number_with_spaces_and_without_check_character(con, tmp_path):
    write_landing_file(tmp_path, "patents", "p.csv", HEADER + ROW.replace("201510012345.3", "ZL 2015 1 0012345"))
    ingest(con, tmp_path)
    assert rows(con, "SELECT application_no FROM raw.patents") == [("201510012345.3",)]
    assert rows(con, "SELECT rule FROM audit.flags") == [("application_no_check_missing",)]


def test_pledge_numbers_without_check_character_are_flagged_not_lost(con, tmp_path):
    write_landing_file(tmp_path, "pledges", "g.csv", "专利号,登记号,登记生效日,出质人,质权人\n201510012345；ZL201610023456.9,Y1,2024-03-01,甲,乙\n")
    ingest(con, tmp_path, "pledges")
    assert rows(con, "SELECT application_no, registration_date FROM raw.pledges") == [
        ("201510012345.3;201610023456.9", dt.date(2024, 3, 1))]
    assert rows(con, "SELECT rule, raw_value FROM audit.flags") == [("application_no_check_missing", "201510012345；ZL201610023456.9")]


def test_a_broken_file_is_rejected_and_the_next_loads(con, tmp_path):
    (tmp_path / "patents").mkdir()
    (tmp_path / "patents" / "a_2024.pdf").write_bytes(b"not a pdf at all")
    (tmp_path / "patents" / "b_2024.xls").write_bytes(b"not an xls")
    write_landing_file(tmp_path, "patents", "c_2025.csv", HEADER + ROW)
    ingest(con, tmp_path)
    got = rows(con, "SELECT file_name, status FROM audit.load_log ORDER BY file_name")
    assert got == [("patents/a_2024.pdf", "rejected"), ("patents/b_2024.xls", "rejected"), ("patents/c_2025.csv", "loaded")]
    messages = [m for (m,) in rows(con, "SELECT message FROM audit.load_log WHERE status = 'rejected' ORDER BY file_name")]
    assert messages[0].startswith("无法作为 PDF 文件打开") and messages[1].startswith("无法作为 Excel 文件打开")


# ---------------------------------------------------------------- rosters as published

def roster_xlsx(path: Path, title: str | None, header: list, body: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet()
    r = 0
    if title:
        ws.merge_range(0, 0, 0, len(header) - 1, title)
        r = 1
    ws.write_row(r, 0, header)
    for i, row in enumerate(body, start=r + 1):
        ws.write_row(i, 0, row)
    wb.close()


def test_srdi_metadata_from_title(con, tmp_path):
    roster_xlsx(tmp_path / "srdi" / "名单.xlsx", "关于2023年度第二批专精特新中小企业拟认定名单的公示",
                ["序号", "企业名称", "所属地区"], [[1, "濮阳市甲公司", "濮阳市华龙区"]])
    ingest(con, tmp_path, "srdi")
    assert rows(con, "SELECT level, year, batch, stage, area FROM raw.srdi") == [
        ("provincial_srdi_sme", 2023, "第二批", "publicity", "濮阳市华龙区")]
    assert rows(con, "SELECT inferred FROM audit.load_log") == [
        ("级别=专精特新中小企业（来自标题）；年度=2023（来自标题）；批次=第二批（来自标题）；状态=公示（来自标题）",)]


def test_ip_advantage_metadata_from_file_name(con, tmp_path):
    roster_xlsx(tmp_path / "ip_advantage" / "2024年国家知识产权优势企业名单.xlsx", None,
                ["序号", "企业名称", "所属地市"], [[1, "濮阳市甲公司", "濮阳市"], [2, "洛阳某公司", "洛阳市"]])
    ingest(con, tmp_path, "ip_advantage")
    assert rows(con, "SELECT enterprise, level, year FROM raw.ip_advantage") == [("濮阳市甲公司", "national_advantage", 2024)]
    assert rows(con, "SELECT row_number, raw_value, rule FROM audit.quarantine") == [(2, "洛阳市", "outside_pack")]
    assert rows(con, "SELECT rows_read, rows_loaded, rows_quarantined FROM audit.load_log") == [(2, 1, 1)]


def test_roster_without_any_stage_is_rejected_not_guessed(con, tmp_path):
    roster_xlsx(tmp_path / "srdi" / "小巨人企业_2024.xlsx", "专精特新小巨人企业", ["序号", "企业名称", "所属地区"],
                [[1, "濮阳市甲公司", "华龙区"]])
    ingest(con, tmp_path, "srdi")
    status, message = rows(con, "SELECT status, message FROM audit.load_log")[0]
    assert status == "rejected" and "stage（状态）" in message and "标题行和文件名中都没有" in message


def test_other_cities_count_for_the_henan_pack(con, tmp_path):
    roster_xlsx(tmp_path / "ip_advantage" / "2024年国家知识产权优势企业名单.xlsx", None,
                ["序号", "企业名称", "所属地市"], [[1, "濮阳市甲公司", "濮阳市"], [2, "洛阳某公司", "洛阳市"], [3, "北京某公司", "北京市"]])
    ingest(con, tmp_path, "ip_advantage", pack="henan")
    assert rows(con, "SELECT enterprise FROM raw.ip_advantage ORDER BY 1") == [("洛阳某公司",), ("濮阳市甲公司",)]
    assert rows(con, "SELECT raw_value FROM audit.quarantine") == [("北京市",)]


def test_roster_pdf(con, tmp_path):
    (tmp_path / "srdi").mkdir()
    src = FIXTURES / "landing_exports" / "srdi" / "第五批专精特新小巨人企业名单_2023.pdf"
    (tmp_path / "srdi" / src.name).write_bytes(src.read_bytes())
    ingest(con, tmp_path, "srdi")
    assert rows(con, "SELECT enterprise, level, year, batch, stage FROM raw.srdi") == [
        ("濮阳市甲化工有限公司", "little_giant", 2023, "第五批", "published")]


def test_an_enterprise_list_without_above_scale_year_infers_none(con, tmp_path):
    write_landing_file(tmp_path, "enterprises", "2024年企业名录.csv", "企业名称,统一社会信用代码\n濮阳市甲公司,91410902MA3X10016R\n")
    ingest(con, tmp_path, "enterprises")
    assert rows(con, "SELECT above_scale_year FROM raw.enterprises") == [(None,)]
    assert rows(con, "SELECT inferred FROM audit.load_log") == [(None,)]


def test_hightech_list_without_certificates_is_keyed_by_enterprise_and_year(con, tmp_path):
    roster_xlsx(tmp_path / "hightech" / "认定名单.xlsx", "2024年高新技术企业认定名单", ["序号", "企业名称", "所属地区"],
                [[1, "濮阳市甲公司", "华龙区"], [2, "", "华龙区"]])
    ingest(con, tmp_path, "hightech")
    assert rows(con, "SELECT certificate_no, enterprise, year FROM raw.hightech") == [(None, "濮阳市甲公司", 2024)]
    assert rows(con, "SELECT row_number, column_name, rule FROM audit.quarantine") == [(2, "enterprise", "missing_key")]


def test_hightech_list_without_certificates_or_year_is_rejected(con, tmp_path):
    roster_xlsx(tmp_path / "hightech" / "认定名单.xlsx", "高新技术企业认定名单", ["序号", "企业名称", "所属地区"],
                [[1, "濮阳市甲公司", "华龙区"]])
    ingest(con, tmp_path, "hightech")
    status, message = rows(con, "SELECT status, message FROM audit.load_log")[0]
    assert status == "rejected" and "certificate_no（证书编号）" in message


def test_hightech_with_a_certificate_column_still_needs_each_certificate(con, tmp_path):
    roster_xlsx(tmp_path / "hightech" / "高企_2022.xlsx", None, ["企业名称", "证书编号"], [["濮阳市甲公司", ""]])
    ingest(con, tmp_path, "hightech")
    assert rows(con, "SELECT column_name, rule FROM audit.quarantine") == [("certificate_no", "missing_key")]
    assert rows(con, "SELECT year FROM raw.hightech") == []
