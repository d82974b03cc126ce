"""Writing to the schedule: answers and their undo, cram answers, suspend, bury, reset,
and reading back a card's state and review log.

Concurrency: an answer is one short ``BEGIN IMMEDIATE`` transaction whose first
statement is a compare-and-set ``UPDATE`` of the card's state row, matching the
``reps`` and ``last_review`` the session last saw. If another process answered the same
card meanwhile, nothing matches, nothing is written, and ``StaleCardError`` tells the
session to reload the card: a second answer is refused, never silently applied on top of
a state it did not see. Undo works the same way against the state the answer produced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    and_,
    delete,
    insert,
    select,
    type_coerce,
    update,
)

from quizapp.scheduling.memory import MemoryState
from quizapp.store.db import Database
from quizapp.store.errors import StaleCardError, UnknownCardError
from quizapp.store.portable_sql import json_field_text
from quizapp.store.records import BuriedSibling, ReviewRecord
from quizapp.store.row_decode import (
    DECODE_ERRORS,
    UnreadableRowError,
    memory_from_json,
    required_datetime,
    stored_rating,
    unreadable,
)
from quizapp.store.sqlite.sibling_repo import bury_note_siblings, note_of_card
from quizapp.store.sqlite.stats_queries import STATS_CACHE_KEY
from quizapp.store.sqlite.study_conditions import (
    STATE_COLUMNS,
    STATES,
    memory_from_row,
    stored_time,
)
from quizapp.store.tables import CARDS, PRACTICE_LOGS, REVIEW_LOGS, SETTINGS


class AnswerRepository:
    """Answers, undo and the other writes to the schedule, over one open ``Database``."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def record_answer(
        self,
        pk: int,
        before: MemoryState,
        after: MemoryState,
        rating: int,
        reviewed_at: datetime,
        duration_ms: int,
    ) -> int:
        """Store one answer: the card's new state and its review log, in one transaction.

        Returns the review log's id. Raises ``StaleCardError`` (writing nothing) when the
        card's stored state is no longer ``before``.
        """
        with self.database.begin(write=True) as conn:
            log_id, _ = self._write_answer(
                conn, pk, before, after, rating, reviewed_at, duration_ms, read_note=False
            )
            return log_id

    def record_answer_burying(
        self,
        pk: int,
        before: MemoryState,
        after: MemoryState,
        rating: int,
        reviewed_at: datetime,
        duration_ms: int,
        *,
        until: datetime,
        buries: Callable[[MemoryState, datetime], bool],
    ) -> tuple[int, tuple[BuriedSibling, ...]]:
        """``record_answer``, and in the same transaction bury until ``until`` the card's
        siblings that ``buries`` picks (``sibling_repo.bury_siblings_on``): the review log's
        id and the siblings buried, for undo. One transaction, so an answer never stands
        without its burial; a card without a note costs one indexed read more."""
        with self.database.begin(write=True) as conn:
            log_id, found = self._write_answer(
                conn, pk, before, after, rating, reviewed_at, duration_ms, read_note=True
            )
            return log_id, bury_note_siblings(conn, pk, found, until, buries)

    def _write_answer(
        self,
        conn: Connection,
        pk: int,
        before: MemoryState,
        after: MemoryState,
        rating: int,
        reviewed_at: datetime,
        duration_ms: int,
        *,
        read_note: bool,
    ) -> tuple[int, tuple[str, str] | None]:
        """The answer's compare-and-set state update and its review log, on ``conn``: the
        log's id (or ``StaleCardError``), and when ``read_note`` the card's note and file
        for burying its siblings (None when it has no note, or when not asked). SQLite
        runs each as its own statement, in microseconds; PostgreSQL's override saves round
        trips to the server."""
        log_id = _write_answer(conn, pk, before, after, rating, reviewed_at, duration_ms)
        return log_id, note_of_card(conn, pk) if read_note else None

    def undo_answer(self, log_id: int) -> ReviewRecord:
        """Reverse one answer exactly: restore the state before it and delete its log.

        Raises ``StaleCardError`` when the card was answered again since (by another
        window), and ``UnknownCardError`` when the log no longer exists.
        """
        with self.database.begin(write=True) as conn:
            row = conn.execute(_log_select().where(REVIEW_LOGS.c.id == log_id)).first()
            if row is None:
                raise UnknownCardError(f"review {log_id} no longer exists; nothing to undo")
            record = _record(row)
            changed = conn.execute(
                update(STATES)
                .where(STATES.c.card_id == record.card_pk, matches(record.after))
                .values(**record.before.columns())
            ).rowcount
            if changed != 1:
                raise StaleCardError(
                    f"card {record.card_pk} was answered again elsewhere; cannot undo"
                )
            conn.execute(delete(REVIEW_LOGS).where(REVIEW_LOGS.c.id == log_id))
            conn.execute(
                delete(SETTINGS).where(
                    SETTINGS.c.key == STATS_CACHE_KEY,
                    json_field_text(SETTINGS.c.value, "boundary") > stored_time(record.reviewed_at),
                )
            )
        return record

    def record_practice(self, pk: int, rating: int, reviewed_at: datetime, duration_ms: int) -> int:
        """Store one cram answer in ``practice_logs`` only; the schedule is not touched."""
        with self.database.begin(write=True) as conn:
            log_id = conn.execute(
                insert(PRACTICE_LOGS)
                .values(card_id=pk, rating=rating, reviewed_at=reviewed_at, duration_ms=duration_ms)
                .returning(PRACTICE_LOGS.c.id)
            ).scalar_one()
        return int(log_id)

    def undo_practice(self, log_id: int) -> None:
        """Delete one cram answer."""
        with self.database.begin(write=True) as conn:
            conn.execute(delete(PRACTICE_LOGS).where(PRACTICE_LOGS.c.id == log_id))

    def reviews_of(self, pk: int) -> list[ReviewRecord]:
        """A card's review log, oldest first."""
        query = (
            _log_select()
            .where(REVIEW_LOGS.c.card_id == pk)
            .order_by(REVIEW_LOGS.c.reviewed_at, REVIEW_LOGS.c.id)
        )
        with self.database.begin() as conn:
            rows = conn.execute(query).all()
        records: list[ReviewRecord] = []
        for row in rows:
            try:
                records.append(_record(row))
            except UnreadableRowError as error:
                self.database.report(str(error))
        return records

    def memory(self, pk: int) -> MemoryState:
        """A card's current stored state."""
        with self.database.begin() as conn:
            row = conn.execute(select(*STATE_COLUMNS).where(STATES.c.card_id == pk)).first()
        if row is None:
            raise UnknownCardError(f"no card with id {pk}")
        try:
            return memory_from_row(row)
        except DECODE_ERRORS:
            raise UnreadableRowError(unreadable(f"card {pk}")) from None

    def set_suspended(self, pks: Iterable[int], suspended: bool) -> int:
        """Suspend (or unsuspend) cards; returns how many exist."""
        ids = list(pks)
        with self.database.begin(write=True) as conn:
            result = conn.execute(
                update(CARDS).where(CARDS.c.id.in_(ids)).values(suspended=suspended)
            )
        return int(result.rowcount)

    def reset_cards(self, pks: Iterable[int], now: datetime) -> int:
        """Make cards new again (queued after the other new cards, from ``now``), keeping
        their review history; returns how many were reset. The logs stay, so statistics,
        retention and parameter fitting still see every past answer."""
        ids = list(pks)
        with self.database.begin(write=True) as conn:
            result = conn.execute(
                update(STATES)
                .where(STATES.c.card_id.in_(ids))
                .values(**MemoryState.new(now).columns())
            )
        return int(result.rowcount)

    def bury(self, pks: Iterable[int], until: datetime | None) -> int:
        """Hide cards until ``until`` (the next day rollover); None unburies them."""
        ids = list(pks)
        with self.database.begin(write=True) as conn:
            result = conn.execute(
                update(CARDS).where(CARDS.c.id.in_(ids)).values(buried_until=until)
            )
        return int(result.rowcount)

    def review_history(self) -> dict[int, list[tuple[datetime, int]]]:
        """Every card's answers as (time, rating), oldest first, keyed by card id."""
        query = select(
            REVIEW_LOGS.c.id,
            REVIEW_LOGS.c.card_id,
            type_coerce(REVIEW_LOGS.c.reviewed_at, String),
            REVIEW_LOGS.c.rating,
        ).order_by(REVIEW_LOGS.c.card_id, REVIEW_LOGS.c.reviewed_at, REVIEW_LOGS.c.id)
        history: dict[int, list[tuple[datetime, int]]] = {}
        with self.database.begin() as conn:
            for log_id, card_id, reviewed_at, rating in conn.execute(query):
                try:
                    answer = (required_datetime(reviewed_at), stored_rating(rating))
                except DECODE_ERRORS:
                    self.database.report(unreadable(f"review log {log_id} of card {card_id}"))
                    continue
                history.setdefault(card_id, []).append(answer)
        return history


