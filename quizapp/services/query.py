"""The browse query language: Anki-like search terms turned into a card filter.

    tag:backprop difficulty:hard is:due -tag:probability deck:dl kind:cloze "chain rule"

Terms are separated by spaces and all must hold (AND). ``-`` in front of a term negates
it. ``field:value`` terms test one property; anything else is free text matched, case
insensitively in every script (``cards/textfold.py``: ``вопрос`` finds ``Вопрос``, ``ss``
finds ``ß``), against a card's title, question, steps, tags, id and its other languages.
Values with spaces are quoted (``tag:"Deep Learning"``), and ``*`` is a wildcard in tag
and deck values.

The parser is core logic shared by the TUI's browse screen and anything else that lists
cards: it imports no front end, and a bad query raises ``QueryError`` with a one-line
message naming the term at fault.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from quizapp.cards.identity import typed_id_forms
from quizapp.cards.model import CardKind
from quizapp.cards.textfold import fold
from quizapp.cards.textfold import matches as text_matches
from quizapp.store.records import CardCondition, CardFilter, CardPage, StoredCard

if TYPE_CHECKING:
    from quizapp.store.db import Database

#: The fields a term may name, with their aliases.
FIELDS = {
    "tag": "tag",
    "tags": "tag",
    "difficulty": "difficulty",
    "diff": "difficulty",
    "deck": "deck",
    "is": "is",
    "state": "is",
    "id": "id",
    "kind": "kind",
}

#: The values ``is:`` accepts.
STATES = ("due", "new", "learning", "review", "relearning", "suspended", "buried", "missing")

DIFFICULTIES = ("easy", "medium", "hard")

#: The values ``kind:`` accepts: how a card is asked (``CardKind``).
KINDS = tuple(kind.value for kind in CardKind)

_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"|(\S+))')


class QueryError(ValueError):
    """A query that cannot be understood; the message names the offending term."""


@dataclass(frozen=True)
class Term:
    """One search term: ``field`` is tag/difficulty/deck/is/id/kind, or "text" for free
    text."""

    field: str
    value: str
    negated: bool = False

    def __str__(self) -> str:
        value = f'"{self.value}"' if " " in self.value else self.value
        body = value if self.field == "text" else f"{self.field}:{value}"
        return f"-{body}" if self.negated else body


@dataclass(frozen=True)
class CardQuery:
    """A parsed query: every term must hold. The empty query matches every card."""

    terms: tuple[Term, ...] = ()

    def matches(self, stored: StoredCard, now: datetime) -> bool:
        """True when ``stored`` satisfies every term at time ``now``."""
        return all(_holds(term, stored, now) != term.negated for term in self.terms)

    def filter(self, cards: Iterable[StoredCard], now: datetime) -> list[StoredCard]:
        """The cards that match, in their original order."""
        return [card for card in cards if self.matches(card, now)]

    def __str__(self) -> str:
        return " ".join(str(term) for term in self.terms)


def parse_query(text: str) -> CardQuery:
    """Parse a query string; raise ``QueryError`` for unknown fields or values."""
    if text.count('"') % 2:
        raise QueryError(f"unclosed quote in query: {text!r}")
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        minus, name, quoted, bare = match.groups()
        value = quoted if quoted is not None else bare
        negated = minus == "-"
        if name is None and re.fullmatch(r"\w+:", value or ""):
            name, value = value[:-1], ""
        if name is None:
            if value:
                terms.append(Term("text", value, negated))
            continue
        field = FIELDS.get(name.lower())
        if field is None:
            raise QueryError(
                f"unknown field {name + ':'!r} in {match.group(0)!r};"
                " use tag:, difficulty:, deck:, is:, id: or kind:"
            )
        if not value:
            raise QueryError(f"{match.group(0)!r} needs a value, e.g. {name}:something")
        value = value.strip()
        if field == "is" and value.lower() not in STATES:
            raise QueryError(
                f"unknown state {value!r} in {match.group(0)!r}; use "
                + ", ".join(f"is:{state}" for state in STATES)
            )
        if field == "difficulty" and value.lower() not in DIFFICULTIES:
            raise QueryError(
                f"unknown difficulty {value!r} in {match.group(0)!r}; use easy, medium or hard"
            )
        if field == "id":  # typed as ids are stored: NFKC, no format characters
            value = typed_id_forms(value)[-1]
        if field == "kind" and value.lower() not in KINDS:
            raise QueryError(
                f"unknown kind {value!r} in {match.group(0)!r}; use "
                + ", ".join(f"kind:{kind}" for kind in KINDS)
            )
        terms.append(Term(field, value, negated))
    return CardQuery(tuple(terms))


def _matches_name(pattern: str, name: str) -> bool:
    """Case-insensitive match with ``*`` wildcards; ``ml`` also matches ``ml/optim``."""
    pattern, name = pattern.casefold(), name.casefold()
    if "*" in pattern:
        return fnmatchcase(name, pattern)
    return name == pattern or name.startswith(pattern + "/")


def _holds(term: Term, stored: StoredCard, now: datetime) -> bool:
    card = stored.card
    if term.field == "tag":
        return any(_matches_name(term.value, tag) for tag in card.tags)
    if term.field == "deck":
        return _matches_name(term.value, card.deck)
    if term.field == "difficulty":
        return (card.difficulty or "").casefold() == term.value.casefold()
    if term.field == "id":
        return _matches_name(term.value, card.id)
    if term.field == "is":
        return _has_state(term.value.casefold(), stored, now)
    if term.field == "kind":
        return card.kind.value == term.value.casefold()
    # The same folding the store's search column holds (cards/textfold.py).
    return text_matches(term.value, card) or any(fold(term.value) in fold(tag) for tag in card.tags)


def _has_state(state: str, stored: StoredCard, now: datetime) -> bool:
    memory = stored.memory
    buried = stored.buried_until is not None and stored.buried_until > now
    if state == "suspended":
        return stored.suspended
    if state == "buried":
        return buried
    if state == "missing":
        return stored.missing
    if state == "due":
        hidden = stored.suspended or buried or stored.missing or memory.is_new
        return not hidden and memory.due <= now
    return memory.display_state == state


def to_card_filter(query: CardQuery, now: datetime) -> CardFilter:
    """The store filter that selects, in SQL, the cards ``query.matches`` accepts at ``now``.

    Missing cards are included (a query names them with ``is:missing``); free text is
    matched against the store's folded search column, as ``matches`` folds it.
    """
    conditions = tuple(
        CardCondition("state" if term.field == "is" else term.field, term.value, term.negated)
        for term in query.terms
    )
    return CardFilter(include_missing=True, conditions=conditions, now=now)


@dataclass(frozen=True)
class BrowsePage:
    """One page of query results, the number matching in all, and each row's recall now."""

    total: int
    cards: list[StoredCard]
    recall: dict[int, float | None]


