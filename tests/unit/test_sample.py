"""The realistic sample landing folder (`ipwh sample`): shape, determinism, identifiers, magnitudes.

The magnitude checks compare with Puyang's published figures (domain.md 4.3: 883 valid invention
patents in April 2021, 25,542 valid trademarks mid-2021; metrics.md targets), with wide margins:
the sample should look like the city, not reproduce it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from orchestration.identifiers import appno_is_valid, hightech_cert_is_valid, normalize_appno, uscc_is_valid
from orchestration.sample import MANIFEST_NAME, SOURCES, generate

SEED = 20240305
LOCAL_WORDS = ("濮阳", "清丰", "南乐", "范县", "台前")
USCC_KEYS = ("uscc", "patentee_uscc", "registrant_uscc", "applicant_uscc")
DATE_PATTERNS = [
    ("compact", re.compile(r"^(\d{4})(\d{2})(\d{2})$")),
    ("iso", re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")),
    ("slash", re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")),
    ("dot", re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$")),
    ("cn", re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")),
]


# -- reading helpers (independent of the generator's code) ---------------------------------------

def decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("gbk"), "gbk"


def read_rows(path: Path) -> list[list[object]]:
    if path.suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        return [list(r) for r in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()]
    text, _ = decode(path.read_bytes())
    return list(csv.reader(io.StringIO(text)))


def parse_date(value: object) -> date | None:
    if value in (None, "", "0", 0):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float):
        return date(1899, 12, 30) + timedelta(days=int(value))
    for _, pattern in DATE_PATTERNS:
        m = pattern.match(str(value).strip())
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


class Table:
    """One file as the manifest describes it: header row position and header -> canonical key."""

    def __init__(self, root: Path, entry: dict):
        self.entry = entry
        rows = read_rows(root / entry["path"])
        header_at = entry["header_row"] - 1
        self.titles = rows[:header_at]
        self.header = [str(h) for h in rows[header_at]]
        self.rows = rows[header_at + 1:]
        mapping = dict(entry["columns"])
        self.keys = [mapping[h] for h in self.header]
        bad = {d["row"] for d in entry["bad_row_details"]}
        self.good_rows = [r for i, r in enumerate(self.rows, start=1) if i not in bad]

    def col(self, key: str) -> int | None:
        return self.keys.index(key) if key in self.keys else None

    def records(self, rows=None) -> list[dict[str, object]]:
        return [dict(zip(self.keys, r)) for r in (self.rows if rows is None else rows)]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("sample_city")
    manifest = generate(out, "city", SEED)
    return out, manifest


@pytest.fixture(scope="module")
def tables(sample) -> dict[str, list[Table]]:
    out, manifest = sample
    return {s: [Table(out, e) for e in manifest["sources"][s]["files"]] for s in SOURCES}


def file_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- determinism and layout ----------------------------------------------------------------------

def test_same_seed_writes_identical_bytes(sample, tmp_path):
    out, _ = sample
    again = tmp_path / "again"
    generate(again, "city", SEED)
    first, second = file_bytes(out), file_bytes(again)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_another_seed_writes_other_data(tmp_path):
    from orchestration.sample.generator import run
    from orchestration.sample.plan import build_plan

    run(tmp_path / "a", build_plan("province", volume_factor=0.002), SEED)
    run(tmp_path / "b", build_plan("province", volume_factor=0.002), SEED + 1)
    name = "patents/patents_20231231.csv"
    assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes()


def test_unknown_scale_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown scale"):
        generate(tmp_path, "county")


def test_every_source_gets_a_folder_with_files_and_the_manifest_sits_outside(sample):
    out, manifest = sample
    for source in SOURCES:
        files = sorted(p.name for p in (out / source).iterdir())
        assert files, source
        assert all(name.endswith((".csv", ".xlsx")) for name in files), files
        assert sorted(e["path"] for e in manifest["sources"][source]["files"]) == sorted(
            f"{source}/{name}" for name in files)
    assert (out / MANIFEST_NAME).is_file()
    assert json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8")) == manifest


def test_manifest_row_counts_match_the_files(tables):
    for source, files in tables.items():
        for t in files:
            assert len(t.rows) == t.entry["rows"], t.entry["path"]
            assert t.entry["bad_rows_total"] == sum(t.entry["bad_rows"].values())
            assert len(t.entry["bad_row_details"]) == t.entry["bad_rows_total"]


def test_rerun_into_the_same_folder_replaces_the_previous_sample(tmp_path):
    from orchestration.sample.generator import run
    from orchestration.sample.plan import build_plan

    plan = build_plan("province", volume_factor=0.002)
    run(tmp_path, plan, SEED)
    stale = tmp_path / "patents" / "patents_20231231.csv"
    assert stale.exists()
    marker = tmp_path / "patents" / "someone_elses_export.csv"
    marker.write_text("申请号\n", encoding="utf-8")
    run(tmp_path, build_plan("province", volume_factor=0.001), SEED)
    listed = {e["path"] for s in json.loads((tmp_path / MANIFEST_NAME).read_text())["sources"].values()
              for e in s["files"]}
    on_disk = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.csv")}
    assert on_disk - listed == {"patents/someone_elses_export.csv"}  # foreign files are never deleted


# -- realism of the shape -----------------------------------------------------------------------

def test_encodings_vary_and_gbk_files_are_really_gbk(sample):
    out, manifest = sample
    seen = set()
    for source in SOURCES:
        for e in manifest["sources"][source]["files"]:
            if e["format"] != "csv":
                continue
            raw = (out / e["path"]).read_bytes()
            _, encoding = decode(raw)
            assert encoding == e["encoding"], e["path"]
            seen.add(encoding)
    assert seen == {"utf-8", "utf-8-sig", "gbk"}


def test_xlsx_rosters_have_merged_title_rows_above_the_header(sample):
    import openpyxl

    out, manifest = sample
    titled = [e for s in SOURCES for e in manifest["sources"][s]["files"]
              if e["format"] == "xlsx" and e["header_row"] > 1]
    assert any(e["path"].startswith("hightech/") for e in titled)
    assert any(e["header_row"] == 3 for e in titled)
    for e in titled:
        ws = openpyxl.load_workbook(out / e["path"]).active
        merged = [str(r) for r in ws.merged_cells.ranges]
        assert any(r.startswith("A1:") for r in merged), (e["path"], merged)
        assert "名单" in str(ws["A1"].value) or "人口" in str(ws["A1"].value) or "质押" in str(ws["A1"].value)
        header = [c.value for c in ws[e["header_row"]]]
        assert header == [h for h, _ in e["columns"]], e["path"]


def test_xlsx_files_carry_excel_dates_and_serial_numbers(tables):
    kinds = set()
    for source in ("hightech", "pledges", "overseas_filings", "ip_advantage"):
        for t in tables[source]:
            if not t.entry["path"].endswith(".xlsx"):
                continue
            for key in ("issue_date", "registration_date", "filing_date", "valid_to"):
                i = t.col(key)
                if i is not None:
                    kinds |= {type(r[i]).__name__ for r in t.good_rows}
    assert {"date", "float"} <= kinds


def test_patent_exports_vary_their_headers(tables):
    headers = [set(t.header) for t in tables["patents"]]
    assert len({frozenset(h) for h in headers}) == len(headers)
    assert any("申请人" in h for h in headers) and any("当前专利权人" in h for h in headers)
    assert any("授权公告日" in h for h in headers) and any("授权日" in h for h in headers)
    assert any(not ({"失效日", "失效日期", "权利终止日"} & h) for h in headers)
    assert any("年费缴至年度" in h for h in headers) and any("同族国家" in h for h in headers)
    real = ["申请日", "公开日", "授权公告日", "申请人", "发明人", "申请号", "公开号", "授权公告号", "专利类型", "专利名称",
            "申请人地址", "法律状态", "主分类号", "分类号"]
    assert any(t.header[: len(real)] == real for t in tables["patents"])


def test_dates_and_application_numbers_come_in_several_styles(tables):
    date_styles, appno_styles = set(), set()
    for t in tables["patents"]:
        i, a = t.col("application_date"), t.col("application_no")
        for r in t.good_rows[:50]:
            date_styles |= {name for name, p in DATE_PATTERNS if p.match(str(r[i]))}
            v = str(r[a])
            appno_styles.add(("CN" if v.startswith("CN") else "") + ("." if "." in v else "") + str(len(v)))
    assert date_styles == {"compact", "iso", "slash", "dot", "cn"}
    # CN202121635235.X, 202121635235.X, 2021216352353, CN2021216352353
    assert {"CN.16", ".14", "13", "CN15"} <= appno_styles
    pledged = [str(r[t.col("application_no")]) for t in tables["pledges"] for r in t.good_rows]
    assert any(v.startswith("ZL") for v in pledged)


def test_addresses_look_like_exports(tables):
    addresses = [str(r[t.col("address")]) for t in tables["patents"] for r in t.good_rows]
    assert sum(bool(re.match(r"^\d{6}", a)) for a in addresses) > len(addresses) / 2
    assert any(re.match(r"^457\d{3}河南省濮阳市", a) for a in addresses)
    assert any("濮阳经济技术开发区" in a or "经开区" in a for a in addresses)
    assert any("工业园区" in a for a in addresses)
    assert any(re.match(r"^\d{6}(北京|河南省郑州)", a) for a in addresses)  # first patentee outside Puyang
    assert any("城关镇" in a and not re.search("(清丰|南乐|范|台前|濮阳)县", a) for a in addresses)


def test_patents_have_co_owners_individuals_institutions_and_transfers(tables):
    owners_by_no: dict[str, set[str]] = {}
    co_owned = people = colleges = 0
    for t in sorted(tables["patents"], key=lambda t: t.entry["as_of"]):
        i, a, k = t.col("patentees"), t.col("application_no"), t.col("address")
        for r in t.good_rows:
            names = re.split("[;；、]", str(r[i]))
            co_owned += len(names) > 1
            people += len(names[0]) <= 3 and ("村" in str(r[k]) or "镇" in str(r[k]))
            colleges += "濮阳职业技术学院" in names[0]
            if r[a]:
                owners_by_no.setdefault(normalize_appno(str(r[a])), set()).add(names[0])
    transferred = sum(len(v) > 1 for v in owners_by_no.values())
    assert co_owned > 100 and people > 100 and colleges > 10 and transferred > 20


def test_renamed_firms_keep_their_former_name_on_older_records(tables):
    former = {}
    for t in tables["enterprises"]:
        i, f = t.col("enterprise"), t.col("former_names")
        if f is None:
            continue
        for r in t.good_rows:
            if r[f]:
                former[str(r[f])] = str(r[i])
    assert len(former) >= 10
    patentees = {re.split("[;；、]", str(r[t.col("patentees")]))[0] for t in tables["patents"] for r in t.good_rows}
    assert len(set(former) & patentees) >= 3


# -- identifiers: valid except the injected bad rows -------------------------------------------

def split_appnos(cell: object) -> list[str]:
    return [v for v in re.split("[;；,、]", str(cell)) if v.strip()]


def test_application_numbers_are_valid_except_the_injected_bad_ones(tables):
    checked = 0
    for source in ("patents", "pledges", "awards"):
        for t in tables[source]:
            i = t.col("application_no")
            invalid = sum(1 for r in t.rows if r[i] and not all(appno_is_valid(v) for v in split_appnos(r[i])))
            empty = sum(1 for r in t.rows if not r[i])
            bad = t.entry["bad_rows"]
            assert invalid == bad.get("application_no_check_digit", 0), t.entry["path"]
            assert empty == (bad.get("missing_key", 0) if source != "pledges" else 0), t.entry["path"]
            checked += len(t.rows)
            digits = {normalize_appno(v)[4] for r in t.good_rows for v in split_appnos(r[i])}
            assert digits <= {"1", "2", "3", "8"}
    assert checked > 30_000
    assert any(normalize_appno(str(r[t.col("application_no")]))[4] == "8"
               for t in tables["patents"] for r in t.good_rows if r[t.col("application_no")])


def test_credit_codes_are_valid_except_flagged_pilot_codes(tables):
    flagged = 0
    for source, files in tables.items():
        for t in files:
            cols = [t.col(k) for k in USCC_KEYS if t.col(k) is not None]
            failing = sum(1 for r in t.good_rows for c in cols if r[c] and not uscc_is_valid(str(r[c])))
            assert failing == t.entry["flags"].get("uscc_check_digit", 0), t.entry["path"]
            flagged += failing
    assert flagged > 0
    codes = [str(r[t.col("uscc")]) for t in tables["enterprises"] for r in t.good_rows if r[t.col("uscc")]]
    assert all(c[2:6] == "4109" for c in codes)
    regions = {c[2:8] for c in codes}
    assert {"410900", "410902", "410971", "410972"} <= regions


def test_hightech_certificates_follow_the_henan_pattern(tables):
    for t in tables["hightech"]:
        i, d = t.col("certificate_no"), t.col("issue_date")
        certs = [str(r[i]) for r in t.rows if r[i]]
        assert all(hightech_cert_is_valid(c) and c[6:8] == "41" for c in certs), t.entry["path"]
        assert len(t.rows) - len(certs) == t.entry["bad_rows"].get("missing_key", 0)
        assert all(str(parse_date(r[d]).year) == str(r[i])[2:6] for r in t.good_rows)


def test_bad_rows_are_rare_cover_every_rule_and_point_at_the_broken_cell(sample, tables):
    _, manifest = sample
    rules = {}
    for source in SOURCES:
        for rule, n in manifest["sources"][source]["bad_rows"].items():
            rules[rule] = rules.get(rule, 0) + n
    assert set(rules) == {"application_no_check_digit", "invalid_date", "missing_key", "unknown_value"}
    rate = manifest["bad_rows_total"] / manifest["rows_total"]
    assert 0.001 < rate < 0.006
    for files in tables.values():
        for t in files:
            for d in t.entry["bad_row_details"]:
                row = t.rows[d["row"] - 1]
                assert str(row[t.keys.index(d["column"])]) == str(d["value"]), (t.entry["path"], d)
                if d["rule"] == "invalid_date":
                    assert parse_date(d["value"]) is None and re.search(r"(0?2\D?30|13\D?0?1)", d["value"])


# -- magnitudes like the real city ----------------------------------------------------------------

def latest_patents(tables) -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for t in sorted(tables["patents"], key=lambda t: t.entry["as_of"]):
        for rec in t.records(t.good_rows):
            latest[normalize_appno(str(rec["application_no"]))] = rec
    return latest


def valid_invention(rec: dict, d: date) -> bool:
    if "发明" not in str(rec["patent_type"]):
        return False
    applied, granted = parse_date(rec["application_date"]), parse_date(rec.get("grant_date"))
    if granted is None or granted > d or date(applied.year + 20, applied.month, min(applied.day, 28)) <= d:
        return False
    if re.match("(无权|失效)", str(rec["legal_status"])):
        lapsed = parse_date(rec.get("lapse_date"))
        return lapsed is not None and lapsed > d
    return True


def local_first_patentee(rec: dict) -> bool:
    return any(w in str(rec["address"]) for w in LOCAL_WORDS)


def test_valid_invention_patents_resemble_puyang(tables):
    latest = latest_patents(tables)
    counts = {d: sum(1 for r in latest.values() if local_first_patentee(r) and valid_invention(r, d))
              for d in (date(2021, 4, 30), date(2025, 12, 31))}
    assert 780 <= counts[date(2021, 4, 30)] <= 990          # 883 published for April 2021
    assert 1250 <= counts[date(2025, 12, 31)] <= 1550       # about 3.6 per 10k with ~3.77M people
    utility = sum(1 for r in latest.values() if "实用新型" in str(r["patent_type"]))
    inventions = sum(1 for r in latest.values() if "发明" in str(r["patent_type"]))
    assert utility > 2.5 * inventions


def test_valid_trademarks_resemble_puyang(tables):
    latest: dict[tuple[str, int], dict] = {}
    for t in sorted(tables["trademarks"], key=lambda t: t.entry["as_of"]):
        for rec in t.records(t.good_rows):
            latest[(str(rec["reg_no"]), int(rec["nice_class"]))] = rec

    def valid(rec: dict, d: date) -> bool:
        reg = parse_date(rec.get("reg_date"))
        end = parse_date(rec["term"].split("至")[1].strip()) if rec.get("term") else parse_date(rec.get("term_end"))
        cancelled = parse_date(rec.get("cancel_date"))
        return (reg is not None and reg <= d and end is not None and end >= d
                and not (cancelled and cancelled <= d) and rec["status"] not in ("申请中", "初审公告", "驳回"))

    mid_2021 = sum(valid(r, date(2021, 6, 30)) for r in latest.values())
    end_2025 = sum(valid(r, date(2025, 12, 31)) for r in latest.values())
    assert 22_000 <= mid_2021 <= 29_000                     # 25,542 published for June 2021
    assert 40_000 <= end_2025 <= 50_000                     # target > 43,000 in 2025
    classes = {int(k[1]) for k in latest}
    assert classes <= set(range(1, 46)) and len(classes) > 30


def test_rosters_have_plausible_sizes(tables):
    certs = {}
    for t in tables["hightech"]:
        for rec in t.records(t.good_rows):
            certs[rec["certificate_no"]] = (rec["enterprise"], parse_date(rec["issue_date"]))
    end_2025 = date(2025, 12, 31)
    valid = {e for e, d in certs.values() if d <= end_2025 < date(d.year + 3, d.month, d.day)}
    assert 150 <= len(valid) <= 200
    per_year: dict[int, int] = {}
    key_per_year: dict[int, int] = {}
    for t in tables["enterprises"]:
        for rec in t.records(t.good_rows):
            if rec["above_scale_year"] not in ("", None):
                y = int(float(rec["above_scale_year"]))
                per_year[y] = per_year.get(y, 0) + 1
                key_per_year[y] = key_per_year.get(y, 0) + (rec["key_enterprise"] == "是")
    assert sorted(per_year) == list(range(2019, 2027))
    assert all(400 <= n <= 800 for n in per_year.values())
    assert all(20 <= n <= 90 for n in key_per_year.values())
    stages = {rec["stage"] for t in tables["srdi"] for rec in t.records(t.good_rows)}
    assert {"公示", "公布", "复核通过", "撤销"} <= stages
    amounts = [float(rec["amount_wan"]) for t in tables["pledges"] for rec in t.records(t.good_rows)]
    assert any(a >= 1000 for a in amounts) and any(a < 1000 for a in amounts)
    filings = {}
    for t in tables["overseas_filings"]:
        for rec in t.records(t.good_rows):
            y = parse_date(rec["filing_date"]).year
            filings[y] = filings.get(y, 0) + 1
    assert all(15 <= filings[y] <= 45 for y in (2023, 2024, 2025))


def test_population_adds_up_to_the_city(tables):
    by_year: dict[int, dict[str, float]] = {}
    for t in tables["population"]:
        per_wan = "常住人口(万人)" in t.header
        for rec in t.records(t.good_rows):
            value = float(rec["population"]) * (10_000 if per_wan else 1)
            by_year.setdefault(int(float(rec["year"])), {})[str(rec["region_code"])] = value
    assert sorted(by_year) == list(range(2019, 2026))
    census = by_year[2020]
    assert census["410900"] == 3_772_088
    assert sum(v for k, v in census.items() if k != "410900") == 3_772_088
    for year, rows in by_year.items():
        units = {k: v for k, v in rows.items() if k != "410900"}
        assert len(units) == 8
        assert 3_550_000 <= sum(units.values()) <= 3_850_000