def matches(memory: MemoryState) -> ColumnElement[bool]:
    """The compare-and-set condition: the state row is still the one ``memory`` was read as."""
    last = (
        STATES.c.last_review.is_(None)
        if memory.last_review is None
        else STATES.c.last_review == memory.last_review
    )
    return and_(STATES.c.reps == memory.reps, last)


def _write_answer(
    conn: Connection,
    pk: int,
    before: MemoryState,
    after: MemoryState,
    rating: int,
    reviewed_at: datetime,
    duration_ms: int,
) -> int:
    """The answer's compare-and-set state update and its review log, on ``conn``."""
    changed = conn.execute(
        update(STATES).where(STATES.c.card_id == pk, matches(before)).values(**after.columns())
    ).rowcount
    if changed != 1:
        raise StaleCardError(stale_message(conn, pk))
    log_id = conn.execute(
        insert(REVIEW_LOGS)
        .values(
            card_id=pk,
            rating=rating,
            reviewed_at=reviewed_at,
            duration_ms=duration_ms,
            state_before=before.to_dict(),
            state_after=after.to_dict(),
        )
        .returning(REVIEW_LOGS.c.id)
    ).scalar_one()
    return int(log_id)


def _log_select() -> Select[Any]:
    """Whole review-log rows, the JSON and time columns raw (``_record`` decodes them)."""
    return select(
        REVIEW_LOGS.c.id,
        REVIEW_LOGS.c.card_id,
        REVIEW_LOGS.c.rating,
        type_coerce(REVIEW_LOGS.c.reviewed_at, String).label("reviewed_at"),
        REVIEW_LOGS.c.duration_ms,
        type_coerce(REVIEW_LOGS.c.state_before, String).label("state_before"),
        type_coerce(REVIEW_LOGS.c.state_after, String).label("state_after"),
    )


def _record(row: Any) -> ReviewRecord:
    """A ``ReviewRecord`` from a ``_log_select`` row; ``UnreadableRowError`` if damaged."""
    try:
        return ReviewRecord(
            id=row.id,
            card_pk=row.card_id,
            rating=stored_rating(row.rating),
            reviewed_at=required_datetime(row.reviewed_at),
            duration_ms=row.duration_ms,
            before=memory_from_json(row.state_before),
            after=memory_from_json(row.state_after),
        )
    except DECODE_ERRORS:
        raise UnreadableRowError(unreadable(f"review log {row.id} of card {row.card_id}")) from None


def stale_message(conn: Connection, pk: int) -> str:
    row = conn.execute(select(STATES.c.reps).where(STATES.c.card_id == pk)).first()
    if row is None:
        return f"card {pk} no longer exists"
    return (
        f"card {pk} was answered elsewhere (another window?) since it was shown; "
        "its new state has been kept and this answer was not stored"
    )
