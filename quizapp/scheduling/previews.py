"""Interval previews for the four answer buttons ("10m", "1d", "3d", "8d", "1.2mo", "1y").

A preview is computed by the same ``Scheduler.review`` call that answering makes, with the
same fuzz seed, so what a button promises is exactly what pressing it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from quizapp.scheduling.memory import MemoryState
from quizapp.scheduling.scheduler import RATING_NAMES, Scheduler


@dataclass(frozen=True)
class Preview:
    """What one rating would do: its name, the new due time and the interval's label."""

    rating: int
    name: str
    due: datetime
    interval: timedelta
    label: str


def format_interval(interval: timedelta) -> str:
    """A short human label for an interval, as shown on answer buttons.

    Minutes under an hour, hours under a day, days under a month, then months (30 days)
    and years (365 days) with one decimal, dropping a trailing ".0".
    """
    seconds = max(interval.total_seconds(), 0.0)
    if seconds < 60:
        return "<1m" if seconds > 0 else "now"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{_one_decimal(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{_one_decimal(days / 30)}mo"
    return f"{_one_decimal(days / 365)}y"


def _one_decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def previews(
    scheduler: Scheduler, card_pk: int, memory: MemoryState, now: datetime
) -> tuple[Preview, ...]:
    """The four previews, in rating order (again, hard, good, easy)."""
    result = []
    for rating, after in scheduler.preview(card_pk, memory, now).items():
        interval = after.due - now
        result.append(
            Preview(rating, RATING_NAMES[rating], after.due, interval, format_interval(interval))
        )
    return tuple(result)
