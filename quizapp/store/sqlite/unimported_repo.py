"""The files an import read and stored nothing from, remembered so a rescan need not parse them.

A notes folder holds many files that are no card files, and a card file with an error is
imported without any of its cards. Neither leaves a card behind, so without a record each
rescan would read and parse them again: most of a rescan's time in a real vault. Each is
kept here (table ``unimported_files``, migration 0005) by size, mtime and hash, with the
problems it was reported with, so that an unchanged one is reported again, same lines, same
messages, without being read. The records never change a card: a failed file leaves the
database as it was, and this table only says what its unchanged text gave last time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, delete, select
from sqlalchemy.exc import OperationalError

from quizapp.store.db import Database
from quizapp.store.errors import DatabaseBusy
from quizapp.store.records import StoredProblem, UnimportedFile
from quizapp.store.sqlite.import_repo import _is_busy
from quizapp.store.tables import UNIMPORTED_FILES
from quizapp.store.upsert import upsert


def load_unimported(database: Database) -> dict[str, UnimportedFile]:
    """Every remembered file, by its absolute path, in one read.

    The problems are read as JSON text and each distinct text decoded once: most records
    of a notes folder say the same ("no cards found (not a card file)"), and a rescan of
    thousands of them should not decode it thousands of times.
    """
    with database.begin() as conn:
        rows = conn.execute(
            select(
                UNIMPORTED_FILES.c.path,
                UNIMPORTED_FILES.c.size,
                UNIMPORTED_FILES.c.mtime_ns,
                UNIMPORTED_FILES.c.sha256,
                UNIMPORTED_FILES.c.reader,
                UNIMPORTED_FILES.c.failed,
                cast(UNIMPORTED_FILES.c.problems, Text),
            )
        ).all()
    found: dict[str, UnimportedFile] = {}
    decoded_texts: dict[str, tuple[StoredProblem, ...] | None] = {}
    for path, size, mtime_ns, sha256, reader, failed, problems in rows:
        if problems in decoded_texts:
            decoded = decoded_texts[problems]
        else:
            decoded = decoded_texts[problems] = _decoded(problems)
        if decoded is None:
            continue  # an unreadable record is as good as none: the file is read again
        found[path] = UnimportedFile(path, size, mtime_ns, sha256, reader, bool(failed), decoded)
    return found


def _decoded(text: str | None) -> tuple[StoredProblem, ...] | None:
    """The problems stored as JSON ``text``, or None when it is not what was stored."""
    try:
        value = json.loads(text) if text is not None else None
    except ValueError:
        return None
    return _problems(value)


def _problems(value: Any) -> tuple[StoredProblem, ...] | None:
    if not isinstance(value, list):
        return None
    problems: list[StoredProblem] = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 3):
            return None
        severity, line, message = item
        if not (isinstance(severity, str) and isinstance(line, int) and isinstance(message, str)):
            return None
        problems.append((severity, line, message))
    return tuple(problems)


def save_unimported(
    database: Database,
    remember: Sequence[UnimportedFile],
    forget: Iterable[str],
    now: datetime,
) -> None:
    """Record (or replace) ``remember`` and drop the records of the ``forget`` paths, in one
    transaction. Raises :class:`DatabaseBusy` when the write lock is not had in time."""
    gone = sorted(set(forget) - {record.path for record in remember})
    if not remember and not gone:
        return
    try:
        with database.begin(write=True) as conn:
            for start in range(0, len(gone), 500):
                chunk = gone[start : start + 500]
                conn.execute(delete(UNIMPORTED_FILES).where(UNIMPORTED_FILES.c.path.in_(chunk)))
            if remember:
                upsert(
                    conn,
                    UNIMPORTED_FILES,
                    [
                        {
                            "path": record.path,
                            "size": record.size,
                            "mtime_ns": record.mtime_ns,
                            "sha256": record.sha256,
                            "reader": record.reader,
                            "failed": record.failed,
                            "problems": [list(problem) for problem in record.problems],
                            "recorded_at": now,
                        }
                        for record in remember
                    ],
                    keys=["path"],
                    update=[
                        "size",
                        "mtime_ns",
                        "sha256",
                        "reader",
                        "failed",
                        "problems",
                        "recorded_at",
                    ],
                )
    except OperationalError as exc:
        if not _is_busy(exc):
            raise
        where = str(database.path) if database.path else database.url
        raise DatabaseBusy(where) from None


class UnimportedRepository:
    """The remembered files that gave no cards (``ports.UnimportedStore``)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def load_unimported(self) -> dict[str, UnimportedFile]:
        """Every remembered file, by its absolute path, in one read."""
        return load_unimported(self.database)

    def save_unimported(
        self, remember: Sequence[UnimportedFile], forget: Iterable[str], now: datetime
    ) -> None:
        """Record (or replace) ``remember`` and drop the records of the ``forget`` paths."""
        save_unimported(self.database, remember, forget, now)
