"""Storing live-exercise attempts and reading them back.

An attempt is kept whole as the JSON of ``ExerciseAttempt.to_dict()`` (seed, answers,
verdicts, reveals, time, ratings), with the exercise id, seed and suggested rating also
in their own columns so they can be queried without decoding JSON. The seed alone
replays the instance, so nothing drawn is stored.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from quizapp.store.db import Database
from quizapp.store.models import ExerciseAttemptRow

if TYPE_CHECKING:
    from quizapp.exercises import ExerciseAttempt


def record_attempt(db: Database, card_pk: int | None, attempt: ExerciseAttempt) -> int:
    """Store ``attempt`` for the card with key ``card_pk`` (None: a card-less exercise).

    One short write transaction; returns the new row's id. ``created_at`` is when the
    attempt ended (start plus duration), so it comes from the attempt's own clock and a
    replayed or tested attempt stores the same time.
    """
    row = ExerciseAttemptRow(
        card_id=card_pk,
        exercise_id=attempt.spec_id,
        seed=attempt.seed,
        attempt=attempt.to_dict(),
        suggested_rating=attempt.suggested_rating,
        created_at=attempt.started_at + timedelta(milliseconds=attempt.duration_ms),
    )
    with db.session(write=True) as session:
        session.add(row)
        session.flush()
        return int(row.id)


def attempts_for(db: Database, card_pk: int) -> list[ExerciseAttempt]:
    """Every stored attempt for the card ``card_pk``, newest first.

    Raises ``ExerciseError`` if a stored attempt's JSON is malformed (hand-edited data),
    rather than returning a half-read attempt.
    """
    from quizapp.exercises import ExerciseAttempt

    statement = (
        select(ExerciseAttemptRow.attempt)
        .where(ExerciseAttemptRow.card_id == card_pk)
        .order_by(ExerciseAttemptRow.created_at.desc(), ExerciseAttemptRow.id.desc())
    )
    with db.session() as session:
        rows = list(session.execute(statement).scalars())
    return [ExerciseAttempt.from_dict(data) for data in rows]


class ExerciseRepository:
    """Exercise attempts over one open ``Database`` (``ports.ExerciseStore``)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def record_attempt(self, card_pk: int | None, attempt: ExerciseAttempt) -> int:
        """Store ``attempt`` for the card ``card_pk`` (None: a card-less exercise)."""
        return record_attempt(self.database, card_pk, attempt)

    def attempts_for(self, card_pk: int) -> list[ExerciseAttempt]:
        """Every stored attempt for the card ``card_pk``, newest first."""
        return attempts_for(self.database, card_pk)
