"""`ipwh check-file`: the preview of one export through the build's own ingestion path, and the
placing of a confirmed file in the landing folder (never a rejected one, never before confirmation)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from orchestration.cli import main
from orchestration.sources.preview import landing_name, place_file, preview_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXPORTS = FIXTURES / "landing_exports"


def test_check_file_prints_profile_mapping_inferred_and_reasons(capsys):
    code = main(["check-file", str(EXPORTS / "srdi" / "2024年度河南省专精特新中小企业名单.xlsx")])
    out = capsys.readouterr().out
    assert code == 0
    assert "来源：专精特新企业名单（srdi/）" in out
    assert "导出格式：公布的名单" in out
    assert "enterprise ← 企业名称" in out and "area ← 所属地市" in out
    assert "推断的名单信息：级别=专精特新中小企业（来自标题）；年度=2024（来自标题）；状态=公布（来自标题）" in out
    assert "行数：读取 3，将加载 1（其中带警告 0），将隔离 2" in out
    assert "第 2 行 area [outside_pack]" in out and "郑州市" in out


def test_check_file_lists_unknown_words_by_count(tmp_path, capsys):
    path = tmp_path / "导出.csv"
    path.write_text("申请号,专利类型,法律状态\n201510012345.3,发明,神秘\n201610023456.9,发明,神秘\n201610034567.X,检索报告,有效\n",
                    encoding="utf-8")
    code = main(["check-file", str(path), "--source", "patents"])
    out = capsys.readouterr().out
    assert code == 0
    assert "legal_status「神秘」2 行" in out and "patent_type「检索报告」1 行" in out
    assert "将隔离 3" in out


def test_check_file_guesses_the_source_from_the_header(tmp_path, capsys):
    path = tmp_path / "list.csv"
    shutil.copyfile(EXPORTS / "trademarks" / "企查查商标_20241231.csv", path)
    assert main(["check-file", str(path)]) == 0
    assert "来源：商标（trademarks/）" in capsys.readouterr().out


def test_check_file_of_a_misplaced_export_exits_1_with_the_reason(capsys):
    code = main(["check-file", str(FIXTURES / "landing_basic" / "patents" / "商标导出_误放.csv")])
    out = capsys.readouterr().out
    assert code == 1
    assert "整个文件将被拒收" in out and "应放在 trademarks/ 目录" in out


def test_preview_writes_nothing_and_placing_needs_an_accepted_file(tmp_path):
    landing = tmp_path / "landing"
    upload = tmp_path / "upload" / "专利导出.csv"
    upload.parent.mkdir()
    upload.write_text("申请号,专利类型,法律状态\n201510012345.3,发明,有效\n", encoding="utf-8")
    preview = preview_file(upload, "patents")
    assert preview.accepted and preview.rows_loaded == 1
    assert not landing.exists()  # nothing written before confirmation
    placed = place_file(upload, preview, landing, dt.date(2025, 7, 31))
    assert placed == landing / "patents" / "专利导出_20250731.csv"
    assert placed.read_bytes() == upload.read_bytes()
    assert list((landing / "patents").iterdir()) == [placed]

    bad = tmp_path / "upload" / "商标.csv"
    bad.write_text("注册号,国际分类\n1,25\n", encoding="utf-8")
    rejected = preview_file(bad, "patents")
    assert not rejected.accepted
    with pytest.raises(ValueError):
        place_file(bad, rejected, landing)
    assert list((landing / "patents").iterdir()) == [placed]


def test_landing_name_keeps_a_date_already_in_the_name():
    assert landing_name("专利导出_2025年6月.xlsx", dt.date(2025, 7, 1)) == "专利导出_2025年6月.xlsx"
    assert landing_name("名单.PDF", dt.date(2025, 7, 1)) == "名单_20250701.pdf"
