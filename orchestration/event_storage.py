"""Dagster's run history on local SQLite, with asset events written in batches.

A full build materializes every period mart for every monthly partition (11 marts x ~320 months):
thousands of asset events in one run. Dagster's stock SQLite event log opens a new connection and
commits twice per event (the run's database and the cross-run index), 5-8 ms an event here, so a
city build spent more time recording its events than computing its marts. Dagster hands a storage
the events of one output as a batch when ``DAGSTER_EVENT_BATCH_SIZE`` is set; this storage writes
such a batch in one transaction per database. Everything else (single events, reads, the schema)
is the stock ``SqliteEventLogStorage``.

``ipwh`` writes a ``dagster.yaml`` naming this class into a new ``DAGSTER_HOME``
(orchestration/dagster_home.py), so ``ipwh build`` and ``dagster dev`` share the same history.
"""

from __future__ import annotations

from collections.abc import Sequence

from dagster._core.events import ASSET_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlalchemy_compat import db_result

from .dagster_home import apply_event_settings

apply_event_settings()


class BatchingSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage that stores a batch of one run's asset events in one transaction per
    database (the run's shard and the index shard) instead of two commits per event."""

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> BatchingSqliteEventLogStorage:  # type: ignore[override]
        return cls(inst_data=inst_data, **config_value)

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        run_ids = {event.run_id for event in events}
        only_asset_events = all(event.is_dagster_event and event.dagster_event_type in ASSET_EVENTS
                                for event in events)
        if len(events) < 2 or len(run_ids) != 1 or not only_asset_events:
            for event in events:
                self.store_event(event)
            return
        statements = [self.prepare_insert_event(event) for event in events]
        with self.run_connection(next(iter(run_ids))) as conn:
            for statement in statements:
                conn.execute(statement)
        # mirror the events in the cross-run index database, as store_event does one at a time
        with self.index_transaction() as conn:
            for event, statement in zip(events, statements):
                with db_result(conn, statement) as result:
                    event_id = result.inserted_primary_key[0]
                self._store_asset_event_tags(conn, [event], [event_id])
                self._store_asset_event(conn, event, event_id)
