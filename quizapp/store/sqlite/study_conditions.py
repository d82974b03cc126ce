"""Which cards a study query may see: filters, availability, and the state columns.

Shared by the queue's queries, so that "the cards a filter selects" and "the cards that
may be shown now" mean the same in every one of them. ``StudyConditions`` holds them;
PostgreSQL's subclass (``store/postgres/study_conditions.py``) replaces the few whose SQL
only SQLite speaks.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
)

from quizapp.cards.textfold import fold
from quizapp.scheduling.filters import StudyFilter
from quizapp.scheduling.memory import MemoryState
from quizapp.store.card_rows import tag_key
from quizapp.store.portable_sql import text_position
from quizapp.store.row_decode import memory_state
from quizapp.store.sqlite.availability import UNAVAILABLE_AT_NOW
from quizapp.store.tables import (
    CARD_STATES,
    CARD_TAGS,
    CARDS,
    DECKS,
    TAGS,
)

STATES = CARD_STATES


#: The memory-state columns, the times raw: ``memory_from_row`` decodes them row by row
#: so that one damaged row is reported and skipped instead of failing the whole queue.
STATE_COLUMNS = (
    STATES.c.state,
    STATES.c.step,
    STATES.c.stability,
    STATES.c.difficulty,
    type_coerce(STATES.c.due, String).label("due"),
    type_coerce(STATES.c.last_review, String).label("last_review"),
    STATES.c.reps,
    STATES.c.lapses,
)


def memory_from_row(row: Any) -> MemoryState:
    """A ``MemoryState`` from a row that has the ``card_states`` columns (raw or decoded).

    Raises one of ``DECODE_ERRORS`` when the stored values are not a usable state.
    """
    return memory_state(
        row.state,
        row.step,
        row.stability,
        row.difficulty,
        row.due,
        row.last_review,
        row.reps,
        row.lapses,
    )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


#: ``cards`` again, for subqueries that must not correlate with an outer ``cards``.
_CARD_IDS = CARDS.alias("filtered_cards")

#: ``cards`` in the subquery of unavailable cards (made once: the hot path reuses it).
_HIDDEN = CARDS.alias("hidden_cards")

#: "The card is new", written with a literal 0: SQLite uses the partial index
#: ``ix_card_states_new`` (``WHERE reps = 0``) only for a term that repeats its condition.
IS_NEW = STATES.c.reps == literal_column("0")


def _card_ids(*where: ColumnElement[bool]) -> Select[Any]:
    return select(_CARD_IDS.c.id).where(*where)


class StudyConditions:
    """The conditions of the study queries, as SQLite is best asked them.

    The queue's repository holds one of these (``QueueRepository.conditions``); the
    methods whose SQL only SQLite speaks (``card_has``, ``chosen_ids``,
    ``unavailable_at_now``) are overridden for PostgreSQL in
    ``store/postgres/study_conditions.py``. The rest is shared, so that "the cards a
    filter selects" means the same on both backends.
    """

    #: ``availability.UNAVAILABLE_AT_NOW``: this backend's spelling of an unavailable card.
    unavailable_at_now = UNAVAILABLE_AT_NOW

    def card_has(
        self, column: ColumnElement[int], index: str, name: str, values: list[str] | Select[Any]
    ) -> ColumnElement[bool]:
        """``EXISTS`` a card with id ``column`` whose column ``name`` is one of ``values``.

        Read from ``index`` (on that column, plus the row id) by SQLite's ``INDEXED BY``:
        one index lookup per card, where SQLite would otherwise read the 2.5 kB card row.
        SQLAlchemy renders no table hints for SQLite, hence the textual FROM.
        """
        alias = f"card_{name}"
        return (
            select(literal_column("1"))
            .select_from(text(f"cards AS {alias} INDEXED BY {index}"))
            .where(
                literal_column(f"{alias}.id") == column,
                literal_column(f"{alias}.{name}").in_(values),
            )
            .exists()
        )

    def chosen_ids(self, pks: list[int]) -> Select[Any]:
        """The card ids ``pks`` as a one-column subquery, bound as one JSON parameter
        (``json_each``), not one per card: "study these" may name 100,000 cards."""
        chosen = func.json_each(json.dumps(pks))
        picked = chosen.table_valued("value").alias("picked")
        return select(picked.c.value)

    def filter_conditions(
        self, study_filter: StudyFilter, card_id: ColumnElement[int] | None = None
    ) -> list[ColumnElement[bool]]:
        """SQL conditions on a card-id column for a study filter (empty list: every card).

        Each condition reads an index (tags, difficulty, deck) by card id, so a query over
        ``card_states`` need not read the wide ``cards`` rows at all; only a text search
        scans card titles and questions. Difficulties are stored casefolded (the
        parser normalises them), so they are matched with the index, not ``lower()``.
        ``card_id`` defaults to ``card_states.card_id``.
        """
        column: ColumnElement[int] = STATES.c.card_id if card_id is None else card_id
        conditions: list[ColumnElement[bool]] = []
        tagged = select(CARD_TAGS.c.card_id).join(TAGS, TAGS.c.id == CARD_TAGS.c.tag_id)
        if study_filter.tags_any:
            keys = sorted({tag_key(tag) for tag in study_filter.tags_any})
            conditions.append(column.in_(tagged.where(TAGS.c.key.in_(keys))))
        for tag in sorted({tag_key(tag) for tag in study_filter.tags_all}):
            conditions.append(column.in_(tagged.where(TAGS.c.key == tag)))
        if study_filter.difficulties:
            wanted = sorted({d.strip().casefold() for d in study_filter.difficulties})
            conditions.append(self.card_has(column, "ix_cards_difficulty", "difficulty", wanted))
        if study_filter.deck:
            deck = study_filter.deck.strip().strip("/")
            decks = select(DECKS.c.id).where(
                or_(
                    func.lower(DECKS.c.name) == deck.casefold(),
                    func.lower(DECKS.c.name).like(
                        _like_escape(deck.casefold()) + "/%", escape="\\"
                    ),
                )
            )
            conditions.append(self.card_has(column, "ix_cards_deck_id", "deck_id", decks))
        if study_filter.card_pks:
            conditions.append(column.in_(self.chosen_ids(sorted(set(study_filter.card_pks)))))
        if study_filter.text:
            # The same matching as browse and ``list --text``: the folded search column
            # (cards/textfold.py; SQLite's ilike folds only ASCII) or a tag.
            needle = fold(study_filter.text.strip())
            tagged_with = select(CARD_TAGS.c.card_id).join(TAGS, TAGS.c.id == CARD_TAGS.c.tag_id)
            conditions.append(
                or_(
                    column.in_(_card_ids(text_position(_CARD_IDS.c.search_text, needle) > 0)),
                    column.in_(tagged_with.where(text_position(TAGS.c.key, needle) > 0)),
                )
            )
        return conditions

    def unavailable_ids(self, now: datetime) -> Select[Any]:
        """Ids of the cards that may not be shown at ``now``: suspended, missing or buried.

        The condition is ``unavailable_at_now`` (which SQLite answers from the small
        partial index ``ix_cards_unavailable``), ``now`` bound as the column's type.
        """
        moment = bindparam("now", now, type_=_HIDDEN.c.buried_until.type)
        return select(_HIDDEN.c.id).where(text(self.unavailable_at_now).bindparams(moment))

    def available(
        self, now: datetime, card_id: ColumnElement[int] | None = None
    ) -> list[ColumnElement[bool]]:
        """Cards that may be shown at all: not suspended, not missing, not buried."""
        column: ColumnElement[int] = STATES.c.card_id if card_id is None else card_id
        return [column.not_in(self.unavailable_ids(now))]


#: SQLite's study conditions.
SQLITE_CONDITIONS = StudyConditions()


def stored_time(moment: datetime) -> str:
    """A datetime in the exact text form SQLAlchemy stores it in SQLite (naive UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
