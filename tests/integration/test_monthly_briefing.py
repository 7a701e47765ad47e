"""Why the numbers moved and the monthly 通报, on tests/fixtures/landing_changes (every expected
number is worked out by hand in its README)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.conftest import built_fixture, query

P = dt.date(2025, 6, 30)
CITY, HUALONG, QINGFENG = "410900", "410902", "410922"
A1, A3, A4, A8, A11, A12 = "201410000001.6", "202110000003.5", "201910000004.2", "202210000008.2", "202310000011.9", "202310000012.3"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with built_fixture(tmp_path_factory, "landing_changes") as result:
        assert result["code"] == 0
        yield result


@pytest.fixture(scope="module")
def warehouse(built):
    return built["warehouse"]


def parts(warehouse, metric, region, comparison, period=P) -> dict[str, float]:
    rows = query(warehouse, """select part_code, value from marts.metric_change_decomposition
                               where period_end = ? and region_code = ? and metric_code = ? and comparison = ?""",
                 [period, region, metric, comparison])
    return {code: value for code, value in rows if code != "none"}


def span(warehouse, metric, region, comparison, period=P) -> tuple[float, float, float]:
    rows = query(warehouse, """select distinct start_value, end_value, change from marts.metric_change_decomposition
                               where period_end = ? and region_code = ? and metric_code = ? and comparison = ?""",
                 [period, region, metric, comparison])
    assert len(rows) == 1
    return rows[0]


# --- the decomposition ---------------------------------------------------------------------------


def test_parts_sum_to_the_change_for_every_metric_unit_period_and_comparison(warehouse):
    groups = query(warehouse, """
        select period_end, comparison, region_code, metric_code, any_value(change), sum(value), count(*)
        from marts.metric_change_decomposition group by all""")
    assert len(groups) > 1000
    checked = 0
    for period, comparison, region, metric, change, total, _ in groups:
        if change is None:  # a per-10k metric without a population at one end: no parts either
            assert total is None, (period, comparison, region, metric)
            continue
        assert total == pytest.approx(change, abs=1e-9), (period, comparison, region, metric)
        checked += 1
    metrics = {row[0] for row in query(warehouse, "select distinct metric_code from marts.metric_change_decomposition")}
    assert metrics == {"valid_invention_patents", "high_value_invention_patents", "valid_trademarks",
                       "hightech_enterprises", "above_scale_enterprises", "srdi_sme_valid", "little_giant_valid",
                       "ip_advantage_enterprises_total", "above_scale_zero_invention", "invention_per_10k",
                       "high_value_per_10k"}
    assert checked > 1000


def test_start_and_end_values_are_the_published_metric_values(warehouse):
    mismatches = query(warehouse, """
        select d.period_end, d.comparison, d.region_code, d.metric_code
        from (select distinct period_end, comparison, start_period, region_code, metric_code, start_value, end_value
              from marts.metric_change_decomposition) as d
        join marts.metric_values as s on s.period_end = d.start_period and s.region_code = d.region_code
             and s.metric_code = d.metric_code and s.industry_code = 'ALL'
        join marts.metric_values as e on e.period_end = d.period_end and e.region_code = d.region_code
             and e.metric_code = d.metric_code and e.industry_code = 'ALL'
        where s.value is distinct from d.start_value or e.value is distinct from d.end_value""")
    assert mismatches == []


def test_month_change_of_valid_inventions_by_cause(warehouse):
    assert span(warehouse, "valid_invention_patents", CITY, "month") == (8, 8, 0)
    assert parts(warehouse, "valid_invention_patents", CITY, "month") == {"grant": 1, "lapse_invalidated": -1}
    assert parts(warehouse, "valid_invention_patents", HUALONG, "month") == {"grant": 1, "lapse_invalidated": -1}
    assert parts(warehouse, "valid_invention_patents", QINGFENG, "month") == {}


def test_year_to_date_change_of_valid_inventions_by_cause(warehouse):
    assert span(warehouse, "valid_invention_patents", CITY, "ytd") == (6, 8, 2)
    assert parts(warehouse, "valid_invention_patents", CITY, "ytd") == {
        "grant": 4, "lapse_unpaid_fee": -1, "lapse_invalidated": -1}
    # A9 counts for 清丰县 until the export of 2025-07-31 shows its new holder (attribution_as_of = period)
    assert span(warehouse, "valid_invention_patents", HUALONG, "ytd") == (4, 6, 2)
    assert parts(warehouse, "valid_invention_patents", HUALONG, "ytd") == {"grant": 3, "lapse_invalidated": -1}
    assert span(warehouse, "valid_invention_patents", QINGFENG, "ytd") == (2, 2, 0)
    assert parts(warehouse, "valid_invention_patents", QINGFENG, "ytd") == {"grant": 1, "lapse_unpaid_fee": -1}


def test_high_value_parts_tell_new_grants_from_patents_that_became_high_value(warehouse):
    # worked out in tests/fixtures/landing_changes/README.md (strategic-emerging by the official table)
    assert span(warehouse, "high_value_invention_patents", CITY, "ytd") == (5, 8, 3)
    assert parts(warehouse, "high_value_invention_patents", CITY, "ytd") == {
        "grant": 4, "became_high_value": 1, "lapse_unpaid_fee": -1, "lapse_invalidated": -1}
    assert parts(warehouse, "high_value_invention_patents", CITY, "month") == {"grant": 1, "lapse_invalidated": -1}


def test_per_10k_parts_are_the_count_parts_over_the_population(warehouse):
    assert parts(warehouse, "invention_per_10k", CITY, "ytd") == pytest.approx(
        {"grant": 0.04, "lapse_unpaid_fee": -0.01, "lapse_invalidated": -0.01})
    assert parts(warehouse, "invention_per_10k", HUALONG, "ytd") == pytest.approx(
        {"grant": 3 / 40, "lapse_invalidated": -1 / 40})


def test_other_stock_metrics_by_cause(warehouse):
    assert parts(warehouse, "valid_trademarks", CITY, "ytd") == {"term_expiry": -1}
    assert parts(warehouse, "above_scale_enterprises", CITY, "ytd") == {"joined_roster": 2}
    assert parts(warehouse, "hightech_enterprises", CITY, "ytd") == {}


def test_population_effect_makes_a_per_10k_change_add_up_when_the_population_changes(warehouse):
    # from 2024-12 (2024 population) the figures stay; a change of population would show here: the
    # fixture has only 2024 figures, so no period of 2025 has a population effect
    rows = query(warehouse, """select count(*) from marts.metric_change_decomposition
                               where part_code = 'population_effect' and year(period_end) = 2025""")
    assert rows == [(0,)]


def test_records_of_each_part_are_the_patents_that_moved(warehouse):
    from dashboards.auth import DEMO_VIEWER
    from dashboards import data

    published = data.published_warehouse(warehouse)
    grants = data.change_records(published, DEMO_VIEWER, "valid_invention_patents", P, "ytd", "grant")
    assert sorted(grants["record_key"]) == sorted([A3, A8, A11, A12])
    lapsed = data.change_records(published, DEMO_VIEWER, "invention_per_10k", P, "ytd", "lapse_unpaid_fee")
    assert list(lapsed["record_key"]) == [A4]


def test_a_unit_official_sees_only_their_own_units_records_of_a_part(warehouse):
    from dashboards.auth import Viewer
    from dashboards import data

    published = data.published_warehouse(warehouse)
    qingfeng = Viewer(username="qf", display_name="清丰", role="unit", region_code=QINGFENG)
    own = data.change_records(published, qingfeng, "valid_invention_patents", P, "ytd", "grant")
    assert list(own["record_key"]) == [A3]
    with pytest.raises(data.AccessDenied):
        data.change_records(published, qingfeng, "valid_invention_patents", P, "ytd", "grant", HUALONG)


def test_a_transfer_is_a_part_of_the_month_the_export_shows_it(warehouse):
    # A9 (valid, high value) moves from 清丰县乙食品 to 濮阳市甲化工 (华龙区) in the export of 2025-07-31
    july = dt.date(2025, 7, 31)
    rows = query(warehouse, "select application_no, region_code, previous_patentee, new_patentee, seen_month "
                            "from marts.metric_change_restatements")
    assert rows == [("201610000009.1", HUALONG, "清丰县乙食品有限公司", "濮阳市甲化工有限公司", july)]
    for metric in ("valid_invention_patents", "high_value_invention_patents"):
        assert parts(warehouse, metric, HUALONG, "month", july) == {"transfer_in": 1}
        assert parts(warehouse, metric, QINGFENG, "month", july) == {"transfer_out": -1}
        assert parts(warehouse, metric, CITY, "month", july) == {"transfer_in": 1, "transfer_out": -1}
    assert span(warehouse, "valid_invention_patents", HUALONG, "month", july) == (6, 7, 1)
    assert span(warehouse, "valid_invention_patents", QINGFENG, "month", july) == (2, 1, -1)
    # before the export that shows the new holder, A9 is 清丰县's (the June figures above)
    assert query(warehouse, """select region_code from marts.metric_records where metric_code = 'valid_invention_patents'
                               and record_key = '201610000009.1' order by counted_from""") == [(QINGFENG,), (HUALONG,)]


# --- the 通报 ------------------------------------------------------------------------------------


def document_texts(path: Path) -> list[str]:
    import docx

    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return texts


@pytest.fixture(scope="module")
def briefing(warehouse, tmp_path_factory):
    from orchestration.reports.briefing import write_monthly_briefing

    return write_monthly_briefing(warehouse, P, tmp_path_factory.mktemp("briefing"), pdf=False)


def test_the_briefing_opens_with_python_docx_and_carries_the_attachment(briefing):
    import docx

    assert briefing.docx.name == "濮阳市知识产权助力制造业倍增行动监测通报_2025年6月.docx"
    document = docx.Document(str(briefing.docx))
    assert document.paragraphs[1].text == "濮阳市知识产权助力制造业倍增行动监测通报"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert briefing.xlsx is not None and briefing.xlsx.exists()
    assert any(text.startswith("附件：") for text in document_texts(briefing.docx))


def test_ranking_tables_equal_the_county_assessment_mart(briefing, warehouse):
    import docx

    document = docx.Document(str(briefing.docx))
    assessed = [row[0] for row in query(warehouse, "select metric_code from marts.metric_catalog where assessed "
                                                   "order by sort_order, metric_code")]
    ranking_tables = [t for t in document.tables if t.rows[0].cells[0].text == "排名"]
    assert len(ranking_tables) == len(assessed)
    for code, table in zip(assessed, ranking_tables):
        mart = query(warehouse, f"""select a.region_name, a.{code}, a.{code}_rank from marts.county_assessment as a
                                    where a.period_end = ? and a.region_code <> 'UNATTRIBUTED'""", [P])
        shown = {row.cells[1].text: (row.cells[0].text, row.cells[2].text) for row in table.rows[1:]}
        assert set(shown) == {name for name, _, _ in mart}, code
        for name, value, rank in mart:
            shown_rank, shown_value = shown[name]
            if value is None:
                assert shown_value == "无数据" and shown_rank == "—", (code, name)
            else:
                assert float(shown_value.replace(",", "")) == pytest.approx(value, abs=0.005), (code, name)
                assert int(shown_rank) == rank, (code, name)


def test_sentences_name_the_first_and_last_unit_of_the_mart(briefing, warehouse):
    texts = document_texts(briefing.docx)
    ranked = query(warehouse, """select region_name from marts.county_assessment
                                 where period_end = ? and region_code <> 'UNATTRIBUTED' and invention_per_10k is not null
                                 order by invention_per_10k_rank""", [P])
    first, last = ranked[0][0], ranked[-1][0]
    assert (first, last) == ("华龙区", "清丰县")  # README: 0.175 and 1/60
    heading = texts.index("（二）万人有效发明专利拥有量")
    sentence = texts[heading + 1]
    assert sentence.startswith(f"{first}以") and "居首" in sentence
    assert re.search(f"，{last}以[0-9.]+件/万人居末", sentence)


def test_why_it_moved_is_told_in_plain_sentences(briefing):
    texts = document_texts(briefing.docx)
    assert "有效发明专利拥有量今年以来增加2件（由6件到8件），其中新授权4件，因未缴年费失效1件，被宣告无效1件。" in texts
    assert "有效发明专利拥有量本月总体持平（由8件到8件），其中新授权1件，被宣告无效1件。" in texts


def test_no_nan_none_or_english_in_the_text(briefing):
    for text in document_texts(briefing.docx):
        assert "nan" not in text.lower() and "None" not in text, text
        assert not re.search(r"[A-Za-z]", text), text


def test_a_period_without_data_is_stated(warehouse, tmp_path):
    from orchestration.reports.briefing import write_monthly_briefing

    files = write_monthly_briefing(warehouse, dt.date(2031, 6, 30), tmp_path, pdf=False)
    texts = document_texts(files.docx)
    assert any("数仓中没有2031年6月的数据" in text for text in texts)
    assert files.xlsx is None and not files.has_data
    for text in texts:
        assert "nan" not in text.lower() and "None" not in text


def test_a_metric_without_a_target_this_year_is_stated(briefing):
    texts = document_texts(briefing.docx)
    assert any(text.startswith("重点企业发明专利倍增进度") and "2025年未设目标" in text for text in texts)


def test_a_missing_font_or_converter_still_writes_the_docx(warehouse, tmp_path, monkeypatch):
    from orchestration.reports import briefing as module

    monkeypatch.setattr(module, "cjk_font_file", lambda kind="sans": None)
    monkeypatch.setattr(module, "find_converter", lambda: None)
    files = module.write_monthly_briefing(warehouse, P, tmp_path, pdf=True)
    assert files.docx.exists() and files.pdf is None
    assert any("no PDF converter" in message for message in files.messages)
    assert any("no CJK font" in message for message in files.messages)
    assert "说明：本机缺少中文字体，本期通报未附图表。" in document_texts(files.docx)


def test_a_units_version_lists_only_that_units_fee_warnings(warehouse, tmp_path):
    from orchestration.reports.briefing import write_monthly_briefing

    files = write_monthly_briefing(warehouse, P, tmp_path, HUALONG, pdf=False)
    assert files.docx.name.endswith("_华龙区.docx")
    import docx

    fee_tables = [t for t in docx.Document(str(files.docx)).tables if t.rows[0].cells[0].text == "单位"]
    assert len(fee_tables) == 1
    assert [row.cells[0].text for row in fee_tables[0].rows[1:]] == ["华龙区"]


def test_ipwh_report_monthly_writes_the_named_document(warehouse, tmp_path, capsys):
    from orchestration.cli import main

    code = main(["report", "monthly", "--period", "2025-06", "--warehouse", str(warehouse), "--out", str(tmp_path),
                 "--no-pdf"])
    assert code == 0
    assert (tmp_path / "濮阳市知识产权助力制造业倍增行动监测通报_2025年6月.docx").exists()
    assert "ipwh report: wrote" in capsys.readouterr().out


def test_the_build_writes_the_briefing_of_the_latest_period(built):
    latest = query(built["warehouse"], "select max(period_end) from marts.metric_values")[0][0]
    folder = built["warehouse"].parent / "reports" / f"{latest:%Y-%m}"
    assert (folder / f"濮阳市知识产权助力制造业倍增行动监测通报_{latest.year}年{latest.month}月.docx").exists()


# --- the dashboards ------------------------------------------------------------------------------


def test_overview_shows_the_change_analysis_and_offers_the_briefing(warehouse, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO_ROOT

    monkeypatch.setenv("IPWH_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("IPWH_DEMO", "1")
    monkeypatch.setenv("IPWH_AUTH_CONFIG", str(tmp_path / "no_auth.yaml"))
    app = AppTest.from_file(str(REPO_ROOT / "dashboards" / "app.py"), default_timeout=120)
    app.session_state["overview_changes_comparison"] = "ytd"
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert "变动分析" in [block.value for block in app.subheader]
    latest = query(warehouse, "select max(period_end) from marts.metric_values")[0][0]
    start, end, change = span(warehouse, "valid_invention_patents", CITY, "ytd", latest)
    summary = [block.value for block in app.markdown if "→" in block.value]
    assert summary and f"{int(start)} 件 →" in summary[0] and f"{int(end)} 件" in summary[0]
    button = next(b for b in app.button if b.label.startswith("生成") and "月度通报" in b.label)
    app = button.click().run()
    assert not app.exception, [e.value for e in app.exception]
    name, payload = app.session_state[f"overview_briefing_file_{latest}"]
    assert name == f"濮阳市知识产权助力制造业倍增行动监测通报_{latest.year}年{latest.month}月.docx"
    assert payload[:2] == b"PK"  # a .docx is a zip


def test_assessment_page_shows_the_change_analysis(warehouse, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO_ROOT

    monkeypatch.setenv("IPWH_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("IPWH_DEMO", "1")
    monkeypatch.setenv("IPWH_AUTH_CONFIG", str(tmp_path / "no_auth.yaml"))
    app = AppTest.from_file(str(REPO_ROOT / "dashboards" / "app.py"), default_timeout=120)
    from streamlit.util import calc_hash

    app._page_hash = calc_hash("assessment")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert "变动分析" in [block.value for block in app.subheader]


def test_the_briefing_asset_on_demand_for_any_period_and_unit(warehouse, tmp_path, monkeypatch):
    import dagster as dg

    from orchestration.assets.briefing import monthly_briefing

    monkeypatch.setenv("IPWH_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("IPWH_REPORTS_DIR", str(tmp_path / "reports"))
    result = dg.materialize(
        [monthly_briefing], instance=dg.DagsterInstance.ephemeral(),
        run_config={"ops": {"monthly_briefing": {"config": {"period": "2025-06", "unit": HUALONG}}}})
    assert result.success
    assert (tmp_path / "reports" / "2025-06" / "濮阳市知识产权助力制造业倍增行动监测通报_2025年6月_华龙区.docx").exists()
