"""Exercise attempts on PostgreSQL: SQLite's repository, whose ORM statements are portable
(the attempt is a ``json`` column there, its time a ``timestamp``)."""

from __future__ import annotations

from quizapp.store.sqlite import exercise_repo


class ExerciseRepository(exercise_repo.ExerciseRepository):
    """Exercise attempts stored and read back with the same statements as on SQLite."""
