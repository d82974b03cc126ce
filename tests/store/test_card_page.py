"""``CardRepository.page``: the same cards as ``find``, sorted and cut in SQL, on SQLite and
PostgreSQL (``backend_db``)."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.records import CardFilter, SourceFileInfo, StoredCard
from quizapp.store.sqlite.card_repo import PAGE_ORDERS
from store.cards_factory import NOW, make_card

DIFFICULTY_RANK = {"easy": 0, "medium": 1, "hard": 2}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def filled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """30 cards with mixed titles, decks, tags, difficulties and states; two missing. One
    collection per backend for the whole module: the tests only read it."""
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("page") / "collection.db")
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.url(server.new_database())
    db = open_database(url, auto_backup=False)
    rng = random.Random(4)
    writer = db.import_writer()
    cards = [
        make_card(
            f"c{i:02d}",
            title=rng.choice(["alpha", "Beta", "gamma", "Delta"]) + f" {rng.randrange(5)}",
            tags=tuple(rng.sample(["ml", "ml/optim", "stats"], rng.randrange(3))),
            difficulty=rng.choice(["easy", "medium", "hard", None]),
            deck=rng.choice(["dl", "dl/cnn", "maths"]),
        )
        for i in range(30)
    ]
    for index, card in enumerate(cards):
        writer.write_file(SourceFileInfo(f"/cards/{index}.md", 1, 1, "0" * 64), [card], NOW)
    for pk in range(1, 31):
        reps = rng.randrange(4)
        run_sql(
            db,
            f"UPDATE card_states SET reps = {reps}, lapses = {rng.randrange(3)},"
            f" stability = {rng.choice(['NULL', '2.5', '7.0'])},"
            f" due = '2026-01-{rng.randrange(1, 28):02d} 10:00:00.000000' WHERE card_id = {pk}",
        )
    run_sql(db, "UPDATE cards SET missing = TRUE WHERE id IN (3, 17)")
    yield db
    db.close()


def _key(order: str, stored: StoredCard) -> object:
    memory = stored.memory
    return {
        "title": stored.card.title.lower(),
        "deck": stored.card.deck.lower(),
        "difficulty": DIFFICULTY_RANK.get(stored.card.difficulty or "", 3),
        "due": memory.due,
        "stability": memory.stability or 0.0,
        "reviews": memory.reps,
        "lapses": memory.lapses,
    }[order]


@pytest.mark.parametrize("order", list(PAGE_ORDERS))
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize(
    "card_filter",
    [
        CardFilter(include_missing=True),
        CardFilter(),
        CardFilter(tags=("ML",), difficulties=("hard", "easy")),
        CardFilter(deck="dl"),
    ],
    ids=["all", "present", "tag+difficulty", "deck"],
)
def test_pages_are_find_sorted_and_cut(
    filled: Database, order: str, descending: bool, card_filter: CardFilter
) -> None:
    repo = filled.cards
    everything = repo.find(card_filter)
    expected = sorted(
        everything,
        key=lambda stored: (_key(order, stored), stored.pk),
        reverse=descending,
    )
    first = repo.page(card_filter, order=order, descending=descending, limit=7)
    rest = repo.page(card_filter, order=order, descending=descending, limit=100, offset=7)
    assert first.total == rest.total == len(everything) > 0
    assert first.cards + rest.cards == expected


def test_page_past_the_end_and_unknown_order(filled: Database) -> None:
    repo = filled.cards
    past = repo.page(CardFilter(), offset=500)
    assert (past.total, past.cards) == (28, [])
    with pytest.raises(ValueError, match="unknown sort order 'colour'"):
        repo.page(order="colour")
