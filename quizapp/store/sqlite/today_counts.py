"""Today's due counts read with the stdlib ``sqlite3`` driver, before SQLAlchemy is loaded.

Why this module exists: start-up speed. The TUI's home screen is "ready" once today's
counts are drawn, and importing SQLAlchemy (core and ORM) takes about 0.65 s, four times
longer than the counts themselves. So the home screen first asks this module, which opens
the database file read-only and runs the same four counts as
``StudySession(db).progress()`` (unfiltered queue, daily limits applied) in plain SQL; then
the normal path opens the database and replaces the figures with the service's (a test
keeps the two equal).

Anything unusual (no file, another schema revision, not a SQLite file) gives None and the
normal path alone runs; a stored setting that does not validate is replaced by its default
exactly as the normal path does it (which also reports it). Only cheap modules are
imported here: no SQLAlchemy, no NumPy.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from quizapp.scheduling.memory import LEARNING, RELEARNING, REVIEW
from quizapp.scheduling.queue import daily_budget, day_window, local_timezone
from quizapp.scheduling.settings import SETTING_KEYS, SettingError, Settings
from quizapp.store.due_today import DueToday
from quizapp.store.location import HEAD_REVISION
from quizapp.store.row_decode import decode_settings
from quizapp.store.sqlite.availability import UNAVAILABLE_IDS

#: ``review_logs.review_kind`` values, as ``quizapp.store.models.KIND_NEW``/``KIND_REVIEW``
#: (that module imports SQLAlchemy; a test checks they agree).
KIND_NEW, KIND_REVIEW = 0, 2

#: Answered cards due today: learning ones due by now, and review ones due before the
#: day ends (as ``QueueRepository.due_counts`` without a filter).
_DUE = f"""SELECT
    coalesce(sum(state IN ({LEARNING}, {RELEARNING}) AND due <= :now), 0),
    coalesce(sum(state = {REVIEW}), 0)
FROM card_states
WHERE due < :end AND reps > 0 AND card_id NOT IN ({UNAVAILABLE_IDS})"""

#: New (never answered) available cards, from the partial index of new cards.
_NEW = f"""SELECT count(*) FROM card_states INDEXED BY ix_card_states_new
WHERE card_states.reps = 0 AND card_states.card_id NOT IN ({UNAVAILABLE_IDS})"""

#: Answers given in today's window, split as the daily limits count them.
_ANSWERED = f"""SELECT
    coalesce(sum(review_kind = {KIND_NEW}), 0),
    coalesce(sum(review_kind = {KIND_REVIEW}), 0)
FROM review_logs WHERE reviewed_at >= :start AND reviewed_at < :end"""


def read_today_counts(path: Path, now: datetime, zone: tzinfo | None = None) -> DueToday | None:
    """Today's counts from the SQLite file at ``path``, or None to use the normal path.

    ``now`` is aware; ``zone`` is the local zone for the day rollover (default: the
    machine's). The file is opened read-only and never created.
    """
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return _counts(connection, now, zone or local_timezone())
    except (sqlite3.Error, SettingError, ValueError, TypeError, KeyError):
        return None
    finally:
        connection.close()


def _counts(connection: sqlite3.Connection, now: datetime, zone: tzinfo) -> DueToday | None:
    if _revision(connection) != HEAD_REVISION:
        return None
    # The same tolerant reading as ``SettingsRepository.load_settings``, so that a bad
    # stored value gives the same (default) figures here as there.
    keys = ",".join("?" * len(SETTING_KEYS))
    query = f"SELECT key, value FROM settings WHERE key IN ({keys})"
    stored, _ = decode_settings(connection.execute(query, SETTING_KEYS))
    settings, _ = Settings.from_storage_reporting(stored)
    window = day_window(now, settings.day_rollover_hour, zone)
    times = {"now": _stored(now), "start": _stored(window.start), "end": _stored(window.end)}
    learning, review = connection.execute(_DUE, times).fetchone()
    (fresh,) = connection.execute(_NEW, times).fetchone()
    new_done, reviews_done = connection.execute(_ANSWERED, times).fetchone()
    budget = daily_budget(settings, int(reviews_done), int(new_done))
    return DueToday(
        new=min(int(fresh), budget.new_left),
        learning=int(learning),
        review=min(int(review), budget.reviews_left),
    )


def _revision(connection: sqlite3.Connection) -> str | None:
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if has_table is None:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def _stored(moment: datetime) -> str:
    """A datetime in the text form SQLAlchemy stores it in SQLite (naive UTC)."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: quizapp compares aware UTC datetimes")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
