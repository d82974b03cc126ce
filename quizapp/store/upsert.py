"""``INSERT … ON CONFLICT DO UPDATE`` written once for both backends.

SQLite and PostgreSQL spell an upsert the same way, but SQLAlchemy builds it only from each
dialect's own ``insert``. This is the one place that picks it, so that a repository whose
other SQL is portable needs no PostgreSQL copy for its upserts. The PostgreSQL dialect is
imported only when a PostgreSQL connection asks (importing it costs SQLite commands ~35 ms).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table


def upsert(
    conn: Connection,
    table: Table,
    rows: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    keys: Iterable[str],
    update: Iterable[str],
    keep_when_null: Iterable[str] = (),
) -> None:
    """Insert ``rows`` into ``table``; a row whose ``keys`` exist updates ``update`` instead.

    A column in ``keep_when_null`` keeps its stored value when the new one is NULL."""
    statement: Any
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        statement = postgresql_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(table)
    kept = set(keep_when_null)
    values: dict[str, Any] = {}
    for column in update:
        new = statement.excluded[column]
        if column in kept:
            from sqlalchemy import func

            new = func.coalesce(new, table.c[column])
        values[column] = new
    conn.execute(
        statement.on_conflict_do_update(index_elements=list(keys), set_=values),
        rows if isinstance(rows, Sequence) else [rows],
    )
