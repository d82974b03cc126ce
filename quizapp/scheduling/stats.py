"""Statistics as plain data: the pure half (the store does the reading).

The store hands over answers per study day (counted in SQL) and every card's scheduling
facts as NumPy columns with the card ids of each tag and difficulty (``CardColumns``);
``summarise`` tallies the columns, and the rest turns the results into the shapes the
front ends and ``quizapp stats --json`` show: a heatmap series and streak, a 30-day
forecast, true retention over 7/30/365 days, and the per-tag and per-difficulty tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from quizapp.scheduling.chart_series import (
    FORECAST_STATES,
    ChartSeries,
    StabilityBin,
    stability_histogram,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

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
    charts: ChartSeries

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
            "charts": self.charts.to_dict(),
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


#: ``CardColumns.due_offset`` of a card not due within the forecast (or never answered).
NO_OFFSET = 1 << 40
#: ``CardColumns.elapsed_*`` of a card with no predicted recall (new, or no stability).
NO_RECALL = -1
#: ``CardColumns.kind`` values, indexing ``KIND_NAMES``.
KIND_NAMES = ("new", "learning", "review", "relearning")

#: One row of a per-group table: name, cards, due, mean recall now, on the interview day.
GroupRow = tuple[str, int, int, float | None, float | None]


@dataclass(frozen=True)
class CardColumns:
    """Every present card's scheduling facts as parallel NumPy arrays (one entry per card).

    Statistics over 100,000 cards are a few array operations on these, where a Python
    object per card (or a SQL join per tag) would take most of a second. ``kind`` indexes
    ``KIND_NAMES``; ``due_offset`` is the due day counted from today (``NO_OFFSET`` when
    not due within the forecast); ``elapsed_*`` are whole days since the last review, now
    and on the interview day (``NO_RECALL`` for a card with no predicted recall).
    """

    ids: NDArray[np.int64]
    kind: NDArray[np.int64]
    suspended: NDArray[np.bool_]
    due_today: NDArray[np.bool_]
    due_offset: NDArray[np.int64]
    elapsed_now: NDArray[np.int64]
    elapsed_interview: NDArray[np.int64]
    stability: NDArray[np.float64]

    def without(self, drop: NDArray[np.bool_]) -> CardColumns:
        """These columns without the cards where ``drop`` is true."""
        keep = ~drop
        return CardColumns(*(getattr(self, f.name)[keep] for f in fields(self)))


@dataclass(frozen=True)
class CardSummary:
    """What ``summarise`` computes from ``CardColumns``."""

    states: dict[str, int]
    due_by_offset: dict[int, int]
    due_by_state: dict[str, dict[int, int]]
    stability: tuple[StabilityBin, ...]
    tags: list[GroupRow]
    difficulties: list[GroupRow]
    interview_recall: float | None


def summarise(
    columns: CardColumns,
    tags: Sequence[tuple[str, NDArray[np.int64]]],
    difficulties: Sequence[tuple[str, NDArray[np.int64]]],
    *,
    decay: float,
    factor: float,
    interview: bool,
) -> CardSummary:
    """Card states, the due forecast, and per-tag and per-difficulty counts and recalls.

    ``tags`` and ``difficulties`` are (name, card ids) pairs. Suspended cards count only
    as "suspended": they are left out of the forecast and the groups, and a group left
    with no card is dropped. Recall is FSRS-6's forgetting curve
    ``(1 + factor * days / S) ** decay`` over whole elapsed days, as py-fsrs computes it.
    """
    import numpy as np

    suspended = columns.suspended
    states = {"suspended": int(np.count_nonzero(suspended))}
    for code, name in enumerate(KIND_NAMES):
        states[name] = int(np.count_nonzero((columns.kind == code) & ~suspended))
    forecast_cards = (columns.due_offset != NO_OFFSET) & ~suspended
    due_by_offset = _count_offsets(columns.due_offset[forecast_cards])
    due_by_state = {
        name: _count_offsets(columns.due_offset[forecast_cards & (columns.kind == code)])
        for code, name in enumerate(KIND_NAMES)
        if name in FORECAST_STATES
    }
    answered = (columns.kind != 0) & ~suspended & (columns.stability > 0)
    now = _Recall(columns.elapsed_now, columns.stability, decay, factor)
    later = _Recall(columns.elapsed_interview, columns.stability, decay, factor)
    position = np.full(int(columns.ids.max(initial=0)) + 1, -1, dtype=np.int64)
    position[columns.ids] = np.arange(len(columns.ids))

    def rows(groups: Sequence[tuple[str, NDArray[np.int64]]]) -> list[GroupRow]:
        result: list[GroupRow] = []
        for name, ids in groups:
            at = position[ids[(ids >= 0) & (ids < len(position))]]
            at = at[at >= 0]
            at = at[~suspended[at]]
            if len(at):
                due = int(np.count_nonzero(columns.due_today[at]))
                result.append(
                    (name, len(at), due, now.mean(at), later.mean(at) if interview else None)
                )
        return result

    everything = np.flatnonzero(~suspended)
    return CardSummary(
        states=states,
        due_by_offset=due_by_offset,
        due_by_state=due_by_state,
        stability=stability_histogram(columns.stability[answered]),
        tags=rows(tags),
        difficulties=rows(difficulties),
        interview_recall=later.mean(everything) if interview else None,
    )


def _count_offsets(offsets: NDArray[np.int64]) -> dict[int, int]:
    """``{due offset: cards}`` of the given offsets."""
    import numpy as np

    values, counts = np.unique(offsets, return_counts=True)
    return {int(v): int(n) for v, n in zip(values.tolist(), counts.tolist(), strict=True)}


class _Recall:
    """Predicted recall of every card at one moment, and means over subsets of cards."""

    def __init__(
        self,
        elapsed: NDArray[np.int64],
        stability: NDArray[np.float64],
        decay: float,
        factor: float,
    ) -> None:
        import numpy as np

        self.present = elapsed != NO_RECALL
        safe = np.where(self.present, stability, 1.0)
        days = np.maximum(elapsed, 0).astype(np.float64)
        self.values = np.where(self.present, (1 + factor * days / safe) ** decay, 0.0)

    def mean(self, at: NDArray[np.int64]) -> float | None:
        """Mean recall over the cards at positions ``at`` that have one; None if none has."""
        present = self.present[at]
        count = int(present.sum())
        return float(self.values[at][present].sum() / count) if count else None


#: Packed answers' layout: ``unix ms << ANSWER_SHIFT | rating code << 1 | was a review``.
ANSWER_SHIFT = 4


def day_totals(packed: NDArray[np.int64], start: int) -> dict[int, list[int]]:
    """Per-day answer totals from packed answers, keyed by days before today (0: today).

    Each answer is one integer, ``unix ms << 4 | rating code << 1 | review`` (rating
    code: the rating when 1-4, 5 for a larger one, 0 for a smaller one), as the store
    reads them in one string; ``start`` is today's rollover in unix ms. An answer at
    ``t`` belongs to the day ``ceil((start - t) / 1 day)`` days ago, counted in integers
    so a day boundary is exact. Each total is ``[answers, review-state answers,
    of those passed (not "again"), again, hard, good, easy]``.
    """
    import numpy as np

    if not len(packed):
        return {}
    moment = packed >> ANSWER_SHIFT
    rating = (packed >> 1) & 7
    review = (packed & 1).astype(bool)
    ago = -((moment - start) // 86_400_000)
    days, day_of = np.unique(ago, return_inverse=True)
    size = len(days)
    columns = [
        np.bincount(day_of, minlength=size),
        np.bincount(day_of[review], minlength=size),
        np.bincount(day_of[review & (rating > 1)], minlength=size),
        *(np.bincount(day_of[rating == value], minlength=size) for value in (1, 2, 3, 4)),
    ]
    table = np.stack(columns, axis=1).tolist()
    return {int(day): row for day, row in zip(days.tolist(), table, strict=True)}
