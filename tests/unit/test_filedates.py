"""As-of dates from export file names (contract.md: the latest date in the name wins)."""

import datetime as dt
import os

import pytest

from orchestration.sources.filedates import date_from_name, file_as_of


@pytest.mark.parametrize(
    "name,expected",
    [
        ("patents_20250712.csv", dt.date(2025, 7, 12)),
        ("patents_2025-07-12.csv", dt.date(2025, 7, 12)),
        ("patents_2025-06.csv", dt.date(2025, 6, 30)),
        ("专利导出_2025年6月.csv", dt.date(2025, 6, 30)),
        ("专利导出_2024年2月.xlsx", dt.date(2024, 2, 29)),
        ("专利导出_2025年6月3日.csv", dt.date(2025, 6, 3)),
        ("patents_2025Q2.csv", dt.date(2025, 6, 30)),
        ("patents_2025q4.csv", dt.date(2025, 12, 31)),
        ("高新技术企业名单_2022.xlsx", dt.date(2022, 12, 31)),
        ("rosters 2023 to 20240115.csv", dt.date(2024, 1, 15)),
        ("2021年度规上企业.csv", dt.date(2021, 12, 31)),
    ],
)
def test_dates_in_names(name, expected):
    assert date_from_name(name) == expected


@pytest.mark.parametrize("name", ["export_v2025a.csv", "GR2025list.csv", "patents.csv", "batch_12345.csv"])
def test_a_year_inside_a_longer_token_is_not_a_date(name):
    assert date_from_name(name) is None


def test_without_a_date_the_modification_time_is_used(tmp_path):
    path = tmp_path / "patents.csv"
    path.write_text("x")
    stamp = dt.datetime(2024, 3, 5, 12, 0).timestamp()
    os.utime(path, (stamp, stamp))
    assert file_as_of(path) == (dt.date(2024, 3, 5), "mtime")
