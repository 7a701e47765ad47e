"""Every bad-input rule of contract.md, and every accepted input shape, through the real ingestion
path (DuckDB SQL). Each test writes a tiny landing file by hand and checks what was loaded,
quarantined or flagged."""

from __future__ import annotations

import codecs
import datetime as dt

import duckdb
import pytest
import xlsxwriter

from orchestration.sources.catalog import SOURCES
from orchestration.sources.ingest import ingest_source
from tests.conftest import write_landing_file

PATENT_HEADER = "申请号,申请日,专利类型,专利名称,专利权人,地址,授权公告日,法律状态,失效日,主分类号,分类号\n"
# valid numbers (check characters worked out in test_identifiers): 201510012345.3, 201610023456.9
GOOD_ROW = "201510012345.3,2015-03-10,发明授权,一种方法,濮阳市甲公司,河南省濮阳市华龙区,2018-06-01,有效,,C07C1/00,C07C1/00\n"


@pytest.fixture
def con():
    c = duckdb.connect()
    yield c
    c.close()


def ingest(con, landing, source="patents"):
    return ingest_source(con, SOURCES[source], landing, dt.datetime(2025, 1, 1))


def quarantine(con):
    return con.execute("SELECT file_name, row_number, column_name, raw_value, rule FROM audit.quarantine ORDER BY row_number, rule").fetchall()


def flags(con):
    return con.execute("SELECT row_number, column_name, rule FROM audit.flags ORDER BY row_number, rule").fetchall()


def loaded(con, column, source="patents"):
    return [r[0] for r in con.execute(f"SELECT {column} FROM raw.{source} ORDER BY _row_number").fetchall()]


# ---------------------------------------------------------------- accepted shapes

@pytest.mark.parametrize(
    "raw,expected",
    [
        ("2023-05-06", dt.date(2023, 5, 6)),
        ("2023/5/6", dt.date(2023, 5, 6)),
        ("2023.05.06", dt.date(2023, 5, 6)),
        ("20230506", dt.date(2023, 5, 6)),
        ("2023年5月6日", dt.date(2023, 5, 6)),
        ("2023年05月06日", dt.date(2023, 5, 6)),  # the trademark office's term shape (read on a fast path)
        ("45052", dt.date(2023, 5, 6)),  # Excel serial: 1899-12-30 + 45052 days
        ("２０２３－０５－０６", dt.date(2023, 5, 6)),  # full-width digits
    ],
)
def test_date_forms(con, tmp_path, raw, expected):
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW.replace("2015-03-10", raw))
    ingest(con, tmp_path)
    assert loaded(con, "application_date") == [expected]


@pytest.mark.parametrize("raw", ["CN201510012345.3", "2015100123453", "ZL201510012345.3", "201510012345.3", " cn201510012345.3 "])
def test_application_number_forms_normalise_to_one_canonical_form(con, tmp_path, raw):
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW.replace("201510012345.3", raw, 1))
    ingest(con, tmp_path)
    assert loaded(con, "application_no") == ["201510012345.3"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_are_detected(con, tmp_path, encoding):
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW, encoding)
    ingest(con, tmp_path)
    assert loaded(con, "patentees") == ["濮阳市甲公司"]
    assert loaded(con, "address") == ["河南省濮阳市华龙区"]


def test_headers_with_spaces_full_width_and_english_aliases(con, tmp_path):
    header = " 申请号 ,ａｐｐｌｉｃａｔｉｏｎ_ｄａｔｅ,专利类型,title,当前专利权人,address,授权日,legal_status,lapse_date,ipc_main,IPC\n"
    write_landing_file(tmp_path, "patents", "p.csv", header + GOOD_ROW)
    ingest(con, tmp_path)
    assert loaded(con, "application_date") == [dt.date(2015, 3, 10)]
    assert loaded(con, "grant_date") == [dt.date(2018, 6, 1)]


def test_title_rows_above_the_header_in_csv(con, tmp_path):
    write_landing_file(tmp_path, "patents", "p.csv", "濮阳市专利导出\n导出时间：2025-01-01\n" + PATENT_HEADER + GOOD_ROW)
    ingest(con, tmp_path)
    assert loaded(con, "_row_number") == [1]
    assert con.execute("SELECT header_row FROM audit.load_log").fetchone()[0] == 3


