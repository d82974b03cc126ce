"""Statistics as plain data: the pure half (the store does the counting in SQL).

The store hands over small aggregates (answers per study day, due cards per day, counts
and mean recalls per group); this module turns them into the shapes the front ends and
``quizapp stats --json`` show: a heatmap series and streak, a 30-day forecast, true
retention over 7/30/365 days, and the per-tag and per-difficulty tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

#: The windows true retention is reported over, in days.
RETENTION_WINDOWS = (7, 30, 365)
FORECAST_DAYS = 30


@dataclass(frozen=True)
class DayCount:
    """Answers given on one study day."""

    date: date
    reviews: int


@dataclass(frozen=True)
class Retention:
    """Share of review-state answers passed (not "again") within a window of days."""

    days: int
    reviews: int
    passed: int

    @property
    def rate(self) -> float | None:
        """passed / reviews, or None with no reviews."""
        return self.passed / self.reviews if self.reviews else None


@dataclass(frozen=True)
class GroupStats:
    """One row of the per-tag or per-difficulty table.

    ``mean_recall`` averages the predicted recall now over cards answered at least once
    (None when none has been); ``interview_recall`` the same on the interview day.
    """

    name: str
    cards: int
    due: int
    mean_recall: float | None
    interview_recall: float | None = None


@dataclass(frozen=True)
class Statistics:
    """Everything ``quizapp stats`` shows."""

    today: date
    reviews_per_day: tuple[DayCount, ...]
    streak: int
    forecast: tuple[int, ...]
    retention: tuple[Retention, ...]
    cards_by_state: Mapping[str, int]
    ratings: Mapping[str, int]
    tags: tuple[GroupStats, ...]
    difficulties: tuple[GroupStats, ...]
    interview_date: date | None
    interview_recall: float | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape documented in docs/cli.md."""
        return {
            "today": self.today.isoformat(),
            "reviews_per_day": [
                {"date": d.date.isoformat(), "reviews": d.reviews} for d in self.reviews_per_day
            ],
            "streak": self.streak,
            "forecast": [
                {"date": (self.today + timedelta(days=i)).isoformat(), "due": n}
                for i, n in enumerate(self.forecast)
            ],
            "true_retention": {
                str(r.days): {
                    "reviews": r.reviews,
                    "passed": r.passed,
                    "rate": _round(r.rate),
                }
                for r in self.retention
            },
            "cards_by_state": dict(self.cards_by_state),
            "ratings": dict(self.ratings),
            "tags": [_group(g) for g in self.tags],
            "difficulties": [_group(g) for g in self.difficulties],
            "interview": None
            if self.interview_date is None
            else {
                "date": self.interview_date.isoformat(),
                "mean_recall": _round(self.interview_recall),
                "tags": [
                    {"tag": g.name, "mean_recall": _round(g.interview_recall)} for g in self.tags
                ],
            },
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _group(group: GroupStats) -> dict[str, Any]:
    data = asdict(group)
    data["mean_recall"] = _round(group.mean_recall)
    data.pop("interview_recall")
    return data


def streak(days_with_reviews: Sequence[date], today: date) -> int:
    """Consecutive study days with at least one answer, ending today (or yesterday).

    A streak is not broken before the day is over: with nothing answered yet today, it
    counts back from yesterday.
    """
    studied = set(days_with_reviews)
    day = today if today in studied else today - timedelta(days=1)
    count = 0
    while day in studied:
        count += 1
        day -= timedelta(days=1)
    return count


def forecast(due_by_offset: Mapping[int, int], days: int = FORECAST_DAYS) -> tuple[int, ...]:
    """Due cards per day for the next ``days`` days; offset 0 (today) includes overdue."""
    overdue = sum(n for offset, n in due_by_offset.items() if offset < 0)
    return tuple(
        due_by_offset.get(offset, 0) + (overdue if offset == 0 else 0) for offset in range(days)
    )


def retention(
    passed_by_offset: Mapping[int, tuple[int, int]], windows: Sequence[int] = RETENTION_WINDOWS
) -> tuple[Retention, ...]:
    """True retention per window from ``{days ago: (reviews, passed)}`` (0 = today)."""
    result = []
    for window in windows:
        reviews = sum(r for ago, (r, _) in passed_by_offset.items() if 0 <= ago < window)
        passed = sum(p for ago, (_, p) in passed_by_offset.items() if 0 <= ago < window)
        result.append(Retention(window, reviews, passed))
    return tuple(result)
