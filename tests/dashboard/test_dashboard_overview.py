"""总览, run through Streamlit's AppTest against the hand-made warehouse (conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

import duckdb
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard_apptest import (
    APP,
    assert_clean,
    caption_texts,
    frame_with,
    frames_with,
    markdown_texts,
    metric_value,
    run_page,
)


@pytest.fixture(scope="module")
def june(shared_env) -> AppTest:
    """The overview at the latest period (2025-06), run once for the read-only checks."""
    with shared_env():
        app = run_page("overview")
    assert_clean(app)
    return app


def pick_period(app: AppTest, period_end: date) -> AppTest:
    app.sidebar.selectbox(key="period_end").set_value(period_end)
    return app.run()


def test_no_pages_folder_beside_the_entry_point() -> None:
    # A pages/ folder beside app.py puts Streamlit in its legacy multipage mode: AppTest reruns then
    # land on the file in pages/ and the period picker loses its value between runs.
    assert not (APP.parent / "pages").exists()


def test_renders_with_title_and_demo_note(june: AppTest) -> None:
    assert june.title[0].value == "濮阳市知识产权倍增监测 · 总览"
    assert "演示模式：未启用登录" in [note.value for note in june.sidebar.info]
    assert ":material/lock_open: 演示模式：未启用登录，显示全部单位的数据。" in caption_texts(june)


def test_key_points_answer_the_first_three_questions(june: AppTest) -> None:
    texts = markdown_texts(june)
    assert (
        "**万人有效发明专利拥有量** 2.45 件/万人，2025年目标：达到 ≥ 3.60 件/万人，距目标还差 1.15 件/万人（:orange[:material/warning: 落后]）" in texts
    )
    # 华龙区 5.00, 清丰县 4.29; 工业园区 has no population
    assert "**万人有效发明专利拥有量末位**：清丰县（4.29 件/万人）；河南濮阳工业园区无常住人口数据，未参与比较" in texts
    assert "**清零**：仍有 3 家规上工业企业没有有效发明专利" in texts


def test_period_picker_defaults_to_latest_month_end(june: AppTest) -> None:
    picker = june.sidebar.selectbox(key="period_end")
    assert picker.value == date(2025, 6, 30)
    assert picker.options == ["2025年06月", "2025年05月", "2024年12月", "2024年06月"]


def test_a_card_for_every_target_metric(june: AppTest) -> None:
    labels = [metric.label for metric in june.metric]
    # the two headline cards, then every metric with a target (conftest TARGETS_2025, LATER_TARGETS), catalogue order
    assert labels == [
        "有效发明专利拥有量",
        "万人有效发明专利拥有量",
        "有效发明专利年增长率",
        "万人高价值发明专利拥有量",
        "有效商标注册量",
        "海外专利、商标申请量",
        "高新技术企业数",
        "无有效发明专利的规上工业企业（“清零”对象）",
        "重点企业发明专利倍增进度",
    ]


def test_invention_per_10k_card_shows_value_target_gap_status_path_and_projection(june: AppTest) -> None:
    # 884 / 361 = 2.4488 -> 2.45; 3.6 - 2.4488 = 1.1512 -> 1.15; the path from 830/361 = 2.2992 reaches
    # 2.9496 by June, so behind; the pace since December (+0.1496 in 6 months) gives 2.5983 by December.
    assert metric_value(june, "万人有效发明专利拥有量") == "2.45 件/万人"
    texts, captions = markdown_texts(june), caption_texts(june)
    assert "2025年目标：达到 ≥ 3.60 件/万人" in texts
    assert "距目标还差 1.15 件/万人" in texts
    assert "**:orange[:material/warning: 落后]**" in texts
    assert "按线性进度本月应达 2.95 件/万人" in captions
    assert "年末预计 2.60 件/万人（:orange[:material/warning: 预计未达标]）" in captions


def test_every_status_is_shown_as_icon_and_word(june: AppTest) -> None:
    texts, captions = markdown_texts(june), caption_texts(june)
    # valid_trademarks: 42,600 against "> 43,000", ahead of the path (42,000); +1,600 in 6 months -> 44,200.
    assert metric_value(june, "有效商标注册量") == "42,600 件"
    assert "2025年目标：超过 > 43,000 件" in texts
    assert "距目标还差 400 件" in texts
    assert "**:blue[:material/trending_up: 进度正常]**" in texts
    assert "年末预计 44,200 件（:green[:material/check_circle: 预计达标]）" in captions
    # hightech_enterprises: 185 >= 180.
    assert metric_value(june, "高新技术企业数") == "185 家"
    assert "超出目标 5 家" in texts
    assert "**:green[:material/check_circle: 已达标]**" in texts
    # overseas_applications is a year-to-date count: 12 by June -> 24 for the year.
    assert "年末预计 24 件（:green[:material/check_circle: 预计达标]）" in captions
    # above_scale_zero_invention: 5 in December, 3 now -> 1 by December, still above 0.
    assert metric_value(june, "无有效发明专利的规上工业企业（“清零”对象）") == "3 家"
    assert "2025年目标：不超过 ≤ 0 家" in texts
    assert "距目标还差 3 家" in texts
    assert "年末预计 1 家（:orange[:material/warning: 预计未达标]）" in captions


def test_growth_card_and_a_later_years_target(june: AppTest) -> None:
    # 884 / 794 - 1 = 11.335%; target 15 -> 3.66 short.
    assert metric_value(june, "有效发明专利年增长率") == "11.34%"
    assert "距目标还差 3.66%" in markdown_texts(june)
    # key_enterprise_doubling_ratio has only a 2027 target: 50 / 40 = 1.25.
    assert metric_value(june, "重点企业发明专利倍增进度") == "1.25 倍"
    assert "本年度未设目标（2027年目标：达到 ≥ 2.00 倍）" in markdown_texts(june)


def test_headline_card_without_target(june: AppTest) -> None:
    assert metric_value(june, "有效发明专利拥有量") == "884 件"
    assert "未设考核目标" in markdown_texts(june)
    assert "年末预计 938 件" in caption_texts(june)  # 830 + (884 - 830) x 12/6


def test_what_it_takes_for_each_per_10k_target(june: AppTest) -> None:
    invention, high_value = [frame.set_index("地区") for frame in frames_with(june, "还需净增（件）", "现有（件）")]
    # the "still needed" columns come first after the region: they are the ones never cut
    assert list(invention.columns[:2]) == ["还需净增（件）", "每月需净增（件）"]
    # 3.6 x 361万 = 1299.6 -> 1,300 patents; 884 now -> 416 more, 70 a month over the 6 months left.
    assert invention.loc["濮阳市", ["现有（件）", "2025年末需达到（件）"]].tolist() == ["884", "1,300"]
    assert invention.loc["濮阳市", "还需净增（件）"] == "416"
    assert invention.loc["濮阳市", "每月需净增（件）"] == "70"
    # 华龙区 3.6 x 100 = 360 <= 500; 清丰县 3.6 x 70 = 252 <= 300.
    assert invention.loc["华龙区", "还需净增（件）"] == "已达到"
    assert invention.loc["清丰县", "2025年末需达到（件）"] == "252"
    assert invention.loc["河南濮阳工业园区", "还需净增（件）"] == "缺少常住人口，无法测算"
    # 1.3 x 361 = 469.3 -> 470 - 202 = 268 (45 a month); 华龙区 130 - 120 = 10; 清丰县 1.3 x 70 = 91 - 60 = 31.
    assert high_value.loc["濮阳市", ["现有（件）", "还需净增（件）"]].tolist() == ["202", "268"]
    assert high_value.loc["濮阳市", "每月需净增（件）"] == "45"
    assert high_value.loc["华龙区", "还需净增（件）"] == "10"
    assert high_value.loc["清丰县", "还需净增（件）"] == "31"


def test_drill_down_lists_the_records_behind_the_first_card(june: AppTest) -> None:
    assert "**有效发明专利拥有量**（濮阳市，2025年06月末）= **884 件** · 明细：期末有效的发明专利" in markdown_texts(june)
    assert "共 884 条，下表显示前 500 条，导出文件包含全部记录" in caption_texts(june)
    table = frame_with(june, "申请号", "归属单位")
    assert len(table) == 500
    assert not table["申请号"].str.startswith(("OUT-", "HL-PENDING-", "HL-E6-LAPSED-")).any()
    labels = [button.label for button in june.get("download_button")]
    assert ":material/download: 导出 Excel" in labels and ":material/download: 导出 CSV" in labels


def test_a_cards_button_opens_its_records(shared_env) -> None:
    with shared_env():
        app = run_page("overview")
        app.button(key="drill_button_valid_trademarks").click()
        app.run()
    assert_clean(app)
    assert "**有效商标注册量**（濮阳市，2025年06月末）= **42,600 件** · 明细：期末有效的注册商标" in markdown_texts(app)
    assert "共 42,600 条，下表显示前 500 条，导出文件包含全部记录" in caption_texts(app)
    assert not any(text.startswith(":material/warning: 明细共") for text in caption_texts(app))  # the list agrees with the number


def test_drill_down_from_the_url_for_a_unit(shared_env) -> None:
    with shared_env():
        app = run_page("overview", query={"metric": "above_scale_zero_invention", "region": "410922"})
    assert_clean(app)
    table = frame_with(app, "企业名称", "有效专利（任一类型）")
    assert sorted(table["企业名称"]) == ["丙食品有限公司", "乙装备制造有限公司"]  # 清丰县's two in June
    assert "共 2 条" in caption_texts(app)


def test_a_metric_without_record_table_says_so(shared_env) -> None:
    with shared_env():
        app = run_page("overview", query={"metric": "overseas_applications"})
    assert_clean(app)
    assert any("暂无该指标的逐条记录表" in info.value for info in app.info)


def test_changing_the_period_changes_cards_and_records(shared_env) -> None:
    with shared_env():
        app = pick_period(run_page("overview"), date(2025, 5, 31))
    assert_clean(app)
    assert metric_value(app, "万人有效发明专利拥有量") == "2.41 件/万人"  # 870 / 361 = 2.4100
    assert metric_value(app, "有效发明专利拥有量") == "870 件"
    assert "数据期：2025年05月末 · 濮阳市全域，全部产业" in caption_texts(app)
    assert "共 870 条，下表显示前 500 条，导出文件包含全部记录" in caption_texts(app)


def test_period_before_the_first_target_year_shows_the_next_target(shared_env) -> None:
    with shared_env():
        app = pick_period(run_page("overview"), date(2024, 12, 31))
    assert metric_value(app, "万人有效发明专利拥有量") == "2.30 件/万人"  # 830 / 361 = 2.2992
    assert "本年度未设目标（2025年目标：达到 ≥ 3.60 件/万人）" in markdown_texts(app)
    assert "年末预计 2.30 件/万人" in caption_texts(app)  # December is the year's own value


def test_unit_table_lists_units_unattributed_and_city_with_population(june: AppTest) -> None:
    table = frame_with(june, "地区", "人口口径与说明")
    rows = {row["地区"]: row for _, row in table.iterrows()}
    assert list(rows) == ["华龙区", "清丰县", "河南濮阳工业园区", "未归属", "濮阳市"]
    assert rows["华龙区"]["有效发明专利（件）"] == "500"
    assert rows["华龙区"]["万人有效发明（件/万人）"] == "5.00"  # 500 / 100
    assert rows["清丰县"]["万人有效发明（件/万人）"] == "4.29"  # 300 / 70 = 4.2857
    assert rows["清丰县"]["常住人口（万人）"] == "70.00"
    assert rows["清丰县"]["人口口径与说明"] == "2024年 年末常住人口"
    assert rows["河南濮阳工业园区"]["万人有效发明（件/万人）"] == "—"
    assert rows["河南濮阳工业园区"]["人口口径与说明"] == "功能区无常住人口统计"
    assert rows["未归属"]["有效发明专利（件）"] == "14"
    assert rows["濮阳市"]["有效发明专利（件）"] == "884"
    captions = caption_texts(june)
    assert "万人指标所用人口：濮阳市 2024年「年末常住人口」361.00万人" in captions
    assert ":material/warning: 缺少常住人口，万人指标不计算：河南濮阳工业园区（原因见表中“人口口径与说明”列）" in captions


def test_freshness_line_and_file_list(june: AppTest) -> None:
    freshness = [text for text in caption_texts(june) if text.startswith("数据更新")]
    # The log has 4 records for 3 files; the older file's latest record is 'unchanged'.
    assert freshness == [
        "数据更新：最近加载 2025-07-02 08:31；来源文件 3 个（已加载 1 个，未变化 1 个，被拒绝 1 个）。"
        "数仓构建于 2025-07-02 08:35，数据期 2024年06月 至 2025年06月。"
    ]
    files = frame_with(june, "文件", "状态")
    assert list(files["状态"]) == ["未变化", "已加载", "被拒绝"]
    assert list(files["读取行数"]) == ["1,000", "1,200", "0"]
    assert files.iloc[2]["说明"] == "缺少关键列：注册号"


def chart_labels(app: AppTest) -> set[str]:
    """Every value of a 'label' column in the data of the page's charts."""
    labels: set[str] = set()
    for chart in app.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            table = pa.ipc.open_stream(dataset.data.data).read_all()
            if "label" in table.column_names:
                labels.update(table.column("label").to_pylist())
    return labels