def test_xlsx_with_title_rows_dates_and_numbers(con, tmp_path):
    path = tmp_path / "hightech" / "高企名单_2022.xlsx"
    path.parent.mkdir(parents=True)
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet()
    ws.merge_range(0, 0, 0, 3, "2022年高新技术企业名单")
    ws.write_row(1, 0, ["序号", "企业名称", "证书编号", "发证日期"])
    ws.write_row(2, 0, [1, "濮阳市甲公司", "GR202241000123"])
    ws.write_datetime(2, 3, dt.datetime(2022, 12, 1), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_row(3, 0, [2, "濮阳市乙公司", "GR202241000124", 44896])  # serial number for 2022-12-01
    wb.close()
    ingest(con, tmp_path, "hightech")
    assert loaded(con, "issue_date", "hightech") == [dt.date(2022, 12, 1), dt.date(2022, 12, 1)]
    assert loaded(con, "_row_number", "hightech") == [1, 2]


@pytest.mark.parametrize("sep", [";", "；", ",", "、"])
def test_multi_valued_cells_split_on_every_separator(con, tmp_path, sep):
    row = GOOD_ROW.replace("濮阳市甲公司", f'"濮阳市甲公司{sep}濮阳市乙公司"')
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + row)
    ingest(con, tmp_path)
    assert loaded(con, "patentees") == ["濮阳市甲公司;濮阳市乙公司"]


def test_multi_valued_patent_type_is_an_invention(con, tmp_path):
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW.replace("发明授权", '"发明公开;发明授权"'))
    ingest(con, tmp_path)
    assert loaded(con, "patent_type") == ["invention"]


def test_population_in_ten_thousands_is_scaled(con, tmp_path):
    write_landing_file(tmp_path, "population", "pop.csv", "年份,区划代码,地区,常住人口(万人),口径\n2021,410900,濮阳市,361,年末常住人口\n")
    ingest(con, tmp_path, "population")
    assert loaded(con, "population", "population") == [3610000.0]


def test_trademark_term_is_split(con, tmp_path):
    write_landing_file(tmp_path, "trademarks", "tm.csv",
                       "注册号,国际分类,商标名称,注册人,专用权期限,商标状态\n9023455,第39类,甲,濮阳市甲公司,2012年07月14日 至 2022年07月13日,已注册\n")
    ingest(con, tmp_path, "trademarks")
    assert con.execute("SELECT nice_class, term_from, term_to FROM raw.trademarks").fetchall() == [
        (39, dt.date(2012, 7, 14), dt.date(2022, 7, 13))]


# ---------------------------------------------------------------- rules: quarantine

@pytest.mark.parametrize(
    "column,bad,rule",
    [
        ("application_date", "2023-02-30", "invalid_date"),
        ("application_date", "2023-13-01", "invalid_date"),
        ("application_date", "2023年02月30日", "invalid_date"),
        ("application_date", "2023年13月01日", "invalid_date"),
        ("grant_date", "not a date", "invalid_date"),
        ("application_date", "1066-10-14", "date_out_of_range"),
        ("application_no", "201510012345.4", "application_no_check_digit"),
        ("application_no", "20151001234", "invalid_application_no"),
        ("patent_type", "植物新品种", "unknown_value"),
        ("legal_status", "莫名状态", "unknown_value"),
    ],
)
def test_a_row_breaking_a_rule_is_quarantined_and_the_rest_loads(con, tmp_path, column, bad, rule):
    original = {"application_date": "2015-03-10", "grant_date": "2018-06-01", "application_no": "201510012345.3",
                "patent_type": "发明授权", "legal_status": "有效"}[column]
    second = "201610023456.9,2016-01-01,发明授权,另一方法,濮阳市乙公司,河南省濮阳市,2019-01-01,有效,,C07C1/00,C07C1/00\n"
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + second + GOOD_ROW.replace(original, bad, 1))
    summary = ingest(con, tmp_path)
    assert quarantine(con) == [("patents/p.csv", 2, column, bad, rule)]
    assert loaded(con, "application_no") == ["201610023456.9"]
    (outcome,) = summary.files
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (2, 1, 1)


def test_type_digit_reserved_is_quarantined(con, tmp_path):
    # 202140000001 + its check char: a valid check but type digit 4
    from orchestration.identifiers import appno_check_char
    number = "202140000001." + appno_check_char("202140000001")
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW.replace("201510012345.3", number))
    ingest(con, tmp_path)
    assert [r[4] for r in quarantine(con)] == ["application_no_type_digit"]


def test_missing_key_is_quarantined(con, tmp_path):
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW.replace("201510012345.3", ""))
    ingest(con, tmp_path)
    assert [(r[2], r[4]) for r in quarantine(con)] == [("application_no", "missing_key")]


