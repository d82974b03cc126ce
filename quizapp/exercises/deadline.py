"""A wall-clock deadline for the exercise engine's repeated searches.

Verification and diagnosis re-run a forward pass many times. Their counted budgets
(flop-equivalents, variants) are estimates, and an estimate can be wrong by orders of
magnitude on some machine or some operation, so each also stops at a deadline. The clock
is injectable: tests pass a clock that advances by a fixed step per reading, which makes
"the deadline was reached" as deterministic as a counter.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: A monotonic clock in seconds, such as ``time.monotonic``.
Clock = Callable[[], float]


def monotonic() -> float:
    """The default clock, ``time.monotonic``; looked up here when a deadline starts, so a
    test can replace it for code (such as the importer) that passes no clock."""
    return time.monotonic()


class Deadline:
    """Started on creation; ``expired()`` once ``seconds`` have passed on ``clock``."""

    def __init__(self, seconds: float, clock: Clock | None = None) -> None:
        self.seconds = seconds
        self.clock: Clock = clock or monotonic
        self.start = self.clock()

    def expired(self) -> bool:
        """True when the time is up (reads the clock once)."""
        return self.clock() - self.start >= self.seconds
