"""``kind:`` in the browse query language: parsed, checked, and matched the same way in
Python and in SQL, on SQLite and PostgreSQL (``backend_db``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from store.kind_cards import write_kind_cards

from quizapp.services.query import QueryError, Term, browse_page, matching_ids, parse_query
from quizapp.store.db import Database
from quizapp.store.records import CardFilter

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_kind_terms_parse_and_unknown_kinds_are_one_line_errors() -> None:
    assert parse_query("kind:cloze -kind:Reversed").terms == (
        Term("kind", "cloze"),
        Term("kind", "Reversed", negated=True),
    )
    with pytest.raises(QueryError) as caught:
        parse_query("tag:x kind:clozes")
    assert str(caught.value) == (
        "unknown kind 'clozes' in 'kind:clozes'; use kind:basic, kind:cloze, kind:reversed,"
        " kind:question_only"
    )
    with pytest.raises(QueryError, match=r"use tag:, difficulty:, deck:, is:, id: or kind:"):
        parse_query("sort:x")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kind:cloze", ["optim#adam/c1", "optim#adam/c2"]),
        ("kind:QUESTION_ONLY", ["optim#adamw"]),
        ("-kind:basic", ["optim#adam/c1", "optim#adam/c2", "optim#adamw", "optim#relu/reverse"]),
        ("kind:reversed activation", ["optim#relu/reverse"]),
    ],
)
def test_kind_matches_alike_in_python_and_sql(
    backend_db: Database, text: str, expected: list[str]
) -> None:
    db = backend_db
    write_kind_cards(db, NOW)
    query = parse_query(text)
    cards = db.cards.find(CardFilter(include_missing=True))
    by_pk = {card.pk: card.card.id for card in cards}
    assert sorted(card.card.id for card in query.filter(cards, NOW)) == expected
    assert sorted(by_pk[pk] for pk in matching_ids(db, query, NOW)) == expected
    assert browse_page(db, query, now=NOW).total == len(expected)
