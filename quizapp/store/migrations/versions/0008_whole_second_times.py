"""Times stored on a whole second get their ``.000000``, as SQLAlchemy writes every time.

On SQLite a time is text, and SQL compares it as text: an answer's compare-and-set finds
the card's state row by its last review, and due queries compare due times. SQLAlchemy
binds ``2026-01-20 12:00:00.000000``, but the importer's bulk writer used to hand sqlite3
naive datetimes, whose adapter writes a whole second as ``2026-01-20 12:00:00``. A card
whose schedule came from another app (the Obsidian plugin's or Logseq's: due at noon, last
reviewed a whole number of days before) was stored so, and every answer to it was refused
as "answered elsewhere". This rewrites such times in every time column; PostgreSQL stores
timestamps, not text, and is left alone.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Copied, not imported: a migration must keep doing what it did when it was written.
_TIME_COLUMNS = (
    ("cards", "created_at"),
    ("cards", "updated_at"),
    ("cards", "buried_until"),
    ("card_states", "due"),
    ("card_states", "last_review"),
    ("exercise_attempts", "created_at"),
    ("practice_logs", "reviewed_at"),
    ("review_logs", "reviewed_at"),
    ("source_files", "imported_at"),
    ("unimported_files", "recorded_at"),
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table, column in _TIME_COLUMNS:
        bind.exec_driver_sql(
            f'UPDATE "{table}" SET "{column}" = "{column}" || \'.000000\' '
            f'WHERE length("{column}") = 19 AND "{column}" GLOB '
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'"
        )


def downgrade() -> None:
    """Nothing to undo: the longer text is the same time, and every version reads it."""