def test_srdi_key_needs_a_credit_code_or_a_name(con, tmp_path):
    write_landing_file(tmp_path, "srdi", "srdi.csv",
                       "企业名称,统一社会信用代码,级别,年度,状态\n,,省级专精特新中小企业,2023,公布\n濮阳市甲公司,,省级专精特新中小企业,2023,公布\n")
    ingest(con, tmp_path, "srdi")
    assert [(r[1], r[4]) for r in quarantine(con)] == [(1, "missing_key")]
    assert loaded(con, "enterprise", "srdi") == ["濮阳市甲公司"]


def test_unknown_enum_value_in_a_roster_is_quarantined(con, tmp_path):
    write_landing_file(tmp_path, "srdi", "srdi.csv",
                       "企业名称,级别,年度,状态\n濮阳市甲公司,省级专精特新中小企业,2023,待定\n")
    ingest(con, tmp_path, "srdi")
    assert [(r[2], r[4]) for r in quarantine(con)] == [("stage", "unknown_value")]


def test_bad_certificate_number_is_quarantined(con, tmp_path):
    write_landing_file(tmp_path, "hightech", "ht.csv", "企业名称,证书编号,发证日期\n濮阳市甲公司,GR2022410001,2022-12-01\n")
    ingest(con, tmp_path, "hightech")
    assert [r[4] for r in quarantine(con)] == ["invalid_certificate_no"]


def test_a_malformed_row_is_quarantined_with_its_row_number(con, tmp_path):
    rows = PATENT_HEADER + GOOD_ROW + "a,b,c,d,e,f,g,h,i,j,k,l,m,n\n" + GOOD_ROW.replace("201510012345.3", "201610023456.9")
    write_landing_file(tmp_path, "patents", "p.csv", rows)
    summary = ingest(con, tmp_path)
    assert [(r[1], r[4]) for r in quarantine(con)] == [(2, "malformed_row")]
    assert loaded(con, "_row_number") == [1, 3]
    assert (summary.files[0].rows_read, summary.files[0].rows_loaded) == (3, 2)


# ---------------------------------------------------------------- rules: loaded with a flag

def test_credit_code_failing_its_check_is_flagged_not_dropped(con, tmp_path):
    write_landing_file(tmp_path, "enterprises", "e.csv",
                       "企业名称,统一社会信用代码,所属县区\n福建试点企业,91350100M0001TGQXM,华龙区\n濮阳市甲公司,91410902MA3X00010F,华龙区\n")
    ingest(con, tmp_path, "enterprises")
    assert loaded(con, "uscc", "enterprises") == ["91350100M0001TGQXM", "91410902MA3X00010F"]
    assert flags(con) == [(1, "uscc", "uscc_check_digit")]


def test_lapsed_status_without_lapse_date_is_flagged(con, tmp_path):
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW.replace("有效", "无权-未缴年费"))
    ingest(con, tmp_path)
    assert flags(con) == [(1, "lapse_date", "lapsed_without_date")]
    assert loaded(con, "status_class") == ["lapsed"]


def test_patent_type_conflicting_with_the_type_digit_is_flagged_and_the_type_column_wins(con, tmp_path):
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW.replace("发明授权", "实用新型"))
    ingest(con, tmp_path)
    assert flags(con) == [(1, "patent_type", "patent_type_conflict")]
    assert loaded(con, "patent_type") == ["utility_model"]


def test_missing_patent_type_is_filled_from_the_type_digit(con, tmp_path):
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW.replace("发明授权", ""))
    ingest(con, tmp_path)
    assert loaded(con, "patent_type") == ["invention"]
    assert flags(con) == []


# ---------------------------------------------------------------- whole files

def test_a_file_of_another_source_is_rejected_whole_and_earlier_data_stays(con, tmp_path):
    write_landing_file(tmp_path, "patents", "patents_20240101.csv", PATENT_HEADER + GOOD_ROW)
    ingest(con, tmp_path)
    write_landing_file(tmp_path, "patents", "patents_20240101.csv",
                       "注册号,国际分类,商标名称,申请人名称\n12345678,9,甲,濮阳市甲公司\n")
    summary = ingest(con, tmp_path)
    assert summary.files[0].status == "rejected"
    assert "商标" in summary.files[0].message  # says what the file looks like
    assert loaded(con, "application_no") == ["201510012345.3"]


def test_a_file_lacking_key_columns_is_rejected_naming_them(con, tmp_path):
    write_landing_file(tmp_path, "patents", "p.csv", "专利名称,专利类型,申请日\n一种方法,发明,2020-01-01\n")
    summary = ingest(con, tmp_path)
    assert summary.files[0].status == "rejected"
    assert "申请号" in summary.files[0].message


