"""Where the database file lives and which schema revision is current, without SQLAlchemy.

``quizapp.store.db`` re-exports everything here. It lives apart so that start-up code
can find the database file and read today's counts (``peek_today_counts``) before
SQLAlchemy, which takes about 0.65 s to import, is loaded.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, tzinfo
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.store.due_today import DueToday
    from quizapp.store.records import FileStamp

#: The newest migration. A test checks that it equals the Alembic script head.
HEAD_REVISION = "0008"

#: The environment variable that overrides the default database location.
DB_ENV_VAR = "QUIZAPP_DB"


def default_database_path() -> Path:
    """``quizapp.db`` in the platform's user data directory (e.g. ~/.local/share/quizapp)."""
    from platformdirs import user_data_path

    return user_data_path("quizapp", appauthor=False) / "quizapp.db"


def sqlite_file(target: str | Path | None) -> Path | None:
    """The plain SQLite file ``target`` names (as ``open_database`` reads it), else None.

    None for a URL (``sqlite:///...`` or any other ``://``) and for ``:memory:``: only a
    file path can be opened without SQLAlchemy.
    """
    if target is None or target == "":
        target = os.environ.get(DB_ENV_VAR) or default_database_path()
    if isinstance(target, str) and "://" in target:
        return None
    path = Path(target).expanduser()
    if str(path) == ":memory:":
        return None
    return path.resolve()


def peek_today_counts(
    target: str | Path | None, now: datetime, zone: tzinfo | None = None
) -> DueToday | None:
    """Today's counts for the store ``target`` names, read without SQLAlchemy, or None
    when that store has no such fast path (not a plain file of the current schema).

    The backend's own fast read: for a SQLite file, the stdlib driver opening it
    read-only (``quizapp.store.sqlite.today_counts``).
    """
    path = sqlite_file(target)
    if path is None:
        return None
    from quizapp.store.sqlite.today_counts import read_today_counts

    return read_today_counts(path, now, zone)


def relocate_starter(
    database: Path, root: PurePath, files: Mapping[str, FileStamp], now: datetime
) -> bool:
    """Move the starter database file ``database`` (the bundled deck, imported elsewhere)
    to a deck at ``root`` whose files are ``files`` (relative path with ``/`` to stamp),
    dated ``now``; False, with nothing changed, when it is not exactly such an import.

    SQLite only (a starter database is a file), without SQLAlchemy, on a staging file
    nobody else has open (``quizapp.store.sqlite.starter_relocation``).
    """
    from quizapp.store.sqlite.starter_relocation import relocate

    return relocate(database, root, files, now)
