"""dashboards.data: short read-only opens, the cache keyed by the published file, lock retries."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

import duckdb
import pytest

from dashboards import data

HOLD_WRITE_LOCK = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.close()
"""


def city_june_inventions(warehouse_path: Path) -> float:
    frame = data.metric_values_at(data.published_warehouse(warehouse_path), date(2025, 6, 30), ["valid_invention_patents"])
    return float(frame.loc[frame["region_code"] == "410900", "value"].iloc[0])


@pytest.fixture
def count_opens(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the DuckDB connections the data layer opens (in-memory, with the file attached)."""
    opened: list[int] = []
    real_connect = duckdb.connect

    def counting_connect(database: str = ":memory:", *args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        if database == ":memory:":
            opened.append(1)
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(data.duckdb, "connect", counting_connect)
    return opened


@pytest.fixture
def write_lock_holder(warehouse: Path) -> Iterator[Callable[[float], subprocess.Popen]]:
    """Starts another process that holds a read-write connection to the warehouse for some seconds."""
    started: list[subprocess.Popen] = []

    def hold(seconds: float) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-c", HOLD_WRITE_LOCK, str(warehouse), str(seconds)],
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        assert process.stdout.readline().strip() == "locked"
        return process

    yield hold
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_missing_file_raises_with_the_chinese_message(tmp_path: Path) -> None:
    with pytest.raises(data.WarehouseMissing) as raised:
        data.published_warehouse(tmp_path / "absent.duckdb")
    assert raised.value.user_message == "尚未发布数仓：请先运行 ipwh build"


def test_path_comes_from_ipwh_warehouse(warehouse: Path) -> None:
    assert data.published_warehouse().path == str(warehouse)


def test_periods_are_the_month_ends_with_values(warehouse: Path) -> None:
    assert data.periods(data.published_warehouse()) == [date(2024, 6, 30), date(2024, 12, 31), date(2025, 5, 31), date(2025, 6, 30)]


def test_unchanged_file_is_read_once(warehouse: Path, count_opens: list[int]) -> None:
    current = data.published_warehouse()
    data.periods(current)
    data.periods(data.published_warehouse())
    assert len(count_opens) == 1


def test_republished_file_is_read_again(warehouse: Path, republish: Callable[..., Path], count_opens: list[int]) -> None:
    assert city_june_inventions(warehouse) == 884
    republish(city_june_inventions=942)
    assert city_june_inventions(warehouse) == 942
    assert len(count_opens) == 2


def test_a_connection_held_elsewhere_in_the_process_does_not_pin_the_old_file(
    warehouse: Path, republish: Callable[..., Path]
) -> None:
    # DuckDB reuses an open database instance for the same path: connect(path) would still read the
    # replaced file while this connection lives.
    held = duckdb.connect(str(warehouse), read_only=True)
    try:
        republish(city_june_inventions=942)
        assert city_june_inventions(warehouse) == 942
    finally:
        held.close()


def test_no_connection_is_left_open(warehouse: Path, republish: Callable[..., Path]) -> None:
    city_june_inventions(warehouse)
    # A read-write open in this process fails while any connection to the file is still open here.
    duckdb.connect(str(warehouse)).close()


def test_a_page_run_opens_the_file_once_and_closes_it_at_the_end(warehouse: Path, count_opens: list[int]) -> None:
    current = data.published_warehouse()
    with data.reading_session():
        data.query_uncached(current, "select count(*) from marts.metric_values")
        data.query_uncached(current, "select count(*) from marts.regions")
        data.periods(current)
        assert len(count_opens) == 1
        # while the run lasts, its connection holds the file: a read-write open here fails
        with pytest.raises(duckdb.Error):
            duckdb.connect(str(warehouse)).close()
    duckdb.connect(str(warehouse)).close()  # the run is over: nothing holds the file


def test_without_a_page_run_every_read_opens_and_closes(warehouse: Path, count_opens: list[int]) -> None:
    current = data.published_warehouse()
    data.query_uncached(current, "select count(*) from marts.metric_values")
    data.query_uncached(current, "select count(*) from marts.regions")
    assert len(count_opens) == 2
    duckdb.connect(str(warehouse)).close()


def test_a_page_run_reads_the_version_it_was_given_and_a_new_one_after_a_republish(
    warehouse: Path, republish: Callable[..., Path], count_opens: list[int]
) -> None:
    with data.reading_session():
        assert city_june_inventions(warehouse) == 884
        republish(city_june_inventions=942)
        assert city_june_inventions(warehouse) == 942  # a new version of the file: its own connection
        assert len(count_opens) == 2
    duckdb.connect(str(warehouse)).close()


def test_sessions_nest_and_each_closes_its_own(warehouse: Path, count_opens: list[int]) -> None:
    current = data.published_warehouse()
    with data.reading_session():
        data.query_uncached(current, "select 1")
        with data.reading_session():
            data.query_uncached(current, "select 2")
        with pytest.raises(duckdb.Error):  # the outer run's connection is still open
            duckdb.connect(str(warehouse)).close()
        data.query_uncached(current, "select 3")
    assert len(count_opens) == 2
    duckdb.connect(str(warehouse)).close()


def test_a_file_replaced_after_it_was_identified_is_reported(warehouse: Path) -> None:
    current = data.published_warehouse()
    outdated = data.Warehouse(current.path, current.mtime_ns - 1, current.size, current.inode)
    with pytest.raises(data.WarehouseReplaced):
        data.periods(outdated)


def test_missing_tables_give_the_rebuild_message(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(data.WarehouseError) as raised:
        data.periods(data.published_warehouse(empty))
    assert raised.value.user_message == data.INCOMPLETE_WAREHOUSE_MESSAGE


def test_a_short_lock_elsewhere_is_waited_out(
    warehouse: Path,
    write_lock_holder: Callable[[float], subprocess.Popen],
    count_opens: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(data, "RETRY_DELAYS_S", (0.3, 0.6, 1.2, 2.4))
    write_lock_holder(0.3)
    assert city_june_inventions(warehouse) == 884
    assert len(count_opens) >= 2  # the first open met the lock


def test_a_lock_that_stays_gives_the_busy_message(
    warehouse: Path, write_lock_holder: Callable[[float], subprocess.Popen], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data, "RETRY_DELAYS_S", (0.01, 0.01))
    write_lock_holder(30)
    with pytest.raises(data.WarehouseError) as raised:
        data.periods(data.published_warehouse())
    assert raised.value.user_message == "数仓文件暂时无法读取（可能正被其他程序占用），请稍后刷新页面"


def test_fixture_facts_add_up(shared_warehouse: Path) -> None:
    """The hand-made fact tables agree with the hand-made metric tables (conftest COUNTS)."""
    from conftest import COUNTS, PERIODS

    con = duckdb.connect(str(shared_warehouse), read_only=True)
    try:
        for index, period in enumerate(PERIODS):
            patents = dict(con.execute(
                "select region_code, count(*) from marts.patent_facts where is_invention and valid_from <= ? "
                "and (valid_until is null or valid_until > ?) and region_code is not null group by all",
                [period, period]).fetchall())
            trademarks = dict(con.execute(
                "select region_code, count(*) from marts.trademark_facts where valid_from <= ? "
                "and (valid_until is null or valid_until > ?) group by all", [period, period]).fetchall())
            for region, count in patents.items():
                assert count == COUNTS["valid_invention_patents"][region][index], (period, region)
            for region, count in trademarks.items():
                assert count == COUNTS["valid_trademarks"][region][index], (period, region)
    finally:
        con.close()


def test_bind_turns_names_into_positions() -> None:
    sql, params = data.bind("select :a, x::date, :b, :a", a=1, b="two")
    assert sql == "select ?, x::date, ?, ?"
    assert params == (1, "two", 1)
