"""Shared helpers for the drill tests: a drill made from one formula."""

from __future__ import annotations

from pathlib import Path

from quizapp.cards.model import Card
from quizapp.cards.parser import parse_text

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
