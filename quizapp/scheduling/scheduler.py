"""A thin, repeatable wrapper around py-fsrs's ``Scheduler``.

py-fsrs does every state transition; this module only converts between quizapp's stored
``MemoryState`` and py-fsrs's ``Card``, counts reps and lapses (which py-fsrs does not
keep), refuses clock skew, and makes interval fuzz repeatable. Fuzz is drawn from a
random generator seeded by the card's id and rep count (as Anki does), so the interval a
preview shows is exactly the one answering gives, and tests are deterministic.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import fsrs
import fsrs.scheduler as fsrs_scheduler

from quizapp.scheduling.memory import NEW, REVIEW, MemoryState
from quizapp.scheduling.settings import Settings

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

#: The four answer buttons, as FSRS numbers them.
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATINGS = (AGAIN, HARD, GOOD, EASY)
RATING_NAMES = {AGAIN: "again", HARD: "hard", GOOD: "good", EASY: "easy"}

#: py-fsrs draws fuzz from the module-global ``random`` it imported; swapping it is only
#: safe while no other thread reviews at the same time.
_FUZZ_LOCK = threading.Lock()


class RatingError(ValueError):
    """A rating outside 1-4."""


class ClockSkewError(ValueError):
    """A review time earlier than the card's last review: the clock went backwards."""


def check_rating(rating: object) -> int:
    """Return ``rating`` if it is one of 1 (again) to 4 (easy), else raise ``RatingError``."""
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
        raise RatingError(
            f"rating {rating!r} is not one of 1 (again), 2 (hard), 3 (good), 4 (easy)"
        )
    return rating


def new_memory(created: datetime) -> MemoryState:
    """The state of a card that has never been answered, due from ``created`` on."""
    return MemoryState.new(created)


class Scheduler:
    """Applies FSRS to quizapp's memory states with the user's settings.

    Build one per settings change; it is cheap. ``review`` and ``preview`` never touch the
    database: the store persists what they return.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        kwargs: dict[str, Any] = {}
        if settings.parameters is not None:
            kwargs["parameters"] = settings.parameters
        self._fsrs = fsrs.Scheduler(
            desired_retention=settings.desired_retention,
            learning_steps=settings.learning_steps,
            relearning_steps=settings.relearning_steps,
            maximum_interval=settings.maximum_interval,
            enable_fuzzing=True,
            **kwargs,
        )
        self.parameters: tuple[float, ...] = tuple(self._fsrs.parameters)
        self.decay = -float(self.parameters[20])
        self.factor = 0.9 ** (1 / self.decay) - 1

    def review(self, card_pk: int, memory: MemoryState, rating: int, now: datetime) -> MemoryState:
        """The state after answering ``rating`` at ``now``.

        Raises ``RatingError`` for a rating outside 1-4 and ``ClockSkewError`` when ``now``
        is before the card's last review.
        """
        check_rating(rating)
        now = _utc(now)
        if memory.last_review is not None and now < memory.last_review:
            raise ClockSkewError(
                f"review time {now.isoformat()} is before this card's last review "
                f"{memory.last_review.isoformat()}; check the system clock"
            )
        card = self._to_card(card_pk, memory)
        seed = card_pk * 1_000_003 + memory.reps
        with _FUZZ_LOCK:
            saved: Callable[[], float] = fsrs_scheduler.random  # type: ignore[attr-defined]
            fsrs_scheduler.random = random.Random(seed).random  # type: ignore[attr-defined]
            try:
                after, _log = self._fsrs.review_card(card, fsrs.Rating(rating), now)
            finally:
                fsrs_scheduler.random = saved  # type: ignore[attr-defined]
        lapsed = rating == AGAIN and not memory.is_new and memory.state == REVIEW
        return MemoryState(
            state=int(after.state.value),
            step=after.step,
            stability=after.stability,
            difficulty=after.difficulty,
            due=after.due,
            last_review=after.last_review,
            reps=memory.reps + 1,
            lapses=memory.lapses + (1 if lapsed else 0),
        )

    def preview(self, card_pk: int, memory: MemoryState, now: datetime) -> dict[int, MemoryState]:
        """The state each of the four ratings would give at ``now``, keyed by rating."""
        return {rating: self.review(card_pk, memory, rating, now) for rating in RATINGS}

    def retrievability(self, memory: MemoryState, at: datetime) -> float:
        """Predicted probability of recalling the card at ``at`` (0 for a new card)."""
        if memory.is_new or memory.last_review is None or memory.stability is None:
            return 0.0
        return float(self._fsrs.get_card_retrievability(self._to_card(0, memory), _utc(at)))

    def retrievability_many(
        self, stability: NDArray[np.float64], elapsed_days: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """FSRS's forgetting curve over arrays, for statistics over thousands of cards.

        Same formula as py-fsrs's ``get_card_retrievability`` (elapsed whole days), which a
        test checks; py-fsrs offers no vectorised form.
        """
        import numpy as np  # here, not at the top: the due counts at start-up need no NumPy

        elapsed = np.maximum(np.floor(elapsed_days), 0.0)
        result: NDArray[np.float64] = (1 + self.factor * elapsed / stability) ** self.decay
        return result

    def recall_threshold(self) -> float:
        """The elapsed-days-per-stability ratio at which recall falls to desired retention.

        Recall falls below desired retention exactly when ``elapsed / stability`` exceeds
        this, which lets SQL find such cards without evaluating the curve per row.
        """
        return float((self.settings.desired_retention ** (1 / self.decay) - 1) / self.factor)

    @staticmethod
    def _to_card(card_pk: int, memory: MemoryState) -> fsrs.Card:
        if memory.is_new:
            return fsrs.Card(card_id=card_pk, state=fsrs.State.Learning, step=0, due=memory.due)
        return fsrs.Card(
            card_id=card_pk,
            state=fsrs.State(memory.state if memory.state != NEW else 1),
            step=memory.step,
            stability=memory.stability,
            difficulty=memory.difficulty,
            due=memory.due,
            last_review=memory.last_review,
        )


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: pass an aware UTC datetime")
    return moment.astimezone(UTC)
