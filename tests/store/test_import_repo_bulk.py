"""The import writer's bulk insert stores exactly what SQLAlchemy's own insert stores."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert

from quizapp.store.db import Database, run_sql
from quizapp.store.import_repo import _insert_many
from quizapp.store.tables import CARDS, DECKS

WHEN = datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=UTC)


def _card(pk: int, variant: int) -> dict[str, object]:
    """A card row whose values depend only on ``variant`` (besides its keys)."""
    return {
        "id": pk,
        "uid": f"card-{pk}",
        "deck_id": 1,
        "title": f"Title {variant}",
        "question": "Why?",
        "steps": [{"path": ["A", "B"], "text": "x ≤ $\\sigma$", "line": variant}],
        "difficulty": None if variant % 2 else "hard",
        "aliases": ["alias"] if variant % 2 else [],
        "exercises": [],
        "source": "deck/card.md",
        "source_path": "/deck/card.md",
        "line": variant,
        "content_hash": "0" * 64,
        "created_at": WHEN,
        "updated_at": WHEN,
        "suspended": variant == 2,
        "missing": variant == 1,
    }


def test_bulk_rows_equal_core_rows(db: Database) -> None:
    with db.begin(write=True) as conn:
        conn.execute(insert(DECKS).values(id=1, name="deck"))
        conn.execute(insert(CARDS), [_card(1, 1), _card(2, 2), _card(3, 3)])
        _insert_many(conn, CARDS, [_card(4, 1), _card(5, 2), _card(6, 3)])
        _insert_many(conn, CARDS, [_card(7, 2)])  # every value the same in a one-row batch
        _insert_many(conn, CARDS, [])
    rows = run_sql(db, "SELECT * FROM cards ORDER BY id")
    assert [row[:2] for row in rows] == [(pk, f"card-{pk}") for pk in range(1, 8)]
    core, bulk, single = rows[:3], rows[3:6], rows[6]
    assert [row[2:] for row in bulk] == [row[2:] for row in core]
    assert single[2:] == core[1][2:]
    assert "2024-05-01 12:30:15.250000" in core[0]  # times as naive UTC text
