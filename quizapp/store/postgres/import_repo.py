"""Writing imported cards on PostgreSQL: SQLite's writer, with its own keys, locks and bulk path.

The import's logic (what is new, updated, unchanged, moved or missing; one transaction per
batch; caches updated only after a commit) is ``store/sqlite/import_repo.py``'s. What
differs is small:

- **Keys.** SQLite assigns ``max(id) + 1`` under its database-wide write lock. PostgreSQL
  writers do not exclude each other, so new cards take their keys from the table's own
  sequence (``nextval``, N keys in one statement): no two writers ever get the same key,
  and the sequence stays ahead of every key stored.
- **Excluding other importers.** Two imports of the same folder would both insert the same
  new deck, tag or card. Each write transaction first takes a transaction-scoped advisory
  lock (per schema, so that users of one server do not wait for each other), which plays
  the part of SQLite's write lock; it is released at commit or rollback.
- **Busy.** A lock not had within ``BUSY_TIMEOUT_MS`` (``lock_timeout``), a deadlock or a
  serialization failure is ``DatabaseBusy``: one line, the batch rolled back.
- **Bulk inserts** use ``COPY … FROM STDIN``, PostgreSQL's fastest way in, instead of
  SQLite's ``executemany``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from quizapp.store.db import BUSY_TIMEOUT_MS
from quizapp.store.records import SourceFileInfo
from quizapp.store.sqlite import import_repo
from quizapp.store.tables import CARDS

if TYPE_CHECKING:
    from quizapp.store.sqlite.history_repo import HistoryWriter

#: SQLSTATEs that mean "not now", not "not this": a lock wait that timed out, a deadlock
#: broken by the server, a serialization failure.
BUSY_STATES = frozenset({"55P03", "40P01", "40001"})

#: The advisory lock importers of one schema take (``pg_advisory_xact_lock``'s key is
#: ``hashtext`` of this and the schema's name).
_LOCK_NAME = "quizapp import"


#: ``_upsert_sources``: a file re-imported without a known root keeps the one it had.
_UPSERT_SOURCES = text(
    "INSERT INTO source_files (path, size, mtime_ns, sha256, imported_at, root)"
    " SELECT path, size, mtime_ns, sha256, :at, root FROM unnest("
    "CAST(:paths AS text[]), CAST(:sizes AS bigint[]), CAST(:mtimes AS bigint[]),"
    " CAST(:hashes AS text[]), CAST(:roots AS text[])) AS f(path, size, mtime_ns, sha256, root)"
    " ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,"
    " sha256 = excluded.sha256, imported_at = excluded.imported_at,"
    " root = COALESCE(excluded.root, source_files.root)"
)

#: ``_retarget``: the related questions' new targets, by card key and position.
_RETARGET = text(
    "UPDATE related SET target_id = f.target_id FROM unnest("
    "CAST(:cards AS bigint[]), CAST(:positions AS integer[]), CAST(:targets AS bigint[]))"
    " AS f(card_id, position, target_id)"
    " WHERE related.card_id = f.card_id AND related.position = f.position"
)


def is_busy(exc: BaseException) -> bool:
    """Whether a PostgreSQL error is a lock not had in time, a deadlock or a serialization
    failure."""
    return getattr(getattr(exc, "orig", exc), "sqlstate", None) in BUSY_STATES


def copy_rows(
    conn: Connection, table: Table, names: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """``COPY`` rows (values already in the driver's types, in ``names``' order) into
    ``table``, on the transaction's own connection.

    The driver's errors go through SQLAlchemy's handling as a statement's would: raised as
    its ``IntegrityError``, ``OperationalError`` …, the connection invalidated when it is
    lost, and the engine's fault messages applied (``ConnectionLost``,
    ``StatementTimedOut``), so that callers meet one kind of error whichever way a row
    went in.
    """
    import psycopg

    columns = ", ".join(f'"{name}"' for name in names)
    statement = f'COPY "{table.name}" ({columns}) FROM STDIN'
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(statement) as copy:
            write = copy.write_row
            for row in rows:
                write(row)
    except psycopg.Error as exc:
        # SQLAlchemy has no public way in for a driver call of its own (COPY has none);
        # this is the method its own execute calls on a driver error.
        conn._handle_dbapi_exception(exc, statement, None, cursor, None)
    finally:
        cursor.close()


def copy_many(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (all with the keys of the first) with ``COPY``, each value converted
    as SQLAlchemy would bind it (``UTCDateTime`` to naive UTC, JSON documents)."""
    if not rows:
        return
    names = list(rows[0])
    converters: list[Callable[[Any], Any] | None] = []
    for name in names:
        column_type = table.c[name].type.dialect_impl(conn.dialect)
        converters.append(column_type.bind_processor(conn.dialect))
    if not any(converters):
        copy_rows(conn, table, names, (tuple([row[name] for name in names]) for row in rows))
        return
    pairs = list(zip(names, converters, strict=True))
    copy_rows(
        conn,
        table,
        names,
        (
            tuple([row[name] if convert is None else convert(row[name]) for name, convert in pairs])
            for row in rows
        ),
    )


