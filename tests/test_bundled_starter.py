"""The shipped starter database: current with ``content/``, the same as a fresh import of
it once put in place, and never used for a deck it was not built from (issue 17)."""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp import bundled_starter
from quizapp.bundled_starter import build, deck_files, fingerprint, shipped_path
from quizapp.content import (
    bundled_deck_dir,
    ensure_starter_deck,
    import_bundled_deck,
    prepare_first_run,
)
from quizapp.services.importer import import_paths
from quizapp.services.library import list_cards, show_card, tag_counts
from quizapp.services.overview import group_counts, today_counts
from quizapp.starter_copy import seed, starter_folder
from quizapp.store.db import Database, open_database

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 6, 2, 9, 30, tzinfo=UTC)

CARD = """# {title}

## Question
What does {title} compute?

## Answer
$$y = \\sigma(Wx + b)$$
"""


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with an empty cache folder of its own: the first run after
    installing."""
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(tmp_path / "cache"))


def _deck(folder: Path, *titles: str, sub: str = "basics") -> Path:
    """A deck in ``folder`` with a card per title in its deck folder ``sub``."""
    (folder / sub).mkdir(parents=True, exist_ok=True)
    for title in titles:
        path = folder / sub / f"{title.lower()}.md"
        path.write_text(CARD.format(title=title), encoding="utf-8")
    return folder


def _everything(db: Database) -> dict[str, object]:
    """What the services show of ``db``: every card in full, its state, tags and decks,
    with each new card's due date (the time of the import) left out."""
    cards = list_cards(db)
    details = []
    for card in cards:
        detail = show_card(db, card.id)
        assert detail is not None
        details.append(
            dataclasses.replace(detail, memory=dataclasses.replace(detail.memory, due=NOW))
        )
    groups = group_counts(db, clock=lambda: LATER, zone=UTC)
    return {
        "cards": [dataclasses.replace(card, due=NOW) for card in cards],
        "details": details,
        "tags": tag_counts(db),
        "groups": groups,
        "today": today_counts(db, clock=lambda: LATER, zone=UTC),
    }


def test_the_shipped_database_is_current_with_the_bundled_deck() -> None:
    """Fails when content/ (or the schema, or FORMAT) changed and the file was not rebuilt."""
    expected = shipped_path(deck_files(bundled_deck_dir()))
    shipped = sorted(bundled_starter.SHIPPED_FOLDER.glob(f"*{bundled_starter.SUFFIX}"))
    assert shipped == [expected], (
        "the shipped starter database is stale: run `uv run python -m quizapp.bundled_starter`"
        " and commit quizapp/starter/"
    )


def test_a_first_run_from_the_shipped_database_is_a_fresh_import(tmp_path: Path) -> None:
    """Seeded with nothing in the cache, the database shows exactly what importing
    content/ shows, dated now, with its files recorded where they are: importing the deck
    again finds every card unchanged."""
    first = prepare_first_run(tmp_path / "seeded.db", now=NOW)
    assert first.created and first.seeded
    assert not starter_folder().exists()  # nothing imported, nothing cached
    seeded = open_database(tmp_path / "seeded.db", auto_backup=False)
    direct = open_database(tmp_path / "direct.db", auto_backup=False)
    try:
        report = ensure_starter_deck(seeded, first)
        fresh = import_bundled_deck(direct)
        assert report is not None and report.new == fresh.new > 100
        assert _everything(seeded) == _everything(direct), (
            "the shipped starter database differs from an import of content/: run"
            " `uv run python -m quizapp.bundled_starter` and commit quizapp/starter/"
        )
        assert {card.due for card in list_cards(seeded)} == {NOW}
        again = import_bundled_deck(seeded)
        assert (again.new, again.updated, again.repaired, again.missing) == (0, 0, 0, 0)
        assert again.unchanged == fresh.new
    finally:
        seeded.close()
        direct.close()


def test_a_deck_moved_elsewhere_is_recorded_where_it_now_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built_from = _deck(tmp_path / "build" / "deck", "Sigmoid", "Relu")
    shelf = tmp_path / "shelf"
    build(built_from, shelf)
    installed = _deck(tmp_path / "site" / "deck", "Sigmoid", "Relu")
    os.utime(installed / "basics" / "relu.md", ns=(5_000_000_000, 5_000_000_000))
    monkeypatch.setattr(bundled_starter, "SHIPPED_FOLDER", shelf)
    assert seed(tmp_path / "new.db", installed, NOW)
    db = open_database(tmp_path / "new.db", auto_backup=False)
    try:
        paths = {show_card(db, card.id).source_path for card in list_cards(db)}  # type: ignore[union-attr]
        expected = {(installed / "basics" / name).resolve() for name in ("relu.md", "sigmoid.md")}
        assert paths == {str(path) for path in expected}
        again = import_paths(db, [installed])
        assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    finally:
        db.close()


def test_a_deck_that_differs_from_the_build_is_not_seeded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built_from = _deck(tmp_path / "build" / "deck", "Sigmoid", "Relu")
    shelf = tmp_path / "shelf"
    built, _ = build(built_from, shelf)
    edited = _deck(tmp_path / "site" / "deck", "Sigmoid", "Relu")
    (edited / "basics" / "relu.md").write_text(CARD.format(title="Leaky"), encoding="utf-8")
    monkeypatch.setattr(bundled_starter, "SHIPPED_FOLDER", shelf)
    assert fingerprint(deck_files(edited)) != built.stem
    assert not seed(tmp_path / "new.db", edited, NOW)
    assert not (tmp_path / "new.db").exists()


def test_the_fingerprint_ignores_where_the_deck_is_and_its_file_times(tmp_path: Path) -> None:
    one = _deck(tmp_path / "one", "Sigmoid")
    two = _deck(tmp_path / "elsewhere" / "two", "Sigmoid")
    os.utime(two / "basics" / "sigmoid.md", ns=(1, 1))
    assert fingerprint(deck_files(one)) == fingerprint(deck_files(two))
    _deck(two, "Tanh")
    assert fingerprint(deck_files(one)) != fingerprint(deck_files(two))


def test_a_rebuild_replaces_the_previous_file(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "deck", "Sigmoid")
    shelf = tmp_path / "shelf"
    first, cards = build(deck, shelf)
    assert cards == 1
    _deck(deck, "Tanh")
    second, cards = build(deck, shelf)
    assert cards == 2
    assert first != second
    assert list(shelf.iterdir()) == [second]


def test_a_card_outside_a_deck_folder_is_refused(tmp_path: Path) -> None:
    """Its deck would be named after the deck's folder, which differs once installed."""
    deck = _deck(tmp_path / "deck", "Sigmoid", sub="")
    with pytest.raises(RuntimeError, match=r"sigmoid\.md: bundled cards belong in a deck folder"):
        build(deck, tmp_path / "shelf")
    assert not (tmp_path / "shelf").exists() or not any((tmp_path / "shelf").iterdir())
