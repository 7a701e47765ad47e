"""The overview page, run through Streamlit's AppTest against the hand-made warehouse (conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

import duckdb
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


def run_app() -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=30)
    return app.run()


def metric_value(app: AppTest, label: str) -> str:
    values = [metric.value for metric in app.metric if metric.label == label]
    assert len(values) == 1, f"expected one card {label!r}, got {[m.label for m in app.metric]}"
    return values[0]


def markdown_texts(app: AppTest) -> list[str]:
    return [block.value for block in app.markdown]


def caption_texts(app: AppTest) -> list[str]:
    return [caption.value for caption in app.caption]


def pick_period(app: AppTest, period_end: date) -> AppTest:
    app.sidebar.selectbox(key="period_end").set_value(period_end)
    return app.run()


def test_no_pages_folder_beside_the_entry_point() -> None:
    # A pages/ folder beside app.py puts Streamlit in its legacy multipage mode: AppTest reruns then
    # land on the file in pages/ and the period picker loses its value between runs.
    assert not (APP.parent / "pages").exists()


def test_renders_without_exception(warehouse: Path) -> None:
    app = run_app()
    assert not app.exception
    assert app.title[0].value == "濮阳市知识产权倍增监测 · 总览"
    assert "演示模式：未启用登录" in [note.value for note in app.sidebar.info]


def test_period_picker_defaults_to_latest_month_end(warehouse: Path) -> None:
    app = run_app()
    picker = app.sidebar.selectbox(key="period_end")
    assert picker.value == date(2025, 6, 30)
    assert picker.options == ["2025年06月", "2025年05月", "2024年12月"]


def test_invention_per_10k_card_shows_value_target_gap_and_status(warehouse: Path) -> None:
    app = run_app()
    # 884 / 361 = 2.4488 -> 2.45; 3.6 - 2.4488 = 1.1512 -> 1.15; behind the linear path (2.95 by June).
    assert metric_value(app, "万人有效发明专利拥有量") == "2.45 件/万人"
    texts = markdown_texts(app)
    assert "2025年目标：达到 ≥ 3.60 件/万人" in texts
    assert "距目标还差 1.15 件/万人" in texts
    assert "**⚠️ 落后**" in texts


def test_headline_card_without_target(warehouse: Path) -> None:
    app = run_app()
    assert metric_value(app, "有效发明专利拥有量") == "884 件"
    assert "未设考核目标" in markdown_texts(app)


def test_every_status_is_shown_as_icon_and_word(warehouse: Path) -> None:
    app = run_app()
    texts = markdown_texts(app)
    # valid_trademarks: 42,600 against "> 43,000", 400 short, ahead of the path (42,000 by June).
    assert metric_value(app, "有效商标注册量") == "42,600 件"
    assert "2025年目标：超过 > 43,000 件" in texts
    assert "距目标还差 400 件" in texts
    assert "**➡️ 进度正常**" in texts
    # above_scale_zero_invention: 0 against "<= 0".
    assert metric_value(app, "无有效发明专利的规上工业企业") == "0 家"
    assert "2025年目标：不超过 ≤ 0 家" in texts
    assert "恰好达到目标" in texts
    assert "**✅ 已达标**" in texts
    # high_value_per_10k: no value.
    assert metric_value(app, "万人高价值发明专利拥有量") == "—"
    assert "**⏺ 无数据**" in texts


def test_changing_the_period_changes_the_card(warehouse: Path) -> None:
    app = run_app()
    app = pick_period(app, date(2025, 5, 31))
    assert not app.exception
    assert metric_value(app, "万人有效发明专利拥有量") == "2.41 件/万人"  # 870 / 361 = 2.4100
    assert metric_value(app, "有效发明专利拥有量") == "870 件"
    assert "数据期：2025年05月末 · 濮阳市全域，全部产业" in caption_texts(app)


def test_period_before_the_first_target_year_shows_the_next_target(warehouse: Path) -> None:
    app = pick_period(run_app(), date(2024, 12, 31))
    assert metric_value(app, "万人有效发明专利拥有量") == "2.30 件/万人"  # 830 / 361 = 2.2992
    assert "本年度未设目标（2025年目标：达到 ≥ 3.60 件/万人）" in markdown_texts(app)


def test_unit_table_lists_units_unattributed_and_city_with_population(warehouse: Path) -> None:
    app = run_app()
    table = app.dataframe[0].value
    rows = {row["地区"]: row for _, row in table.iterrows()}
    assert list(rows) == ["华龙区", "清丰县", "河南濮阳工业园区", "未归属", "濮阳市"]
    assert rows["华龙区"]["有效发明专利拥有量（件）"] == "500"
    assert rows["华龙区"]["万人有效发明专利拥有量（件/万人）"] == "5.00"  # 500 / 100
    assert rows["清丰县"]["万人有效发明专利拥有量（件/万人）"] == "4.29"  # 300 / 70 = 4.2857
    assert rows["清丰县"]["常住人口（万人）"] == "70.00"
    assert rows["清丰县"]["人口口径"] == "年末常住人口"
    assert rows["清丰县"]["人口年份"] == "2024年"
    assert rows["河南濮阳工业园区"]["万人有效发明专利拥有量（件/万人）"] == "—"
    assert rows["河南濮阳工业园区"]["说明"] == "功能区无常住人口统计"
    assert rows["未归属"]["有效发明专利拥有量（件）"] == "14"
    assert rows["濮阳市"]["有效发明专利拥有量（件）"] == "884"
    assert rows["濮阳市"]["常住人口（万人）"] == "361.00"
    captions = caption_texts(app)
    assert "万人指标所用人口：濮阳市 2024年「年末常住人口」361.00万人" in captions
    assert "⚠️ 缺少常住人口，万人指标不计算：河南濮阳工业园区（原因见表中“说明”列）" in captions


def test_freshness_line_and_file_list(warehouse: Path) -> None:
    app = run_app()
    freshness = [text for text in caption_texts(app) if text.startswith("数据更新")]
    # The log has 4 records for 3 files; the older file's latest record is 'unchanged'.
    assert freshness == [
        "数据更新：最近加载 2025-07-02 08:31；来源文件 3 个（已加载 1 个，未变化 1 个，被拒绝 1 个）。"
        "数仓构建于 2025-07-02 08:35，数据期 2024年12月 至 2025年06月。"
    ]
    files = app.dataframe[1].value
    assert list(files["状态"]) == ["未变化", "已加载", "被拒绝"]
    assert list(files["读取行数"]) == ["1,000", "1,200", "0"]
    assert files.iloc[2]["说明"] == "缺少关键列：注册号"


def test_missing_warehouse_shows_the_chinese_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPWH_WAREHOUSE", str(tmp_path / "not_built_yet.duckdb"))
    app = run_app()
    assert not app.exception
    assert [warning.value for warning in app.warning] == ["尚未发布数仓：请先运行 ipwh build"]
    assert not app.metric


def test_a_warehouse_without_the_marts_shows_the_rebuild_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    monkeypatch.setenv("IPWH_WAREHOUSE", str(empty))
    app = run_app()
    assert not app.exception
    assert [warning.value for warning in app.warning] == ["数仓缺少页面所需的表或字段：请用当前版本重新运行 ipwh build"]


def test_a_newly_published_file_replaces_the_cached_values(republish: Callable[..., Path]) -> None:
    app = run_app()
    assert metric_value(app, "万人有效发明专利拥有量") == "2.45 件/万人"
    republish(city_june_inventions=942)  # 942 / 361 = 2.6094
    app.run()
    assert not app.exception
    assert metric_value(app, "万人有效发明专利拥有量") == "2.61 件/万人"
    assert metric_value(app, "有效发明专利拥有量") == "942 件"


def chart_labels(app: AppTest) -> set[str]:
    """Every value of a 'label' column in the data of the page's charts."""
    labels: set[str] = set()
    for chart in app.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            table = pa.ipc.open_stream(dataset.data.data).read_all()
            if "label" in table.column_names:
                labels.update(table.column("label").to_pylist())
    return labels


def test_trend_chart_draws_a_labelled_rule_per_target_year(warehouse: Path) -> None:
    labels = chart_labels(run_app())
    assert {"2025年目标 达到 ≥ 3.60", "2026年目标 达到 ≥ 3.80", "2027年目标 达到 ≥ 3.90"} <= labels