class ImportWriter(import_repo.ImportWriter):
    """Writes parsed files into a PostgreSQL database for one import run."""

    def _lock_for_writing(self, conn: Connection) -> None:
        conn.execute(
            text(
                "SELECT set_config('lock_timeout', :timeout, true),"
                " pg_advisory_xact_lock(hashtext(:name || current_schema()))"
            ),
            {"timeout": str(int(BUSY_TIMEOUT_MS)), "name": _LOCK_NAME},
        )

    def _is_busy(self, exc: SQLAlchemyError) -> bool:
        return is_busy(exc)

    @staticmethod
    def _change_mark(conn: Connection) -> object:
        """None: PostgreSQL keeps no count of other sessions' commits that a session can
        read, so every write reads its batch's rows again (``_refresh``)."""
        return None

    def _where(self) -> str:
        return make_url(self.database.url).render_as_string(hide_password=True)

    @classmethod
    def _upsert_sources(
        cls, conn: Connection, infos: Sequence[SourceFileInfo], now: datetime
    ) -> None:
        """SQLite's upsert of the files' records as one statement over arrays (``unnest``):
        an ``executemany`` of 200 rows costs PostgreSQL 200 statements."""
        if not infos:
            return
        conn.execute(
            _UPSERT_SOURCES,
            {
                "paths": [i.path for i in infos],
                "sizes": [i.size for i in infos],
                "mtimes": [i.mtime_ns for i in infos],
                "hashes": [i.sha256 for i in infos],
                "roots": [i.root for i in infos],
                "at": now.astimezone(UTC).replace(tzinfo=None),
            },
        )

    def _retarget(self, conn: Connection, changes: list[dict[str, Any]]) -> None:
        """One ``UPDATE … FROM unnest(…)`` for every changed link (10,000 after a first
        import), where an ``executemany`` would be one statement per link."""
        conn.execute(
            _RETARGET,
            {
                "cards": [change["c"] for change in changes],
                "positions": [change["p"] for change in changes],
                "targets": [change["t"] for change in changes],
            },
        )

    def _new_keys(self, conn: Connection, count: int) -> list[int]:
        """``count`` keys from the ``cards`` key sequence, in one statement."""
        rows = conn.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, :column))"
                " FROM generate_series(1, :count)"
            ),
            {"table": CARDS.name, "column": "id", "count": count},
        )
        return sorted(int(key) for (key,) in rows)

    def _insert_rows(self, conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        copy_many(conn, table, rows)

    def _insert_tuples(
        self, conn: Connection, table: Table, names: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        copy_rows(conn, table, names, rows)

    @staticmethod
    def _driver_value(conn: Connection, table: Table, name: str, value: Any) -> Any:
        """``value`` through the conversion of ``table``'s column ``name`` (as ``copy_many``)."""
        convert = table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        return value if convert is None else convert(value)

    def _history_writer(self) -> HistoryWriter:
        from quizapp.store.postgres import history_repo

        return history_repo.HistoryWriter()
