"""The study queue on PostgreSQL: SQLite's queries, without SQLite's index hints.

The queue's statements are portable Core (``store/portable_sql.py`` spells the few
functions that differ); what differs in shape is the filters and availability
(``PostgresStudyConditions``) and the count of new cards, which SQLite reads through a
named partial index and PostgreSQL through whichever index its planner picks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from quizapp.store.postgres.study_conditions import POSTGRES_CONDITIONS
from quizapp.store.sqlite import queue_repo
from quizapp.store.sqlite.study_conditions import IS_NEW, STATES, StudyConditions


class QueueRepository(queue_repo.QueueRepository):
    """The queue queries over one open PostgreSQL ``Database``."""

    conditions: StudyConditions = POSTGRES_CONDITIONS

    def _new_count(self, now: datetime) -> Select[Any]:
        """How many available cards are new (the partial index ``ix_card_states_new`` is
        PostgreSQL's to choose)."""
        return (
            select(func.count()).select_from(STATES).where(IS_NEW, *self.conditions.available(now))
        )
