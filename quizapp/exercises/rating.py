"""Turns how an exercise went into a suggested FSRS rating (1 Again … 4 Easy).

The rules (also in ``docs/exercises.md``):

- **Again (1)** when any answer was revealed, or any ask was never answered correctly;
- **Hard (2)** when every ask was eventually right but some needed corrections
  (an ``incorrect`` or ``shape_mismatch`` verdict before the right one; ``invalid``
  answers — typos the engine refused — do not count);
- **Easy (4)** when every ask was right at the first try and the whole exercise took at
  most ``EASY_SECONDS_PER_ASK`` seconds per ask;
- **Good (3)** when every ask was right at the first try, but slower.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
#: Seconds per ask under which a flawless exercise counts as easy.
EASY_SECONDS_PER_ASK = 30.0
#: The verdicts that count as a wrong try (a refused ``invalid`` answer is a typo).
WRONG_VERDICTS = frozenset({"incorrect", "shape_mismatch"})


def wrong_tries(verdicts_by_ask: Iterable[Iterable[str]]) -> int:
    """How many wrong tries the asks (or drills) took, each given by its verdicts."""
    return sum(
        1 for verdicts in verdicts_by_ask for verdict in verdicts if verdict in WRONG_VERDICTS
    )


@dataclass(frozen=True)
class AskOutcome:
    """How one ask went: wrong tries before the end, and how it ended."""

    name: str
    wrong: int = 0
    correct: bool = False
    revealed: bool = False

    @classmethod
    def from_verdicts(
        cls, name: str, verdicts: Sequence[str], revealed: bool = False
    ) -> AskOutcome:
        """Summarise a sequence of verdict strings (``correct``, ``incorrect``…)."""
        wrong = 0
        correct = False
        for verdict in verdicts:
            if verdict == "correct":
                correct = True
                break
            if verdict in WRONG_VERDICTS:
                wrong += 1
        return cls(name, wrong, correct and not revealed, revealed)


def suggest_rating(outcomes: Sequence[AskOutcome], elapsed_seconds: float) -> int:
    """The suggested rating for one finished exercise; the learner may override it."""
    if not outcomes or any(o.revealed or not o.correct for o in outcomes):
        return AGAIN
    if any(o.wrong for o in outcomes):
        return HARD
    if elapsed_seconds <= EASY_SECONDS_PER_ASK * len(outcomes):
        return EASY
    return GOOD
