"""Indexes for studying and statistics on large collections.

The due queue and its counts read ``card_states`` through ``(due, state, reps)`` and a
partial index of new cards; availability (suspended, missing, buried) is checked against
a partial index of the few unavailable cards instead of every card row; review logs get
a virtual ``review_kind`` column and a ``(reviewed_at, review_kind, rating)`` index, so
per-day totals need not parse every log's JSON. The single-column ``due`` and
``reviewed_at`` indexes are subsumed by the new ones and dropped.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from quizapp.store.portable_schema import DialectComputed

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Copied, not imported: a migration must keep doing what it did when it was written.
_REVIEW_KIND_SQL = (
    "CASE WHEN json_extract(state_before, '$.reps') = 0 THEN 0"
    " WHEN json_extract(state_before, '$.reps') > 0"
    " AND json_extract(state_before, '$.state') = 2 THEN 2 ELSE 1 END"
)
_UNAVAILABLE_WHERE = "suspended = 1 OR missing = 1 OR buried_until IS NOT NULL"

# PostgreSQL: the same kinds from its JSON operators (a generated column there is stored,
# and must not fail on a value that is not a number), and booleans that are booleans.
_REVIEW_KIND_POSTGRES = (
    "CASE WHEN json_typeof(state_before->'reps') <> 'number' THEN 1"
    " WHEN (state_before->>'reps')::numeric = 0 THEN 0"
    " WHEN (state_before->>'reps')::numeric > 0"
    " AND json_typeof(state_before->'state') = 'number'"
    " AND (state_before->>'state')::numeric = 2 THEN 2 ELSE 1 END"
)
_UNAVAILABLE_WHERE_POSTGRES = "suspended OR missing OR buried_until IS NOT NULL"


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): adding a virtual column rewrites no rows.
    op.add_column(
        "review_logs",
        # Virtual on SQLite; PostgreSQL (before 18) stores generated columns.
        sa.Column(
            "review_kind",
            sa.Integer(),
            DialectComputed(_REVIEW_KIND_SQL, _REVIEW_KIND_POSTGRES),
        ),
    )
    op.drop_index("ix_review_logs_time", table_name="review_logs")
    op.create_index(
        "ix_review_logs_day", "review_logs", ["reviewed_at", "review_kind", "rating"]
    )
    op.drop_index("ix_card_states_due", table_name="card_states")
    op.create_index("ix_card_states_due_state", "card_states", ["due", "state", "reps"])
    op.create_index(
        "ix_card_states_new",
        "card_states",
        ["due"],
        sqlite_where=sa.text("reps = 0"),
        postgresql_where=sa.text("reps = 0"),
    )
    op.create_index(
        "ix_cards_unavailable",
        "cards",
        ["suspended", "missing", "buried_until"],
        sqlite_where=sa.text(_UNAVAILABLE_WHERE),
        postgresql_where=sa.text(_UNAVAILABLE_WHERE_POSTGRES),
    )


def downgrade() -> None:
    op.drop_index("ix_cards_unavailable", table_name="cards")
    op.drop_index("ix_card_states_new", table_name="card_states")
    op.drop_index("ix_card_states_due_state", table_name="card_states")
    op.create_index("ix_card_states_due", "card_states", ["due"])
    op.drop_index("ix_review_logs_day", table_name="review_logs")
    op.create_index("ix_review_logs_time", "review_logs", ["reviewed_at"])
    with op.batch_alter_table("review_logs") as batch_op:
        batch_op.drop_column("review_kind")
