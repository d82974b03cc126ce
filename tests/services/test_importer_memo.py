"""Files that gave no cards are remembered, so that a rescan reports them without parsing.

A failed file keeps failing with the same lines until it changes, and a file that is no
card file stays skipped, but neither is read again while its size and mtime (or, once
touched, its hash) are unchanged. What decides a file's outcome besides its bytes (the
formats, a forced format) is part of the record: a file is read again when that changes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats import FileContext, FormatRegistry
from quizapp.cards.formats.native import NativeFormat
from quizapp.cards.model import Card
from quizapp.services.importer import ImportReport, check_paths, import_paths
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.sqlite.unimported_repo import load_unimported

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FIXTURES = Path(__file__).parents[1] / "store" / "fixtures"


def card(title: str, answer: str = "Because it squashes.") -> str:
    return f"# {title}\n\n## Question\n\nWhy {title}?\n\n## Answer\n\n{answer}\n"


#: Claimed by the native format (it has a Question section) but broken: its exercise does
#: not parse (an error), and its question has a LaTeX command no one knows (a warning).
BROKEN = (
    "# Broken\n\n## Question\n\nWhat is $\\foozle{x}$?\n\n## Answer\n\nA thing.\n\n"
    "```exercise\nthis: [is not, a valid spec\n```\n"
)
NOTES = "# Meeting notes\n\nNothing to learn here.\n"


class Counting(NativeFormat):
    """The native format, counting the files it reads (same name, so the same reader)."""

    def __init__(self) -> None:
        self.reads: list[str] = []

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        self.reads.append(context.path)
        return super().read(text, context, diagnostics)


class Loose(NativeFormat):
    """A second format: ``Q: …`` / ``A: …``; it claims such a file only when ``claims``."""

    name = "loose"

    def __init__(self, claims: bool = False) -> None:
        self.claims = claims

    def sniff(self, text: str, context: FileContext) -> bool:
        return self.claims and text.startswith("Q:")

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        question, _, answer = text.partition("\nA:")
        title = question.removeprefix("Q:").strip()
        native = f"# {title}\n\n## Question\n\n{title}\n\n## Answer\n\n{answer.strip()}\n"
        return super().read(native, context, diagnostics)


def counting_reads(registry: FormatRegistry) -> list[str]:
    """The files that the registry's counting format has read."""
    counter = registry.formats[0]
    assert isinstance(counter, Counting)
    return counter.reads


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def outcome(report: ImportReport) -> dict[str, object]:
    """What a user reads of a report: counts and every problem line."""
    shown = report.to_dict()
    return {key: value for key, value in shown.items() if key != "dry_run"}


def tables(db: Database) -> list[list[tuple[object, ...]]]:
    names = ["cards", "card_states", "tags", "card_tags", "related", "decks", "source_files"]
    return [run_sql(db, f"SELECT * FROM {name} ORDER BY 1, 2") for name in names]


def remembered(db: Database) -> dict[str, tuple[int, bool]]:
    """Remembered files by name: (mtime_ns, failed)."""
    return {
        Path(path).name: (record.mtime_ns, record.failed)
        for path, record in load_unimported(db).items()
    }


def test_failed_file_is_reported_again_without_being_parsed(db: Database, tmp_path: Path) -> None:
    write(tmp_path, "good.md", card("Sigmoid"))
    write(tmp_path, "broken.md", BROKEN)
    counting = FormatRegistry([Counting()])
    first = import_paths(db, [tmp_path], registry=counting, now=NOW)
    assert first.failed_files == 1 and first.new == 1
    assert [p.file for p in first.errors] == ["broken.md"]
    assert sorted(counting_reads(counting)) == ["broken.md", "good.md"]

    counting = FormatRegistry([Counting()])
    again = import_paths(db, [tmp_path], registry=counting, now=NOW)
    assert counting_reads(counting) == []
    # good.md is unchanged, so it is not read again: no format read anything.
    assert outcome(again) == outcome(first) | {"new": 0, "unchanged": 1, "formats": {}}
    assert remembered(db) == {"broken.md": (os.stat(tmp_path / "broken.md").st_mtime_ns, True)}


def test_skipped_file_is_remembered_and_counted_again_unread(db: Database, tmp_path: Path) -> None:
    write(tmp_path, "notes.md", NOTES)
    counting = FormatRegistry([Counting()])
    first = import_paths(db, [tmp_path], registry=counting, now=NOW)
    again = import_paths(db, [tmp_path], registry=counting, now=NOW)
    assert first.skipped == again.skipped == 1
    assert first.skipped_files == again.skipped_files
    assert remembered(db) == {"notes.md": (os.stat(tmp_path / "notes.md").st_mtime_ns, False)}


def test_touched_failed_file_is_hashed_not_parsed_and_its_new_mtime_kept(
    db: Database, tmp_path: Path
) -> None:
    path = write(tmp_path, "broken.md", BROKEN)
    first = import_paths(db, [tmp_path], registry=FormatRegistry([Counting()]), now=NOW)
    os.utime(path, ns=(5, 5))
    counting = FormatRegistry([Counting()])
    again = import_paths(db, [tmp_path], registry=counting, now=NOW)
    assert counting_reads(counting) == []
    assert outcome(again) == outcome(first)
    assert remembered(db) == {"broken.md": (5, True)}


