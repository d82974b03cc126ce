"""Helpers for the tests that follow a file's cards through the importer: import a folder at
a fixed time, give a card some history as studying would, and read that history back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.services.importer import ImportReport, import_paths
from quizapp.store.db import Database, run_sql
from quizapp.store.sqlite.card_repo import CardRepository

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def write(folder: Path, name: str, text: str) -> Path:
    """Write one file of the folder (creating the folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(db: Database, folder: Path, days: int = 0, question_only: bool = False) -> ImportReport:
    """Import ``folder``, which must give no error."""
    when = NOW + timedelta(days=days)
    if question_only:
        report = import_paths(db, [folder], now=when, question_only=True)
    else:
        report = import_paths(db, [folder], now=when)
    assert report.errors == [], [str(problem) for problem in report.errors]
    return report


def counts(report: ImportReport) -> tuple[int, int, int]:
    """New, updated and missing cards of an import."""
    return report.new, report.updated, report.missing


def present(db: Database) -> list[str]:
    """The ids of the stored cards that are not missing."""
    rows = run_sql(db, "SELECT uid FROM cards WHERE missing = 0 ORDER BY uid")
    return [str(row[0]) for row in rows]


def review(db: Database, uid: str) -> int:
    """Give the card a review (state and log), as studying it would; return its key."""
    pk = int(run_sql(db, f"SELECT id FROM cards WHERE uid = '{uid}'")[0][0])
    run_sql(db, f"UPDATE card_states SET reps = 3, state = 2, stability = 7.5 WHERE card_id = {pk}")
    run_sql(
        db,
        "INSERT INTO review_logs (card_id, rating, reviewed_at, duration_ms, state_before,"
        f" state_after) VALUES ({pk}, 3, '2026-01-14 10:00:00', 900, '{{}}', '{{}}')",
    )
    return pk


def history(db: Database, uid: str) -> tuple[int, int, float | None, int]:
    """The card's key, reps, stability and number of review logs."""
    stored = CardRepository(db).get(uid)
    assert stored is not None and not stored.missing, uid
    logs = run_sql(db, f"SELECT count(*) FROM review_logs WHERE card_id = {stored.pk}")
    return stored.pk, stored.memory.reps, stored.memory.stability, int(logs[0][0])


def is_new(db: Database, uid: str) -> bool:
    """Whether the card has no history at all."""
    stored = CardRepository(db).get(uid)
    assert stored is not None and not stored.missing, uid
    logs = run_sql(db, f"SELECT count(*) FROM review_logs WHERE card_id = {stored.pk}")
    return stored.memory.reps == 0 and int(logs[0][0]) == 0
