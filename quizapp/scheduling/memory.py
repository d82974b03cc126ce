"""A card's memory state: FSRS's stability, difficulty and due date, and the state numbers.

The scheduler computes these and the store keeps them; defined here, with the rules, so
that scheduling needs nothing from the store (the store imports this, never the reverse).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

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
        return {name: getattr(self, name) for name in _COLUMNS}

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


#: The field names of :class:`MemoryState`, which are its ``card_states`` columns.
_COLUMNS = tuple(field.name for field in fields(MemoryState))
