"""The statistics' and group counts' reads on PostgreSQL: SQLite's repository, running
PostgreSQL's text of the same statements (``postgres/stats_sql.py``)."""

from __future__ import annotations

from typing import ClassVar

from quizapp.store.postgres.stats_sql import StatsSql
from quizapp.store.sqlite import stats_repo, stats_sql


class StatsRepository(stats_repo.StatsRepository):
    """The same aggregates and group counts as on SQLite, equal to the bit for the same
    collection (``quizapp stats`` prints the same on a ``copy-db`` copy)."""

    SQL: ClassVar[stats_sql.StatsSql] = StatsSql()
