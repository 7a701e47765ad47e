"""The Great Expectations suites on raw tables: pass on good data, name the column when a rule breaks."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from expectations import validate_source
from orchestration.sources.catalog import ENUMS, SOURCES
from orchestration.sources.ingest import BOOKKEEPING, ensure_tables, ingest_source
from orchestration.sources.sql import output_columns

D = dt.date
USCC_A = "914109021234567885"  # valid GB 32100 code (check character worked out with identifiers.make_uscc)
USCC_B = "91410922MA3X4Y5B9Q"

# Rows as ingestion writes them (canonical codes, parsed dates), a few per source.
GOOD_ROWS: dict[str, list[dict]] = {
    "patents": [
        dict(application_no="202121635235.X", application_date=D(2021, 7, 16), patent_type="utility_model",
             title="一种防爆阀", grant_date=D(2021, 12, 3), legal_status="有权", status_class="valid",
             patentee_uscc=USCC_A, fee_paid_through_year=3),
        dict(application_no="202010123456.2", application_date=D(2020, 3, 2), patent_type="invention",
             grant_date=D(2022, 5, 10), legal_status="无权-未缴年费", status_class="lapsed",
             lapse_reason="unpaid_fee", lapse_date=D(2024, 3, 2), fee_paid_through_year=4),
        dict(application_no="88101234.3", application_date=D(1988, 1, 5), patent_type="invention",
             grant_date=D(1991, 6, 1), legal_status="无权-期限届满", status_class="lapsed",
             lapse_reason="expired", lapse_date=D(2008, 1, 5)),
    ],
    "trademarks": [
        dict(reg_no="12345678", nice_class=9, name="龙丰", application_date=D(2012, 1, 10), reg_date=D(2012, 7, 14),
             term_from=D(2012, 7, 14), term_to=D(2022, 7, 13), status="已注册", status_class="registered",
             registrant_uscc=USCC_A),
        dict(reg_no="12345678", nice_class=35, name="龙丰", application_date=D(2012, 1, 10), reg_date=D(2012, 7, 14),
             status="已注册", status_class="registered"),
        dict(reg_no="G1234567", nice_class=1, status="注销", status_class="ended", cancel_date=D(2020, 1, 1)),
    ],
    "overseas_filings": [
        dict(kind="pct", filing_no="PCT/CN2023/123456", filing_date=D(2023, 5, 6), applicant="濮阳某化工有限公司",
             applicant_uscc=USCC_A),
        dict(kind="madrid", filing_no="1712345", filing_date=D(2022, 11, 30)),
        dict(kind="foreign_patent", filing_no="US17/123,456", filing_date=None),
    ],
    "hightech": [
        dict(enterprise="濮阳某化工有限公司", uscc=USCC_A, certificate_no="GR202341001234", issue_date=D(2023, 12, 8)),
        dict(enterprise="濮阳某科技有限公司", certificate_no="GR202241000567", issue_date=D(2022, 12, 1)),
        dict(enterprise="濮阳某机械有限公司", certificate_no=None, year=2024),  # a list published without 证书编号
    ],
    "srdi": [
        dict(enterprise="濮阳某化工有限公司", uscc=USCC_A, level="little_giant", year=2023, stage="published",
             valid_from=D(2023, 7, 1), valid_to=D(2026, 6, 30)),
        dict(enterprise="濮阳某科技有限公司", uscc=None, level="provincial_srdi_sme", year=2024, stage="publicity"),
        dict(enterprise=None, uscc=USCC_B, level="provincial_srdi_sme", year=2022, stage="revoked",
             validity_from=D(2022, 1, 1), validity_to=D(2024, 12, 31)),
    ],
    "ip_advantage": [
        dict(enterprise="濮阳某化工有限公司", uscc=USCC_A, level="national_advantage", year=2022, valid_to=D(2025, 12, 31)),
        dict(enterprise="濮阳某科技有限公司", uscc=None, level="municipal_cultivation", year=2024),
    ],
    "enterprises": [
        dict(enterprise="濮阳某化工有限公司", uscc=USCC_A, area="华龙区", industry_code="2614", above_scale_year=2023,
             key_enterprise="true"),
        dict(enterprise="濮阳某化工有限公司", uscc=USCC_A, area="华龙区", industry_code="2614", above_scale_year=2024,
             key_enterprise="true"),
        dict(enterprise="濮阳某科技有限公司", uscc=USCC_B, industry_code="26", above_scale_year=None, key_enterprise="false"),
    ],
    "population": [
        dict(year=2023, region_code="410900", region_name="濮阳市", population=3_745_000.0, series="年末常住人口"),
        dict(year=2020, region_code="410922", region_name="清丰县", population=562_000.0, series="七普"),
    ],
    "pledges": [
        dict(registration_no="Y2023410000123", application_no="202121635235.X;202010123456.2", pledgor="濮阳某化工有限公司",
             pledgee="中国银行濮阳分行", amount_wan=500.0, registration_date=D(2023, 5, 6), release_date=D(2024, 5, 6)),
        dict(registration_no="Y2024410000007", application_no="88101234.3", amount_wan=0.0,
             registration_date=D(2024, 1, 2)),
    ],
    "awards": [
        dict(application_no="202010123456.2", award="中国专利优秀奖", year=2023),
        dict(application_no="202010123456.2", award="河南省专利奖", year=2022),
    ],
}


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "work.duckdb"))
    ensure_tables(connection)
    yield connection
    connection.close()


def insert(con, source: str, rows: list[dict], source_file: str = "x/export_20250630.csv") -> None:
    """Insert rows into raw.<source>, filling the bookkeeping columns unless a row sets them."""
    start = con.execute(f"SELECT count(*) FROM raw.{source}").fetchone()[0]
    for n, row in enumerate(rows, start=start + 1):
        full = {"_source_file": source_file, "_row_number": n, "_file_as_of": D(2025, 6, 30),
                "_loaded_at": dt.datetime(2025, 7, 1, 8, 0), **row}
        columns = ", ".join(f'"{c}"' for c in full)
        con.execute(f"INSERT INTO raw.{source} ({columns}) VALUES ({', '.join('?' * len(full))})", list(full.values()))


def good(source: str, index: int = 0, **changes) -> dict:
    return {**GOOD_ROWS[source][index], **changes}


# --- good data passes ----------------------------------------------------------------------------

@pytest.mark.parametrize("source", sorted(SOURCES))
def test_empty_table_passes(con, source):
    outcome = validate_source(con, source)
    assert outcome.success, outcome.failures
    assert outcome.failures == []
    assert outcome.evaluated >= 8  # 7 bookkeeping expectations plus the source's own
    assert outcome.rows_total == outcome.rows_checked == 0


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_good_rows_pass(con, source):
    insert(con, source, GOOD_ROWS[source])
    outcome = validate_source(con, source)
    assert outcome.success, outcome.failures
    assert outcome.rows_checked == len(GOOD_ROWS[source])
    con.execute("SELECT 1").fetchone()  # the connection is left open


def test_same_key_in_two_files_passes(con):
    # raw keeps every version of every file: a later export repeating last month's patents is normal.
    insert(con, "patents", GOOD_ROWS["patents"], source_file="patents/export_20250531.csv")
    insert(con, "patents", GOOD_ROWS["patents"], source_file="patents/export_20250630.csv")
    assert validate_source(con, "patents").success


LANDING = {
    "patents": "申请号,申请日,专利类型,专利名称,专利权人,授权公告日,法律状态\n"
               "CN202121635235.X,2021-07-16,实用新型,一种防爆阀,濮阳某化工有限公司,2021/12/3,有权\n"
               "2020101234562,20200302,发明授权,一种催化剂,濮阳某科技有限公司,2022年5月10日,有效\n",
    "trademarks": "注册号,国际分类,商标名称,申请人名称,申请日期,注册公告日期,专用权期限,商标状态\n"
                  "12345678,9,龙丰,濮阳某化工有限公司,2012-01-10,2012-07-14,2012年07月14日 至 2022年07月13日,已注册\n",
    "overseas_filings": "类型,申请号,申请日,申请人\nPCT,PCT/CN2023/123456,2023-05-06,濮阳某化工有限公司\n",
    "hightech": f"企业名称,统一社会信用代码,证书编号,发证日期\n濮阳某化工有限公司,{USCC_A},GR202341001234,2023-12-08\n",
    "srdi": f"企业名称,统一社会信用代码,级别,年度,状态\n濮阳某化工有限公司,{USCC_A},专精特新小巨人,2023,公布\n",
    "ip_advantage": f"企业名称,统一社会信用代码,级别,认定年度\n濮阳某化工有限公司,{USCC_A},国家知识产权优势企业,2022\n",
    "enterprises": f"企业名称,统一社会信用代码,所属县区,行业代码,规上年度,是否重点企业\n濮阳某化工有限公司,{USCC_A},华龙区,2614,2023,是\n",
    "population": "年份,区划代码,地区,常住人口(万人)\n2023,410900,濮阳市,374.5\n",
    "pledges": "登记号,专利号,出质人,质权人,质押金额(万元),登记日\n"
               "Y2023410000123,ZL202121635235.X；2020101234562,濮阳某化工有限公司,中国银行濮阳分行,500,2023-05-06\n",
    "awards": "专利号,奖项,年度\n2020101234562,中国专利优秀奖,2023\n",
}


def test_rows_loaded_by_ingestion_pass(con, tmp_path):
    """The suites agree with what ingestion actually writes, not only with hand-made rows."""
    landing = tmp_path / "landing"
    for source, text in LANDING.items():
        (landing / source).mkdir(parents=True)
        (landing / source / f"{source}_20250630.csv").write_text(text, encoding="utf-8")
        ingest_source(con, SOURCES[source], landing)
    assert con.execute("SELECT count(*) FROM audit.quarantine").fetchone()[0] == 0
    for source, text in LANDING.items():
        outcome = validate_source(con, source)
        assert outcome.rows_total == text.count("\n") - 1, source
        assert outcome.success, outcome.failures


# --- one broken rule, one failure naming the column ------------------------------------------------

BROKEN = [
    # (source, bad row, column named in the failure, words in the failure)
    ("patents", good("patents", application_no="20212163523.X"), "application_no", "not match"),
    ("patents", good("patents", application_no=None), "application_no", "null"),
    ("patents", good("patents", patent_type="实用新型"), "patent_type", "not one of"),
    ("patents", good("patents", status_class="gone"), "status_class", "not one of"),
    ("patents", good("patents", application_date=D(1949, 12, 31), grant_date=None), "application_date", "outside"),
    ("patents", good("patents", grant_date=D(2021, 7, 15)), "grant_date", "before application_date"),
    ("patents", good("patents", application_no="202010123456.2", _source_file="x/export_20250630.csv"),
     "(_source_file, application_no)", "repeat"),
    ("patents", good("patents", _row_number=0), "_row_number", "below 1"),
    ("patents", good("patents", _source_file=None), "_source_file", "null"),
    ("trademarks", good("trademarks", nice_class=46), "nice_class", "outside"),
    ("trademarks", good("trademarks", nice_class=0, reg_no="7654321"), "nice_class", "outside"),
    ("trademarks", good("trademarks", term_from=D(999, 1, 1)), "term_from", "outside"),  # beyond pandas' ns range
    ("overseas_filings", good("overseas_filings", kind="PCT"), "kind", "not one of"),
    ("hightech", good("hightech", certificate_no="GR2023410012"), "certificate_no", "not match"),
    ("hightech", good("hightech", 1, certificate_no=None, year=None), "year", "null where certificate_no IS NULL"),
    ("srdi", good("srdi", 1, enterprise=None), "enterprise", "null where uscc IS NULL"),
    ("srdi", good("srdi", stage="approved"), "stage", "not one of"),
    ("ip_advantage", good("ip_advantage", year=1949), "year", "outside"),
    ("enterprises", good("enterprises", key_enterprise="是"), "key_enterprise", "not one of"),
    ("enterprises", good("enterprises", uscc=None), "uscc", "null"),
    ("population", good("population", population=0.0), "population", "outside"),
    ("population", good("population", region_code="41090"), "region_code", "not match"),
    ("pledges", good("pledges", amount_wan=-1.0), "amount_wan", "below 0"),
    ("pledges", good("pledges", application_no="202121635235.X;2021216352"), "application_no", "not match"),
    ("awards", good("awards", year=2101, award="国家科学技术奖"), "year", "outside"),
]


@pytest.mark.parametrize("source, bad_row, column, words", BROKEN,
                         ids=[f"{s}-{c}-{w}" for s, _, c, w in BROKEN])
def test_one_broken_rule_fails_naming_the_column(con, source, bad_row, column, words):
    insert(con, source, GOOD_ROWS[source])
    insert(con, source, [bad_row], source_file="x/export_20250731.csv")  # a later file: its key may repeat
    outcome = validate_source(con, source)
    assert not outcome.success
    assert len(outcome.failures) == 1, outcome.failures
    where = f"raw.{source}{column}" if column.startswith("(") else f"raw.{source}.{column}:"
    assert outcome.failures[0].startswith(where), outcome.failures
    assert words in outcome.failures[0]


def test_failure_line_reads_plainly(con):
    insert(con, "patents", GOOD_ROWS["patents"])
    insert(con, "patents", [good("patents", application_no="2021216352.X"),
                            good("patents", application_no="CN2021216352")], source_file="x/export_20250731.csv")
    outcome = validate_source(con, "patents")
    assert outcome.failures == [
        r"raw.patents.application_no: 2 values do not match ^\d{12}\.[0-9X]$|^\d{8}\.[0-9X]$, "
        "e.g. '2021216352.X', 'CN2021216352'"
    ]


# --- tolerances ------------------------------------------------------------------------------------

def date_order_rows(bad: int) -> list[dict]:
    """101 patents filed 2020-01-01 .. ; ``bad`` of them granted the day before they were filed."""
    rows = []
    for n in range(101):
        filed = D(2020, 1, 1) + dt.timedelta(days=n)
        granted = filed - dt.timedelta(days=1) if n < bad else filed + dt.timedelta(days=400)
        rows.append(dict(application_no=f"2020101{n:05d}.1", application_date=filed, grant_date=granted,
                         patent_type="invention", status_class="valid"))
    return rows


def test_grant_before_application_tolerated_in_one_percent(con):
    insert(con, "patents", date_order_rows(bad=1))  # 100/101 = 99.01 % in order >= 99 %
    assert validate_source(con, "patents").success


def test_grant_before_application_fails_above_one_percent(con):
    insert(con, "patents", date_order_rows(bad=2))  # 99/101 = 98.02 % in order < 99 %
    outcome = validate_source(con, "patents")
    assert outcome.failures == [
        "raw.patents.grant_date: 2 rows have grant_date before application_date (1.98%, at most 1% allowed), "
        "e.g. (2019-12-31, 2020-01-01), (2020-01-01, 2020-01-02)"
    ]


def credit_code_rows(malformed: int) -> list[dict]:
    return [dict(enterprise=f"企业{n}", uscc=USCC_A if n >= malformed else f"4109000{n}", level="national_advantage",
                 year=2022) for n in range(10)]


def test_malformed_credit_codes_tolerated_up_to_ten_percent(con):
    insert(con, "ip_advantage", credit_code_rows(malformed=1))  # 9/10 well-formed
    assert validate_source(con, "ip_advantage").success


def test_malformed_credit_codes_fail_above_ten_percent(con):
    insert(con, "ip_advantage", credit_code_rows(malformed=2))  # 8/10 well-formed
    outcome = validate_source(con, "ip_advantage")
    assert len(outcome.failures) == 1
    assert outcome.failures[0].startswith("raw.ip_advantage.uscc: 2 values do not match")


# --- large tables are sampled ------------------------------------------------------------------

def test_large_table_is_validated_on_a_deterministic_sample(con):
    rows = [good("awards", year=2023 if n % 4 == 0 else 1900, award=f"奖项{n}") for n in range(20)]  # 15 bad
    insert(con, "awards", rows)
    first = validate_source(con, "awards", max_rows_in_full=10, sample_rows=6)
    second = validate_source(con, "awards", max_rows_in_full=10, sample_rows=6)
    assert (first.rows_total, first.rows_checked, first.sampled) == (20, 6, True)
    assert first.failures == second.failures
    assert len(first.failures) == 1
    assert first.failures[0].startswith("raw.awards.year:")
    assert first.failures[0].endswith("(in a sample of 6 of 20 rows)")


def test_table_at_the_limit_is_validated_whole(con):
    insert(con, "awards", GOOD_ROWS["awards"])
    outcome = validate_source(con, "awards", max_rows_in_full=2, sample_rows=1)
    assert (outcome.rows_checked, outcome.sampled) == (2, False)


# --- the suites stay in step with the catalog --------------------------------------------------

def test_every_source_has_a_suite_and_every_column_exists():
    from expectations.suites import SUITES, build_suite

    assert set(SUITES) == set(SOURCES)
    for source in SOURCES.values():
        columns = {name for name, _ in BOOKKEEPING + output_columns(source)}
        for expectation in build_suite(source.name).expectations:
            kw = expectation.configuration.kwargs
            named = [kw[k] for k in ("column", "column_A", "column_B") if k in kw] + list(kw.get("column_list", []))
            assert set(named) <= columns, (source.name, expectation.configuration.type, named)


def test_allowed_codes_match_the_catalog():
    from expectations import suites

    assert suites.OVERSEAS_KINDS == set(ENUMS["overseas_kind"].values())
    assert suites.SRDI_LEVELS == set(ENUMS["srdi_level"].values())
    assert suites.SRDI_STAGES == set(ENUMS["srdi_stage"].values())
    assert suites.IP_ADVANTAGE_LEVELS == set(ENUMS["ip_advantage_level"].values())
    assert suites.YES_NO == set(ENUMS["yes_no"].values())


def test_unknown_source_is_an_error(con):
    with pytest.raises(KeyError, match="no expectation suite"):
        validate_source(con, "weather")


def test_importing_the_package_does_not_import_great_expectations():
    code = "import sys, expectations; sys.exit('great_expectations' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2]).returncode == 0


def test_missing_column_is_reported_not_raised(con):
    insert(con, "awards", GOOD_ROWS["awards"])
    con.execute("ALTER TABLE raw.awards DROP COLUMN year")
    outcome = validate_source(con, "awards")
    assert not outcome.success
    assert len(outcome.failures) == 1
    assert outcome.failures[0].startswith("raw.awards.year: expect_column_values_to_be_between could not run:")
    assert "does not exist" in outcome.failures[0]


def test_preloading_imports_great_expectations_once_in_a_background_thread():
    # a fresh interpreter: this test process has imported Great Expectations already
    script = (
        "import sys, threading, expectations\n"
        "assert 'great_expectations' not in sys.modules\n"
        "expectations.preload_in_background(); expectations.preload_in_background()\n"
        "threads = [t for t in threading.enumerate() if t.name == 'gx-preload']\n"
        "assert len(threads) == 1, threads\n"
        "threads[0].join(120)\n"
        "assert 'expectations.validation' in sys.modules and 'great_expectations' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
