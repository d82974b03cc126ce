"""Card kinds and sibling groups in the store (migration 0004): written by the importer,
read back, filtered on; old databases upgrade to basic cards alone with no re-import.

The tests taking ``backend_db`` run on SQLite and PostgreSQL. The upgrade tests stay on
SQLite: their fixtures are SQLite files of an old schema (and one reads ``PRAGMA
table_info``); the partial-index test reads SQLite's ``EXPLAIN QUERY PLAN``."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from quizapp.cards.model import CardKind
from quizapp.services.importer import import_paths
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.records import CardCondition, CardFilter, SourceFileInfo
from store.cards_factory import NOW, make_card

FIXTURES = Path(__file__).with_name("fixtures")
REFERENCE = Path(__file__).parents[1] / "cards" / "fixtures" / "reference-like.md"


def _write_kinds(db: Database) -> None:
    cards = [
        make_card("plain"),
        make_card("n#adam/c1", kind=CardKind.CLOZE, note="n#adam", question="{{c1::Adam}} x"),
        make_card("n#adam/c2", kind=CardKind.CLOZE, note="n#adam", question="Adam {{c2::x}}"),
        make_card("n#relu", kind=CardKind.BASIC, note="n#relu"),
        make_card("n#relu/reverse", kind=CardKind.REVERSED, note="n#relu"),
        make_card("n#why", kind=CardKind.QUESTION_ONLY),
    ]
    db.import_writer().write_file(SourceFileInfo("/cards/n.md", 1, 1, "0" * 64), cards, NOW)


def test_kind_and_note_are_stored_and_read_back(backend_db: Database) -> None:
    _write_kinds(backend_db)
    repo = backend_db.cards
    shown = {s.card.id: (s.kind, s.note) for s in repo.find()}
    assert shown == {
        "plain": (CardKind.BASIC, ""),
        "n#adam/c1": (CardKind.CLOZE, "n#adam"),
        "n#adam/c2": (CardKind.CLOZE, "n#adam"),
        "n#relu": (CardKind.BASIC, "n#relu"),
        "n#relu/reverse": (CardKind.REVERSED, "n#relu"),
        "n#why": (CardKind.QUESTION_ONLY, ""),
    }
    stored = repo.get("n#adam/c2")
    assert stored is not None and stored.card.question == "Adam {{c2::x}}"
    assert run_sql(backend_db, "SELECT kind FROM cards WHERE uid = 'n#why'") == [("question_only",)]


def test_changing_a_cards_kind_is_an_update(backend_db: Database) -> None:
    _write_kinds(backend_db)
    writer = backend_db.import_writer()
    again = make_card("n#why", kind=CardKind.QUESTION_ONLY)
    assert writer.classify(again, "/cards/n.md") == "unchanged"
    answered = make_card("n#why", kind=CardKind.BASIC)
    assert writer.classify(answered, "/cards/n.md") == "updated"
    writer.write_file(SourceFileInfo("/cards/n.md", 2, 2, "1" * 64), [answered], NOW)
    stored = backend_db.cards.get("n#why")
    assert stored is not None and stored.kind is CardKind.BASIC


def test_filter_and_condition_on_kind(backend_db: Database) -> None:
    _write_kinds(backend_db)
    repo = backend_db.cards

    def ids(card_filter: CardFilter) -> list[str]:
        return sorted(s.card.id for s in repo.find(card_filter))

    assert ids(CardFilter(kinds=("cloze",))) == ["n#adam/c1", "n#adam/c2"]
    assert ids(CardFilter(kinds=("Reversed", "question_only"))) == ["n#relu/reverse", "n#why"]
    assert ids(CardFilter(conditions=(CardCondition("kind", "CLOZE"),))) == [
        "n#adam/c1",
        "n#adam/c2",
    ]
    assert ids(CardFilter(conditions=(CardCondition("kind", "basic", negated=True),))) == [
        "n#adam/c1",
        "n#adam/c2",
        "n#relu/reverse",
        "n#why",
    ]
    assert repo.page(CardFilter(kinds=("cloze",)), limit=1).total == 2
    with pytest.raises(ValueError, match=r"unknown kind 'clozes'; use one of basic, cloze"):
        repo.find(CardFilter(kinds=("clozes",)))


@pytest.mark.sqlite_only("an old schema's SQLite file")
def test_0003_database_upgrades_to_basic_cards_alone(tmp_path: Path) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_0003.db", copy)
    db = open_database(copy, auto_backup=False)
    try:
        assert set(run_sql(db, "SELECT kind, note FROM cards")) == {("basic", "")}
        # The hashes stored before 0004 are the ones the same cards have now.
        writer = db.import_writer()
        assert (
            writer.classify(make_card("a/two", title="A Two", difficulty="hard"), "/cards/a.md")
            == "unchanged"
        )
        indexes = {
            row[0] for row in run_sql(db, "SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        assert {"ix_cards_kind", "ix_cards_note"} <= indexes
    finally:
        db.close()


@pytest.mark.sqlite_only("reads SQLite's query plan")
def test_sibling_lookup_reads_the_partial_note_index(db: Database) -> None:
    _write_kinds(db)
    plan = run_sql(
        db, "EXPLAIN QUERY PLAN SELECT id FROM cards WHERE note = 'n#adam' AND note != ''"
    )
    assert any("ix_cards_note" in str(row[-1]) for row in plan)


@pytest.mark.sqlite_only("an old schema's SQLite file")
def test_native_card_imported_before_0004_is_unchanged_after_it(tmp_path: Path) -> None:
    """The reference card, imported at 0003 and upgraded, re-imports as unchanged: neither
    its hash nor anything stored of it moved with the new columns."""
    from alembic import command

    from quizapp.store.migrate import alembic_config

    deck = tmp_path / "deck"
    deck.mkdir()
    shutil.copy(REFERENCE, deck / "reference-like.md")
    path = tmp_path / "q.db"
    db = open_database(path, auto_backup=False)
    first = import_paths(db, [deck], now=NOW)
    assert first.new == 1
    stored_hash = run_sql(db, "SELECT content_hash FROM cards")
    with db.begin(write=True) as connection:
        command.downgrade(alembic_config(connection), "0003")
    db.close()
    with sqlite3.connect(path) as raw:
        columns = [row[1] for row in raw.execute("PRAGMA table_info(cards)")]
    raw.close()
    assert "kind" not in columns and "note" not in columns
    db = open_database(path, auto_backup=False)
    try:
        run_sql(db, "DELETE FROM source_files")  # so the file is parsed again, not skipped
        again = import_paths(db, [deck], now=NOW)
        assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
        assert run_sql(db, "SELECT content_hash, kind, note FROM cards") == [
            (stored_hash[0][0], "basic", "")
        ]
    finally:
        db.close()
