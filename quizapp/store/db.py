"""Opening the database: where it lives, SQLite settings, and bringing its schema up to date.

Every front end calls ``open_database`` once and passes the ``Database`` to the services.
Opening must stay fast because the TUI starts with it, so the schema revision is checked
with one plain query and Alembic (slow to import) is loaded only when an upgrade is due.
"""

from __future__ import annotations

import importlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from quizapp.store.errors import StoreError
from quizapp.store.location import DB_ENV_VAR as DB_ENV_VAR
from quizapp.store.location import HEAD_REVISION as HEAD_REVISION
from quizapp.store.location import default_database_path as default_database_path
from quizapp.store.postgres import is_postgres

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from quizapp.store.ports import (
        AnswerStore,
        CardStore,
        ExerciseStore,
        ExportStore,
        HistoryStore,
        ImportStore,
        MaintenanceStore,
        QueueStore,
        SettingsStore,
        SiblingStore,
        StatsStore,
        UnimportedStore,
    )
    from quizapp.store.records import BackupInfo
    from quizapp.store.sqlite.backup import StagedRestore

#: How long a connection waits for another process's write lock before failing.
BUSY_TIMEOUT_MS = 10_000

_BEGIN_OPTION = "quizapp_sqlite_begin"


def resolve_target(target: str | Path | None) -> str:
    """The SQLAlchemy URL for ``target``: a path, a URL, ``$QUIZAPP_DB``, or the default.

    A path becomes a URL with its characters escaped, so that ``?``, ``#`` and ``%41`` in a
    file name stay part of the name: SQLAlchemy would otherwise read ``a?mode=ro.db`` as
    the file ``a`` with a query string, and ``c%41.db`` as ``cA.db``. An empty target is
    refused rather than silently meaning the default database.
    """
    if target is None:
        target = os.environ.get(DB_ENV_VAR) or default_database_path()
    if str(target).strip() == "":
        raise StoreError("the database path is empty: give a file path or a SQLAlchemy URL")
    if isinstance(target, str) and "://" in target:
        return target
    path = Path(target).expanduser()
    database = ":memory:" if str(path) == ":memory:" else str(path.resolve())
    return URL.create("sqlite", database=database).render_as_string(hide_password=False)


def readonly_uri(path: Path) -> str:
    """A SQLite ``file:`` URI that opens ``path`` read-only, whatever characters it holds.

    ``f"file:{path}?mode=ro"`` would cut the name at a ``?`` or ``#`` and decode ``%xx``.
    """
    return f"{path.resolve().as_uri()}?mode=ro"