def browse_page(
    database: Database,
    query: CardQuery,
    *,
    now: datetime,
    order: str = "title",
    descending: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> BrowsePage:
    """Rows ``offset`` to ``offset + limit`` of the cards ``query`` matches, sorted by
    ``order`` (a ``PAGE_ORDERS`` key or "recall"), read by SQL: the first rows of 100,000
    cards come back in tens of milliseconds because only the page's cards are loaded."""
    page: CardPage = database.cards.page(
        to_card_filter(query, now),
        order=order,
        descending=descending,
        limit=limit,
        offset=offset,
    )
    return BrowsePage(page.total, page.cards, recall_now(database, page.cards, now))


def matching_ids(database: Database, query: CardQuery, now: datetime) -> list[int]:
    """The keys of every card ``query`` matches ("study these" over the whole result)."""
    return database.cards.ids(to_card_filter(query, now))


def recall_now(
    database: Database, cards: list[StoredCard], now: datetime
) -> dict[int, float | None]:
    """Each card's predicted recall at ``now`` (None for a new card), with stored settings."""
    import numpy as np

    from quizapp.scheduling.scheduler import Scheduler
    from quizapp.services.settings import load_settings

    answered = [
        c
        for c in cards
        if not c.memory.is_new and c.memory.last_review is not None and c.memory.stability
    ]
    result: dict[int, float | None] = {c.pk: None for c in cards}
    if answered:
        scheduler = Scheduler(load_settings(database))
        stability = np.array([c.memory.stability for c in answered], dtype=np.float64)
        elapsed = np.array(
            [
                (now - c.memory.last_review).total_seconds() / 86400
                for c in answered
                if c.memory.last_review is not None
            ],
            dtype=np.float64,
        )
        for stored, value in zip(
            answered, scheduler.retrievability_many(stability, elapsed), strict=True
        ):
            result[stored.pk] = float(value)
    return result
