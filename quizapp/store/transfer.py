"""Copying a whole collection between databases (``quizapp copy-db``), SQLite or PostgreSQL
either way, checked equal before it is committed.

Every table is copied through SQLAlchemy Core, parents first, in batches: cards, states,
every review and practice log, tags, related questions, settings, exercise attempts,
source files and unimported files. The target is written in one transaction; before it
commits, each table is read back from the target and its row count and SHA-256 of
canonical content (``canonical.py``) compared with the source's. A difference rolls the
whole copy back, so the target is either an equal copy or as it was.

The source is read in one snapshot (REPEATABLE READ on PostgreSQL, one read transaction on
SQLite), so answers given meanwhile cannot make the copy inconsistent. On PostgreSQL the
key sequences are moved past the copied keys, so the next card or log gets a free id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Table, delete, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from quizapp.store.canonical import (
    DigestBuilder,
    TableDigest,
    collection_tables,
    read_rows,
    table_digest,
)
from quizapp.store.db import Database, open_database, resolve_target
from quizapp.store.errors import StoreError
from quizapp.store.postgres.connection import shown
from quizapp.store.postgres.scoping import collection_key
from quizapp.text import plural


class CopyRefused(StoreError):
    """The copy was refused or undone, and the target left as it was (not a bad URL)."""


@dataclass
class CopyReport:
    """What a copy wrote: each table's row count and digest, equal in source and target."""

    source: str
    target: str
    tables: list[TableDigest] = field(default_factory=list)
    replaced: bool = False
    """Whether the target held rows that ``force`` replaced."""

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)


def describe_target(target: str | Path) -> str:
    """``target`` as messages name it: a file's path, or a URL with its password hidden."""
    url = make_url(resolve_target(target))
    if url.get_backend_name() == "sqlite" and url.database:
        return url.database
    return shown(url)


def _source_url(target: str | Path) -> str:
    """The source's URL; a SQLite file that does not exist is refused (never created)."""
    url = resolve_target(target)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:"):
            raise StoreError(f"{url}: an in-memory database holds nothing to copy")
        if not database.startswith("file:") and not Path(database).is_file():
            raise StoreError(f"{database}: no such database file")
    return url


def _collection(url: str) -> object:
    """What tells two URLs' collections apart (a PostgreSQL URL's scope, not its timeout)."""
    parsed = make_url(url)
    return collection_key(parsed) if parsed.get_backend_name() == "postgresql" else parsed


@contextmanager
def _snapshot(database: Database) -> Iterator[Connection]:
    """A read transaction that sees one moment of ``database`` throughout."""
    if database.engine.dialect.name == "postgresql":
        with database.engine.connect() as connection:
            snapshot = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with snapshot.begin():
                yield snapshot
    else:
        with database.begin() as connection:
            yield connection


def _analyze(database: Database, name: str, on_problem: Callable[[str], None] | None) -> None:
    """On PostgreSQL, gather the planner's statistics of the tables just filled.

    Until autovacuum gets to them, PostgreSQL plans a table it has no statistics of as
    nearly empty, so the first sessions on a freshly copied collection of 100,000 cards
    could be planned badly. SQLite is left as it is: its queries are written for its
    planner without statistics. The copy is already committed: a failure here is only a
    warning."""
    if database.engine.dialect.name != "postgresql":
        return
    tables = ", ".join(table.name for table in collection_tables())
    try:
        with database.begin(write=True) as connection:
            connection.execute(text(f"ANALYZE {tables}"))
    except DBAPIError as exc:
        if on_problem is not None:
            first = str(exc.orig).strip().splitlines()
            reason = first[0] if first else type(exc.orig).__name__
            on_problem(f"{name}: copied, but its statistics were not gathered: {reason}")


def holds_rows(connection: Connection) -> list[str]:
    """The collection tables of ``connection``'s database that hold at least one row."""
    return [
        table.name
        for table in collection_tables()
        if connection.execute(select(1).select_from(table).limit(1)).first() is not None
    ]


def advance_sequences(connection: Connection, table: Table) -> None:
    """On PostgreSQL, move ``table``'s key sequence past its largest key."""
    column = table.autoincrement_column
    if connection.dialect.name != "postgresql" or column is None:
        return
    connection.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'),"
            f" COALESCE(MAX({column.name}), 1), MAX({column.name}) IS NOT NULL)"
            f" FROM {table.name}"
        )
    )


def copy_tables(source: Connection, target: Connection) -> list[TableDigest]:
    """Copy every table from ``source`` into ``target`` (both in their transactions) and
    return the source's digests; raises ``StoreError`` when the target reads back different.
    """
    digests: list[TableDigest] = []
    for table in collection_tables():
        builder = DigestBuilder(table)
        for batch in read_rows(source, table):
            builder.add(batch)
            target.execute(insert(table), batch)
        advance_sequences(target, table)
        digests.append(builder.digest())
    for expected in digests:
        table = next(t for t in collection_tables() if t.name == expected.table)
        found = table_digest(target, table)
        if found != expected:
            raise CopyRefused(
                f"the copy of {expected.table} differs from the source"
                f" ({plural(found.rows, 'row')} against {expected.rows}); nothing was written"
            )
    return digests


def clear_tables(connection: Connection) -> None:
    """Delete every row of every collection table, children first."""
    for table in reversed(collection_tables()):
        connection.execute(delete(table))


def copy_database(
    from_target: str | Path,
    to_target: str | Path,
    *,
    force: bool = False,
    on_problem: Callable[[str], None] | None = None,
) -> CopyReport:
    """Copy the collection at ``from_target`` into ``to_target`` (created and migrated when
    new), checked equal. Refuses a target that holds rows unless ``force``, which replaces
    them. Raises ``StoreError`` with one line for anything that stops the copy; the target
    is then as it was.
    """
    source_url = _source_url(from_target)
    target_url = resolve_target(to_target)
    report = CopyReport(describe_target(from_target), describe_target(to_target))
    if _collection(source_url) == _collection(target_url):
        raise StoreError(f"{report.source}: --from and --to are the same database")
    # Read only: never upgraded or backed up by a copy (any other command upgrades it).
    source = open_database(source_url, upgrade=False, auto_backup=False, on_problem=on_problem)
    try:
        target = open_database(target_url, auto_backup=False, on_problem=on_problem)
        try:
            with _snapshot(source) as reading, target.begin(write=True) as writing:
                occupied = holds_rows(writing)
                if occupied and not force:
                    raise CopyRefused(
                        f"{report.target}: the target already holds a collection"
                        f" ({', '.join(occupied)}); --force replaces it"
                    )
                if occupied:
                    clear_tables(writing)
                    report.replaced = True
                report.tables = copy_tables(reading, writing)
        except DBAPIError as exc:
            message = str(exc.orig).strip().splitlines()
            raise CopyRefused(
                f"{report.target}: the copy failed and nothing was written:"
                f" {message[0] if message else type(exc.orig).__name__}"
            ) from None
        else:
            _analyze(target, report.target, on_problem)
        finally:
            target.close()
    finally:
        source.close()
    return report
