"""Plain dataclasses that cross the store's edge.

The store converts ORM rows into these before returning; services, the CLI and the TUI
only ever see these (and ``quizapp.cards.model.Card``). They are frozen so a screen can
hold one without worrying that a query elsewhere changes it underneath.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from quizapp.cards.model import Card, CardKind

#: py-fsrs's state numbers, plus NEW for a card that has never been answered.
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
STATE_NAMES = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class MemoryState:
    """A card's FSRS memory state and due date, exactly as stored.

    ``state`` follows py-fsrs (1 learning, 2 review, 3 relearning); ``reps == 0`` means the
    card is new. ``to_dict``/``from_dict`` give the JSON kept in review logs for undo.
    """

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int = 0
    lapses: int = 0

    @property
    def is_new(self) -> bool:
        """True when the card has never been answered."""
        return self.reps == 0

    @property
    def display_state(self) -> str:
        """ "new", "learning", "review" or "relearning"."""
        return STATE_NAMES[NEW if self.is_new else self.state]

    @classmethod
    def new(cls, now: datetime) -> MemoryState:
        """The state of a card never answered: learning, step 0, due ``now``."""
        return cls(state=1, step=0, stability=None, difficulty=None, due=now, last_review=None)

    def columns(self) -> dict[str, Any]:
        """The ``card_states`` column values this state is stored as (the fields share
        the columns' names), for the store's inserts and updates."""
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (ISO datetimes)."""
        return {
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": _iso(self.due),
            "last_review": _iso(self.last_review),
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MemoryState:
        """Inverse of ``to_dict``."""
        due = _parse(data["due"])
        assert due is not None
        return cls(
            state=int(data["state"]),
            step=data.get("step"),
            stability=data.get("stability"),
            difficulty=data.get("difficulty"),
            due=due,
            last_review=_parse(data.get("last_review")),
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
        )


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
