"""Year-end projections and "what it takes" (dashboards.analysis), worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards.analysis import meets, project_year_end, required_count, what_it_takes
from orchestration.exports import parse_period, rank_change_text, same_month_last_year


def test_stock_projection_continues_the_pace_since_last_year_end() -> None:
    # 830 in December, 884 in June: +54 in 6 months -> +108 in 12 -> 938
    assert project_year_end(884, 830, date(2025, 6, 30), "stock").value == pytest.approx(938)


def test_flow_projection_scales_the_year_to_date() -> None:
    assert project_year_end(12, None, date(2025, 6, 30), "flow").value == pytest.approx(24)
    assert project_year_end(9, None, date(2025, 5, 31), "flow").value == pytest.approx(21.6)


def test_no_projection_without_a_starting_point_and_none_needed_in_december() -> None:
    assert project_year_end(2.45, None, date(2025, 6, 30), "ratio") is None
    assert project_year_end(None, 2.3, date(2025, 6, 30), "ratio") is None
    assert project_year_end(2.3, 2.1, date(2024, 12, 31), "ratio").value == 2.3


@pytest.mark.parametrize(
    ("target", "comparator", "population", "expected"),
    [(3.6, ">=", 361, 1300), (1.3, ">=", 100, 130), (1.3, ">", 100, 131), (3.6, ">=", 70, 252), (2.45, ">", 361, 885)],
)
def test_required_count(target: float, comparator: str, population: float, expected: int) -> None:
    # 3.6 x 361 = 1299.6 -> 1300; 1.3 x 100 = 130 exactly (not 131 from float noise) unless it must be exceeded
    assert required_count(target, comparator, population) == expected


def test_what_it_takes() -> None:
    need = what_it_takes(884, 361, 3.6, ">=", date(2025, 6, 30), 2025)
    assert (need.required, need.more_needed, need.months_left, need.per_month) == (1300, 416, 6, 70)
    reached = what_it_takes(500, 100, 3.6, ">=", date(2025, 6, 30), 2025)
    assert (reached.more_needed, reached.per_month) == (0, None)
    later = what_it_takes(884, 361, 3.8, ">=", date(2025, 6, 30), 2026)  # 1371.8 -> 1372, 18 months
    assert (later.more_needed, later.months_left, later.per_month) == (488, 18, 28)
    assert what_it_takes(70, None, 3.6, ">=", date(2025, 6, 30), 2025) is None


def test_meets() -> None:
    assert meets(43000, ">=", 43000) and not meets(43000, ">", 43000) and meets(0, "<=", 0) and not meets(1, "<=", 0)


def test_periods_and_rank_moves() -> None:
    assert parse_period("2025-06") == date(2025, 6, 30)
    assert parse_period("2024-02") == date(2024, 2, 29)
    assert same_month_last_year(date(2024, 2, 29)) == date(2023, 2, 28)
    assert [rank_change_text(1, 3), rank_change_text(3, 1), rank_change_text(2, 2), rank_change_text(2, None)] == ["↑2", "↓2", "持平", "—"]
