"""The study queue on PostgreSQL: SQLite's queries, without SQLite's index hints.

The queue's statements are portable Core (``store/portable_sql.py`` spells the few
functions that differ); what differs in shape is the filters and availability
(``PostgresStudyConditions``), the count of new cards, which SQLite reads through a
named partial index and PostgreSQL through whichever index its planner picks, and the
reads' connection, in autocommit here (``_reading``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, func, select

from quizapp.store.postgres.autocommit import autocommit
from quizapp.store.postgres.study_conditions import POSTGRES_CONDITIONS
from quizapp.store.sqlite import queue_repo
from quizapp.store.sqlite.study_conditions import IS_NEW, STATES, StudyConditions


class QueueRepository(queue_repo.QueueRepository):
    """The queue queries over one open PostgreSQL ``Database``."""

    conditions: StudyConditions = POSTGRES_CONDITIONS

    def _reading(self) -> AbstractContextManager[Connection]:
        """A connection in autocommit (``autocommit.py``): each read is one round trip,
        where a transaction's ``BEGIN`` and ``COMMIT`` would add two, and the queue reads
        a card's state before each card is shown."""
        return autocommit(self.database)

    def _new_count(self, now: datetime) -> Select[Any]:
        """How many available cards are new (the partial index ``ix_card_states_new`` is
        PostgreSQL's to choose)."""
        return (
            select(func.count()).select_from(STATES).where(IS_NEW, *self.conditions.available(now))
        )
