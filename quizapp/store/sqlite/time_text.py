"""A time as quizapp stores it in SQLite, written without SQLAlchemy.

On SQLite a ``UTCDateTime`` (``store/tables.py``) is text: naive UTC with six digits of
microseconds, ``2026-01-20 12:00:00.000000``, exactly as SQLAlchemy binds it. SQL compares
times as text (an answer's compare-and-set on the last review, due queries), so every
writer that hands sqlite3 the values itself (the import's bulk writer, the review-log
writer, the starter database's relocation, which runs without SQLAlchemy) must write this
text and no other: sqlite3's own adapter drops ``.000000`` on a whole second, and such a
time never equals one bound later.
"""

from __future__ import annotations

from datetime import UTC, datetime


def sqlite_time_text(moment: datetime) -> str:
    """``moment`` (aware) as the store's SQLite text; twice as fast as ``strftime``."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: quizapp stores aware UTC datetimes only")
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(" ", "microseconds")[:26]
