"""``quizapp doctor``'s statements on PostgreSQL: no file check, a foreign-key check in
plain SQL, and rows addressed by their primary key.

The row checks themselves (content, memory states, logs, attempts, settings read with the
decoders the commands use) are SQLite's portable Core (``store/sqlite/doctor.py``). What
differs:

- **No integrity check of the database's own.** SQLite's ``PRAGMA integrity_check`` proves
  the file a sound B-tree; PostgreSQL keeps its pages sound itself (write-ahead log, and
  data checksums when the cluster has them), and verifying them is the operator's
  ``pg_amcheck``. The checkup says so instead of claiming a check it did not run.
- **Orphans are looked for, not assumed away.** The server enforces foreign keys, but a
  restore with triggers disabled (``pg_restore --disable-triggers``,
  ``session_replication_role = replica``) can still leave a row whose parent is gone. Each
  foreign key of the schema is one ``NOT EXISTS`` query.
- **No ``rowid``.** A row is named by its primary key: the key itself for a one-column key
  (the same number SQLite's ``rowid`` is for those tables), ``(a, b)`` for two columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Table, and_, exists, select

from quizapp.store.checkup import ORPHAN, Finding
from quizapp.store.sqlite.doctor import DoctorSql
from quizapp.store.tables import METADATA


def _label(key: tuple[Any, ...]) -> str:
    """``Finding.row`` for a primary key: ``12``, or ``(12, 3)``."""
    if len(key) == 1:
        return str(key[0])
    return "(" + ", ".join(str(part) for part in key) + ")"


def _key_parts(row: str, width: int) -> list[int]:
    """The integers of a ``_label``; ``ValueError`` for a label of another shape."""
    parts = [part.strip() for part in row.strip().removeprefix("(").removesuffix(")").split(",")]
    if len(parts) != width:
        raise ValueError(f"row {row!r} is not a key of {width} columns")
    return [int(part) for part in parts]


def _table(name: str) -> Table:
    table = METADATA.tables.get(name)
    if table is None:
        raise ValueError(f"no table {name!r} in quizapp's schema")
    return table


class PostgresDoctorSql(DoctorSql):
    """The doctor's statements that are PostgreSQL's own (see the module's docstring)."""

    def integrity(self, conn: Connection) -> tuple[str, ...]:
        """Nothing to run: see ``integrity_note``."""
        return ()

    def integrity_note(self, conn: Connection) -> str:
        """The line the checkup shows in place of SQLite's integrity check."""
        checksums = conn.exec_driver_sql("SHOW data_checksums").scalar()
        kept = "data checksums on" if checksums == "on" else "data checksums off"
        return (
            f"PostgreSQL keeps its own pages sound (write-ahead log, {kept}); "
            "verify them with pg_amcheck"
        )

    def orphans(self, conn: Connection, uids: Mapping[int, str]) -> list[Finding]:
        """Rows whose parent row is gone, one query per foreign key, in key order."""
        found: list[Finding] = []
        for table in METADATA.sorted_tables:
            key = list(table.primary_key.columns)
            for constraint in sorted(
                table.foreign_key_constraints, key=lambda fk: tuple(fk.column_keys)
            ):
                parent = constraint.referred_table
                pairs = [(element.parent, element.column) for element in constraint.elements]
                missing = (
                    select(*key)
                    .where(
                        and_(*(child.is_not(None) for child, _ in pairs)),
                        ~exists().where(and_(*(ref == child for child, ref in pairs))),
                    )
                    .order_by(*key)
                )
                for row in conn.execute(missing):
                    values = tuple(row)
                    card = uids.get(int(values[0])) if table.name == "cards" else None
                    found.append(
                        Finding(
                            table.name,
                            _label(values),
                            ORPHAN,
                            card,
                            f"no {parent.name} row it refers to",
                        )
                    )
        return found

    def row_where(self, table: str, row: str) -> tuple[str, dict[str, Any]]:
        """The row's primary key, column by column."""
        columns = list(_table(table).primary_key.columns)
        if len(columns) == 1 and columns[0].type.python_type is not int:
            return f'"{table}"."{columns[0].name}" = :k0', {"k0": row}
        values = _key_parts(row, len(columns))
        condition = " AND ".join(
            f'"{table}"."{column.name}" = :k{i}' for i, column in enumerate(columns)
        )
        return condition, {f"k{i}": value for i, value in enumerate(values)}


#: The PostgreSQL doctor's statements.
POSTGRES = PostgresDoctorSql()
