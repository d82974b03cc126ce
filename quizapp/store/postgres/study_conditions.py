"""The study queries' conditions on PostgreSQL: where SQLite's spelling is its own.

SQLite is told which index to read (``INDEXED BY``) and takes a list of ids as one JSON
parameter (``json_each``); PostgreSQL's planner picks indexes itself, and takes the list as
one array parameter (``unnest``). Its booleans are real booleans, so an unavailable card is
``availability.UNAVAILABLE_AT_NOW_POSTGRESQL``. Everything else is SQLite's
``StudyConditions``, so a filter selects the same cards on both backends.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Integer, Select, func, literal, select

from quizapp.store.sqlite.availability import UNAVAILABLE_AT_NOW_POSTGRESQL
from quizapp.store.sqlite.study_conditions import StudyConditions
from quizapp.store.tables import CARDS


class PostgresStudyConditions(StudyConditions):
    """``StudyConditions`` without SQLite's index hints and JSON table function."""

    unavailable_at_now = UNAVAILABLE_AT_NOW_POSTGRESQL

    def card_has(
        self, column: ColumnElement[int], index: str, name: str, values: list[str] | Select[Any]
    ) -> ColumnElement[bool]:
        """``EXISTS`` a card with id ``column`` whose column ``name`` is one of ``values``
        (the planner chooses the index; ``index`` names SQLite's)."""
        alias = CARDS.alias(f"card_{name}")
        return select(alias.c.id).where(alias.c.id == column, alias.c[name].in_(values)).exists()

    def chosen_ids(self, pks: list[int]) -> Select[Any]:
        """The card ids ``pks`` as a one-column subquery of one array parameter."""
        return select(func.unnest(literal(pks, ARRAY(Integer()))))


#: PostgreSQL's study conditions.
POSTGRES_CONDITIONS = PostgresStudyConditions()
