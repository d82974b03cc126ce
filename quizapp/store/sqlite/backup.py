"""Automatic and manual backups of the database, and restoring one.

A study history is months of work, so the database is copied with SQLite's online backup
API (a consistent snapshot even while another process writes; never a file copy of a live
database) at most once a day when it is opened, and always before a schema upgrade or a
restore. Old backups are pruned to the last 7 daily and 4 weekly ones.

Two rules keep a backup from ever making things worse:

- A copy joins the rotation only after it passes ``PRAGMA integrity_check``. A corrupt
  database therefore never pushes good backups out: nothing is pruned unless the new copy
  is good, and the newest good backup is always kept.
- ``restore`` checks the backup (integrity, a schema revision this quizapp knows, every
  table and column) and brings a copy of it up to date beside the database *before* the
  live file is touched. A backup that fails any check is refused and the database stays
  exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.store.errors import StoreError
from quizapp.store.records import BackupInfo

if TYPE_CHECKING:
    from quizapp.store.db import Database

KEEP_DAILY = 7
KEEP_WEEKLY = 4
#: Automatic backups are made when the newest one is at least this old.
AUTO_INTERVAL = timedelta(days=1)
_STAMP = "%Y%m%dT%H%M%S%fZ"
#: Suffix of a copy of a corrupt database saved before a restore: kept for rescue, but
#: outside the rotation (``list_backups`` only lists ``.db`` files).
CORRUPT_SUFFIX = ".corrupt"


def backup_dir(database_path: Path) -> Path:
    """The folder that holds a database's backups: ``<name>-backups`` beside it."""
    return database_path.with_name(f"{database_path.stem}-backups")


def _file_of(database: Database | Path) -> Path:
    """The database file a ``Database`` (or a plain path) stands for."""
    if isinstance(database, Path):
        return database
    if database.path is None:
        raise StoreError(f"{database.url}: only a database file can be backed up or restored")
    return database.path


def list_backups(database: Database | Path) -> list[BackupInfo]:
    """The database's backups, newest first.

    Takes the open ``Database`` or just its file, so that backups can be listed (and one
    restored) even when the database itself no longer opens.
    """
    path = _file_of(database)
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    found: list[BackupInfo] = []
    prefix = f"{path.stem}-"
    try:
        for entry in folder.glob(f"{prefix}*.db"):
            stamp = entry.name[len(prefix) : -len(".db")]
            try:
                created = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
            except ValueError:
                continue
            found.append(BackupInfo(entry, created, entry.stat().st_size))
    except OSError as exc:
        raise StoreError(f"cannot read the backups in {folder}: {exc.strerror or exc}") from None
    found.sort(key=lambda info: info.created_at, reverse=True)
    return found


