"""The browse query run in SQL selects exactly the cards the Python matcher accepts, on
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from test_study_builders import T0, FakeClock, Spec, add_cards, make_database

from quizapp.services.query import browse_page, matching_ids, parse_query
from quizapp.services.study import StudySession
from quizapp.store.db import Database
from quizapp.store.records import CardFilter

QUERIES = [
    "",
    "tag:ml",
    "-tag:ml",
    "tag:m*",
    "difficulty:hard",
    "-difficulty:hard",
    "deck:dl",
    "-deck:dl/cnn",
    "is:new",
    "-is:new",
    "is:due",
    "is:suspended",
    "-is:suspended",
    "is:learning",
    "is:review",
    "gradient",
    "-gradient",
    "id:c1*",
    "tag:stats is:new",
]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def collection(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, FakeClock]]:
    """One collection per backend for the module (the tests only read it)."""
    if request.param == "sqlite":
        url = str(Path(tmp_path_factory.mktemp("q")) / "c.db")
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.url(server.new_database())
    db = make_database(url)
    specs = [
        Spec(
            f"c{i}",
            tags=(("ml", "ml/optim"), ("stats",), ())[i % 3],
            difficulty=("hard", "easy", None)[i % 3],
            deck="dl" if i < 6 else "dl/cnn",
            question="a Gradient step" if i % 4 == 0 else "other",
        )
        for i in range(14)
    ]
    pks = add_cards(db, specs)
    clock = FakeClock()
    session = StudySession(db, clock=clock, zone=UTC)
    for rating in (3, 1, 3, 4, 3):
        assert session.next_card() is not None
        session.answer(rating, 1000)
    db.answers.set_suspended([pks["c3"]], True)
    clock.now = T0 + timedelta(days=2)
    yield db, clock
    db.close()


@pytest.mark.parametrize("text", QUERIES)
def test_sql_matches_python(collection: tuple[Database, FakeClock], text: str) -> None:
    db, clock = collection
    query = parse_query(text)
    cards = db.cards.find(CardFilter(include_missing=True))
    expected = sorted(c.pk for c in query.filter(cards, clock.now))
    assert matching_ids(db, query, clock.now) == expected
    page = browse_page(db, query, now=clock.now, limit=3)
    assert page.total == len(expected)
    assert [c.pk for c in page.cards] == [
        c.pk
        for c in sorted(
            query.filter(cards, clock.now), key=lambda c: (c.card.title.casefold(), c.pk)
        )
    ][:3]


def test_recall_order_sorts_by_predicted_recall(collection: tuple[Database, FakeClock]) -> None:
    db, clock = collection
    page = browse_page(db, parse_query("-is:new"), now=clock.now, order="recall", limit=50)
    values = [page.recall[c.pk] or 0.0 for c in page.cards]
    assert values == sorted(values) and any(values)


@pytest.mark.parametrize(
    "order",
    [
        "title",
        "deck",
        "tags",
        "difficulty",
        "state",
        "due",
        "stability",
        "recall",
        "reviews",
        "lapses",
    ],
)
def test_every_browse_column_sorts_in_sql(
    collection: tuple[Database, FakeClock], order: str
) -> None:
    db, clock = collection
    page = browse_page(db, parse_query(""), now=clock.now, order=order, limit=100)
    assert page.total == 14 and len(page.cards) == 14
    if order == "state":
        rank = {"new": 0, "learning": 1, "review": 2, "relearning": 3}
        ranks = [rank[c.memory.display_state] for c in page.cards]
        assert ranks == sorted(ranks)
    if order == "tags":
        keys = [",".join(t.casefold() for t in c.card.tags) for c in page.cards]
        assert keys == sorted(keys)


def test_unknown_order_is_refused(collection: tuple[Database, FakeClock]) -> None:
    db, clock = collection
    with pytest.raises(ValueError, match="unknown sort order 'colour'"):
        browse_page(db, parse_query(""), now=clock.now, order="colour")
