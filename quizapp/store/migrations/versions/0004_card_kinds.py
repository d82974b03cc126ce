"""Cards have a kind and a sibling group.

Formats other than quizapp's own make cards of several kinds (a cloze deletion, the
reverse side of a pair, a question with no written answer) and several cards from one
note. ``cards.kind`` says how a card is asked and ``cards.note`` which note it came from,
so that a session can bury a card's siblings for the day once one is answered.

Existing rows are native cards: basic, alone. Both columns get those values as their
defaults, which SQLite adds without rewriting a row; the content hash of a basic card
without a note does not cover either, so no card reads as changed at the next import.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Copied, not imported: a migration must keep doing what it did when it was written.
_HAS_NOTE_WHERE = "note != ''"


def upgrade() -> None:
    # Plain ALTER TABLE: a NOT NULL column with a constant default rewrites no rows.
    op.add_column(
        "cards", sa.Column("kind", sa.String(), nullable=False, server_default="basic")
    )
    op.add_column("cards", sa.Column("note", sa.String(), nullable=False, server_default=""))
    op.create_index("ix_cards_kind", "cards", ["kind"])
    op.create_index(
        "ix_cards_note",
        "cards",
        ["note"],
        sqlite_where=sa.text(_HAS_NOTE_WHERE),
        postgresql_where=sa.text(_HAS_NOTE_WHERE),
    )


def downgrade() -> None:
    op.drop_index("ix_cards_note", table_name="cards")
    op.drop_index("ix_cards_kind", table_name="cards")
    with op.batch_alter_table("cards") as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("kind")
