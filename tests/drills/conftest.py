"""Shared helpers for the drill tests: a drill made from one formula."""

from __future__ import annotations

from pathlib import Path

from quizapp.cards.model import Card
from quizapp.cards.parser import parse_text
from quizapp.drills.drill import Drill, build_drill
from quizapp.drills.extraction import Candidate, FormulaSite
from quizapp.exercises.errors import ExerciseError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def card_from(text: str, name: str = "card.md") -> Card:
    """The one card of a Markdown text, as the importer reads it."""
    parsed = parse_text(text, path=name, default_id=name.removesuffix(".md"))
    assert not parsed.errors, parsed.errors
    assert len(parsed.cards) == 1
    return parsed.cards[0]


class SteppingClock:
    """A fake monotonic clock: every reading is ``step`` seconds after the previous one, so
    a deadline is reached after a known number of readings, on any machine."""

    def __init__(self, step: float) -> None:
        self.step = step
        self.now = 0.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def formula_drill(
    lhs: str, rhs: str, *, card_id: str = "formula", comments: tuple[str, ...] = ()
) -> Drill:
    """The drill of one formula ``lhs = rhs`` given directly; raises ``ExerciseError``
    with the reason when it cannot be one."""
    site = FormulaSite(1, f"{lhs} = {rhs}", "", "", 0, comments)
    built = build_drill(card_id, Candidate(site, lhs, (rhs,)))
    if isinstance(built, str):
        raise ExerciseError(built)
    return built