@dataclass
class Database:
    """An open quizapp database: the engine plus how to get sessions and connections.

    Reads use deferred transactions; ``write=True`` begins with ``BEGIN IMMEDIATE`` so a
    writer takes SQLite's write lock up front and waits (busy timeout) instead of failing
    with "database is locked" when it upgrades from reading to writing.
    """

    engine: Engine
    url: str
    path: Path | None
    on_problem: Callable[[str], None] | None = None
    """Called with each problem as ``report`` records it (a front end shows it at once)."""
    problems: list[str] = field(default_factory=list, init=False)
    """Problems met so far that did not stop the work, each once, at most ``MAX_PROBLEMS``."""
    _write_engine: Engine = field(init=False, repr=False)
    _sessions: sessionmaker[Session] = field(init=False, repr=False)
    _write_sessions: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._write_engine = self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        factory = self._write_sessions if write else self._sessions
        with factory() as session, session.begin():
            yield session

    @contextmanager
    def begin(self, *, write: bool = False) -> Iterator[Connection]:
        """A Core connection in one transaction, for bulk statements."""
        engine = self._write_engine if write else self.engine
        with engine.begin() as connection:
            yield connection

    # --- the repositories (``ports.py``), each over this database's backend ------------

    @property
    def backend(self) -> str:
        """The backend's name as a person reads it: "SQLite" or "PostgreSQL"."""
        return "PostgreSQL" if self.engine.dialect.name == "postgresql" else "SQLite"

    def _repository(self, module: str, name: str, what: str) -> Any:
        """The class ``name`` of ``module`` in this backend's package (``store/sqlite/`` or
        ``store/postgres/``), imported on first use so that a command loads only the
        repositories it calls. A backend without the module refuses ``what`` in one line
        (``NotOnThisBackend``) instead of running another backend's SQL."""
        package = "postgres" if self.engine.dialect.name == "postgresql" else "sqlite"
        qualified = f"quizapp.store.{package}.{module}"
        try:
            loaded = importlib.import_module(qualified)
        except ModuleNotFoundError as exc:
            if exc.name != qualified or package == "sqlite":
                raise
            from quizapp.store.errors import NotOnThisBackend

            raise NotOnThisBackend(what, self.backend) from None
        return getattr(loaded, name)

    @property
    def cards(self) -> CardStore:
        """The stored cards."""
        return cast("CardStore", self._repository("card_repo", "CardRepository", "cards")(self))

    @property
    def queue(self) -> QueueStore:
        """The study queue and its counts."""
        return cast(
            "QueueStore", self._repository("queue_repo", "QueueRepository", "studying")(self)
        )

    @property
    def answers(self) -> AnswerStore:
        """Answers, undo, suspend, bury, reset and the review log."""
        return cast(
            "AnswerStore", self._repository("answer_repo", "AnswerRepository", "studying")(self)
        )

    @property
    def settings(self) -> SettingsStore:
        """The stored settings."""
        repository = self._repository("settings_repo", "SettingsRepository", "settings")
        return cast("SettingsStore", repository(self))

    @property
    def siblings(self) -> SiblingStore:
        """The cards of a note, buried together."""
        repository = self._repository("sibling_repo", "SiblingRepository", "studying")
        return cast("SiblingStore", repository(self))

    @property
    def stats(self) -> StatsStore:
        """The raw figures of statistics and group counts."""
        repository = self._repository("stats_repo", "StatsRepository", "statistics")
        return cast("StatsStore", repository(self))

    @property
    def exports(self) -> ExportStore:
        """What an export reads."""
        repository = self._repository("export_repo", "ExportRepository", "exporting")
        return cast("ExportStore", repository(self))

    @property
    def exercises(self) -> ExerciseStore:
        """Exercise attempts."""
        repository = self._repository("exercise_repo", "ExerciseRepository", "exercise attempts")
        return cast("ExerciseStore", repository(self))

    @property
    def histories(self) -> HistoryStore:
        """Review histories brought from another app."""
        repository = self._repository(
            "history_repo", "HistoryRepository", "review histories from another app"
        )
        return cast("HistoryStore", repository(self))

    @property
    def unimported(self) -> UnimportedStore:
        """The files an import read that gave no cards."""
        repository = self._repository(
            "unimported_repo", "UnimportedRepository", "importing new or changed cards"
        )
        return cast("UnimportedStore", repository(self))

    @property
    def maintenance(self) -> MaintenanceStore:
        """Backups, checkups and repairs."""
        repository = self._repository("maintenance_repo", "MaintenanceRepository", "the doctor")
        return cast("MaintenanceStore", repository(self))

    def import_writer(self) -> ImportStore:
        """A writer for one import run, loaded with what is stored now (one read)."""
        writer = self._repository("import_repo", "ImportWriter", "importing new or changed cards")
        return cast("ImportStore", writer.load(self))

    def close(self) -> None:
        """Release every pooled connection (and with it SQLite's file handles)."""
        self.engine.dispose()

    def report(self, problem: str) -> None:
        """Record a problem that is worth telling but must not stop the command.

        A failed automatic backup, an unreadable row skipped, a stored setting ignored:
        the work goes on, and the front end shows the one-line ``problem`` (each once).
        After ``MAX_PROBLEMS`` a last line says more were left out.
        """
        if problem in self.problems:
            return
        if len(self.problems) >= MAX_PROBLEMS:
            if self.problems[-1] == _MORE_PROBLEMS:
                return
            problem = _MORE_PROBLEMS
        self.problems.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)


#: How many distinct problems ``Database.report`` passes on before it summarises.
MAX_PROBLEMS = 20
_MORE_PROBLEMS = "more problems were found; `quizapp doctor` lists them all"


#: Pages of WAL before SQLite checkpoints during a commit (its default is 1,000).
WAL_AUTOCHECKPOINT_PAGES = 4000


