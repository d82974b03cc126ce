"""The store keeps a card's languages, "More" sections and file name, searches in every
script, and resolves related questions by file name (issue 14).

The tests taking ``backend_db`` run on SQLite and PostgreSQL. The 0005 upgrade tests stay
on SQLite: their fixture is a SQLite file of the old schema, edited with ``sqlite3``."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.cards.model import Card, CardExtra, LanguageVersion, Step
from quizapp.services.library import list_cards
from quizapp.services.query import parse_query, to_card_filter
from quizapp.store.db import Database, open_database
from quizapp.store.records import CardCondition, CardFilter, SourceFileInfo
from store.cards_factory import NOW, make_card

FIXTURES = Path(__file__).with_name("fixtures")


def _write(backend_db: Database, *cards_by_file: tuple[str, list[Card]]) -> None:
    writer = backend_db.import_writer()
    for name, cards in cards_by_file:
        writer.write_file(SourceFileInfo(f"/v/{name}", 1, 1, "0" * 64, "/v"), cards, NOW)
    writer.resolve_related()


def test_languages_extras_and_link_name_round_trip(backend_db: Database) -> None:
    card = replace(
        make_card("ml/bias"),
        language="en",
        alternates=(LanguageVersion("ru", "Что это?", (Step(("Ответ",), "Это.", 7),)),),
        extras=(CardExtra("references", "References", "- ESL", "en", 12),),
        link_name="Bias-Variance Tradeoff",
    )
    _write(backend_db, ("ml/Bias-Variance Tradeoff.md", [card]))
    stored = backend_db.cards.get("ml/bias")
    assert stored is not None
    assert stored.card.language == "en"
    assert stored.card.alternates == card.alternates
    assert stored.card.extras == card.extras
    assert stored.card.link_name == "Bias-Variance Tradeoff"


def test_a_card_without_a_link_name_is_named_by_its_file(backend_db: Database) -> None:
    _write(
        backend_db, ("ml/adam.md", [replace(make_card("ml/adam"), source="ml/Adam Optimizer.md")])
    )
    stored = backend_db.cards.get("ml/adam")
    assert stored is not None and stored.card.link_name == "Adam Optimizer"


@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("Вопрос о градиенте", "вопрос"),
        ("вопрос о градиенте", "ВОПРОС"),
        ("Σίσυφος and the boulder", "ΣΊΣΥΦΟΣ"),
        ("Die Straße", "STRASSE"),
        ("die strasse", "Straße"),
        ("İstanbul cache", "istanbul"),
        ("ISTANBUL cache", "İstanbul"),
    ],
)
def test_free_text_search_folds_case_in_every_script(
    backend_db: Database, written: str, searched: str
) -> None:
    _write(
        backend_db,
        ("a.md", [make_card("a", title=written)]),
        ("b.md", [make_card("b", title="Unrelated")]),
    )
    repo = backend_db.cards
    found = repo.find(CardFilter(conditions=(CardCondition("text", searched),)))
    assert [stored.card.id for stored in found] == ["a"]
    # browse's Python matching agrees with the SQL
    query = parse_query(f'"{searched}"')
    assert [s.card.id for s in repo.find(to_card_filter(query, NOW))] == ["a"]
    assert [s.card.id for s in repo.find() if query.matches(s, NOW)] == ["a"]
    # and so does `quizapp list --text`
    assert [summary.id for summary in list_cards(backend_db, text=searched)] == ["a"]


def test_search_finds_a_card_by_its_other_language_and_its_steps(backend_db: Database) -> None:
    bilingual = replace(
        make_card("a", text="Plain English answer."),
        language="en",
        alternates=(LanguageVersion("ru", "Что такое Смещение?", ()),),
    )
    _write(backend_db, ("a.md", [bilingual]), ("b.md", [make_card("b")]))
    assert [s.id for s in list_cards(backend_db, text="смещение")] == ["a"]
    assert [s.id for s in list_cards(backend_db, text="ENGLISH ANSWER")] == ["a"]


@pytest.mark.parametrize(
    "written",
    [
        "[[Bias-Variance Tradeoff]]",
        "[[bias-variance tradeoff|the tradeoff]]",
        "[[Bias-Variance Tradeoff#Proof]]",
        "[[Bias-Variance Tradeoff.md]]",
        "BIAS-VARIANCE TRADEOFF",
        "[[Компромисс]]",
        "[[КОМПРОМИСС|alias in another case]]",
        "ml/bias",
        "Bias and variance",
    ],
)
def test_related_questions_resolve_by_file_name_alias_title_and_id(
    backend_db: Database, written: str
) -> None:
    target = replace(
        make_card("ml/bias", title="Bias and variance", aliases=("компромисс",)),
        source="ml/Bias-Variance Tradeoff.md",
    )
    linking = make_card("ml/other", related=(written,))
    _write(backend_db, ("ml/Bias-Variance Tradeoff.md", [target]), ("ml/other.md", [linking]))
    stored = backend_db.cards.get("ml/other")
    assert stored is not None
    assert [link.target_uid for link in stored.related_links] == ["ml/bias"]


@pytest.mark.sqlite_only("an old schema's SQLite file")
def test_0005_database_upgrades_with_link_names_and_search_text(tmp_path: Path) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_0005.db", copy)
    with sqlite3.connect(copy) as raw:
        raw.execute(
            "UPDATE cards SET title = 'ПРИВЕТ Straße', source = 'a/My Note.md' WHERE id = 1"
        )
    raw.close()
    db = open_database(copy, auto_backup=False)
    try:
        stored = db.cards.get_by_pk(1)
        assert stored is not None
        assert stored.card.link_name == "My Note"
        assert (stored.card.language, stored.card.alternates, stored.card.extras) == ("", (), ())
        assert [s.title for s in list_cards(db, text="привет strasse")] == ["ПРИВЕТ Straße"]
    finally:
        db.close()


@pytest.mark.sqlite_only("an old schema's SQLite file")
def test_0005_database_upgrades_with_links_by_file_name_resolved(tmp_path: Path) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_0005.db", copy)
    with sqlite3.connect(copy) as raw:
        raw.execute("UPDATE cards SET source = 'a/Второй Вопрос.md' WHERE uid = 'a/three'")
        raw.execute(
            "INSERT INTO related (card_id, position, text, target_id)"
            " SELECT id, 7, '[[второй вопрос|the third]]', NULL FROM cards WHERE uid = 'a/one'"
        )
    raw.close()
    db = open_database(copy, auto_backup=False)
    try:
        stored = db.cards.get("a/one")
        assert stored is not None
        links = {link.text: link.target_uid for link in stored.related_links}
        assert links["[[второй вопрос|the third]]"] == "a/three"
    finally:
        db.close()


def test_a_file_name_wins_over_another_cards_title(backend_db: Database) -> None:
    """[[Regularization]] is the note Regularization.md, even when an earlier card is
    titled "Regularization" and the note itself is titled otherwise."""
    titled = make_card("a/titled", title="Regularization")
    named = replace(make_card("b/named", title="L2 penalty"), source="b/Regularization.md")
    linking = make_card("c/linking", related=("[[Regularization]]", "L2 penalty"))
    _write(backend_db, ("a.md", [titled]), ("b/Regularization.md", [named]), ("c.md", [linking]))
    stored = backend_db.cards.get("c/linking")
    assert stored is not None
    assert [link.target_uid for link in stored.related_links] == ["b/named", "b/named"]