@pytest.mark.parametrize("name,content", [("p.txt", b"hello"), ("p.xlsx", b"not really excel"), ("p.csv", b"")])
def test_unreadable_files_are_rejected_with_a_reason(con, tmp_path, name, content):
    (tmp_path / "patents").mkdir()
    (tmp_path / "patents" / name).write_bytes(content)
    summary = ingest(con, tmp_path)
    assert summary.files[0].status == "rejected" and summary.files[0].message


def test_loading_the_same_file_twice_changes_nothing(con, tmp_path):
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW + GOOD_ROW.replace("201510012345.3", "bad"))
    ingest(con, tmp_path)
    before = con.execute("SELECT * EXCLUDE (_loaded_at) FROM raw.patents").fetchall(), quarantine(con)
    second = ingest(con, tmp_path)
    assert second.files[0].status == "unchanged"
    assert (con.execute("SELECT * EXCLUDE (_loaded_at) FROM raw.patents").fetchall(), quarantine(con)) == before
    log = con.execute("SELECT status, rows_read, rows_loaded, rows_quarantined, sha256 FROM audit.load_log ORDER BY loaded_at, status").fetchall()
    assert [r[:4] for r in log] == [("loaded", 2, 1, 1), ("unchanged", 2, 1, 1)]
    assert len(log[0][4]) == 64 and log[0][4] == log[1][4]


def test_a_changed_file_replaces_what_its_earlier_version_loaded(con, tmp_path):
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW + GOOD_ROW.replace("201510012345.3", "201610023456.9"))
    ingest(con, tmp_path)
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW)
    ingest(con, tmp_path)
    assert loaded(con, "application_no") == ["201510012345.3"]


def test_a_file_put_back_to_an_earlier_version_is_loaded_again(con, tmp_path):
    # v1 (two patents) loaded, v2 (one) replaced it, then v1 is put back: raw must hold v1's two
    # rows again, not skip v1 because its content was loaded once before
    v1 = PATENT_HEADER + GOOD_ROW + GOOD_ROW.replace("201510012345.3", "201610023456.9")
    write_landing_file(tmp_path, "patents", "p.csv", v1)
    ingest_source(con, SOURCES["patents"], tmp_path, dt.datetime(2025, 1, 1))
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW)
    ingest_source(con, SOURCES["patents"], tmp_path, dt.datetime(2025, 2, 1))
    write_landing_file(tmp_path, "patents", "p.csv", v1)
    third = ingest_source(con, SOURCES["patents"], tmp_path, dt.datetime(2025, 3, 1))
    assert third.files[0].status == "loaded"
    assert loaded(con, "application_no") == ["201510012345.3", "201610023456.9"]
    fourth = ingest_source(con, SOURCES["patents"], tmp_path, dt.datetime(2025, 4, 1))
    assert (fourth.files[0].status, fourth.files[0].rows_loaded) == ("unchanged", 2)


def test_a_warehouse_that_skipped_a_put_back_file_loads_it_on_the_next_build(con, tmp_path):
    # Before the fix, putting v1 back logged it 'unchanged' (its hash had loaded once) while raw kept
    # v2. Only a 'loaded' entry says what raw holds, so the next build loads v1.
    v1 = PATENT_HEADER + GOOD_ROW + GOOD_ROW.replace("201510012345.3", "201610023456.9")
    write_landing_file(tmp_path, "patents", "p.csv", v1)
    ingest_source(con, SOURCES["patents"], tmp_path, dt.datetime(2025, 1, 1))
    v1_sha = con.execute("SELECT sha256 FROM audit.load_log").fetchone()[0]
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW)
    ingest_source(con, SOURCES["patents"], tmp_path, dt.datetime(2025, 2, 1))
    con.execute("""INSERT INTO audit.load_log (source, file_name, sha256, loaded_at, rows_read, rows_loaded,
                       rows_quarantined, status, message)
                   VALUES ('patents', 'patents/p.csv', ?, '2025-03-01', 2, 2, 0, 'unchanged', '内容未变化，未重复加载')""",
                [v1_sha])
    write_landing_file(tmp_path, "patents", "p.csv", v1)
    summary = ingest_source(con, SOURCES["patents"], tmp_path, dt.datetime(2025, 4, 1))
    assert summary.files[0].status == "loaded"
    assert loaded(con, "application_no") == ["201510012345.3", "201610023456.9"]


