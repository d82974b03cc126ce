"""Progress brought from another app: an SM-2 schedule turned into an FSRS memory state.

A user moving from the Obsidian spaced-repetition plugin has cards that the plugin has
scheduled with SM-2: each has a due date, the interval that led there and an ease. Starting
those cards as new would throw that progress away, so the first import gives each such card
an FSRS memory state that continues where SM-2 left off:

- **Stability** is the interval. SM-2 schedules a card for when it expects it to be
  recalled at about 90 %, and FSRS's stability is by definition the interval at which
  recall falls to 90 %.
- **Difficulty** is the one at which FSRS, answered Good, grows the interval by the
  card's ease, as SM-2 would have: the conversion Anki makes when a collection switches
  from SM-2 to FSRS (fsrs-rs's ``memory_state_from_sm2``), with the user's FSRS
  parameters. A low ease (130, the SM-2 floor) gives a hard card, a high one an easy card.
- The card is in **review**, due on its due date (noon UTC, which falls on that date in
  every time zone from UTC-8 to UTC+14 with the default 4 a.m. rollover), last reviewed
  one interval before it (never after the import), with one repetition and no lapses: no
  review log is invented.

``docs/formats.md`` states the mapping for users.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS

from quizapp.cards.model import ImportedSchedule
from quizapp.scheduling.memory import REVIEW, MemoryState

#: The recall SM-2's intervals are taken to aim at: stability is the interval at this.
SM2_RETENTION = 0.9
#: The time of day, in UTC, at which an imported due date falls due.
DUE_HOUR_UTC = 12
#: The shortest interval taken from a schedule: the plugin's own minimum is one day.
MIN_INTERVAL_DAYS = 1


@functools.lru_cache(maxsize=4)
def _model(parameters: tuple[float, ...] | None) -> FSRS:
    return FSRS(list(parameters) if parameters is not None else list(DEFAULT_PARAMETERS))


def stability_and_difficulty(
    interval_days: int, ease: int, parameters: Sequence[float] | None = None
) -> tuple[float, float]:
    """FSRS stability (days) and difficulty (1-10) for an SM-2 interval and ease (percent).

    ``parameters`` are the user's FSRS weights, or None for FSRS's defaults.
    """
    model = _model(tuple(parameters) if parameters is not None else None)
    state = model.memory_state_from_sm2(
        ease / 100, float(max(interval_days, MIN_INTERVAL_DAYS)), SM2_RETENTION
    )
    return float(state.stability), float(state.difficulty)


def imported_memory(
    schedule: ImportedSchedule, now: datetime, parameters: Sequence[float] | None = None
) -> MemoryState:
    """The memory state a card starts with when it brings ``schedule`` into a first import
    at ``now`` (an aware datetime)."""
    stability, difficulty = stability_and_difficulty(
        schedule.interval_days, schedule.ease, parameters
    )
    due = datetime.combine(schedule.due, time(DUE_HOUR_UTC), tzinfo=UTC)
    interval = timedelta(days=max(schedule.interval_days, MIN_INTERVAL_DAYS))
    return MemoryState(
        state=REVIEW,
        step=None,
        stability=stability,
        difficulty=difficulty,
        due=due,
        last_review=min(due - interval, now.astimezone(UTC)),
        reps=1,
        lapses=0,
    )
