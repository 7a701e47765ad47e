"""Exports: the county assessment workbook and CSV (page and ``ipwh export`` write the same), and lists."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import publish
from dashboards import auth, data
from orchestration import exports
from orchestration.cli import main as ipwh

JUNE = date(2025, 6, 30)


def report_from(path: Path, period: date = JUNE) -> exports.AssessmentReport:
    read, close = exports.warehouse_reader(path)
    try:
        return exports.load_county_assessment(read, period)
    finally:
        close()


@pytest.fixture(scope="module")
def workbook(shared_warehouse: Path) -> openpyxl.Workbook:
    payload = exports.assessment_xlsx(report_from(shared_warehouse), generated_at=datetime(2025, 7, 3, 9, 0))
    return openpyxl.load_workbook(io.BytesIO(payload))


def test_one_sheet_per_metric_group_after_the_notes(workbook: openpyxl.Workbook) -> None:
    # the fixture's assessed metrics fall into four groups (exports.METRIC_GROUPS)
    assert workbook.sheetnames == ["说明", "专利创造", "商标与海外布局", "企业培育", "规上与重点企业"]


def test_chinese_headers_and_values(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["专利创造"]
    assert sheet["A1"].value == "濮阳市县区知识产权考核 · 2025年06月 · 专利创造"
    assert [sheet.cell(3, column).value for column in (1, 2)] == ["单位代码", "单位"]
    headers = [sheet.cell(3, column).value for column in range(3, sheet.max_column + 1)]
    assert [h for h in headers if h] == ["有效发明专利年增长率（%）", "万人有效发明专利拥有量（件/万人）", "万人高价值发明专利拥有量（件/万人）"]
    assert [sheet.cell(4, column).value for column in range(3, 8)] == ["数值", "排名", "上年同期", "同比变化", "名次变化"]
    rows = {sheet.cell(row, 2).value: row for row in range(5, sheet.max_row + 1)}
    assert list(rows) == ["华龙区", "清丰县", "河南濮阳工业园区"]
    # invention_per_10k of 清丰县 (columns 8-12): 300/70, rank 2, 270/70, +30/70, unchanged
    values = [sheet.cell(rows["清丰县"], column).value for column in range(8, 13)]
    assert values[0] == pytest.approx(300 / 70) and values[1] == 2 and values[2] == pytest.approx(270 / 70)
    assert values[3] == pytest.approx(30 / 70) and values[4] == "持平"
    assert sheet.cell(rows["河南濮阳工业园区"], 8).value == "—"  # no population, no value
    assert sheet.cell(rows["华龙区"], 8).number_format == "#,##0.00"
    enterprises = workbook["规上与重点企业"]
    key_rank_change = [enterprises.cell(row, 12).value for row in range(5, 8)]
    assert key_rank_change == ["↑1", "↓1", "—"]
    assert workbook["说明"]["B4"].value.startswith("2024年06月")


def test_formula_like_cells_are_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "evil.duckdb"
    publish(path, unit_name_overrides={"410922": "=HYPERLINK(\"http://x\",\"清丰县\")", "410971": "@SUM(1)"})
    report = report_from(path)
    book = openpyxl.load_workbook(io.BytesIO(exports.assessment_xlsx(report)))
    names = [book["专利创造"].cell(row, 2).value for row in range(5, 8)]
    assert names == ["华龙区", "'=HYPERLINK(\"http://x\",\"清丰县\")", "'@SUM(1)"]
    assert all(cell.data_type != "f" for row in book["专利创造"].iter_rows() for cell in row)
    rows = list(csv.reader(io.StringIO(exports.assessment_csv(report).decode("utf-8-sig"))))
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row if not _is_number(cell))


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+2", "'=1+2"), ("+86 123", "'+86 123"), ("-x", "'-x"), ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("华龙区", "华龙区"), (-5, -5), (None, None)],
)
def test_neutralise(value: object, expected: object) -> None:
    assert exports.neutralise(value) == expected


def test_csv_long_form(shared_warehouse: Path) -> None:
    frame = pd.read_csv(io.BytesIO(exports.assessment_csv(report_from(shared_warehouse))), encoding="utf-8-sig", dtype=str)
    assert list(frame.columns) == ["数据期", "指标组", "指标", "计量单位", "指标代码", "排名", "单位", "数值", "上年同期", "同比变化",
                                   "上年排名", "名次变化", "单位代码"]
    assert len(frame) == 8 * 3  # eight assessed metrics x three units
    row = frame[(frame["指标代码"] == "hightech_enterprises") & (frame["单位"] == "清丰县")].iloc[0]
    assert row[["排名", "数值", "上年同期", "同比变化", "名次变化"]].tolist() == ["2", "50.0", "42.0", "8.0", "持平"]


def test_the_command_writes_the_same_workbook(shared_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "考核.xlsx"
    assert ipwh(["export", "county-assessment", "--period", "2025-06", "--out", str(out), "--warehouse", str(shared_warehouse)]) == 0
    assert f"ipwh export: wrote {out}" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    page_book = openpyxl.load_workbook(io.BytesIO(exports.assessment_xlsx(report_from(shared_warehouse))))
    assert book.sheetnames == page_book.sheetnames
    for name in book.sheetnames[1:]:
        assert [[c.value for c in r] for r in book[name].iter_rows()] == [[c.value for c in r] for r in page_book[name].iter_rows()]
    csv_out = tmp_path / "考核.csv"
    assert ipwh(["export", "county-assessment", "--period", "2025-06", "--format", "csv", "--out", str(csv_out),
                 "--warehouse", str(shared_warehouse)]) == 0
    assert csv_out.read_bytes() == exports.assessment_csv(report_from(shared_warehouse))


def test_the_command_refuses_a_period_without_data(shared_warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no county assessment for 2023-01"):
        ipwh(["export", "county-assessment", "--period", "2023-01", "--out", str(tmp_path / "x.xlsx"),
              "--warehouse", str(shared_warehouse)])
    with pytest.raises(SystemExit, match="YYYY-MM"):
        ipwh(["export", "county-assessment", "--period", "June", "--warehouse", str(shared_warehouse)])


def test_a_list_export_is_the_whole_list_with_chinese_headers(shared_warehouse: Path) -> None:
    warehouse = data.published_warehouse(shared_warehouse)
    records = data.metric_records(warehouse, auth.DEMO_VIEWER, "valid_invention_patents", JUNE)
    assert len(records.frame) == 500 and records.total == 884
    full = data.full_records(warehouse, records)
    assert len(full) == 884
    from dashboards.components.tables import display_frame

    shown = display_frame(full, records.spec.columns, data.region_names(warehouse))
    book = openpyxl.load_workbook(io.BytesIO(exports.tables_xlsx({"明细": shown}, title="有效发明专利")))
    sheet = book["明细"]
    assert sheet["A1"].value == "有效发明专利"
    assert [cell.value for cell in sheet[3]][:3] == ["申请号", "专利名称", "专利类型"]
    assert sheet.max_row == 3 + 884
    text = exports.table_csv(shown).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("申请号,专利名称,专利类型,申请日,授权日")
    assert len(text.splitlines()) == 885


def test_a_quarantine_export_neutralises_raw_values(shared_warehouse: Path) -> None:
    warehouse = data.published_warehouse(shared_warehouse)
    rows = data.issue_rows(warehouse, auth.DEMO_VIEWER, "quarantine")
    book = openpyxl.load_workbook(io.BytesIO(exports.tables_xlsx({"隔离": rows})))
    values = [cell.value for row in book["隔离"].iter_rows() for cell in row]
    assert "'=cmd|' /C calc'!A0" in values
    assert "=cmd|' /C calc'!A0" not in values


def test_list_downloads_keep_numbers_numeric(shared_warehouse: Path) -> None:
    """The fee warnings by enterprise, as the page's Excel button writes it: counts and yuan are number
    cells (SUM works in Excel), with thousands separators; missing numbers are empty cells, not text."""
    warehouse = data.published_warehouse(shared_warehouse)
    from dashboards.components.tables import display_frame
    from dashboards.views.fees import render  # noqa: F401  (the page whose button this is)

    by_enterprise = data.fee_warnings_by_enterprise(warehouse, auth.DEMO_VIEWER, JUNE, "410900")
    columns = {"patentee": "专利权人", "lapse_risk": "即将失效（件）", "fee_yuan": "应缴年费（元）"}
    shown = display_frame(by_enterprise, columns, data.region_names(warehouse))
    sheet = openpyxl.load_workbook(io.BytesIO(exports.tables_xlsx({"明细": shown})))["明细"]
    header = [cell.value for cell in sheet[1]]
    for name in ("即将失效（件）", "应缴年费（元）"):
        cells = [row[header.index(name)] for row in sheet.iter_rows(min_row=2)]
        assert cells and all(cell.data_type == "n" for cell in cells), [cell.value for cell in cells]
        assert all(cell.value is None or isinstance(cell.value, (int, float)) for cell in cells)
        assert "#,##0" in cells[0].number_format
    fee = [row[header.index("应缴年费（元）")].value for row in sheet.iter_rows(min_row=2)]
    assert sum(v for v in fee if v is not None) == float(by_enterprise["fee_yuan"].sum())


def test_numpy_integers_decimals_and_gaps_are_written_as_numbers() -> None:
    frame = pd.DataFrame({"件数": pd.array([3, None, 1200], dtype="Int64"), "倍增进度（倍）": [0.9375, None, 2.0]})
    sheet = openpyxl.load_workbook(io.BytesIO(exports.tables_xlsx({"表": frame})))["表"]
    assert [sheet.cell(row, 1).value for row in (2, 3, 4)] == [3, None, 1200]
    assert [sheet.cell(row, 2).value for row in (2, 3, 4)] == [0.9375, None, 2]
    assert sheet.cell(2, 1).number_format == "#,##0" and sheet.cell(2, 2).number_format == "#,##0.00"
