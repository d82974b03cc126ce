"""The study queue's queries: which cards are due, in what order, and how many.

Statements are SQLAlchemy Core on the ORM tables (compiled once and cached), because the
queue is asked for a card after every answer and must answer in a millisecond or two on
a 100,000-card collection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)

from quizapp.scheduling.filters import StudyFilter
from quizapp.scheduling.memory import LEARNING, RELEARNING, REVIEW
from quizapp.scheduling.queue import DayWindow, QueueKind
from quizapp.store.db import Database
from quizapp.store.errors import UnknownCardError
from quizapp.store.portable_sql import whole_days_between
from quizapp.store.records import DueCounts, QueuedCard, TodayCounts
from quizapp.store.row_decode import DECODE_ERRORS, UnreadableRowError, unreadable
from quizapp.store.sqlite.study_conditions import (
    IS_NEW,
    SQLITE_CONDITIONS,
    STATE_COLUMNS,
    STATES,
    StudyConditions,
    memory_from_row,
)
from quizapp.store.tables import CARDS, KIND_NEW, KIND_REVIEW, REVIEW_LOGS


def _queued_card(row: Any, kind: QueueKind) -> QueuedCard:
    """A ``QueuedCard`` from a row with the card's id, uid, title, source and state columns;
    ``UnreadableRowError`` when its state cannot be decoded."""
    try:
        memory = memory_from_row(row)
    except DECODE_ERRORS:
        raise UnreadableRowError(unreadable(f"card {row.uid}")) from None
    return QueuedCard(row.card_id, row.uid, row.title, row.source, kind, memory)


def _queued_cards(database: Database, rows: Iterable[Any], kind: QueueKind) -> list[QueuedCard]:
    """``_queued_card`` for each row; an unreadable one is reported and left out."""
    cards: list[QueuedCard] = []
    for row in rows:
        try:
            cards.append(_queued_card(row, kind))
        except UnreadableRowError as error:
            database.report(str(error))
    return cards


class QueueRepository:
    """The queue queries over one open ``Database``.

    The backend's own SQL is in ``conditions``, ``_new_count`` and ``_reading``, which PostgreSQL's
    subclass (``store/postgres/queue_repo.py``) replaces; the rest is shared.
    """

    #: Filters and availability, as this backend is best asked them.
    conditions: StudyConditions = SQLITE_CONDITIONS

    def __init__(self, database: Database) -> None:
        self.database = database

    def _reading(self) -> AbstractContextManager[Connection]:
        """A connection for the queue's reads: one read transaction (SQLite's snapshot)."""
        return self.database.begin()

    def _new_count(self, now: datetime) -> Select[Any]:
        """How many available cards are new: from the partial index of new cards alone.

        Without statistics SQLite rates a scan of ``(due, state, reps)`` as cheap as one of
        the (ten times smaller) partial index, so the index is named (``INDEXED BY``, which
        SQLAlchemy does not render for SQLite: hence the textual FROM).
        """
        card_id: ColumnElement[int] = literal_column("card_states.card_id")
        return (
            select(func.count())
            .select_from(text("card_states INDEXED BY ix_card_states_new"))
            .where(text("card_states.reps = 0"), *self.conditions.available(now, card_id))
        )

    def candidates(
        self,
        kind: QueueKind,
        study_filter: StudyFilter,
        now: datetime,
        window: DayWindow,
        *,
        limit: int,
        exclude: Sequence[int] = (),
        until: datetime | None = None,
    ) -> list[QueuedCard]:
        """Up to ``limit`` available cards of one queue kind, in the order they are due.

        Learning cards are those due by ``until`` (default: now). ``INTERVIEW`` is not
        served here (see ``interview_candidates``).
        """
        conditions = self.conditions.available(now) + self.conditions.filter_conditions(
            study_filter
        )
        order: list[Any] = [STATES.c.due, STATES.c.card_id]
        if kind is QueueKind.LEARNING:
            conditions += [
                STATES.c.state.in_((LEARNING, RELEARNING)),
                STATES.c.reps > 0,
                STATES.c.due <= (until or now),
            ]
        elif kind is QueueKind.LEARN_AHEAD:
            from quizapp.scheduling.queue import LEARN_AHEAD

            conditions += [
                STATES.c.state.in_((LEARNING, RELEARNING)),
                STATES.c.reps > 0,
                STATES.c.due <= now + LEARN_AHEAD,
            ]
        elif kind is QueueKind.REVIEW:
            conditions += [STATES.c.state == REVIEW, STATES.c.reps > 0, STATES.c.due < window.end]
        elif kind is QueueKind.NEW:
            conditions += [IS_NEW]
        else:
            raise ValueError(f"candidates() does not serve {kind}")
        if exclude:
            conditions.append(STATES.c.card_id.not_in(list(exclude)))
        # Pick from card_states alone, then join the few picked cards' titles: joined
        # first, SQLite may walk a filter's ids through the wide cards rows instead.
        picked = (
            select(STATES.c.card_id, *STATE_COLUMNS)
            .where(*conditions)
            .order_by(*order)
            .limit(limit)
            .subquery("picked")
        )
        query = (
            select(picked, CARDS.c.uid, CARDS.c.title, CARDS.c.source)
            .join(CARDS, CARDS.c.id == picked.c.card_id)
            .order_by(picked.c.due, picked.c.card_id)
        )
        with self._reading() as conn:
            rows = conn.execute(query).all()
        return _queued_cards(self.database, rows, kind)

    def interview_candidates(
        self,
        study_filter: StudyFilter,
        now: datetime,
        window: DayWindow,
        interview_at: datetime,
        threshold: float,
        *,
        limit: int,
    ) -> list[int]:
        """Review cards not due today whose recall at ``interview_at`` falls below target.

        Recall is below desired retention exactly when whole elapsed days exceed
        ``threshold`` x stability (see ``Scheduler.recall_threshold``); weakest first means
        the largest elapsed/stability ratio first.
        """
        elapsed = whole_days_between(literal(interview_at, STATES.c.due.type), STATES.c.last_review)
        query = (
            select(STATES.c.card_id)
            .join(CARDS, CARDS.c.id == STATES.c.card_id)
            .where(
                *self.conditions.available(now),
                *self.conditions.filter_conditions(study_filter),
                STATES.c.state == REVIEW,
                STATES.c.reps > 0,
                STATES.c.due >= window.end,
                STATES.c.stability > 0,
                elapsed > STATES.c.stability * threshold,
            )
            .order_by((elapsed / STATES.c.stability).desc(), STATES.c.card_id)
            .limit(limit)
        )
        with self._reading() as conn:
            return [int(row[0]) for row in conn.execute(query)]

    def queued_card(self, pk: int, kind: QueueKind) -> QueuedCard:
        """One card by id with its current state, as a queue entry of ``kind``."""
        query = (
            select(STATES.c.card_id, CARDS.c.uid, CARDS.c.title, CARDS.c.source, *STATE_COLUMNS)
            .join(CARDS, CARDS.c.id == STATES.c.card_id)
            .where(STATES.c.card_id == pk)
        )
        with self._reading() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise UnknownCardError(f"no card with id {pk}")
        return _queued_card(row, kind)

    def available_card(self, pk: int, kind: QueueKind, now: datetime) -> QueuedCard | None:
        """One card with its current state, or None if it is gone, suspended or buried."""
        query = (
            select(STATES.c.card_id, CARDS.c.uid, CARDS.c.title, CARDS.c.source, *STATE_COLUMNS)
            .join(CARDS, CARDS.c.id == STATES.c.card_id)
            .where(STATES.c.card_id == pk, *self.conditions.available(now))
        )
        with self._reading() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return _queued_card(row, kind)

    def cram_cards(self, study_filter: StudyFilter, now: datetime) -> list[QueuedCard]:
        """Every available card matching the filter, for a cram session (schedule ignored)."""
        query = (
            select(STATES.c.card_id, CARDS.c.uid, CARDS.c.title, CARDS.c.source, *STATE_COLUMNS)
            .join(CARDS, CARDS.c.id == STATES.c.card_id)
            .where(
                *self.conditions.available(now), *self.conditions.filter_conditions(study_filter)
            )
            .order_by(CARDS.c.source, CARDS.c.line, CARDS.c.id)
        )
        with self._reading() as conn:
            rows = conn.execute(query).all()
        return _queued_cards(self.database, rows, QueueKind.REVIEW)

    def matching_ids(self, study_filter: StudyFilter, now: datetime) -> list[int]:
        """Ids of the available cards a filter selects, in id order."""
        query = (
            select(CARDS.c.id)
            .where(
                *self.conditions.available(now, CARDS.c.id),
                *self.conditions.filter_conditions(study_filter, CARDS.c.id),
            )
            .order_by(CARDS.c.id)
        )
        with self._reading() as conn:
            return [int(row[0]) for row in conn.execute(query)]

    def filter_counts(self, study_filter: StudyFilter, now: datetime) -> tuple[int, int]:
        """(present, available): the cards a filter selects, and those of them that may
        be shown now (not suspended, not buried), in one pass over the filter's cards."""
        shown = and_(*self.conditions.available(now, CARDS.c.id)).cast(STATES.c.reps.type)
        query = select(func.count(), func.coalesce(func.sum(shown), 0)).where(
            CARDS.c.missing.is_(False), *self.conditions.filter_conditions(study_filter, CARDS.c.id)
        )
        with self._reading() as conn:
            present, ready = conn.execute(query).one()
        return int(present), int(ready)

    def today_counts(self, window: DayWindow) -> TodayCounts:
        """Answers given in the study day ``window``, split as the daily limits count them.

        New: the card had never been answered. Review: it was in the review state.
        Learning: the rest (learning steps are not limited, as in Anki).
        """
        kind = REVIEW_LOGS.c.review_kind
        number = STATES.c.reps.type
        query = select(
            func.count(),
            func.coalesce(func.sum((kind == KIND_NEW).cast(number)), 0),
            func.coalesce(func.sum((kind == KIND_REVIEW).cast(number)), 0),
        ).where(REVIEW_LOGS.c.reviewed_at >= window.start, REVIEW_LOGS.c.reviewed_at < window.end)
        with self._reading() as conn:
            total, new, reviews = conn.execute(query).one()
        return TodayCounts(new=int(new), reviews=int(reviews), learning=int(total - new - reviews))

    def due_counts(self, study_filter: StudyFilter, now: datetime, window: DayWindow) -> DueCounts:
        """How many learning, review and new cards the filtered queue holds (no limits).

        Without a filter: two index-only counts, learning and review cards through
        ``(due, state, reps)`` (only cards due today are visited) and new cards through
        ``(reps, due)``. With one: a single pass over the filter's cards (read by id from
        the tag or difficulty index), which beats building the filter's id lists twice.
        Unavailable cards are excluded by id either way.
        """
        filters = self.conditions.filter_conditions(study_filter)
        where = [*self.conditions.available(now), *filters]
        number = STATES.c.reps.type
        answered = STATES.c.reps > 0
        is_learning = and_(
            answered, STATES.c.state.in_((LEARNING, RELEARNING)), STATES.c.due <= now
        )
        is_review = and_(answered, STATES.c.state == REVIEW, STATES.c.due < window.end)
        with self._reading() as conn:
            if filters:
                learning, review, fresh = conn.execute(
                    select(
                        *(
                            func.coalesce(func.sum(flag.cast(number)), 0)
                            for flag in (is_learning, is_review, IS_NEW)
                        )
                    ).where(or_(STATES.c.due < window.end, IS_NEW), *where)
                ).one()
            else:
                learning, review = conn.execute(
                    select(
                        func.coalesce(func.sum(is_learning.cast(number)), 0),
                        func.coalesce(func.sum((STATES.c.state == REVIEW).cast(number)), 0),
                    ).where(STATES.c.due < window.end, answered, *where)
                ).one()
                fresh = conn.execute(self._new_count(now)).scalar_one()
        return DueCounts(int(learning), int(review), int(fresh))

    def next_due(self, now: datetime) -> datetime | None:
        """When the next answered card falls due (``now`` if one already is), leaving out
        suspended and missing cards; None when no card was ever answered. One indexed
        read, for a session summary's "next card due"."""
        query = (
            select(func.min(STATES.c.due))
            .select_from(STATES.join(CARDS, CARDS.c.id == STATES.c.card_id))
            .where(STATES.c.reps > 0, CARDS.c.suspended.is_(False), CARDS.c.missing.is_(False))
        )
        with self._reading() as conn:
            earliest: datetime | None = conn.execute(query).scalar()
        return None if earliest is None else max(earliest, now)
