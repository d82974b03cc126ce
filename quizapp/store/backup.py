"""Automatic and manual backups of the database, and restoring one.

A study history is months of work, so the database is copied with SQLite's online backup
API (a consistent snapshot even while another process writes; never a file copy of a live
database) at most once a day when it is opened, and always before a schema upgrade or a
restore. Old backups are pruned to the last 7 daily and 4 weekly ones.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.store.errors import StoreError

if TYPE_CHECKING:
    from quizapp.store.db import Database

KEEP_DAILY = 7
KEEP_WEEKLY = 4
#: Automatic backups are made when the newest one is at least this old.
AUTO_INTERVAL = timedelta(days=1)
_STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where it is, when it was made, and how big it is."""

    path: Path
    created_at: datetime
    size: int


def backup_dir(database_path: Path) -> Path:
    """The folder that holds a database's backups: ``<name>-backups`` beside it."""
    return database_path.with_name(f"{database_path.stem}-backups")


def _require_path(database: Database) -> Path:
    if database.path is None:
        raise StoreError(f"{database.url}: only a database file can be backed up or restored")
    return database.path


def list_backups(database: Database) -> list[BackupInfo]:
    """The database's backups, newest first."""
    path = _require_path(database)
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    found: list[BackupInfo] = []
    prefix = f"{path.stem}-"
    for entry in folder.glob(f"{prefix}*.db"):
        stamp = entry.name[len(prefix) : -len(".db")]
        try:
            created = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
        except ValueError:
            continue
        found.append(BackupInfo(entry, created, entry.stat().st_size))
    found.sort(key=lambda info: info.created_at, reverse=True)
    return found


def _copy(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the online backup API."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def backup_now(
    database: Database, *, now: datetime | None = None, keep_all: bool = False
) -> BackupInfo:
    """Make a backup now, prune old ones (unless ``keep_all``), and return the new one."""
    path = _require_path(database)
    now = now or datetime.now(UTC)
    folder = backup_dir(path)
    target = folder / f"{path.stem}-{now.astimezone(UTC).strftime(_STAMP)}.db"
    partial = target.with_suffix(".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        _copy(path, partial)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"cannot back up {path} into {folder}: {exc}") from None
    if not keep_all:
        prune(database, now=now)
    return BackupInfo(target, now.astimezone(UTC), target.stat().st_size)


def backup_if_due(
    database: Database, *, force: bool = False, now: datetime | None = None
) -> BackupInfo | None:
    """Back up when the newest backup is a day old (or ``force``); None when not due."""
    now = now or datetime.now(UTC)
    backups = list_backups(database)
    if not force and backups and now - backups[0].created_at < AUTO_INTERVAL:
        return None
    return backup_now(database, now=now)


def prune(database: Database, *, now: datetime | None = None) -> list[Path]:
    """Delete old backups, keeping the newest of each of the last 7 days and 4 weeks.

    Everything from the last 24 hours is kept too, so a manual backup, or the one made just
    before a restore, is never pruned by the next automatic one.
    """
    now = now or datetime.now(UTC)
    backups = list_backups(database)
    keep: set[Path] = {info.path for info in backups if now - info.created_at < AUTO_INTERVAL}
    days: set[object] = set()
    weeks: set[object] = set()
    for info in backups:  # newest first: the first seen in a day or week is its newest
        day = info.created_at.date()
        week = info.created_at.isocalendar()[:2]
        if day not in days and len(days) < KEEP_DAILY:
            days.add(day)
            keep.add(info.path)
        if week not in weeks and len(weeks) < KEEP_WEEKLY:
            weeks.add(week)
            keep.add(info.path)
    removed = [info.path for info in backups if info.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def restore(database: Database, backup: Path, *, now: datetime | None = None) -> BackupInfo:
    """Replace the database's contents with ``backup``, after backing up the current state.

    Returns the backup of the state that was replaced. The copy goes through SQLite's
    backup API into the live file, so other connections see either the old or the new
    database, never a mix.
    """
    from quizapp.store.db import check_sqlite_file, current_revision

    path = _require_path(database)
    if not backup.is_file():
        raise StoreError(f"{backup}: no such backup file")
    check_sqlite_file(backup)
    probe = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        has_version = probe.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
    finally:
        probe.close()
    if has_version is None:
        raise StoreError(f"{backup}: not a quizapp database")
    saved = backup_now(database, now=now, keep_all=True)
    database.engine.dispose()
    try:
        _copy(backup, path)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot restore {backup} into {path}: {exc}") from None
    database.engine.dispose()
    with database.engine.connect() as connection:
        revision = current_revision(connection)
    from quizapp.store.db import HEAD_REVISION

    if revision != HEAD_REVISION:
        from quizapp.store.migrate import upgrade_to_head

        upgrade_to_head(database)
    return saved
