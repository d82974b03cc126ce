"""The index of cards by source file also holds what an import reads of every card.

``ImportWriter.load`` reads each card's id, uid, file, content hash, line and missing
flag before every import. In a row, the file, hash, line and flag come after the card's
text, so reading them read every card's text too (most of a rescan's database time).
``ix_cards_source_keys`` (file, uid, hash, line, missing) replaces ``ix_cards_source_path``
(file): lookups by file use it as before, and the import's read scans it alone.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_KEYS = ["source_path", "uid", "content_hash", "line", "missing"]


def upgrade() -> None:
    op.drop_index("ix_cards_source_path", table_name="cards")
    op.create_index("ix_cards_source_keys", "cards", _KEYS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_cards_source_keys", table_name="cards")
    op.create_index("ix_cards_source_path", "cards", ["source_path"], unique=False)
