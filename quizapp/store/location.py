"""Where the database file lives and which schema revision is current, without SQLAlchemy.

``quizapp.store.db`` re-exports everything here. It lives apart so that start-up code
(``quizapp.store.today_counts``) can find and check the database file before SQLAlchemy,
which takes about 0.65 s to import, is loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The newest migration. A test checks that it equals the Alembic script head.
HEAD_REVISION = "0006"

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
