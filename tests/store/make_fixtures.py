"""Rebuild ``fixtures/schema_<rev>.db``: a small database made with one schema revision.

Run once per migration, at the revision it introduces, and commit the result::

    PYTHONPATH=tests uv run python tests/store/make_fixtures.py

The upgrade test then proves every later migration keeps these rows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from quizapp.cards.model import CardExtra, CardKind, LanguageVersion, Step
from quizapp.store.db import HEAD_REVISION, open_database, run_sql
from quizapp.store.records import SourceFileInfo
from quizapp.store.sqlite.import_repo import ImportWriter
from store.cards_factory import NOW, make_card


def build(target: Path) -> None:
    """Write a database with three cards (one suspended, one buried), tags, a related link
    and two reviews; from 0004 on, two cloze siblings of one note as well; from 0005 on,
    a failed file remembered with its error; from 0006 on, a bilingual card with a
    "More" section, linked to by its file name."""
    target.unlink(missing_ok=True)
    db = open_database(target, auto_backup=False)
    writer = ImportWriter.load(db)
    info = SourceFileInfo("/cards/a.md", 120, 1_700_000_000_000_000_000, "ab" * 32, "/cards")
    cards = [
        make_card("a/one", tags=("DeepLearning", "ml/optim"), related=("A Two",)),
        make_card("a/two", title="A Two", difficulty="hard"),
        make_card("a/three", difficulty=None, aliases=("third",), deck="extra"),
        make_card(
            "a/note#adam/c1",
            kind=CardKind.CLOZE,
            note="a/note#adam",
            question="{{c1::Adam}} keeps two moments.",
        ),
        make_card(
            "a/note#adam/c2",
            kind=CardKind.CLOZE,
            note="a/note#adam",
            question="Adam keeps {{c2::two moments}}.",
        ),
        replace(
            make_card("a/bilingual", title="Смещение", related=("[[Adam Note|Adam]]",)),
            language="en",
            alternates=(LanguageVersion("ru", "Что такое смещение?", (Step((), "Это."),)),),
            extras=(CardExtra("follow_ups", "Follow-ups", "- Why?", "en", 9),),
            link_name="Bilingual Note",
        ),
    ]
    writer.write_file(info, cards, NOW)
    writer.resolve_related()
    for rating in (3, 1):
        run_sql(
            db,
            "INSERT INTO review_logs (card_id, rating, reviewed_at, duration_ms, state_before,"
            f" state_after) VALUES (1, {rating}, '2026-01-06 10:00:00.000000', 4200,"
            " '{\"state\": 1}', '{\"state\": 2}')",
        )
    run_sql(db, "INSERT INTO settings (key, value) VALUES ('retention', '0.9')")
    run_sql(
        db,
        "INSERT INTO unimported_files (path, size, mtime_ns, sha256, reader, failed, problems,"
        " recorded_at) VALUES ('/cards/bad.md', 9, 1700000000000000000, 'cd', 'r1', 1,"
        ' \'[["error", 3, "no \\"## Question\\" section"]]\','
        " '2026-01-05 09:00:00.000000')",
    )
    run_sql(db, "UPDATE cards SET suspended = 1 WHERE id = 3")
    run_sql(db, "UPDATE cards SET buried_until = '2026-01-07 04:00:00.000000' WHERE id = 2")
    db.close()
    with sqlite3.connect(target) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.execute("PRAGMA journal_mode = DELETE")
    raw.close()


if __name__ == "__main__":
    build(Path(__file__).with_name("fixtures") / f"schema_{HEAD_REVISION}.db")
