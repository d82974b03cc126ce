"""Plain dataclasses that cross the store's edge.

The store converts ORM rows into these before returning; services, the CLI and the TUI
only ever see these (and ``quizapp.cards.model.Card``). They are frozen so a screen can
hold one without worrying that a query elsewhere changes it underneath.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quizapp.cards.model import Card, CardKind
from quizapp.scheduling.memory import MemoryState


@dataclass(frozen=True)
class RelatedLink:
    """A related question: its text, and the card it points at when one matched."""

    text: str
    target_uid: str | None = None
    target_title: str | None = None


@dataclass(frozen=True)
class StoredCard:
    """A card as stored: its parsed content plus everything the database adds.

    ``pk`` is the integer id handed to FSRS; ``card.id`` is the user-visible stable id.
    """

    pk: int
    card: Card
    memory: MemoryState
    related_links: tuple[RelatedLink, ...] = ()
    suspended: bool = False
    buried_until: datetime | None = None
    missing: bool = False
    source_path: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def kind(self) -> CardKind:
        """How the card is asked (basic, cloze, reversed, question_only)."""
        return self.card.kind

    @property
    def note(self) -> str:
        """The card's sibling group, empty for a card alone."""
        return self.card.note


@dataclass(frozen=True)
class ReviewRecord:
    """One stored review-log entry, with the memory state before and after it."""

    id: int
    card_pk: int
    rating: int
    reviewed_at: datetime
    duration_ms: int
    before: MemoryState
    after: MemoryState


@dataclass(frozen=True)
class ImportedReview:
    """One answer a card brings from another app, as it is stored: its time, rating and
    duration, and the memory states before and after it (``review_logs``)."""

    reviewed_at: datetime
    rating: int
    duration_ms: int
    before: MemoryState
    after: MemoryState


@dataclass(frozen=True)
class ImportedPractice:
    """One answer given while cramming in another app, which never touched the schedule:
    stored as a practice log."""

    reviewed_at: datetime
    rating: int
    duration_ms: int


@dataclass(frozen=True)
class ImportedCard:
    """A card brought from another app with its progress (issue 15).

    ``memory`` is the state it is stored with, None for a card never answered (a new
    card's state). ``reviews`` is its whole review history in time order, the answers
    already stored included (merged by the importer), and replaces what is stored when
    ``history_changed``; ``practice`` holds the cram answers not yet stored. A card new to
    the database is stored ``suspended`` as the other app had it.
    """

    card: Card
    memory: MemoryState | None
    reviews: tuple[ImportedReview, ...] = ()
    practice: tuple[ImportedPractice, ...] = ()
    suspended: bool = False
    history_changed: bool = True
