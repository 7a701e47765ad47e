"""The one build entry point: the periods `ipwh build` offers, and the run config every launcher uses."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestration.build import build_run_config, requested_window
from orchestration.partitions import PeriodWindowError, check_window, offered_periods

D = dt.date


def test_the_periods_offered_run_from_the_data_or_the_configured_start_to_the_current_month():
    today = D(2026, 12, 7)
    assert offered_periods(D(2003, 10, 31), None, today) == (D(2003, 10, 1), D(2026, 12, 1))
    assert offered_periods(D(2003, 10, 31), "2015-01", today) == (D(2015, 1, 1), D(2026, 12, 1))
    assert offered_periods(None, None, today) == (None, D(2026, 12, 1))
    offered = offered_periods(D(2003, 10, 31), None, today)
    check_window(D(2003, 10, 1), D(2026, 12, 1), offered)  # the whole span is fine
    with pytest.raises(PeriodWindowError, match="period 2027-01 is after the current month: the periods are 2003-10..2026-12"):
        check_window(D(2026, 12, 1), D(2027, 1, 1), offered)
    with pytest.raises(PeriodWindowError, match="period 2003-09 is before the first period"):
        check_window(D(2003, 9, 1), D(2003, 12, 1), offered)


def test_a_requested_window_is_read_from_the_options():
    assert requested_window(None, None, None) is None
    assert requested_window("2021-4", None, None) == ("2021-04", "2021-04")
    assert requested_window(None, "2023-01", "2023-12") == ("2023-01", "2023-12")
    for bad in [("2021-04", "2021-01", None), (None, "2023-01", None), (None, "2023-12", "2023-01"), ("April", None, None)]:
        with pytest.raises(ValueError):
            requested_window(*bad)


def test_every_launcher_sends_the_window_as_the_period_marts_config():
    assert build_run_config() == {"ops": {"dbt_models": {"config": {"first_period": "", "last_period": ""}}}}
    assert build_run_config(("2023-01", "2023-12"))["ops"]["dbt_models"]["config"] == {
        "first_period": "2023-01", "last_period": "2023-12"}


def test_ipwh_build_refuses_a_period_after_the_current_month_before_starting_a_run(capsys):
    from orchestration.cli import main

    next_year = dt.date.today().year + 1
    assert main(["build", "--period", f"{next_year}-01"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"ipwh build: failed: period {next_year}-01 is after the current month: the periods are up to "
                   f"{dt.date.today():%Y-%m}"]