def _copy(source: Path, target: Path, *, standalone: bool = False) -> None:
    """Copy one SQLite database into another with the online backup API.

    ``standalone`` switches the copy to a rollback journal: a backup file is then one
    self-contained file, and checking or reading it leaves no ``-wal``/``-shm`` beside it.
    """
    from quizapp.store.db import readonly_uri

    src = sqlite3.connect(readonly_uri(source), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            if standalone:
                dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _remove(*paths: Path) -> None:
    """Delete leftovers, ignoring any that cannot be (the error that matters is reported)."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _stamped(path: Path, now: datetime, suffix: str = ".db") -> Path:
    return backup_dir(path) / f"{path.stem}-{now.astimezone(UTC).strftime(_STAMP)}{suffix}"


def backup_now(
    database: Database | Path, *, now: datetime | None = None, keep_all: bool = False
) -> BackupInfo:
    """Make a backup now, prune old ones (unless ``keep_all``), and return the new one.

    The copy is checked with ``PRAGMA integrity_check`` before it joins the rotation; a
    copy that fails is deleted and ``StoreError`` says so, and nothing is pruned.
    """
    from quizapp.store.db import check_sqlite_file

    path = _file_of(database)
    now = now or datetime.now(UTC)
    folder = backup_dir(path)
    target = _stamped(path, now)
    partial = target.with_suffix(".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        _copy(path, partial, standalone=True)
    except (OSError, sqlite3.Error) as exc:
        _remove(partial)
        raise StoreError(f"cannot back up {path} into {folder}: {_reason(exc)}") from None
    try:
        check_sqlite_file(partial)
    except StoreError as error:
        _remove(partial)
        raise StoreError(
            f"{path} fails SQLite's integrity check, so its copy was not kept as a backup "
            f"({_last_good(path)}); run `quizapp doctor` ({_detail(error, partial)})"
        ) from None
    try:
        os.replace(partial, target)
        info = BackupInfo(target, now.astimezone(UTC), target.stat().st_size)
    except OSError as exc:
        _remove(partial)
        raise StoreError(f"cannot back up {path} into {folder}: {_reason(exc)}") from None
    if not keep_all:
        prune(path, now=now)
    return info


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror if exc.filename is None else f"{exc.filename}: {exc.strerror}"
    return str(exc) or type(exc).__name__


def _detail(error: StoreError, checked: Path) -> str:
    """A check's message without the name of the temporary file it ran on."""
    return str(error).removeprefix(f"{checked}: ")


def _last_good(path: Path) -> str:
    try:
        backups = list_backups(path)
    except StoreError:
        backups = []
    if not backups:
        return "there is no earlier backup"
    return f"the last good one, {backups[0].path.name}, is kept"


def backup_if_due(
    database: Database | Path, *, force: bool = False, now: datetime | None = None
) -> BackupInfo | None:
    """Back up when the newest backup is a day old (or ``force``); None when not due."""
    now = now or datetime.now(UTC)
    backups = list_backups(database)
    if not force and backups and now - backups[0].created_at < AUTO_INTERVAL:
        return None
    return backup_now(database, now=now)


def prune(database: Database | Path, *, now: datetime | None = None) -> list[Path]:
    """Delete old backups, keeping the newest of each of the last 7 days and 4 weeks.

    Everything from the last 24 hours is kept too, so a manual backup, or the one made just
    before a restore, is never pruned by the next automatic one. The newest backup is
    always kept, whatever the clock says.
    """
    now = now or datetime.now(UTC)
    backups = list_backups(database)
    keep: set[Path] = {info.path for info in backups if now - info.created_at < AUTO_INTERVAL}
    if backups:
        keep.add(backups[0].path)
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
        _remove(path)
    return removed


# --- restoring -----------------------------------------------------------------------


def check_backup(backup: Path) -> str:
    """Raise ``StoreError`` unless ``backup`` could be restored; return its revision.

    The file must open as SQLite, pass ``PRAGMA integrity_check`` and carry a schema
    revision this quizapp knows (a backup made by a newer quizapp is refused: its tables
    may mean something else). Whether every table is there is checked on the staged copy,
    after any upgrade (see ``restore``).
    """
    from quizapp.store.db import HEAD_REVISION, check_sqlite_file, readonly_uri

    if not backup.is_file():
        raise StoreError(f"{backup}: no such backup file")
    check_sqlite_file(backup, is_backup=True)
    probe = sqlite3.connect(readonly_uri(backup), uri=True)
    try:
        has_version = probe.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        row = None
        if has_version is not None:
            row = probe.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise StoreError(f"{backup}: cannot be read ({exc})") from None
    finally:
        probe.close()
    if has_version is None or row is None:
        raise StoreError(f"{backup}: not a quizapp database (it has no schema revision)")
    revision = str(row[0])
    if revision != HEAD_REVISION:
        from quizapp.store.migrate import known_revisions

        if revision not in known_revisions():
            raise StoreError(
                f"{backup}: schema revision {revision} is unknown to this quizapp (made by a "
                "newer version?); upgrade quizapp to restore it"
            )
    return revision


def _check_complete(staged: Path, backup: Path) -> None:
    """Raise ``StoreError`` unless the staged copy holds every table and column."""
    from quizapp.store.db import readonly_uri
    from quizapp.store.tables import METADATA

    connection = sqlite3.connect(readonly_uri(staged), uri=True)
    try:
        absent: list[str] = []
        for table in METADATA.sorted_tables:
            columns = {
                str(row[1]) for row in connection.execute(f'PRAGMA table_xinfo("{table.name}")')
            }
            if not columns:
                absent.append(table.name)
            else:
                absent.extend(
                    f"{table.name}.{column.name}"
                    for column in table.columns
                    if column.name not in columns
                )
    finally:
        connection.close()
    if absent:
        raise StoreError(
            f"{backup}: not a complete quizapp database (missing: {', '.join(absent)})"
        )


def _stage(backup: Path, staged: Path) -> None:
    """Copy ``backup`` to ``staged``, bring it up to date and check it is complete."""
    from quizapp.store.db import open_database

    _remove(*_with_journals(staged))
    try:
        _copy(backup, staged)
    except (OSError, sqlite3.Error) as exc:
        _remove(*_with_journals(staged))
        raise StoreError(f"cannot restore {backup}: {_reason(exc)}") from None
    try:
        copy = open_database(staged, auto_backup=False)
    except StoreError as error:
        _remove(*_with_journals(staged))
        raise StoreError(
            f"{backup}: cannot be brought up to date ({_detail(error, staged)})"
        ) from None
    copy.close()
    try:
        _check_complete(staged, backup)
    except StoreError:
        _remove(*_with_journals(staged))
        raise


def _with_journals(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _save_current(path: Path, now: datetime) -> BackupInfo | None:
    """Back up the state about to be replaced (None when there is no database yet).

    A database that is itself damaged cannot be backed up properly, and replacing it is
    exactly what restoring is for: its files are then copied as they are, outside the
    rotation (``*.corrupt``), so nothing is ever thrown away.
    """
    from quizapp.store.db import check_sqlite_file

    if not path.exists():
        return None
    try:
        check_sqlite_file(path)
    except StoreError:
        target = _stamped(path, now, CORRUPT_SUFFIX)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            for source, copy in zip(_with_journals(path), _with_journals(target), strict=True):
                if source.exists():
                    shutil.copyfile(source, copy)
        except OSError as exc:
            raise StoreError(
                f"cannot save the current {path} before restoring: {_reason(exc)}"
            ) from None
        return BackupInfo(target, now.astimezone(UTC), target.stat().st_size)
    try:
        return backup_now(path, now=now, keep_all=True)
    except StoreError as error:
        raise StoreError(f"nothing was restored: {error}") from None


def _install(staged: Path, path: Path) -> None:
    """Put the staged database in place of ``path``.

    Through SQLite's backup API when the live file is a healthy database, so that other
    connections see the old or the new database, never a mix; by replacing the file when
    the live one is damaged (the backup API cannot write into it).
    """
    from quizapp.store.db import check_sqlite_file

    healthy = True
    if path.exists():
        try:
            check_sqlite_file(path)
        except StoreError:
            healthy = False
    if healthy:
        try:
            _copy(staged, path)
            return
        except sqlite3.Error as exc:
            raise StoreError(f"cannot restore into {path}: {exc}; it was left as it was") from None
    try:
        _remove(*_with_journals(path)[1:])
        os.replace(staged, path)
    except OSError as exc:
        raise StoreError(f"cannot restore into {path}: {_reason(exc)}") from None


@dataclass
class StagedRestore:
    """A backup that passed every check, copied and upgraded beside the database.

    ``install`` saves the current state and puts the staged copy in place; leaving the
    ``with`` block (or ``discard``) without installing removes the staged copy and leaves
    the database untouched. The CLI asks for confirmation in between, so a backup that
    would be refused is refused before the user is asked anything.
    """

    backup: Path
    path: Path
    staged: Path

    def install(self, *, now: datetime | None = None) -> BackupInfo | None:
        """Save the current state, then replace it with the staged copy.

        Returns the backup of the replaced state (None if there was no database file).
        """
        now = now or datetime.now(UTC)
        try:
            saved = _save_current(self.path, now)
            _install(self.staged, self.path)
        finally:
            self.discard()
        return saved

    def discard(self) -> None:
        """Remove the staged copy (nothing else is touched)."""
        _remove(*_with_journals(self.staged))

    def __enter__(self) -> StagedRestore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.discard()


def stage_restore(database: Database | Path, backup: Path) -> StagedRestore:
    """Check ``backup`` and stage an up-to-date copy of it beside the database.

    ``check_backup`` first, then the copy is upgraded to the current schema and checked
    for every table and column. Raises ``StoreError`` (one line, the database untouched)
    when any check fails.
    """
    path = _file_of(database)
    check_backup(backup)
    staged = path.with_name(f".{path.name}.restoring")
    _stage(backup, staged)
    return StagedRestore(backup, path, staged)
