"""When the work warehouse may be published (orchestration/build_state.py), on hand-written step
records: each rule refuses exactly the case it names."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from orchestration.build_state import (
    ALL_PERIODS, CORE, PERIODS, built_windows, check_step, ingest_step, mark_base, publish_blockers,
    step_finished, step_started, steps_since_publish,
)

D = dt.date
JAN, FEB = (D(2021, 1, 31), D(2021, 1, 31)), (D(2021, 2, 28), D(2021, 2, 28))


@pytest.fixture
def con():
    con = duckdb.connect(":memory:")
    yield con
    con.close()


def done(con, run, step, window=None, outcome="done"):
    step_finished(con, step_started(con, run, step, window), outcome)


def blockers(con):
    return publish_blockers(steps_since_publish(con))


def whole_build(con, run):
    done(con, run, ingest_step("patents"), outcome="changed")
    done(con, run, check_step("patents"), outcome="passed")
    done(con, run, CORE)
    done(con, run, PERIODS, ALL_PERIODS)


def test_a_whole_build_may_be_published(con):
    mark_base(con, "r1")
    whole_build(con, "r1")
    assert blockers(con) == []


def test_loaded_data_not_yet_transformed_is_not_published(con):
    mark_base(con, "r1")
    done(con, "r1", ingest_step("patents"), outcome="changed")
    done(con, "r1", check_step("patents"), outcome="passed")
    [problem] = blockers(con)
    assert "raw.patents was loaded by run r1" in problem and "the dbt models have not been rebuilt since" in problem
    # an ingestion that found nothing new leaves nothing to transform
    con2 = duckdb.connect(":memory:")
    done(con2, "r1", ingest_step("patents"), outcome="unchanged")
    assert blockers(con2) == []


def test_a_failed_core_step_blocks_until_it_succeeds_and_a_reexecution_resumes(con):
    mark_base(con, "A")
    done(con, "A", ingest_step("patents"), outcome="changed")
    done(con, "A", check_step("patents"), outcome="passed")
    step_started(con, "A", CORE)  # failed: never finished
    assert any("the period-free dbt models failed (run A" in p for p in blockers(con))
    # re-execution from failure: the ingestion is not repeated, its data is in the work warehouse
    done(con, "B", CORE)
    done(con, "B", PERIODS, ALL_PERIODS)
    assert blockers(con) == []


def test_a_failed_blocking_check_blocks_a_publish_in_a_later_run(con):
    mark_base(con, "r1")
    whole_build(con, "r1")
    done(con, "r2", ingest_step("patents"), outcome="changed")
    done(con, "r2", check_step("patents"), outcome="failed")
    done(con, "r3", CORE)
    done(con, "r3", PERIODS, ALL_PERIODS)
    assert any("the blocking check of raw.patents failed" in p for p in blockers(con))


def test_changed_data_whose_check_did_not_run_is_not_published(con):
    mark_base(con, "r1")
    done(con, "r1", ingest_step("patents"), outcome="changed")
    done(con, "r1", CORE)
    done(con, "r1", PERIODS, ALL_PERIODS)
    assert blockers(con) == ["raw.patents changed (run r1) and its blocking check has not run since"]


def test_core_rebuilt_without_the_period_marts_is_not_published(con):
    mark_base(con, "r1")
    done(con, "r1", CORE)
    assert any("the period marts have not been rebuilt since" in p for p in blockers(con))


def test_a_failed_period_window_blocks_until_a_window_covering_it_succeeds(con):
    mark_base(con, "r1")
    step_started(con, "r1", PERIODS, (JAN[0], FEB[1]))
    done(con, "r2", PERIODS, JAN)
    assert any("the period marts for 2021-01..2021-02 failed" in p for p in blockers(con))
    done(con, "r3", PERIODS, ALL_PERIODS)
    assert blockers(con) == []


def test_the_periods_published_are_every_window_built_since_the_copy(con):
    done(con, "old", PERIODS, ALL_PERIODS)  # published before: not part of the unpublished work
    mark_base(con, "r1")
    done(con, "r1", PERIODS, JAN)
    step_started(con, "r2", PERIODS, FEB)  # failed
    done(con, "r3", PERIODS, FEB)
    assert built_windows(steps_since_publish(con)) == [(*JAN, "r1"), (*FEB, "r3")]


def test_a_subset_of_the_models_does_not_count_as_rebuilding_them(con):
    from orchestration.build_state import PARTIAL

    mark_base(con, "r1")
    done(con, "r1", ingest_step("patents"), outcome="changed")
    done(con, "r1", check_step("patents"), outcome="passed")
    done(con, "r2", CORE, outcome=PARTIAL)  # e.g. stg_patents alone, from its asset page
    assert any("raw.patents was loaded by run r1 but the dbt models have not been rebuilt since" in p for p in blockers(con))
    done(con, "r3", CORE)
    done(con, "r4", PERIODS, ALL_PERIODS, outcome=PARTIAL)  # metric_values alone
    assert any("the period marts have not been rebuilt since" in p for p in blockers(con))
    assert built_windows(steps_since_publish(con)) == []
    done(con, "r5", PERIODS, ALL_PERIODS)
    assert blockers(con) == []
