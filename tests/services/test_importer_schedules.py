"""Progress brought from another app: a new card starts with it, a stored card never changes.

A test-only format reads ``question | answer | due,interval,ease`` lines, so that the seam
(``SchedulingFormat`` → ``ParsedFile.schedules`` → ``ImportWriter.write_files(starting=)``)
is tested apart from any real format.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.cards import parse_text
from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats import FileContext, FormatRegistry
from quizapp.cards.formats.ids import inline_ids
from quizapp.cards.formats.native import NativeFormat
from quizapp.cards.identity import content_hash
from quizapp.cards.model import Card, ImportedSchedule, Step
from quizapp.scheduling.memory import MemoryState
from quizapp.scheduling.settings import Settings
from quizapp.services.importer import import_paths
from quizapp.services.study import StudySession
from quizapp.store.db import Database, run_sql
from quizapp.store.sqlite.card_repo import CardRepository

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


class ScheduledLines:
    """``question | answer`` lines, with an optional ``| due,interval,ease``."""

    name = "scheduled"
    suffixes = (".txt",)

    def sniff(self, text: str, context: FileContext) -> bool:
        return "|" in text

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        return self.read_scheduled(text, context, diagnostics)[0]

    def read_scheduled(
        self, text: str, context: FileContext, diagnostics: Diagnostics
    ) -> tuple[list[Card], dict[str, ImportedSchedule]]:
        rows = [line.split("|") for line in text.split("\n") if line.strip()]
        if any(len(row) == 1 for row in rows):
            diagnostics.error(1, "a line without |")
            rows = [row for row in rows if len(row) > 1]
        ids = inline_ids(context.base_id or "s", [row[0].strip() for row in rows])
        cards: list[Card] = []
        schedules: dict[str, ImportedSchedule] = {}
        for number, (identity, row) in enumerate(zip(ids, rows, strict=True), start=1):
            card = Card(
                identity,
                row[0].strip(),
                row[0].strip(),
                (Step(("Answer",), row[1].strip()),),
                deck=context.deck,
                line=number,
            )
            cards.append(replace(card, content_hash=content_hash(card)))
            if len(row) > 2:
                due, interval, ease = row[2].strip().split(",")
                schedules[identity] = ImportedSchedule(
                    date.fromisoformat(due), int(interval), int(ease)
                )
        return cards, schedules


REGISTRY = FormatRegistry([NativeFormat(), ScheduledLines()])


def memory(db: Database, card_id: str) -> MemoryState:
    stored = CardRepository(db).get(card_id)
    assert stored is not None
    return stored.memory


def test_the_parsed_file_carries_the_schedules_by_card_id() -> None:
    parsed = parse_text(
        "Why? | Because | 2026-02-01,10,250\nHow? | So\n", path="a.txt", registry=REGISTRY
    )
    assert [card.id for card in parsed.cards] == ["a.txt#why", "a.txt#how"]
    assert parsed.schedules == {"a.txt#why": ImportedSchedule(date(2026, 2, 1), 10, 250)}


def test_a_file_with_errors_brings_no_schedule() -> None:
    parsed = parse_text(
        "Why? | Because | 2026-02-01,10,250\nbroken\n", path="a.txt", registry=REGISTRY
    )
    assert parsed.errors and parsed.cards == [] and parsed.schedules == {}


def test_a_new_card_starts_from_its_schedule_and_one_without_starts_new(
    db: Database, tmp_path: Path
) -> None:
    (tmp_path / "q.txt").write_text("Why? | Because | 2026-01-20,10,250\nHow? | So\n")
    report = import_paths(db, [tmp_path], registry=REGISTRY, now=NOW)
    assert (report.new, report.errors) == (2, [])
    brought = memory(db, "q.txt#why")
    assert brought.display_state == "review" and brought.reps == 1
    assert brought.due == datetime(2026, 1, 20, 12, tzinfo=UTC)
    assert brought.last_review == brought.due - timedelta(days=10)
    assert brought.stability is not None and abs(brought.stability - 10) < 0.01
    fresh = memory(db, "q.txt#how")
    assert fresh.is_new and fresh.due == NOW and fresh.stability is None


def test_a_card_that_brought_its_schedule_can_be_answered(db: Database, tmp_path: Path) -> None:
    # Its due and last review fall on whole seconds (noon UTC): they must be stored as
    # every answer compares them, or the first answer is refused as answered elsewhere.
    (tmp_path / "q.txt").write_text("Why? | Because | 2026-01-14,10,250\n")
    import_paths(db, [tmp_path], registry=REGISTRY, now=NOW)
    session = StudySession(db, clock=lambda: NOW, zone=UTC)
    shown = session.next_card()
    assert shown is not None and shown.memory.reps == 1
    result = session.answer(3, 4000)
    assert result.after.reps == 2
    assert memory(db, "q.txt#why").last_review == NOW


def test_a_stored_card_keeps_its_state_whatever_the_schedule_says(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "q.txt"
    path.write_text("Why? | Because\n")
    import_paths(db, [tmp_path], registry=REGISTRY, now=NOW)
    before = memory(db, "q.txt#why")
    # The other app reviewed it and rewrote its schedule; the answer was edited too.
    path.write_text("Why? | Because, really | 2026-02-01,10,250\n")
    report = import_paths(db, [tmp_path], registry=REGISTRY, now=NOW + timedelta(days=1))
    assert (report.new, report.updated) == (0, 1)
    assert memory(db, "q.txt#why") == before
    assert run_sql(db, "SELECT count(*) FROM review_logs") == [(0,)]


def test_the_users_fsrs_parameters_set_the_difficulty(db: Database, tmp_path: Path) -> None:
    (tmp_path / "q.txt").write_text("Why? | Because | 2026-02-01,20,230\n")
    assert Settings().parameters is None
    import_paths(db, [tmp_path / "q.txt"], registry=REGISTRY, now=NOW)
    with_defaults = memory(db, "q.txt#why").difficulty
    other = tmp_path / "other"
    other.mkdir()
    (other / "r.txt").write_text("What? | That | 2026-02-01,20,230\n")
    from fsrs_rs_python import DEFAULT_PARAMETERS

    weights = list(DEFAULT_PARAMETERS)
    weights[8] *= 1.5
    db.settings.save_settings(
        replace(db.settings.load_settings(), parameters=tuple(weights)), ["parameters"]
    )
    import_paths(db, [other], registry=REGISTRY, now=NOW)
    assert memory(db, "r.txt#what").difficulty != with_defaults


@pytest.fixture
def db(backend_db: Database) -> Database:
    """Every test here runs on each backend (SQLite, PostgreSQL)."""
    return backend_db
