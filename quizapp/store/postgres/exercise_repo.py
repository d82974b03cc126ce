"""Exercise attempts on PostgreSQL: SQLite's repository, whose ORM statements are portable
(the attempt is a ``json`` column there, its time a ``timestamp``).

One difference: the ``seed`` column is a 32-bit ``integer`` on PostgreSQL (SQLite's integers
have 64 bits), so an attempt drawn from a seed beyond it is refused in one line, before
anything is written. A fresh draw's seed always fits (``new_instance`` draws below 2**31);
only a larger ``--seed`` given by hand can meet this, until a schema revision widens the
column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quizapp.store.errors import StoreError
from quizapp.store.sqlite import exercise_repo

if TYPE_CHECKING:
    from quizapp.exercises import ExerciseAttempt

#: The largest seed the ``seed`` column holds on PostgreSQL.
LARGEST_SEED = 2**31 - 1


class ExerciseRepository(exercise_repo.ExerciseRepository):
    """Exercise attempts stored and read back with the same statements as on SQLite."""

    def record_attempt(self, card_pk: int | None, attempt: ExerciseAttempt) -> int:
        """Store ``attempt`` for the card ``card_pk`` (None: a card-less exercise); a seed
        the column cannot hold raises ``StoreError`` and nothing is stored."""
        if not -LARGEST_SEED - 1 <= attempt.seed <= LARGEST_SEED:
            raise StoreError(
                f"the attempt was not saved: seed {attempt.seed} is larger than a PostgreSQL"
                f" collection stores (up to {LARGEST_SEED:,}); use a smaller --seed"
            )
        return super().record_attempt(card_pk, attempt)
