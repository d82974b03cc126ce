"""Answers, undo, suspend, bury and reset on PostgreSQL: SQLite's statements, which are
portable, under PostgreSQL's own locking.

The answer is the same compare-and-set ``UPDATE`` of the card's state row, matching the
``reps`` and ``last_review`` the session saw, followed by the review log, in one
transaction. Under PostgreSQL's READ COMMITTED two writers of one card cannot both win:
the second ``UPDATE`` waits for the first's row lock, then re-checks its condition
against the row the first committed, matches nothing, and the loser gets
``StaleCardError`` with its transaction rolled back (no log, no burial). Nothing else is
read before the write, so no ``SELECT … FOR UPDATE`` is needed.
"""

from __future__ import annotations

from quizapp.store.sqlite import answer_repo


class AnswerRepository(answer_repo.AnswerRepository):
    """Answers and the other writes to the schedule, over one open PostgreSQL ``Database``."""