def _install_sqlite_settings(engine: Engine) -> None:
    """Pragmas on every connection, and transactions that Python's sqlite3 does not meddle with.

    pysqlite would otherwise begin transactions lazily on its own and break SAVEPOINTs;
    SQLAlchemy's documented remedy is to switch that off and emit BEGIN ourselves.
    """
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # SQLite checkpoints the WAL inside whichever commit crosses the threshold, which
            # stalls that answer by 10-30 ms. A larger threshold (16 MB) makes that rare during
            # a session; the last connection to close checkpoints the rest.
            cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _prepare_directory(path: Path) -> None:
    """Create the database's folder, or fail with a message that names it."""
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the database folder {directory}: {exc.strerror or exc}"
        ) from None
    if not directory.is_dir():
        raise StoreError(f"cannot create the database in {directory}: not a folder")
    if not path.exists() and not os.access(directory, os.W_OK):
        raise StoreError(f"cannot create the database in {directory}: the folder is not writable")
    if path.exists() and path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")


def _sqlite_path(url: str) -> Path | None:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"{url}: not a database path or SQLAlchemy URL ({exc})") from None
    if is_postgres(parsed):
        return None
    if parsed.get_backend_name() != "sqlite":
        raise StoreError(f"{url}: quizapp supports SQLite and PostgreSQL databases only")
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def database_file(target: str | Path | None) -> Path:
    """The SQLite file ``target`` names, without opening it (for backups and restores).

    Raises ``StoreError`` for a target that is no file (``:memory:``, another database).
    """
    url = resolve_target(target)
    path = _sqlite_path(url)
    if path is None:
        raise StoreError(f"{url}: only a database file can be backed up or restored")
    return path


def current_revision(connection: Connection) -> str | None:
    """The schema revision recorded in the database, or None for a database without one."""
    if connection.dialect.name != "sqlite":
        if not inspect(connection).has_table("alembic_version"):
            return None
    elif (
        connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        is None
    ):
        return None
    row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return None if row is None else str(row[0])


def _user_tables(connection: Connection) -> list[str]:
    if connection.dialect.name != "sqlite":
        return list(inspect(connection).get_table_names())
    rows = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [str(row[0]) for row in rows]


