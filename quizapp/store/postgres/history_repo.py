"""Review histories on PostgreSQL: SQLite's reads, with PostgreSQL's times, bulk path and row locks.

``store/sqlite/history_repo.py`` writes a log's time as the text SQLite stores and inserts
the logs with ``executemany``; here a time is the naive-UTC ``timestamp`` PostgreSQL
stores, the logs go in with ``COPY``, and the cards whose history is replaced are locked
(``SELECT … FOR UPDATE`` on their states) before their logs are counted, so that an answer
given meanwhile waits for the import and then finds its state changed, instead of slipping
in between the count and the replacement.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from quizapp.store.postgres.import_repo import copy_many, copy_rows
from quizapp.store.sqlite import history_repo
from quizapp.store.sqlite.import_repo import _chunks
from quizapp.store.tables import CARD_STATES, REVIEW_LOGS

_LOG_COLUMNS = ("card_id", "rating", "reviewed_at", "duration_ms", "state_before", "state_after")


class HistoryWriter(history_repo.HistoryWriter):
    """Writes merged histories inside a PostgreSQL import's transaction."""

    def _hold(self, conn: Connection, pks: Sequence[int]) -> None:
        for chunk in _chunks(sorted(pks), 500):
            conn.execute(
                select(CARD_STATES.c.card_id)
                .where(CARD_STATES.c.card_id.in_(chunk))
                .with_for_update()
            ).all()

    @staticmethod
    def _stored_time(moment: datetime, iso: str) -> Any:
        return moment.astimezone(UTC).replace(tzinfo=None)

    def _insert_logs(
        self, conn: Connection, logs: Sequence[tuple[int, int, Any, int, str, str]]
    ) -> None:
        copy_rows(conn, REVIEW_LOGS, _LOG_COLUMNS, logs)

    def _insert_rows(self, conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        copy_many(conn, table, rows)


class HistoryRepository(history_repo.HistoryRepository):
    """Stored review histories on PostgreSQL, read with the same Core statements."""
