"""What an export reads, on PostgreSQL: SQLite's repository, whose reads are portable Core
but for the fields of a review log's states, read here with ``->``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func

from quizapp.store.sqlite import export_repo
from quizapp.store.sqlite.export_repo import STATE_FIELDS


class ExportRepository(export_repo.ExportRepository):
    """The cards and review logs an export writes, read as on SQLite."""

    @staticmethod
    def by_code_point(column: Any) -> Any:
        """``column`` sorted by code point, as on SQLite, whatever the database's collation."""
        return column.collate("C")

    @staticmethod
    def state_fields(column: Any, label: str) -> Any:
        """A state's fields as one JSON array, in ``STATE_FIELDS`` order, from the
        ``json`` column (always valid JSON here; a field it lacks, or a state that is no
        object, gives null, which fails only that row's decoding, as on SQLite)."""
        fields = [column[name] for name in STATE_FIELDS]
        return func.json_build_array(*fields).label(label)
