"""A collection's canonical content: every table's rows, in one order, in one spelling.

``copy-db`` and the portable backup move a collection between SQLite and PostgreSQL. Both
backends hand the same Python values back through the models' types (aware UTC datetimes,
parsed JSON, booleans), so a row spelt from those values is the same text whichever
backend it came from. A table's content is its rows in primary-key order (text keys in
code-point order, which is SQLite's BINARY and PostgreSQL's "C" collation), each a JSON
array of its stored columns; its digest is the SHA-256 of those lines. Generated columns
(``review_kind``) are left out: each backend computes them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Table, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import String

from quizapp.store.tables import METADATA

#: Rows fetched (and inserted) at a time: bounded memory at a million review logs.
BATCH_ROWS = 5_000


def collection_tables() -> list[Table]:
    """Every table of a collection, parents before the tables that refer to them."""
    return list(METADATA.sorted_tables)


def stored_columns(table: Table) -> list[Column[Any]]:
    """The columns a copy writes: all but the generated ones."""
    return [column for column in table.columns if column.computed is None]


def _order_key(column: Column[Any], dialect: str) -> ColumnElement[Any]:
    if isinstance(column.type, String):
        return column.collate("C" if dialect == "postgresql" else "BINARY")
    return column


def read_rows(connection: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    """``table``'s rows in canonical order, as column-name dicts, a batch at a time."""
    columns = stored_columns(table)
    order = [_order_key(column, connection.dialect.name) for column in table.primary_key]
    result = connection.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(
        select(*columns).order_by(*order)
    )
    for partition in result.mappings().partitions(BATCH_ROWS):
        yield [dict(row) for row in partition]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def canonical_line(row: dict[str, Any], columns: list[Column[Any]]) -> str:
    """One row as its canonical text: a JSON array in column order (JSON values with
    sorted keys, times in ISO 8601, floats exact)."""
    values = [_plain(row[column.name]) for column in columns]
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass
class TableDigest:
    """How many rows a table holds and the SHA-256 of its canonical content."""

    table: str
    rows: int = 0
    sha256: str = ""


class DigestBuilder:
    """A table's digest, fed its rows in canonical order."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.columns = stored_columns(table)
        self.rows = 0
        self._hash = hashlib.sha256()

    def add(self, rows: list[dict[str, Any]]) -> list[str]:
        """Add ``rows``; returns their canonical lines (for a backup to write)."""
        lines = [canonical_line(row, self.columns) for row in rows]
        for line in lines:
            self._hash.update(line.encode("utf-8"))
            self._hash.update(b"\n")
        self.rows += len(rows)
        return lines

    def digest(self) -> TableDigest:
        return TableDigest(self.table.name, self.rows, self._hash.hexdigest())


def table_digest(connection: Connection, table: Table) -> TableDigest:
    """Read ``table`` through ``connection`` and digest it."""
    builder = DigestBuilder(table)
    for batch in read_rows(connection, table):
        builder.add(batch)
    return builder.digest()
