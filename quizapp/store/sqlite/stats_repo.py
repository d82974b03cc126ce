"""The statistics' and the group counts' reads behind one object (``ports.StatsStore``)."""

from __future__ import annotations

from datetime import datetime

from quizapp.scheduling.queue import DayWindow
from quizapp.store.db import Database
from quizapp.store.records import DueByGroup, StatsAggregates
from quizapp.store.sqlite.group_counts import due_by_group
from quizapp.store.sqlite.stats_queries import stats_aggregates


class StatsRepository:
    """``stats_queries.stats_aggregates`` and ``group_counts.due_by_group`` over one
    open ``Database``."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def aggregates(
        self, *, now: datetime, window: DayWindow, interview_at: datetime | None
    ) -> StatsAggregates:
        """Every aggregate ``quizapp stats`` needs, read in one transaction."""
        return stats_aggregates(self.database, now=now, window=window, interview_at=interview_at)

    def due_by_group(self, now: datetime, window: DayWindow) -> DueByGroup:
        """Every deck's, tag's and difficulty's due counts, in one read."""
        return due_by_group(self.database, now, window)
