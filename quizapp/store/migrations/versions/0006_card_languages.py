"""Cards keep their other languages, their "More" sections, their file's name, and a
folded copy of their text for search.

A bilingual note is one card shown in the preferred language; ``cards.language`` names
the language shown and ``cards.alternates`` (JSON) holds the others. ``cards.extras``
(JSON) holds the sections that are not the answer (Follow-ups, References, See also...).
``cards.link_name`` is the note's file name without ``.md``: Obsidian links by it, so
related questions resolve by it. ``cards.search_text`` is the card's text folded in
Python (``cards/textfold.py``): SQLite's ``lower()`` folds only ASCII, so free-text
search missed ``Вопрос`` when asked for ``вопрос``.

Existing rows get empty languages and sections (what their content hash already says),
and their link name and search text computed here; a related question that found no card
is pointed at the card whose file name it gives. So search and links work at once,
without a re-import.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Copied, not imported: a migration must keep doing what it did when it was written.
_SEPARATOR = "\n\x1f\n"


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold().replace("i\u0307", "i")


def _link_name(source: str) -> str:
    name = source.rsplit("/", 1)[-1]
    return name[:-3] if len(name) > 3 and name[-3:].casefold() == ".md" else name


def _steps_text(raw: object) -> list[str]:
    try:
        steps: Any = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
        return [str(step["text"]) for step in steps or []]
    except (ValueError, TypeError, KeyError):
        return []  # a damaged row: `quizapp doctor` repairs it, search just misses it


def upgrade() -> None:
    # Plain ALTER TABLE: NOT NULL columns with constant defaults rewrite no rows.
    op.add_column(
        "cards", sa.Column("language", sa.String(), nullable=False, server_default="")
    )
    for name in ("alternates", "extras"):
        op.add_column(
            "cards", sa.Column(name, sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    for name in ("link_name", "search_text"):
        op.add_column("cards", sa.Column(name, sa.Text(), nullable=False, server_default=""))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, uid, title, question, steps, source, missing FROM cards ORDER BY id")
    ).all()
    values = []
    by_name: dict[str, int] = {}
    for pk, uid, title, question, steps, source, missing in rows:
        link = _link_name(str(source or ""))
        if link and not missing:
            by_name.setdefault(_fold(link), pk)
        fields = [str(title), str(question), str(uid), *_steps_text(steps)]
        if link:
            fields.append(link)
        values.append(
            {"pk": pk, "link": link, "text": _SEPARATOR.join(_fold(field) for field in fields)}
        )
    if values:
        connection.execute(
            sa.text("UPDATE cards SET link_name = :link, search_text = :text WHERE id = :pk"),
            values,
        )
    _link_by_file_name(connection, by_name)


def _link_key(text: str) -> str:
    value = text.strip()
    if value.startswith("[[") and value.endswith("]]"):
        value = value[2:-2].split("|", 1)[0].split("#", 1)[0]
    value = " ".join(value.split()).rstrip("?").strip()
    if value[-3:].casefold() == ".md" and len(value) > 3:
        value = value[:-3].rstrip()
    return _fold(value)


def _link_by_file_name(connection: sa.Connection, by_name: dict[str, int]) -> None:
    """Point each related question that found no card at the card whose file it names,
    so that Obsidian's links work at once, before the next import re-resolves them all."""
    changes = []
    for card_id, position, text in connection.execute(
        sa.text("SELECT card_id, position, text FROM related WHERE target_id IS NULL")
    ):
        target = by_name.get(_link_key(str(text)))
        if target is not None and target != card_id:
            changes.append({"c": card_id, "p": position, "t": target})
    if changes:
        connection.execute(
            sa.text("UPDATE related SET target_id = :t WHERE card_id = :c AND position = :p"),
            changes,
        )


def downgrade() -> None:
    with op.batch_alter_table("cards") as batch_op:
        for name in ("search_text", "link_name", "extras", "alternates", "language"):
            batch_op.drop_column(name)
