"""The starter copy: a new database seeded from it is the database an import would make,
and a copy that no longer matches what it was made from is never used (issue 17)."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp import bundled_starter
from quizapp.content import bundled_deck_dir, ensure_starter_deck, prepare_first_run
from quizapp.services.importer import import_paths
from quizapp.services.library import list_cards, show_card
from quizapp.starter_copy import copy_path, remember, seed, starter_folder
from quizapp.store.db import open_database
from quizapp.store.location import HEAD_REVISION

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)

CARD = """# {title}

## Question
What does {title} compute?

## Answer
$$y = \\sigma(Wx + b)$$
"""


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with an empty cache folder of its own, and no shipped starter
    database (``tests/test_bundled_starter.py`` covers that one): the cache's copy is what
    a deck edited since the shipped one was built gets."""
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(bundled_starter, "SHIPPED_FOLDER", tmp_path / "nothing-shipped")


def _deck(folder: Path, *titles: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for title in titles:
        (folder / f"{title.lower()}.md").write_text(CARD.format(title=title), encoding="utf-8")
    return folder


def _import_and_remember(deck: Path, path: Path) -> None:
    db = open_database(path, auto_backup=False)
    try:
        assert import_paths(db, [deck]).new > 0
    finally:
        db.close()
    remember(path, deck)


def _titles(path: Path) -> list[str]:
    db = open_database(path, auto_backup=False)
    try:
        return [card.title for card in list_cards(db)]
    finally:
        db.close()


def test_a_new_database_is_seeded_with_what_an_import_gives(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "deck", "Sigmoid", "Relu")
    _import_and_remember(deck, tmp_path / "first.db")
    assert copy_path(deck).is_file()

    assert seed(tmp_path / "seeded.db", deck, NOW)
    direct = tmp_path / "direct.db"
    db = open_database(direct, auto_backup=False)
    import_paths(db, [deck])
    db.close()
    assert _titles(tmp_path / "seeded.db") == _titles(direct) == ["Relu", "Sigmoid"]


def test_a_changed_deck_file_makes_the_copy_stale(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "deck", "Sigmoid", "Relu")
    _import_and_remember(deck, tmp_path / "first.db")
    stale = copy_path(deck)
    (deck / "relu.md").write_text(CARD.format(title="Leaky"), encoding="utf-8")

    assert copy_path(deck) != stale
    assert not seed(tmp_path / "new.db", deck, NOW)
    assert not (tmp_path / "new.db").exists()


def test_a_file_touched_or_added_makes_the_copy_stale(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "deck", "Sigmoid")
    _import_and_remember(deck, tmp_path / "first.db")
    stale = copy_path(deck)
    os.utime(deck / "sigmoid.md", ns=(1, 1))  # the store keeps each file's mtime
    assert copy_path(deck) != stale
    touched = copy_path(deck)
    _deck(deck, "Tanh")
    assert copy_path(deck) not in (stale, touched)


def test_a_new_copy_replaces_the_old_one(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "deck", "Sigmoid")
    _import_and_remember(deck, tmp_path / "first.db")
    _deck(deck, "Tanh")
    _import_and_remember(deck, tmp_path / "second.db")
    assert list(starter_folder().glob("*.db")) == [copy_path(deck)]
    assert seed(tmp_path / "new.db", deck, NOW)
    assert _titles(tmp_path / "new.db") == ["Sigmoid", "Tanh"]


def test_an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "deck", "Sigmoid")
    _import_and_remember(deck, tmp_path / "first.db")
    existing = tmp_path / "mine.db"
    existing.write_bytes(b"")
    assert not seed(existing, deck, NOW)
    assert existing.read_bytes() == b""


def test_a_name_with_an_earlier_files_wal_beside_it_is_not_seeded(tmp_path: Path) -> None:
    """SQLite could replay a stale WAL into the copy: that name is left to the store."""
    deck = _deck(tmp_path / "deck", "Sigmoid")
    _import_and_remember(deck, tmp_path / "first.db")
    (tmp_path / "new.db-wal").write_bytes(b"left over")
    assert not seed(tmp_path / "new.db", deck, NOW)
    assert not (tmp_path / "new.db").exists()


def test_a_damaged_copy_is_deleted_not_used(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "deck", "Sigmoid")
    _import_and_remember(deck, tmp_path / "first.db")
    copy_path(deck).write_bytes(b"SQLite format 3\0" + b"\xff" * 4000)
    assert not seed(tmp_path / "new.db", deck, NOW)
    assert not (tmp_path / "new.db").exists()
    assert not copy_path(deck).exists()


def test_a_copy_at_another_schema_revision_is_not_used(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "deck", "Sigmoid")
    _import_and_remember(deck, tmp_path / "first.db")
    connection = sqlite3.connect(copy_path(deck))
    connection.execute("UPDATE alembic_version SET version_num = '0001'")
    connection.commit()
    connection.close()
    assert HEAD_REVISION != "0001"
    assert not seed(tmp_path / "new.db", deck, NOW)
    assert not (tmp_path / "new.db").exists()


def test_the_first_run_seeds_from_the_copy_the_previous_first_run_made(tmp_path: Path) -> None:
    """Through ``content``: the first new database imports the bundled deck and keeps the
    copy; the next is seeded, dated now, with the same cards and nothing to back up."""
    first = prepare_first_run(tmp_path / "one.db")
    assert first.created and not first.seeded
    db = open_database(tmp_path / "one.db", auto_backup=False)
    report = ensure_starter_deck(db, first)
    assert report is not None and report.new > 100
    imported = [(card.id, card.title, card.state) for card in list_cards(db)]
    detail = show_card(db, imported[0][0])
    db.close()
    assert copy_path(bundled_deck_dir()).is_file()

    second = prepare_first_run(tmp_path / "two.db", now=NOW)
    assert second.created and second.seeded
    db = open_database(tmp_path / "two.db", auto_backup=not second.seeded)
    seeded_report = ensure_starter_deck(db, second)
    assert seeded_report is not None and seeded_report.new == report.new
    cards = list_cards(db)
    assert [(card.id, card.title, card.state) for card in cards] == imported
    assert {card.due for card in cards} == {NOW}
    again = show_card(db, imported[0][0])
    assert detail is not None and again is not None
    assert again.memory.due == NOW
    assert dataclasses.replace(again, memory=detail.memory) == detail  # all but the dates
    db.close()
    assert not (tmp_path / "two-backups").exists()


def test_an_existing_database_is_not_a_first_run(tmp_path: Path) -> None:
    open_database(tmp_path / "old.db", auto_backup=False).close()
    found = prepare_first_run(tmp_path / "old.db")
    assert not found.created and not found.seeded
