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

from collections.abc import Callable
from typing import Any

from sqlalchemy import Float, Integer, String, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


def _renamed(construct: type[FunctionElement[Any]], sqlite: str, postgresql: str) -> None:
    """Compile ``construct(…)`` as the function ``sqlite(…)``, and on PostgreSQL as
    ``postgresql(…)``: the same arguments under another name."""

    def spelled(name: str) -> Callable[..., str]:
        def compile_call(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
            return f"{name}({compiler.process(element.clauses, **kw)})"

        return compile_call

    compiles(construct)(spelled(sqlite))
    compiles(construct, "postgresql")(spelled(postgresql))


class text_position(FunctionElement[int]):
    """``text_position(haystack, needle)``: where ``needle`` first occurs in ``haystack``,
    counted from 1, or 0 when it does not (SQLite's ``instr``, PostgreSQL's ``strpos``)."""

    type = Integer()
    inherit_cache = True
    name = "text_position"


_renamed(text_position, "instr", "strpos")


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


_renamed(larger, "max", "greatest")


class joined_text(FunctionElement[str]):
    """``joined_text(value, separator)``: an aggregate joining a group's values with
    ``separator`` (SQLite's ``group_concat``, PostgreSQL's ``string_agg``)."""

    type = String()
    inherit_cache = True
    name = "joined_text"


_renamed(joined_text, "group_concat", "string_agg")


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
