"""SQL functions that SQLite and PostgreSQL spell differently, written once for both.

The store's queries are SQLAlchemy Core shared by both backends; where a function has a
different name or form on each (finding text, whole days between two times, joining a
group's values, reading a JSON field), the query uses one of these constructs and each
dialect compiles it its own way. On SQLite each renders exactly the SQL the queries used
before PostgreSQL was supported (``instr``, ``julianday``, ``group_concat``, ``max``,
``json_extract``), so SQLite's plans and speed are unchanged. Statement shapes that differ
(SQLite's ``INDEXED BY``, ``json_each``) are methods of the repositories instead, which the
PostgreSQL ones in ``store/postgres/`` override.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Integer, String, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class text_position(FunctionElement[int]):
    """``text_position(haystack, needle)``: where ``needle`` first occurs in ``haystack``,
    counted from 1, or 0 when it does not (SQLite's ``instr``, PostgreSQL's ``strpos``)."""

    type = Integer()
    inherit_cache = True
    name = "text_position"


@compiles(text_position)
def _text_position(element: text_position, compiler: SQLCompiler, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(text_position, "postgresql")
def _text_position_postgresql(element: text_position, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


class days_between(FunctionElement[float]):
    """``days_between(later, earlier)``: the time from ``earlier`` to ``later`` in days,
    with the fraction (SQLite: a difference of ``julianday``; PostgreSQL: the interval's
    seconds over 86,400). NULL when either is NULL."""

    type = Float()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"julianday({later}) - julianday({earlier})"


@compiles(days_between, "postgresql")
def _days_between_postgresql(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later}) - ({earlier})) / 86400.0)"


class whole_days_between(FunctionElement[int]):
    """``whole_days_between(later, earlier)``: ``days_between`` truncated toward zero to an
    integer, the way the scheduler counts elapsed days (PostgreSQL's cast would round)."""

    type = Integer()
    inherit_cache = True
    name = "whole_days_between"


@compiles(whole_days_between)
def _whole_days(element: whole_days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(whole_days_between, "postgresql")
def _whole_days_postgresql(element: whole_days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(trunc(EXTRACT(EPOCH FROM ({later}) - ({earlier})) / 86400) AS INTEGER)"


class larger(FunctionElement[Any]):
    """``larger(a, b)``: the larger of two values (SQLite's two-argument ``max``,
    PostgreSQL's ``greatest``)."""

    inherit_cache = True
    name = "larger"


@compiles(larger)
def _larger(element: larger, compiler: SQLCompiler, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(larger, "postgresql")
def _larger_postgresql(element: larger, compiler: SQLCompiler, **kw: Any) -> str:
    return f"greatest({compiler.process(element.clauses, **kw)})"


class joined_text(FunctionElement[str]):
    """``joined_text(value, separator)``: an aggregate joining a group's values with
    ``separator`` (SQLite's ``group_concat``, PostgreSQL's ``string_agg``)."""

    type = String()
    inherit_cache = True
    name = "joined_text"


@compiles(joined_text)
def _joined_text(element: joined_text, compiler: SQLCompiler, **kw: Any) -> str:
    return f"group_concat({compiler.process(element.clauses, **kw)})"


@compiles(joined_text, "postgresql")
def _joined_text_postgresql(element: joined_text, compiler: SQLCompiler, **kw: Any) -> str:
    return f"string_agg({compiler.process(element.clauses, **kw)})"


class json_field_text(FunctionElement[str]):
    """``json_field_text(column, key)``: the value of a JSON object's top-level ``key``
    as text (SQLite's ``json_extract(column, '$.key')``, PostgreSQL's ``column ->> key``)."""

    type = String()
    inherit_cache = True
    name = "json_field_text"

    def __init__(self, column: Any, key: str) -> None:
        super().__init__(column, literal(key, String()))


@compiles(json_field_text)
def _json_field(element: json_field_text, compiler: SQLCompiler, **kw: Any) -> str:
    column, key = element.clauses
    path = compiler.process(literal("$.", String()) + key, **kw)
    return f"json_extract({compiler.process(column, **kw)}, {path})"


@compiles(json_field_text, "postgresql")
def _json_field_postgresql(element: json_field_text, compiler: SQLCompiler, **kw: Any) -> str:
    column, key = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({column} ->> {key})"
