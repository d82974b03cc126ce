"""The study queue's rules: what "today" is, what is left of the daily limits, what comes next.

The store fetches a few candidates of each kind with indexed queries; this module decides
between them, so the rules are testable without a database:

1. learning and relearning cards that are due (they are fragile: minutes matter);
2. review cards due today, up to the daily review limit;
3. with an interview date set, review cards whose predicted recall on that date falls
   below the desired retention, weakest first, within what is left of the review limit;
4. new cards, up to the daily new-card limit;
5. when nothing else is left, learning cards due within the next ``LEARN_AHEAD``.

Within a kind, the candidate whose source file was shown least recently wins, so cards
from one file (siblings) are spread apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from quizapp.scheduling.settings import Settings

#: Learning cards due this soon are shown early when nothing else is left (Anki: 20 min).
LEARN_AHEAD = timedelta(minutes=20)
#: How many recently shown source files count as "just seen" for sibling spreading.
SIBLING_MEMORY = 3


class QueueKind(StrEnum):
    """Why a card is in the queue; the order of members is the queue's order."""

    LEARNING = "learning"
    REVIEW = "review"
    INTERVIEW = "interview"
    NEW = "new"
    LEARN_AHEAD = "learn_ahead"


def local_timezone() -> tzinfo:
    """The machine's current local time zone, for the day rollover."""
    zone = datetime.now().astimezone().tzinfo
    return zone if zone is not None else UTC


@dataclass(frozen=True)
class DayWindow:
    """One study day in UTC: from the rollover hour (local time) to the next one."""

    day: date
    start: datetime
    end: datetime


def study_day(moment: datetime, rollover_hour: int, zone: tzinfo) -> date:
    """The study day ``moment`` belongs to: the local date, counting from the rollover."""
    local = moment.astimezone(zone)
    return (local - timedelta(hours=rollover_hour)).date()


def day_window(moment: datetime, rollover_hour: int, zone: tzinfo) -> DayWindow:
    """The study day containing ``moment``, with its bounds as aware UTC datetimes."""
    day = study_day(moment, rollover_hour, zone)
    start = datetime.combine(day, time(rollover_hour), tzinfo=zone).astimezone(UTC)
    end_day = day + timedelta(days=1)
    end = datetime.combine(end_day, time(rollover_hour), tzinfo=zone).astimezone(UTC)
    return DayWindow(day, start, end)


def next_rollover(moment: datetime, rollover_hour: int, zone: tzinfo) -> datetime:
    """When the study day containing ``moment`` ends: buried cards come back then."""
    return day_window(moment, rollover_hour, zone).end


@dataclass(frozen=True)
class DailyBudget:
    """What is left of today's limits after the answers already given today."""

    reviews_left: int
    new_left: int


def daily_budget(settings: Settings, reviews_done: int, new_done: int) -> DailyBudget:
    """Today's remaining review and new-card allowances (never negative)."""
    return DailyBudget(
        reviews_left=max(settings.max_reviews_per_day - reviews_done, 0),
        new_left=max(settings.new_cards_per_day - new_done, 0),
    )


@dataclass(frozen=True)
class Candidate:
    """A card the store found for one queue kind, with the file it came from."""

    pk: int
    source: str
    kind: QueueKind


def pick(candidates: Sequence[Candidate], recent_sources: Sequence[str]) -> Candidate | None:
    """The first candidate whose file was shown least recently (never, ideally).

    ``recent_sources`` lists the files of the last cards shown, oldest first; only the
    last ``SIBLING_MEMORY`` count. Ties keep the candidates' own (due) order.
    """
    recent = list(recent_sources[-SIBLING_MEMORY:])
    last_seen = {source: index for index, source in enumerate(recent)}
    best: Candidate | None = None
    best_score = len(recent)
    for candidate in candidates:
        score = last_seen.get(candidate.source, -1)
        if best is None or score < best_score:
            best, best_score = candidate, score
        if score < 0:
            break
    return best
