"""Answers, undo, suspend, bury and reset on PostgreSQL: SQLite's statements, except that an
answer is written in one statement.

The answer is the same compare-and-set ``UPDATE`` of the card's state row, matching the
``reps`` and ``last_review`` the session saw, and its review log, in one transaction.
Under PostgreSQL's READ COMMITTED two writers of one card cannot both win: the second
``UPDATE`` waits for the first's row lock, then re-checks its condition against the row
the first committed, matches nothing, and the loser gets ``StaleCardError`` with its
transaction rolled back (no log, no burial). Nothing is read before the write, so no
``SELECT … FOR UPDATE`` is needed.

Where SQLite runs the update, the log's insert and the read of the card's note as three
statements (microseconds each, in process), each is a round trip to a server, so here
they are one statement: the ``UPDATE … RETURNING`` feeds the log's ``INSERT … SELECT``
(nothing to insert when the state had changed), and the note is read beside the log's id.

A server is a connection away, and a connection can break while the answer's ``COMMIT``
is under way: the server may have committed it, or not, and the driver cannot tell. The
answer is then looked up on a new connection (its log, by card and time, one indexed
read), so the caller learns which: the answer was stored (its log's id is returned as
if nothing had happened), or it was not (``ConnectionLost`` with ``saved`` False).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, insert, literal, select, true, update

from quizapp.scheduling.memory import MemoryState
from quizapp.store.errors import ConnectionLost, StaleCardError, StoreError
from quizapp.store.records import BuriedSibling
from quizapp.store.sqlite import answer_repo
from quizapp.store.sqlite.sibling_repo import note_of
from quizapp.store.sqlite.study_conditions import STATES
from quizapp.store.tables import CARDS, REVIEW_LOGS


class AnswerRepository(answer_repo.AnswerRepository):
    """Answers and the other writes to the schedule, over one open PostgreSQL ``Database``."""

    def record_answer(
        self,
        pk: int,
        before: MemoryState,
        after: MemoryState,
        rating: int,
        reviewed_at: datetime,
        duration_ms: int,
    ) -> int:
        """SQLite's ``record_answer``; an answer whose commit lost its connection is looked
        up, so that it is reported as stored or as not saved, never as unknown."""
        try:
            return super().record_answer(pk, before, after, rating, reviewed_at, duration_ms)
        except ConnectionLost as lost:
            return self._settle(lost, pk, reviewed_at)

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
        """SQLite's ``record_answer_burying``, settled like ``record_answer``. An answer
        found stored after a lost commit returns no buried siblings: which it buried, and
        until when they were buried before, went with the connection, so undoing it
        leaves them buried (until the day's end, as burying means)."""
        try:
            return super().record_answer_burying(
                pk, before, after, rating, reviewed_at, duration_ms, until=until, buries=buries
            )
        except ConnectionLost as lost:
            return self._settle(lost, pk, reviewed_at), ()

    def _settle(self, lost: ConnectionLost, pk: int, reviewed_at: datetime) -> int:
        """The id of the answer to ``pk`` at ``reviewed_at`` if its lost commit went through;
        else ``ConnectionLost`` saying it was not saved (``lost`` itself when it was lost
        before the commit, or when the server cannot be asked)."""
        if lost.saved is not None:
            raise lost
        try:
            with self.database.begin() as conn:
                log_id = conn.execute(
                    select(REVIEW_LOGS.c.id).where(
                        REVIEW_LOGS.c.card_id == pk, REVIEW_LOGS.c.reviewed_at == reviewed_at
                    )
                ).scalar()
        except StoreError:
            raise lost from None
        if log_id is None:
            raise ConnectionLost(lost.where, during_commit=False) from None
        return int(log_id)

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
        """The compare-and-set update, the review log and the card's note, in one
        statement on ``conn`` (the note costs no round trip, so it is read whether asked or
        not); ``StaleCardError`` (nothing written) when the state had changed."""
        row = conn.execute(_answer(pk, before, after, rating, reviewed_at, duration_ms)).first()
        if row is None or row.id is None:
            raise StaleCardError(answer_repo.stale_message(conn, pk))
        return int(row.id), note_of(row.note, row.source_path)


def _answer(
    pk: int,
    before: MemoryState,
    after: MemoryState,
    rating: int,
    reviewed_at: datetime,
    duration_ms: int,
) -> Select[Any]:
    """One statement: the compare-and-set update of card ``pk``'s state, its review log,
    and a row of the log's id (NULL when nothing was written) beside the card's note and
    file (no row when the card is gone)."""
    updated = (
        update(STATES)
        .where(STATES.c.card_id == pk, answer_repo.matches(before))
        .values(**after.columns())
        .returning(STATES.c.card_id)
        .cte("updated")
    )
    values = {
        REVIEW_LOGS.c.card_id: updated.c.card_id,
        REVIEW_LOGS.c.rating: literal(rating, REVIEW_LOGS.c.rating.type),
        REVIEW_LOGS.c.reviewed_at: literal(reviewed_at, REVIEW_LOGS.c.reviewed_at.type),
        REVIEW_LOGS.c.duration_ms: literal(duration_ms, REVIEW_LOGS.c.duration_ms.type),
        REVIEW_LOGS.c.state_before: literal(before.to_dict(), REVIEW_LOGS.c.state_before.type),
        REVIEW_LOGS.c.state_after: literal(after.to_dict(), REVIEW_LOGS.c.state_after.type),
    }
    logged = (
        insert(REVIEW_LOGS)
        .from_select(list(values), select(*values.values()))
        .returning(REVIEW_LOGS.c.id)
        .cte("logged")
    )
    return (
        select(logged.c.id, CARDS.c.note, CARDS.c.source_path)
        .select_from(CARDS.outerjoin(logged, true()))
        .where(CARDS.c.id == pk)
    )
