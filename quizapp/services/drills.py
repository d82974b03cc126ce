"""Formula drills for stored cards: which drills a card has, checking an answer, a rating.

Both front ends come here: ``quizapp drill`` and the review screen's ``f``. A card's drills
are made from its text alone (no annotation), so imported notes and Anki cards have them
too; they are cached per card id and content hash, since translating a card's formulas
and drawing a drill's points is done once.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from quizapp.cards.model import Card
from quizapp.services.exercises import ExerciseRequestError

if TYPE_CHECKING:
    from quizapp.drills.checking import DrillVerdict
    from quizapp.drills.drill import CardDrills, Drill
    from quizapp.store.db import Database


@lru_cache(maxsize=64)
def _drills(card_id: str, content_hash: str, card: Card) -> CardDrills:
    from quizapp.drills.drill import card_drills

    del card_id, content_hash  # the cache key; the card itself is compared too
    return card_drills(card)


def drills_for(card: Card) -> CardDrills:
    """The card's drills and skipped formulas (cached per card and content)."""
    return _drills(card.id, card.content_hash, card)


def has_drills(card: Card) -> bool:
    """Whether the card has a formula drill (what the review hint's ``f`` needs)."""
    return bool(drills_for(card).drills)


def find_drill(db: Database, card_id: str, formula: int | None) -> tuple[Card, Drill]:
    """The stored card ``card_id`` and its drill number ``formula`` (default the first).

    Raises ``ExerciseRequestError`` for an unknown card, a card without drills, or a
    number out of range (usage).
    """
    from quizapp.services.library import find_card

    stored = find_card(db, card_id)
    if stored is None:
        raise ExerciseRequestError(f"no card with id {card_id!r} (see `quizapp list`)")
    found = drills_for(stored.card)
    if not found.drills:
        raise ExerciseRequestError(
            f"card {stored.card.id!r} has no formula drills: none of its display formulas "
            "is an equation `lhs = rhs` that quizapp can evaluate (see `quizapp check --verbose`)"
        )
    number = 1 if formula is None else formula
    if not 1 <= number <= len(found.drills):
        from quizapp.text import plural

        raise ExerciseRequestError(
            f"--formula {number} is out of range: card {stored.card.id!r} has "
            f"{plural(len(found.drills), 'drill')} (1 to {len(found.drills)})",
            usage=True,
        )
    return stored.card, found.drills[number - 1]


def check(drill: Drill, answer: str) -> DrillVerdict:
    """Check one typed answer (LaTeX or the exercise language)."""
    from quizapp.drills.checking import check_drill_answer

    return check_drill_answer(drill, answer)


def suggest_drill_rating(
    results: Sequence[tuple[Sequence[str], bool]], elapsed_seconds: float
) -> int:
    """The rating drills suggest, one ``(verdicts, revealed)`` per drill worked, by the
    exercises' rules (``docs/exercises.md``): Again when one was revealed or never right,
    Hard after a wrong try, Easy when all were right at once within 30 s each, else Good.
    ``invalid`` answers are typos and do not count."""
    from quizapp.exercises.rating import AskOutcome, suggest_rating

    outcomes = [
        AskOutcome.from_verdicts(f"formula {index}", verdicts, revealed)
        for index, (verdicts, revealed) in enumerate(results, start=1)
    ]
    return suggest_rating(outcomes, elapsed_seconds)


class DrillCoverage:
    """How many of the checked cards' display formulas are drills, and why the others
    are not: what ``quizapp check`` reports ("N of M formulas can be drilled")."""

    def __init__(self) -> None:
        self.formulas = 0
        self.drilled = 0
        self.drills = 0
        self.reasons: list[tuple[str, int, str, int, str]] = []
        """(file, line, card id, formula number, reason) of each formula not drilled."""

    def add(self, display: str, cards: Sequence[Card]) -> None:
        """Count one file's cards (called by the check for each clean file)."""
        for card in cards:
            found = drills_for(card)
            self.formulas += found.formulas
            self.drilled += len({d.formula for d in found.drills})
            self.drills += len(found.drills)
            for skipped in found.skipped:
                site = skipped.site
                line = site.line or card.line
                self.reasons.append((display, line, card.id, site.number, skipped.reason))

    def summary(self) -> str:
        """``303 of 402 formulas can be drilled (75%; 401 drills)``."""
        from quizapp.text import plural

        share = f"{self.drilled / self.formulas:.0%}; " if self.formulas else ""
        return (
            f"{self.drilled} of {plural(self.formulas, 'formula')} can be drilled "
            f"({share}{plural(self.drills, 'drill')})"
        )

    def lines(self) -> list[str]:
        """One line per formula that is not a drill: ``file:line: card "id": formula N: why``."""
        return [
            f'{file}:{line}: card "{card}": formula {number}: {reason}'
            for file, line, card, number, reason in self.reasons
        ]

    def to_dict(self) -> dict[str, object]:
        """The ``drills`` object of ``check --json``."""
        return {
            "formulas": self.formulas,
            "drilled": self.drilled,
            "drills": self.drills,
            "skipped": [
                {"file": f, "line": line, "card": c, "formula": n, "reason": r}
                for f, line, c, n, r in self.reasons
            ],
        }
