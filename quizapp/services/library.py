"""Browsing the stored cards: list with filters, show one, tags with counts.

What ``quizapp list/show/tags`` and the TUI's browser need, as plain dataclasses, so that
neither front end touches the store's queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from quizapp.cards.identity import typed_id_forms
from quizapp.cards.kinds import display_title
from quizapp.cards.model import Card, CardKind, Step
from quizapp.scheduling.memory import MemoryState
from quizapp.store.db import Database
from quizapp.store.records import CardCondition, CardFilter, RelatedLink, StoredCard, TagCount

__all__ = [
    "CardDetail",
    "CardSummary",
    "TagCount",
    "count_cards",
    "find_card",
    "list_cards",
    "show_card",
    "tag_counts",
]


@dataclass(frozen=True)
class CardSummary:
    """One line of a card list."""

    id: str
    title: str
    deck: str
    tags: tuple[str, ...]
    difficulty: str | None
    due: datetime
    state: str
    missing: bool = False
    kind: CardKind = CardKind.BASIC

    def to_dict(self) -> dict[str, object]:
        """The ``list --json`` shape: ``{id, title, deck, tags, difficulty, due, kind}``."""
        return {
            "id": self.id,
            "title": self.title,
            "deck": self.deck,
            "tags": list(self.tags),
            "difficulty": self.difficulty,
            "due": self.due.isoformat(),
            "kind": str(self.kind),
        }


@dataclass(frozen=True)
class CardDetail:
    """Everything about one card that ``show`` displays. ``card`` is the card itself, for
    showing it as its kind asks (``quizapp.cards.kinds.present``)."""

    id: str
    title: str
    question: str
    steps: tuple[Step, ...]
    tags: tuple[str, ...]
    difficulty: str | None
    related: tuple[RelatedLink, ...]
    deck: str
    source: str
    source_path: str
    line: int
    memory: MemoryState
    exercises: int
    suspended: bool
    missing: bool
    kind: CardKind = CardKind.BASIC
    note: str = ""
    card: Card | None = None


def _summary(stored: StoredCard) -> CardSummary:
    card = stored.card
    return CardSummary(
        id=card.id,
        title=display_title(card),
        deck=card.deck,
        tags=card.tags,
        difficulty=card.difficulty,
        due=stored.memory.due,
        state=stored.memory.display_state,
        missing=stored.missing,
        kind=card.kind,
    )


def list_cards(
    db: Database,
    *,
    tags: Sequence[str] = (),
    difficulties: Sequence[str] = (),
    deck: str | None = None,
    due: bool = False,
    now: datetime | None = None,
    kinds: Sequence[str] = (),
    text: str | None = None,
) -> list[CardSummary]:
    """Cards carrying every tag given, of any difficulty given, of any kind given
    (``CardKind`` values: ``ValueError`` for another), in the deck; with ``due`` only
    those due by ``now`` (new cards are due at once); with ``text`` only those where it
    occurs, matched as browse's free text is (case-insensitive in every script)."""
    card_filter = CardFilter(
        tags=tuple(tags),
        difficulties=tuple(difficulties),
        kinds=tuple(kinds),
        deck=deck,
        due_before=(now or datetime.now(UTC)) if due else None,
        conditions=(CardCondition("text", text),) if text and text.strip() else (),
    )
    return [_summary(stored) for stored in db.cards.find(card_filter)]


def count_cards(
    db: Database,
    *,
    tags: Sequence[str] = (),
    difficulties: Sequence[str] = (),
    deck: str | None = None,
    text: str | None = None,
) -> int:
    """How many present cards ``list_cards`` would give for these filters (without
    ``due`` and ``kinds``): whether a filter selects anything at all."""
    card_filter = CardFilter(
        tags=tuple(tags),
        difficulties=tuple(difficulties),
        deck=deck,
        conditions=(CardCondition("text", text),) if text and text.strip() else (),
        now=datetime.now(UTC),
    )
    return len(db.cards.ids(card_filter))


def find_card(db: Database, typed_id: str) -> StoredCard | None:
    """The stored card a user means by ``typed_id``, missing or not, or None.

    Matched as the store matches ids (exactly, then case-insensitively), first as typed and
    then in the NFKC form that import gives ids (``cards.identity.typed_id_forms``): what
    ``quizapp show``, ``quizapp exercise`` and the TUI's look-ups by id go through.
    """
    repository = db.cards
    for form in typed_id_forms(typed_id):
        stored = repository.get(form)
        if stored is not None:
            return stored
    return None


def show_card(db: Database, card_id: str, language: str | None = None) -> CardDetail | None:
    """One card by the id typed (:func:`find_card`), or None when there is no such card; a
    card written in several languages is shown in ``language``, by default the
    ``language`` setting (``Card.in_language``)."""
    stored = find_card(db, card_id)
    if stored is None:
        return None
    if language is None and stored.card.alternates:
        language = db.settings.load_settings().language
    card = stored.card.in_language(language) if language else stored.card
    return CardDetail(
        id=card.id,
        title=card.title,
        question=card.question,
        steps=card.steps,
        tags=card.tags,
        difficulty=card.difficulty,
        related=stored.related_links,
        deck=card.deck,
        source=card.source,
        source_path=stored.source_path,
        line=card.line,
        memory=stored.memory,
        exercises=len(card.exercises),
        suspended=stored.suspended,
        missing=stored.missing,
        kind=card.kind,
        note=card.note,
        card=card,
    )


def tag_counts(db: Database) -> list[TagCount]:
    """Every tag with the number of cards carrying it, most used first."""
    return db.cards.tag_counts()


def card_count(db: Database) -> int:
    """How many cards the database holds (missing ones included)."""
    return db.cards.count(include_missing=True)