def test_the_same_export_saved_twice_is_loaded_once_and_the_copy_names_it(con, tmp_path):
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW)
    write_landing_file(tmp_path, "patents", "q.csv", PATENT_HEADER + GOOD_ROW)
    summary = ingest_source(con, SOURCES["patents"], tmp_path, dt.datetime(2025, 1, 1))
    assert [(f.status, f.rows_loaded) for f in summary.files] == [("loaded", 1), ("unchanged", 0)]
    assert "patents/p.csv" in summary.files[1].message
    assert con.execute("SELECT _source_file FROM raw.patents").fetchall() == [("patents/p.csv",)]
    assert con.execute("SELECT same_as FROM audit.load_log WHERE file_name = 'patents/q.csv'").fetchall() == [
        ("patents/p.csv",)]


def test_a_copy_is_loaded_once_the_file_it_copied_changes(con, tmp_path):
    other = GOOD_ROW.replace("201510012345.3", "201610023456.9")
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW)
    write_landing_file(tmp_path, "patents", "q.csv", PATENT_HEADER + GOOD_ROW)
    ingest_source(con, SOURCES["patents"], tmp_path, dt.datetime(2025, 1, 1))
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + other)
    summary = ingest_source(con, SOURCES["patents"], tmp_path, dt.datetime(2025, 2, 1))
    assert [f.status for f in summary.files] == ["loaded", "loaded"]
    assert sorted(con.execute("SELECT _source_file, application_no FROM raw.patents").fetchall()) == [
        ("patents/p.csv", "201610023456.9"), ("patents/q.csv", "201510012345.3")]


def test_a_new_copy_of_a_file_changed_in_the_same_build_is_loaded(con, tmp_path):
    # a.csv (applied first) copies what p.csv held, but p.csv changes in the same build: a.csv's
    # content would be lost if it were skipped as p.csv's twin
    other = GOOD_ROW.replace("201510012345.3", "201610023456.9")
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW)
    ingest_source(con, SOURCES["patents"], tmp_path, dt.datetime(2025, 1, 1))
    write_landing_file(tmp_path, "patents", "a.csv", PATENT_HEADER + GOOD_ROW)
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + other)
    summary = ingest_source(con, SOURCES["patents"], tmp_path, dt.datetime(2025, 2, 1))
    assert [(f.file_name, f.status) for f in summary.files] == [("patents/a.csv", "loaded"), ("patents/p.csv", "loaded")]
    assert sorted(con.execute("SELECT _source_file, application_no FROM raw.patents").fetchall()) == [
        ("patents/a.csv", "201510012345.3"), ("patents/p.csv", "201610023456.9")]


def test_files_apply_in_as_of_order_with_the_date_in_the_name(con, tmp_path):
    write_landing_file(tmp_path, "patents", "b_20240101.csv", PATENT_HEADER + GOOD_ROW)
    write_landing_file(tmp_path, "patents", "a_2025-06.csv", PATENT_HEADER + GOOD_ROW.replace("有效", "失效").replace(",,C07C", ",2025-05-01,C07C"))
    summary = ingest(con, tmp_path)
    assert [f.file_name for f in summary.files] == ["patents/b_20240101.csv", "patents/a_2025-06.csv"]
    assert con.execute("SELECT _source_file, _file_as_of FROM raw.patents ORDER BY _file_as_of").fetchall() == [
        ("patents/b_20240101.csv", dt.date(2024, 1, 1)), ("patents/a_2025-06.csv", dt.date(2025, 6, 30))]


def test_rows_read_equals_loaded_plus_quarantined_for_every_file(con, tmp_path):
    write_landing_file(tmp_path, "patents", "p1.csv", PATENT_HEADER + GOOD_ROW + ",,,,,,,,,,\n" + GOOD_ROW.replace("2015-03-10", "2015-02-31"))
    write_landing_file(tmp_path, "patents", "p2.csv", PATENT_HEADER + GOOD_ROW, "gbk")
    ingest(con, tmp_path)
    assert con.execute("SELECT count(*) FROM audit.load_log WHERE rows_read <> rows_loaded + rows_quarantined").fetchone()[0] == 0
    assert con.execute("SELECT sum(rows_read), sum(rows_loaded), sum(rows_quarantined) FROM audit.load_log").fetchone() == (4, 2, 2)


@pytest.mark.parametrize("status,cls", [("无权-驳回", "not_granted"), ("无权-视为撤回", "not_granted"), ("驳回", "not_granted"),
                                        ("无权-未缴年费", "lapsed"), ("有权-审定授权", "valid"), ("审中-实质审查", "pending")])
def test_legal_status_classes(con, tmp_path, status, cls):
    write_landing_file(tmp_path, "patents", "p.csv", PATENT_HEADER + GOOD_ROW.replace("有效", status))
    ingest(con, tmp_path)
    assert loaded(con, "status_class") == [cls]
