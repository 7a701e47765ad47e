"""How the monthly 通报 words numbers, and the waterfall the 变动分析 view draws."""

from __future__ import annotations

import math

import pandas as pd

from dashboards.components.changes import waterfall_frame
from orchestration.reports.content import NO_DATA, fmt_number, with_unit


def test_a_missing_number_is_worded_never_nan_or_none():
    assert fmt_number(None) == NO_DATA
    assert fmt_number(math.nan, "件") == NO_DATA
    assert fmt_number(pd.NA, "%") == NO_DATA
    assert with_unit(None, "件/万人") == NO_DATA


def test_counts_are_whole_and_rates_have_two_decimals():
    assert with_unit(43000.0, "件") == "43,000件"
    assert with_unit(3.6, "件/万人") == "3.60件/万人"
    assert with_unit(80, "%") == "80.00%"
    assert fmt_number(2.0, "件", signed=True) == "+2"
    assert fmt_number(-0.0001, "件/万人") == "0.00"  # no "-0.00"


def test_waterfall_bars_walk_from_the_start_to_the_end():
    parts = pd.DataFrame({
        "start_value": [6.0] * 3, "end_value": [8.0] * 3,
        "part_code": ["grant", "lapse_unpaid_fee", "lapse_invalidated"],
        "part_name": ["新授权", "因未缴年费失效", "被宣告无效"],
        "value": [4.0, -1.0, -1.0],
    })
    frame = waterfall_frame(parts, "上年末", "6月末")
    assert list(frame["label"]) == ["上年末", "新授权", "因未缴年费失效", "被宣告无效", "6月末"]
    assert list(zip(frame["low"], frame["high"])) == [(0, 6), (6, 10), (9, 10), (8, 9), (0, 8)]
    assert list(frame["kind"]) == ["期初/期末", "增加", "减少", "减少", "期初/期末"]
