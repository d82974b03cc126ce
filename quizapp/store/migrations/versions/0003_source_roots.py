"""Each source file remembers its import root.

A card without a front-matter ``id`` takes its id from its path under the import root. If
a later import names the file itself or a subfolder, that root changes, and so would the
id: the card would be stored anew and the old one, with its history, marked missing.
``source_files.root`` keeps the root the file was first imported under, so the importer
can re-import against it.

Existing rows get the root their cards imply: a card's ``source_path`` is its root joined
with its ``source`` (the path under the root). A row with no such card keeps ``NULL``,
and the importer treats it as before.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _root(source_path: str, source: str) -> str | None:
    """The folder that ``source`` (a posix path under it) hangs from in ``source_path``,
    or None when ``source_path`` does not end with it."""
    for separator in {os.sep, "/"}:
        tail = separator + source.replace("/", separator)
        if source and source_path.endswith(tail):
            return source_path[: -len(tail)] or separator
    return None


def upgrade() -> None:
    # Plain ALTER TABLE: a nullable column without a default rewrites no rows.
    op.add_column("source_files", sa.Column("root", sa.Text(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT s.path, c.source FROM source_files s"
            " JOIN cards c ON c.source_path = s.path ORDER BY s.path, c.id"
        )
    )
    roots: dict[str, str] = {}
    for path, source in rows:
        if path not in roots:
            root = _root(str(path), str(source))
            if root is not None:
                roots[path] = root
    if roots:
        connection.execute(
            sa.text("UPDATE source_files SET root = :root WHERE path = :path"),
            [{"path": path, "root": root} for path, root in roots.items()],
        )


def downgrade() -> None:
    with op.batch_alter_table("source_files") as batch_op:
        batch_op.drop_column("root")
