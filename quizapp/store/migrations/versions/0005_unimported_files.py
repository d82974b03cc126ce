"""Files that gave no cards are remembered, so that a rescan does not parse them again.

A folder of notes holds many files that are no card files, and some card files that fail.
Neither leaves cards behind, so before this revision a rescan read and parsed them every
time (a 1,700-note vault took seconds to rescan). ``unimported_files`` records each by
size, mtime and hash, with the problems it was reported with and a fingerprint of the
reader that decided, so that an unchanged one is reported again without being read.

A new table: existing rows are untouched. Files skipped before this revision are read once
more at the next import and remembered then.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_WIDE_INTEGER = sa.Integer().with_variant(sa.BigInteger(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "unimported_files",
        sa.Column("path", sa.Text(), nullable=False),
        # 64-bit: BIGINT on PostgreSQL, INTEGER (64-bit already) on SQLite.
        sa.Column("size", _WIDE_INTEGER, nullable=False),
        sa.Column("mtime_ns", _WIDE_INTEGER, nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("reader", sa.String(), nullable=False),
        sa.Column("failed", sa.Boolean(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("path"),
    )


def downgrade() -> None:
    op.drop_table("unimported_files")
