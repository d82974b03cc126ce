"""Answers, undo, suspend, bury and reset on PostgreSQL: SQLite's statements, which are
portable, under PostgreSQL's own locking.

The answer is the same compare-and-set ``UPDATE`` of the card's state row, matching the
``reps`` and ``last_review`` the session saw, followed by the review log, in one
transaction. Under PostgreSQL's READ COMMITTED two writers of one card cannot both win:
the second ``UPDATE`` waits for the first's row lock, then re-checks its condition
against the row the first committed, matches nothing, and the loser gets
``StaleCardError`` with its transaction rolled back (no log, no burial). Nothing else is
read before the write, so no ``SELECT … FOR UPDATE`` is needed.

A server is a connection away, and a connection can break while the answer's ``COMMIT``
is under way: the server may have committed it, or not, and the driver cannot tell. The
answer is then looked up on a new connection (its log, by card and time, one indexed
read), so the caller learns which: the answer was stored (its log's id is returned as
if nothing had happened), or it was not (``ConnectionLost`` with ``saved`` False).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from quizapp.scheduling.memory import MemoryState
from quizapp.store.errors import ConnectionLost, StoreError
from quizapp.store.records import BuriedSibling
from quizapp.store.sqlite import answer_repo
from quizapp.store.tables import REVIEW_LOGS


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