def test_trend_chart_draws_a_labelled_rule_per_target_year(june: AppTest) -> None:
    assert {"2025年目标 达到 ≥ 3.60", "2026年目标 达到 ≥ 3.80", "2027年目标 达到 ≥ 3.90"} <= chart_labels(june)


def test_missing_warehouse_shows_the_chinese_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPWH_WAREHOUSE", str(tmp_path / "not_built_yet.duckdb"))
    monkeypatch.setenv("IPWH_AUTH_CONFIG", str(tmp_path / "no_auth.yaml"))
    app = run_page("overview")
    assert_clean(app)
    assert [warning.value for warning in app.warning] == ["尚未发布数仓：请先运行 ipwh build"]
    assert not app.metric


def test_a_warehouse_without_the_marts_shows_the_rebuild_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    monkeypatch.setenv("IPWH_WAREHOUSE", str(empty))
    monkeypatch.setenv("IPWH_AUTH_CONFIG", str(tmp_path / "no_auth.yaml"))
    app = run_page("overview")
    assert_clean(app)
    assert [warning.value for warning in app.warning] == ["数仓缺少页面所需的表或字段：请用当前版本重新运行 ipwh build"]


def test_a_newly_published_file_replaces_the_cached_values(republish: Callable[..., Path]) -> None:
    app = run_page("overview")
    assert metric_value(app, "万人有效发明专利拥有量") == "2.45 件/万人"
    republish(city_june_inventions=942)  # 942 / 361 = 2.6094
    app.run()
    assert_clean(app)
    assert metric_value(app, "万人有效发明专利拥有量") == "2.61 件/万人"
    assert metric_value(app, "有效发明专利拥有量") == "942 件"
