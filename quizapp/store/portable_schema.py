"""Schema constructs that compile differently on SQLite and PostgreSQL, from one definition.

The migrations and ``models.py`` describe one schema for both backends. Where the two SQL
dialects cannot share a text, the difference lives here, as SQLAlchemy constructs that
compile per dialect, so that neither the migrations nor the models branch on the backend.
SQLite's DDL is exactly what it was before PostgreSQL was supported (a test compares the
migrated schema with a recorded copy): an existing SQLite database upgrades as before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Computed, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import DDLCompiler
from sqlalchemy.sql.ddl import CreateIndex

#: An integer that may exceed 32 bits (nanosecond file times, file sizes). SQLite's
#: INTEGER holds 64 bits already, and stays spelled INTEGER; PostgreSQL needs BIGINT.
WIDE_INTEGER = Integer().with_variant(BigInteger(), "postgresql")


#: The key of an index's ``info`` that holds its WHERE condition on PostgreSQL. Not
#: ``Index(postgresql_where=...)``: SQLAlchemy checks such an argument by importing its
#: dialect, and importing ``sqlalchemy.dialects.postgresql`` took ~35 ms of every command
#: on SQLite (a sixth of what importing SQLAlchemy's ORM takes). The migrations, which
#: run on PostgreSQL, spell it ``postgresql_where``.
POSTGRESQL_WHERE = "postgresql_where"


class DialectComputed(Computed):
    """A generated column whose expression is written once per dialect.

    SQLite gets ``sqlite_sql`` as a VIRTUAL column (computed when read, costing no space);
    PostgreSQL before 18 has STORED generated columns only, so it gets ``postgresql_sql``,
    STORED. Either way every writer gets the value right, and inserts leave it out.
    """

    inherit_cache = True

    def __init__(self, sqlite_sql: str, postgresql_sql: str) -> None:
        super().__init__(sqlite_sql, persisted=False)
        self.postgresql_sql = postgresql_sql

    def _copy(self, **kw: Any) -> DialectComputed:
        # Column.copy() (used by the ORM and Alembic's batch mode) copies the construct.
        copied = DialectComputed(str(self.sqltext), self.postgresql_sql)
        return self._schema_item_copy(copied)


@compiles(DialectComputed)
def _compile_default(element: DialectComputed, compiler: DDLCompiler, **kw: Any) -> str:
    return str(compiler.visit_computed_column(element, **kw))  # type: ignore[no-untyped-call]


@compiles(DialectComputed, "postgresql")
def _compile_postgresql(element: DialectComputed, compiler: DDLCompiler, **kw: Any) -> str:
    return f"GENERATED ALWAYS AS ({element.postgresql_sql}) STORED"


@compiles(CreateIndex, "postgresql")
def _create_index_postgresql(element: CreateIndex, compiler: DDLCompiler, **kw: Any) -> str:
    """An index of the models with ``info[POSTGRESQL_WHERE]`` is partial on PostgreSQL too."""
    sql = str(compiler.visit_create_index(element, **kw))  # type: ignore[no-untyped-call]
    where = element.element.info.get(POSTGRESQL_WHERE)
    return sql if where is None else f"{sql} WHERE {where}"