def open_database(
    target: str | Path | None = None,
    *,
    upgrade: bool = True,
    auto_backup: bool = True,
    on_problem: Callable[[str], None] | None = None,
) -> Database:
    """Open (creating if needed) the database at ``target`` and bring its schema up to date.

    ``target`` is a path, a SQLAlchemy URL, or None for ``$QUIZAPP_DB`` or the default
    location. With ``auto_backup`` a database that holds data is backed up at most once a
    day, and always just before a schema upgrade. Raises ``StoreError`` with a one-line
    message for a folder that cannot be written or a file that is not a SQLite database.

    A daily backup that fails (a full disk, ``<name>-backups`` being a file) is only
    reported through ``on_problem``: losing one day's copy must not lock the user out of
    their collection. The backup before a schema upgrade is required; without it the
    database is left as it is and ``StoreError`` says why.
    """
    url = resolve_target(target)
    path = _sqlite_path(url)
    if path is not None:
        _prepare_directory(path)
    parsed = make_url(url)
    if is_postgres(parsed):
        # PostgreSQL's connection code is imported only for a PostgreSQL URL.
        from quizapp.store.postgres.connection import (
            check_driver,
            describe_failure,
            normalised_url,
            postgres_engine,
            shown,
        )

        parsed = normalised_url(parsed)
        if (fault := check_driver(parsed)) is not None:
            raise StoreError(f"{shown(parsed)}: {fault}")
        where = shown(parsed)
        try:
            engine = postgres_engine(parsed)
        except (DatabaseError, OperationalError) as exc:
            message = describe_failure(str(getattr(exc, "orig", exc)), parsed)
            raise StoreError(f"{where}: {message}") from None
    else:
        if parsed.query:  # a ?user= or ?schema= on a SQLite URL is refused
            from quizapp.store.postgres.scoping import scope_name

            if (scope := scope_name(parsed)) is not None:
                raise StoreError(
                    f"{url}: ?user= and ?schema= ({scope}) need PostgreSQL; a SQLite file holds"
                    " one collection (give each person their own file)"
                )
        engine = create_engine(url)
        _install_sqlite_settings(engine)
        where = str(path) if path is not None else url
    database = Database(engine=engine, url=url, path=path, on_problem=on_problem)
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
            has_data = bool(_user_tables(connection))
        if revision is not None and revision != HEAD_REVISION and not _is_known(revision):
            raise StoreError(
                f"{where}: schema revision {revision} is newer than this quizapp knows;"
                " upgrade quizapp"
            )
        if revision is None and has_data:
            kind = "a PostgreSQL" if is_postgres(parsed) else "a SQLite"
            raise StoreError(f"{where}: {kind} database, but not a quizapp database")
        if auto_backup and path is not None and has_data:
            _automatic_backup(database, where, upgrading=revision != HEAD_REVISION)
        if revision != HEAD_REVISION:
            if not upgrade:
                raise StoreError(f"{where}: schema revision {revision} needs an upgrade")
            from quizapp.store.migrate import upgrade_to_head

            upgrade_to_head(database)
    except StoreError:
        engine.dispose()
        raise
    except (DatabaseError, OperationalError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        if is_postgres(parsed):
            from quizapp.store.postgres.connection import describe_failure

            raise StoreError(
                f"{where}: {describe_failure(str(getattr(exc, 'orig', exc)), parsed)}"
            ) from None
        raise StoreError(f"{where}: {_describe(exc)}") from None
    return database


def _automatic_backup(database: Database, where: str, *, upgrading: bool) -> None:
    """The daily backup (a warning when it fails) or the one before an upgrade (required)."""
    from quizapp.store.sqlite.backup import backup_if_due

    try:
        backup_if_due(database, force=upgrading)
    except StoreError as error:
        if upgrading:
            raise StoreError(
                f"{where}: the schema was not upgraded because the backup before it failed: {error}"
            ) from None
        database.report(f"the automatic backup was skipped: {error}")


def _is_known(revision: str) -> bool:
    from quizapp.store.migrate import known_revisions

    return revision in known_revisions()


def _describe(exc: Exception, *, is_backup: bool = False) -> str:
    """Turn a driver error into words a user can act on (about a backup the user named,
    with ``is_backup``: then ``--db`` is not what is wrong)."""
    message = str(getattr(exc, "orig", exc) or exc)
    if "file is not a database" in message or "not a database" in message:
        if is_backup:
            return "not a SQLite database, so not a quizapp backup (quizapp restore lists them)"
        return "not a SQLite database (is --db pointing at the right file?)"
    if "unable to open" in message:
        return "cannot open the database file (check the path and its permissions)"
    if "readonly" in message or "read-only" in message:
        return "the database is read-only (check the file's permissions)"
    if "locked" in message:
        return "the database is locked by another program; try again"
    return message.splitlines()[0] if message else type(exc).__name__


def check_sqlite_file(path: Path, *, is_backup: bool = False) -> None:
    """Raise ``StoreError`` unless ``path`` opens as an intact SQLite database
    (``is_backup``: a backup the user named, and the message says so)."""
    try:
        connection = sqlite3.connect(readonly_uri(path), uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: {_describe(exc, is_backup=is_backup)}") from None
    if result is None or result[0] != "ok":
        raise StoreError(f"{path}: fails SQLite's integrity check ({result and result[0]})")


def list_backups(path: Path) -> list[BackupInfo]:
    """The backups of the database file ``path``, newest first (it need not open)."""
    from quizapp.store.sqlite import backup

    return backup.list_backups(path)


def stage_restore(path: Path, source: Path) -> AbstractContextManager[StagedRestore]:
    """Check the backup ``source`` and stage an up-to-date copy of it beside the database
    file ``path``; ``install()`` on the result puts it in place (``StoreError`` first,
    the database untouched, when a check fails)."""
    from quizapp.store.sqlite import backup

    return backup.stage_restore(path, source)


def run_sql(database: Database, sql: str) -> list[tuple[Any, ...]]:
    """Run one raw SQL statement and return its rows: for tests and diagnostics only."""
    with database.begin(write=True) as connection:
        result = connection.execute(text(sql))
        return [tuple(row) for row in result] if result.returns_rows else []
