"""Moving a starter database (the bundled deck, already imported) to where it is used.

Why this module exists: a first run copies a ready-made database holding the bundled
deck into place instead of importing the deck (``quizapp/starter_copy.py``,
``quizapp/bundled_starter.py``). Such a database was made elsewhere: its source files
were at another folder, with other mtimes, and it was imported at another time. Before
the copy is put in place, this rewrites exactly what depends on that, in one
transaction, so that it reads as if the deck had been imported here and now: each
source file's path (``source_files.path`` and ``root``, ``cards.source_path``), size
and mtime, and the dates of the import (cards created and updated, new cards due,
files imported).

Reached through ``quizapp.store.location.relocate_starter``. Plain ``sqlite3``, like
``today_counts``: it runs before SQLAlchemy is loaded, on a
private staging file no other process sees. Anything unexpected (a file the database
knows that the deck lacks, a card whose source file is not recorded, files recorded
as unimported, answers already given) refuses the copy, and the caller imports the
deck the normal way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path, PurePath

from quizapp.store.records import FileStamp
from quizapp.store.sqlite.time_text import sqlite_time_text

#: Put before a path while it moves (see ``_relocate``).
_MOVING = "relocating:"


def relocate(database: Path, root: PurePath, files: Mapping[str, FileStamp], now: datetime) -> bool:
    """Rewrite the starter database file ``database`` (a private staging file nobody else
    has open) for a deck at ``root`` imported ``now``.

    ``files`` maps each deck file's path relative to ``root`` (with ``/``) to its stamp.
    True once committed; False, with nothing changed, when the database does not hold
    exactly an import of those files and nothing else.
    """
    try:
        connection = sqlite3.connect(database, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        # A private staging file, put in place only once this committed: it needs the
        # journal only to roll back, not to survive a crash, and is flushed as a whole
        # by the caller before it is linked into place.
        connection.execute("PRAGMA journal_mode = MEMORY")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN IMMEDIATE")
        if not _relocate(connection, root, files, sqlite_time_text(now)):
            connection.execute("ROLLBACK")
            return False
        connection.execute("COMMIT")
        return True
    except (sqlite3.Error, ValueError):
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        return False
    finally:
        connection.close()


def _relocate(
    connection: sqlite3.Connection, root: PurePath, files: Mapping[str, FileStamp], now: str
) -> bool:
    (unimported,) = connection.execute("SELECT count(*) FROM unimported_files").fetchone()
    (answers,) = connection.execute("SELECT count(*) FROM review_logs").fetchone()
    if unimported or answers:
        return False
    moves: list[tuple[str, str, int, int, str]] = []
    for old_path, old_root in connection.execute("SELECT path, root FROM source_files"):
        if old_root is None:
            return False
        relative = PurePath(old_path).relative_to(old_root).as_posix()
        stamp = files.get(relative)
        if stamp is None:
            return False
        moves.append((old_path, str(root / relative), stamp.size, stamp.mtime_ns, relative))
    if not moves:
        return False
    (strays,) = connection.execute(
        "SELECT count(*) FROM cards WHERE source_path NOT IN (SELECT path FROM source_files)"
    ).fetchone()
    if strays:
        return False
    # Two passes through a prefix no absolute path has, so that a new path never meets
    # an old one that has not moved yet (the path is the primary key).
    connection.executemany(
        "UPDATE cards SET source_path = ? WHERE source_path = ?",
        [(_MOVING + new, old) for old, new, *_ in moves],
    )
    connection.executemany(
        "UPDATE source_files SET path = ?, root = ?, size = ?, mtime_ns = ? WHERE path = ?",
        [(_MOVING + new, str(root), size, mtime, old) for old, new, size, mtime, _ in moves],
    )
    for table, column in (("cards", "source_path"), ("source_files", "path")):
        connection.execute(
            f"UPDATE {table} SET {column} = substr({column}, :cut)"
            f" WHERE substr({column}, 1, :cut - 1) = :moving",
            {"cut": len(_MOVING) + 1, "moving": _MOVING},
        )
    connection.execute("UPDATE cards SET created_at = ?, updated_at = ?", (now, now))
    connection.execute("UPDATE card_states SET due = ? WHERE reps = 0", (now,))
    connection.execute("UPDATE source_files SET imported_at = ?", (now,))
    return True
