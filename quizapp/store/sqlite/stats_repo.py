"""The statistics' and the group counts' reads behind one object (``ports.StatsStore``)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from quizapp.scheduling.queue import DayWindow
from quizapp.store.db import Database
from quizapp.store.records import DueByGroup, StatsAggregates
from quizapp.store.sqlite.group_counts import due_by_group
from quizapp.store.sqlite.stats_queries import stats_aggregates
from quizapp.store.sqlite.stats_sql import StatsSql


class StatsRepository:
    """``stats_queries.stats_aggregates`` and ``group_counts.due_by_group`` over one
    open ``Database``, with the statements of ``SQL`` (a backend's repository sets its own)."""

    #: The statements this backend runs.
    SQL: ClassVar[StatsSql] = StatsSql()

    def __init__(self, database: Database) -> None:
        self.database = database

    def aggregates(
        self, *, now: datetime, window: DayWindow, interview_at: datetime | None
    ) -> StatsAggregates:
        """Every aggregate ``quizapp stats`` needs, read in one transaction."""
        return stats_aggregates(
            self.database, self.SQL, now=now, window=window, interview_at=interview_at
        )

    def due_by_group(self, now: datetime, window: DayWindow) -> DueByGroup:
        """Every deck's, tag's and difficulty's due counts, in one read."""
        return due_by_group(self.database, self.SQL, now, window)