def test_fixed_file_is_imported_and_forgotten(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "broken.md", BROKEN)
    import_paths(db, [tmp_path], now=NOW)
    path.write_text(card("Broken"), encoding="utf-8")
    report = import_paths(db, [tmp_path], now=NOW)
    assert (report.new, report.failed_files, report.errors) == (1, 0, [])
    assert remembered(db) == {}


def test_a_file_that_breaks_keeps_its_cards_and_fails_on_every_rescan(
    db: Database, tmp_path: Path
) -> None:
    path = write(tmp_path, "a.md", card("Adam"))
    import_paths(db, [tmp_path], now=NOW)
    before = tables(db)
    path.write_text(BROKEN, encoding="utf-8")
    first = import_paths(db, [tmp_path], now=NOW)
    again = import_paths(db, [tmp_path], now=NOW)
    assert first.failed_files == again.failed_files == 1
    assert outcome(again) == outcome(first)
    assert tables(db) == before  # the card is neither changed nor marked missing


def test_forced_format_reads_a_file_remembered_as_skipped(db: Database, tmp_path: Path) -> None:
    """Before: the record of a skipped file matched its stat, so ``--format`` was never tried."""
    write(tmp_path, "qa.md", "Q: What is a tensor?\nA: An array with named axes.\n")
    registry = FormatRegistry([NativeFormat(), Loose()])
    assert import_paths(db, [tmp_path], registry=registry, now=NOW).skipped == 1
    forced = import_paths(db, [tmp_path], registry=registry, format="loose", now=NOW)
    assert (forced.new, forced.skipped) == (1, 0)


def test_a_new_format_reads_files_skipped_before_it(db: Database, tmp_path: Path) -> None:
    write(tmp_path, "qa.md", "Q: What is a tensor?\nA: An array with named axes.\n")
    native = FormatRegistry([NativeFormat()])
    assert import_paths(db, [tmp_path], registry=native, now=NOW).skipped == 1
    wider = FormatRegistry([NativeFormat(), Loose(claims=True)])
    report = import_paths(db, [tmp_path], registry=wider, now=NOW)
    assert (report.new, report.skipped) == (1, 0)
    assert remembered(db) == {}


def test_record_from_before_0005_of_a_skipped_file_is_read_once_more(
    db: Database, tmp_path: Path
) -> None:
    """A ``source_files`` row without cards and without a record is not trusted: the file
    is read again (and then remembered)."""
    write(tmp_path, "notes.md", NOTES)
    counting = FormatRegistry([Counting()])
    import_paths(db, [tmp_path], registry=counting, now=NOW)
    run_sql(db, "DELETE FROM unimported_files")
    report = import_paths(db, [tmp_path], registry=counting, now=NOW)
    assert report.skipped == 1
    assert list(remembered(db)) == ["notes.md"]


def test_dry_run_and_check_remember_nothing(db: Database, tmp_path: Path) -> None:
    write(tmp_path, "broken.md", BROKEN)
    write(tmp_path, "notes.md", NOTES)
    dry = import_paths(db, [tmp_path], dry_run=True, now=NOW)
    assert dry.failed_files == 1 and dry.skipped == 1
    assert remembered(db) == {}
    assert check_paths([tmp_path]).failed_files == 1


def test_vanished_file_is_forgotten(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "broken.md", BROKEN)
    write(tmp_path, "good.md", card("Good"))
    import_paths(db, [tmp_path], now=NOW)
    path.unlink()
    report = import_paths(db, [tmp_path], now=NOW)
    assert report.failed_files == 0 and remembered(db) == {}


def test_duplicate_id_failure_is_not_remembered(db: Database, tmp_path: Path) -> None:
    """It depends on the other files, not on the file alone."""
    front = "---\nid: shared\n---\n"
    write(tmp_path, "a.md", front + card("First"))
    write(tmp_path, "b.md", front + card("Second"))
    assert import_paths(db, [tmp_path], now=NOW).failed_files == 1
    assert remembered(db) == {}


def test_unreadable_record_is_ignored(db: Database, tmp_path: Path) -> None:
    write(tmp_path, "broken.md", BROKEN)
    first = import_paths(db, [tmp_path], now=NOW)
    run_sql(db, 'UPDATE unimported_files SET problems = \'{"not": "a list"}\'')
    counting = FormatRegistry([Counting()])
    again = import_paths(db, [tmp_path], registry=counting, now=NOW)
    assert counting_reads(counting) == ["broken.md"]
    assert outcome(again) == outcome(first)


def test_records_survive_the_upgrades_after_0005(tmp_path: Path) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_0005.db", copy)
    db = open_database(copy, auto_backup=False)
    try:
        records = load_unimported(db)
    finally:
        db.close()
    assert list(records) == ["/cards/bad.md"]
    record = records["/cards/bad.md"]
    assert (record.size, record.failed) == (9, True)
    assert record.problems == (("error", 3, 'no "## Question" section'),)
    with sqlite3.connect(copy) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()


@pytest.fixture
def db(backend_db: Database) -> Database:
    """Every test here runs on each backend (SQLite, PostgreSQL)."""
    return backend_db
