"""A typed id finds its card however it is spelt in Unicode (issue 12).

Import stores ids in NFKC form. What a user types (``quizapp show``, ``quizapp exercise``,
the TUI's look-ups, browse's ``id:``) goes through the same rule, so a full-width letter,
the decomposed accents of a macOS file name or a stray zero-width space in a pasted id
still find the card.

On SQLite and PostgreSQL (``backend_db``, ``backend_url``).
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from test_importer import card_text, write

from quizapp.cards.identity import typed_id_forms
from quizapp.cli import cli
from quizapp.services.exercises import ExerciseRequestError, find_exercise
from quizapp.services.importer import import_paths
from quizapp.services.library import find_card, show_card
from quizapp.services.query import parse_query
from quizapp.store.db import Database
from quizapp.tui.backend import card_by_uid

NFC = "deck/café"
NFD = unicodedata.normalize("NFD", NFC)
TYPED = [
    pytest.param(NFC, id="as-stored"),
    pytest.param(NFD, id="decomposed"),
    pytest.param("ｄｅｃｋ/ｃａｆé", id="full-width"),
    pytest.param("deck/caf\u200bé", id="zero-width-space"),
]


@pytest.fixture
def stored(backend_db: Database, tmp_path: Path) -> Database:
    """A database holding the card ``deck/café`` (an NFC file name)."""
    write(tmp_path / "cards" / "deck", "café.md", card_text("Café"))
    report = import_paths(backend_db, [tmp_path / "cards"])
    assert report.new == 1, report.errors
    assert [card.card.id for card in backend_db.cards.find()] == [NFC]
    return backend_db


def test_typed_id_forms() -> None:
    assert typed_id_forms("deck/sigmoid") == ("deck/sigmoid",)
    assert typed_id_forms(NFD) == (NFD, NFC)
    assert typed_id_forms("ｓｉｇｍｏｉｄ") == ("ｓｉｇｍｏｉｄ", "sigmoid")
    assert typed_id_forms("\u202esig\u2060moid\u200b") == ("\u202esig\u2060moid\u200b", "sigmoid")
    assert typed_id_forms("\u200b") == ("\u200b",)


@pytest.mark.parametrize("typed", TYPED)
def test_show_finds_the_card_by_a_typed_id(stored: Database, typed: str) -> None:
    detail = show_card(stored, typed)
    assert detail is not None and detail.id == NFC
    assert card_by_uid(stored, typed) is not None


@pytest.mark.parametrize("typed", [NFD, "ｄｅｃｋ/ｃａｆé"], ids=["decomposed", "full-width"])
def test_the_cli_shows_and_exercises_the_card_by_a_typed_id(
    stored: Database, backend_url: str, typed: str
) -> None:
    result = CliRunner().invoke(cli, ["--db", backend_url, "show", typed])
    assert result.exit_code == 0, result.output
    assert "Café" in result.output and f"id {NFC}" in result.output
    # The exercise command finds the card too (and then says it has no exercise).
    with pytest.raises(ExerciseRequestError, match="has no exercise"):
        find_exercise(stored, typed)


def test_an_unknown_typed_id_is_still_unknown(stored: Database, backend_url: str) -> None:
    assert find_card(stored, "deck/cafe") is None
    result = CliRunner().invoke(cli, ["--db", backend_url, "show", "ｎｏｎｅ"])
    assert result.exit_code != 0
    assert 'no card with id "ｎｏｎｅ"' in result.output


def test_a_card_stored_before_the_rule_is_found_by_its_own_spelling(stored: Database) -> None:
    with stored.begin(write=True) as conn:
        conn.execute(text("UPDATE cards SET uid = :uid"), {"uid": NFD})
    found = find_card(stored, NFD)
    assert found is not None and found.card.id == NFD


def test_browse_id_terms_are_typed_ids(stored: Database) -> None:
    query = parse_query("id:ｄｅｃｋ/ｃａｆé")
    assert [term.value for term in query.terms] == [NFC]
    now = datetime(2026, 1, 1, tzinfo=UTC)
    (card,) = stored.cards.find()
    assert query.matches(card, now)
    assert parse_query(f"id:{NFD}").matches(card, now)
