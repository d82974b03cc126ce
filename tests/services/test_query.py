"""The browse query language: parsing, errors, and which cards each term matches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.cards.model import Card, Step
from quizapp.scheduling.memory import MemoryState
from quizapp.services.query import CardQuery, QueryError, Term, parse_query
from quizapp.store.records import StoredCard

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def stored(
    pk: int,
    title: str,
    tags: tuple[str, ...],
    difficulty: str,
    deck: str = "dl",
    reps: int = 0,
    due: datetime = NOW,
    suspended: bool = False,
) -> StoredCard:
    card = Card(
        id=f"card-{pk}",
        title=title,
        question=f"Question about {title}",
        steps=(Step(("Answer",), "Use the chain rule."),),
        tags=tags,
        difficulty=difficulty,
        deck=deck,
    )
    memory = MemoryState(2 if reps else 1, None, 3.0, 5.0, due, None, reps, 0)
    return StoredCard(pk, card, memory, suspended=suspended)


CARDS = [
    stored(
        1,
        "Backpropagation",
        ("Backprop", "DeepLearning"),
        "hard",
        reps=3,
        due=NOW - timedelta(days=1),
    ),
    stored(2, "Softmax", ("Probability",), "medium", deck="prob"),
    stored(
        3,
        "Dropout",
        ("DeepLearning", "ml/regularisation"),
        "easy",
        reps=1,
        due=NOW + timedelta(days=3),
    ),
    stored(
        4, "Adam", ("Optimisation",), "hard", suspended=True, reps=2, due=NOW - timedelta(days=2)
    ),
]


def titles(query: str) -> list[str]:
    return [card.card.title for card in parse_query(query).filter(CARDS, NOW)]


def test_parse_terms_with_negation_and_quotes() -> None:
    query = parse_query('tag:backprop -deck:prob "chain rule" difficulty:hard')
    assert query.terms == (
        Term("tag", "backprop"),
        Term("deck", "prob", negated=True),
        Term("text", "chain rule"),
        Term("difficulty", "hard"),
    )
    assert str(query) == 'tag:backprop -deck:prob "chain rule" difficulty:hard'


def test_filters() -> None:
    assert titles("") == ["Backpropagation", "Softmax", "Dropout", "Adam"]
    assert titles("tag:deeplearning") == ["Backpropagation", "Dropout"]
    assert titles("tag:deeplearning -difficulty:hard") == ["Dropout"]
    assert titles("tag:ml") == ["Dropout"]  # hierarchical tag prefix
    assert titles("tag:deep*") == ["Backpropagation", "Dropout"]
    assert titles("is:due") == ["Backpropagation"]  # suspended and new cards excluded
    assert titles("is:new") == ["Softmax"]
    assert titles("is:suspended") == ["Adam"]
    assert titles("deck:prob") == ["Softmax"]
    assert titles("softmax") == ["Softmax"]
    assert titles('"chain rule" -is:suspended') == ["Backpropagation", "Softmax", "Dropout"]


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("colour:red", "colour:"),
        ("is:sleeping", "sleeping"),
        ("difficulty:brutal", "brutal"),
        ('tag:"open', "unclosed quote"),
        ("tag:", "needs a value"),
    ],
)
def test_bad_queries_name_the_term(text: str, fault: str) -> None:
    with pytest.raises(QueryError, match=fault):
        parse_query(text)


def test_empty_query_matches_all() -> None:
    assert CardQuery().matches(CARDS[0], NOW)
