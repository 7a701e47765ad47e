"""Formatting and KPI wording, which every page shares."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards.components.format import format_number, format_quantity, period_label, status_label
from dashboards.components.kpi import TargetStatus, gap_text, target_text


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (43000, "件", "43,000"),
        (1234567.0, "家", "1,234,567"),
        (2.44875, "件/万人", "2.45"),
        (12345.678, "万元", "12,345.68"),
        (None, "件", "—"),
        (float("nan"), "%", "—"),
    ],
)
def test_format_number(value: float | None, unit: str, expected: str) -> None:
    assert format_number(value, unit) == expected


def test_units_follow_the_number() -> None:
    assert format_quantity(2.45, "件/万人") == "2.45 件/万人"
    assert format_quantity(15, "%") == "15.00%"
    assert format_quantity(None, "件") == "—"


def test_period_label() -> None:
    assert period_label(date(2025, 6, 30)) == "2025年06月"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("met", ":green[:material/check_circle: 已达标]"),
        ("on_track", ":blue[:material/trending_up: 进度正常]"),
        ("behind", ":orange[:material/warning: 落后]"),
        ("no_data", ":gray[:material/remove: 无数据]"),
        (None, ":gray[:material/remove: 无数据]"),
    ],
)
def test_status_is_icon_and_word(status: str | None, expected: str) -> None:
    assert status_label(status) == expected


def target(comparator: str, value: float, actual: float | None, gap: float | None = None) -> TargetStatus:
    return TargetStatus(year=2025, comparator=comparator, target=value, actual=actual, gap=gap, status="behind")


def test_target_line_names_the_comparator() -> None:
    assert target_text(target(">=", 3.6, 2.45), "件/万人") == "2025年目标：达到 ≥ 3.60 件/万人"
    assert target_text(target(">", 43000, 42600), "件") == "2025年目标：超过 > 43,000 件"
    assert target_text(target("<=", 0, 3), "家") == "2025年目标：不超过 ≤ 0 家"


@pytest.mark.parametrize(
    ("comparator", "goal", "actual", "gap", "unit", "expected"),
    [
        (">=", 3.6, 2.45, -1.15, "件/万人", "距目标还差 1.15 件/万人"),
        (">=", 3.6, 2.45, 1.15, "件/万人", "距目标还差 1.15 件/万人"),  # either sign convention of gap
        (">=", 3.6, 4.0, None, "件/万人", "超出目标 0.40 件/万人"),
        (">=", 3.6, 3.6, 0.0, "件/万人", "恰好达到目标"),
        (">", 43000, 43000, 0.0, "件", "与目标持平，须超过目标"),
        ("<=", 0, 3, 3.0, "家", "距目标还差 3 家"),
        ("<=", 5, 2, None, "家", "低于上限 3 家"),
        (">=", 1.3, None, None, "件/万人", "差距：—"),
    ],
)
def test_gap_in_words(comparator: str, goal: float, actual: float | None, gap: float | None, unit: str, expected: str) -> None:
    assert gap_text(target(comparator, goal, actual, gap), unit) == expected


def test_a_card_after_its_last_target_year_names_that_target() -> None:
    from streamlit.testing.v1 import AppTest

    def card_app() -> None:
        from dashboards.components.kpi import KpiCard, TargetStatus, kpi_card

        last = TargetStatus(year=2025, comparator=">=", target=180.0, actual=185.0, gap=-5.0, status="met")
        kpi_card(KpiCard("hightech_enterprises", "高新技术企业数", "家", 155.0, last_target=last))

    app = AppTest.from_function(card_app).run()
    # the name as wrapping text above the value (a metric's own label is cut to one line)
    assert [block.value for block in app.markdown] == ["**高新技术企业数**", "本年度未设目标（上一目标 2025年目标：达到 ≥ 180 家）"]
    assert app.metric[0].value == "155 家"


def test_the_linear_path_of_a_count_is_a_whole_number() -> None:
    from dashboards.components.kpi import KpiCard, TargetStatus, path_text

    status = TargetStatus(2026, ">", 45000.0, 45902.0, -902.0, "met", expected_by_now=44724.67)
    assert path_text(KpiCard("valid_trademarks", "有效商标注册量", "件", 45902.0, target=status)) == "按线性进度本月应达 44,725 件"
    share = TargetStatus(2026, ">=", 15.0, 13.08, 1.92, "behind", expected_by_now=13.775)
    assert path_text(KpiCard("g", "增长率", "%", 13.08, target=share)) == "按线性进度本月应达 13.78%"
