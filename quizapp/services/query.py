"""The browse query language: Anki-like search terms turned into a card filter.

    tag:backprop difficulty:hard is:due -tag:probability deck:dl "chain rule"

Terms are separated by spaces and all must hold (AND). ``-`` in front of a term negates
it. ``field:value`` terms test one property; anything else is free text matched, case
insensitively, against a card's title, question, steps, tags and id. Values with spaces
are quoted (``tag:"Deep Learning"``), and ``*`` is a wildcard in tag and deck values.

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

from quizapp.store.records import StoredCard

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
}

#: The values ``is:`` accepts.
STATES = ("due", "new", "learning", "review", "relearning", "suspended", "buried", "missing")

DIFFICULTIES = ("easy", "medium", "hard")

_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"|(\S+))')


class QueryError(ValueError):
    """A query that cannot be understood; the message names the offending term."""


@dataclass(frozen=True)
class Term:
    """One search term: ``field`` is tag/difficulty/deck/is/id, or "text" for free text."""

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
                " use tag:, difficulty:, deck:, is: or id:"
            )
        if not value:
            raise QueryError(f"{match.group(0)!r} needs a value, e.g. {name}:something")
        value = value.strip()
        if field == "is" and value.lower() not in STATES:
            raise QueryError(f"unknown state {value!r} in {match.group(0)!r}; use " + ", ".join(
                f"is:{state}" for state in STATES))
        if field == "difficulty" and value.lower() not in DIFFICULTIES:
            raise QueryError(
                f"unknown difficulty {value!r} in {match.group(0)!r}; use easy, medium or hard"
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
    needle = term.value.casefold()
    haystacks = (card.title, card.question, card.id, *card.tags, *(s.text for s in card.steps))
    return any(needle in hay.casefold() for hay in haystacks)


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
