"""Portable backups: a collection's canonical content in one gzip file of JSON lines.

On PostgreSQL there is no database file to copy, and the server's own backups
(``pg_dump``, base backups) are the operator's business. ``quizapp backup`` there writes
this archive instead: the same canonical content that ``copy-db`` checks (``canonical.py``),
compressed, restorable into either backend. On SQLite it is written on request
(``quizapp backup --portable``).

The file, gzip-compressed UTF-8, one JSON value a line:

- a header object: ``{"format": "quizapp-archive", "version": 1, "revision": ...}``;
- per table, parents first: ``{"table": NAME, "columns": [...]}``, then one JSON array per
  row (values in column order, times in ISO 8601), then
  ``{"end": NAME, "rows": N, "sha256": ...}``, the count and digest of the lines between.

A restore checks every table's count and digest as it reads, writes the target in one
transaction, and re-reads the target before committing: an archive that is damaged,
truncated, or of another schema revision changes nothing.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import DateTime, TypeDecorator

from quizapp.store.canonical import (
    BATCH_ROWS,
    DigestBuilder,
    TableDigest,
    collection_tables,
    read_rows,
    stored_columns,
    table_digest,
)
from quizapp.store.db import Database
from quizapp.store.errors import StoreError
from quizapp.store.location import HEAD_REVISION
from quizapp.store.transfer import CopyRefused, advance_sequences, clear_tables, holds_rows

FORMAT = "quizapp-archive"
VERSION = 1
#: The file name ending of a portable backup.
SUFFIX = ".quizapp.jsonl.gz"


@dataclass
class ArchiveReport:
    """An archive written or restored: its file and each table's count and digest."""

    path: Path
    tables: list[TableDigest] = field(default_factory=list)
    replaced: bool = False

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)


def default_archive_path(database: Database, now: datetime) -> Path:
    """Where ``quizapp backup`` puts a portable backup of ``database`` when not told:
    ``backups/<database name>-<UTC time>.quizapp.jsonl.gz`` in the user data folder."""
    from platformdirs import user_data_path
    from sqlalchemy.engine import make_url

    from quizapp.store.postgres.scoping import scope_name

    url = make_url(database.url)
    name = Path(url.database or "quizapp").stem
    if (scope := scope_name(url)) is not None:
        name = f"{name}-{scope}"  # one database holds several users' collections
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    return user_data_path("quizapp", appauthor=False) / "backups" / f"{safe}-{stamp}{SUFFIX}"


def is_archive(path: Path) -> bool:
    """Whether ``path`` is a gzip file (a portable backup), not a SQLite backup."""
    try:
        with path.open("rb") as file:
            return file.read(2) == b"\x1f\x8b"
    except OSError:
        return False


def _line(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def write_archive(database: Database, path: Path) -> ArchiveReport:
    """Write ``database``'s whole collection to ``path`` (replaced only once complete)."""
    report = ArchiveReport(path)
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(partial, "wb") as out, database.begin() as connection:
            _write(connection, out, report)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"{path}: cannot write the backup: {exc.strerror or exc}") from None
    return report


def _write(connection: Connection, out: gzip.GzipFile, report: ArchiveReport) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    out.write(_line({"format": FORMAT, "version": VERSION, "revision": HEAD_REVISION}))
    for table in collection_tables():
        builder = DigestBuilder(table)
        out.write(_line({"table": table.name, "columns": [c.name for c in builder.columns]}))
        for batch in read_rows(connection, table):
            for line in builder.add(batch):
                out.write(line.encode() + b"\n")
        digest = builder.digest()
        out.write(_line({"end": table.name, "rows": digest.rows, "sha256": digest.sha256}))
        report.tables.append(digest)


def _decoder(table: Table) -> list[Any]:
    """Per column, a function from the archived value to the one the model's type takes."""

    def as_time(value: Any) -> Any:
        return None if value is None else datetime.fromisoformat(value)

    def same(value: Any) -> Any:
        return value

    decoders: list[Any] = []
    for column in stored_columns(table):
        kind = column.type
        impl = kind.impl if isinstance(kind, TypeDecorator) else kind
        decoders.append(as_time if isinstance(impl, DateTime) else same)
    return decoders


def restore_archive(database: Database, path: Path, *, force: bool = False) -> ArchiveReport:
    """Replace ``database``'s collection (refused when it holds one, unless ``force``) with
    the archive at ``path``, checked table by table; all or nothing."""
    report = ArchiveReport(path)
    try:
        with gzip.open(path, "rb") as archive, database.begin(write=True) as connection:
            occupied = holds_rows(connection)
            if occupied and not force:
                raise CopyRefused(
                    f"the database already holds a collection ({', '.join(occupied)});"
                    " --force replaces it"
                )
            if occupied:
                clear_tables(connection)
                report.replaced = True
            _read(archive, connection, path, report)
            for expected in report.tables:
                table = database_table(expected.table)
                if table_digest(connection, table) != expected:
                    raise CopyRefused(f"{path}: {expected.table} did not restore equal")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise StoreError(f"{path}: not a readable quizapp archive ({exc})") from None
    except DBAPIError as exc:
        first = str(exc.orig).strip().splitlines()
        raise StoreError(
            f"{path}: the restore failed and nothing was changed: {first[0] if first else exc}"
        ) from None
    return report


def database_table(name: str) -> Table:
    """The collection table called ``name``."""
    return next(table for table in collection_tables() if table.name == name)


def _read(
    archive: gzip.GzipFile, connection: Connection, path: Path, report: ArchiveReport
) -> None:
    lines = iter(archive)

    def next_value(what: str) -> Any:
        try:
            return json.loads(next(lines))
        except StopIteration:
            raise StoreError(f"{path}: the archive ends early (expected {what})") from None
        except ValueError:
            raise StoreError(f"{path}: a damaged line in the archive ({what})") from None

    header = next_value("its header")
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise StoreError(f"{path}: not a quizapp archive")
    if header.get("revision") != HEAD_REVISION:
        raise StoreError(
            f"{path}: an archive of schema revision {header.get('revision')}; this quizapp"
            f" restores revision {HEAD_REVISION}"
        )
    for table in collection_tables():
        start = next_value(f"the table {table.name}")
        columns = [column.name for column in stored_columns(table)]
        if start != {"table": table.name, "columns": columns}:
            raise StoreError(f"{path}: expected the table {table.name} with columns {columns}")
        builder = DigestBuilder(table)
        decoders = _decoder(table)
        batch: list[dict[str, Any]] = []
        while True:
            value = next_value(f"the rows of {table.name}")
            if isinstance(value, dict):
                break
            if not isinstance(value, list) or len(value) != len(columns):
                raise StoreError(f"{path}: a damaged row in {table.name}")
            batch.append(
                {
                    name: decode(item)
                    for name, decode, item in zip(columns, decoders, value, strict=True)
                }
            )
            if len(batch) >= BATCH_ROWS:
                _insert(connection, table, builder, batch)
                batch = []
        _insert(connection, table, builder, batch)
        digest = builder.digest()
        if value != {"end": table.name, "rows": digest.rows, "sha256": digest.sha256}:
            raise StoreError(f"{path}: {table.name} does not match its recorded digest")
        advance_sequences(connection, table)
        report.tables.append(digest)


def _insert(
    connection: Connection, table: Table, builder: DigestBuilder, batch: list[dict[str, Any]]
) -> None:
    if batch:
        builder.add(batch)
        connection.execute(insert(table), batch)
