"""The series the statistics charts draw, as plain data (issue 17).

People read a picture faster than a table, so the statistics screen draws five charts;
``quizapp stats --json`` gives the same series under ``charts`` so a script can draw
them too. This module turns tallies the store hands out into those series and knows
nothing of the terminal: the due forecast stacked by state, answers per day with a
moving average, true retention per week against the target, predicted against observed
recall (calibration) in bins, and how stable the answered cards are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

#: States of the stacked forecast, bottom to top (new cards are never "due" on a day).
FORECAST_STATES = ("learning", "review", "relearning")
#: Days the forecast and the answers-per-day chart cover.
CHART_DAYS = 30
#: Days the moving average of answers per day is taken over (trailing, today included).
AVERAGE_DAYS = 7
#: Weeks of true retention shown, the latest last.
RETENTION_WEEKS = 12
#: Calibration bins: predicted recall split into this many equal intervals of [0, 1].
CALIBRATION_BINS = 10
#: Calibration looks at this many latest review-state answers at most, so its cost stays
#: bounded on a history of millions (and recent answers are what the parameters face):
#: each answer's stored state is read from its log row, about 10 µs apiece, so 5,000
#: cost some 50 ms, and ten bins of 5,000 answers are already steady.
CALIBRATION_ANSWERS = 5_000
#: Upper edges, in days, of the stability histogram's bins; the last bin is open.
STABILITY_EDGES = (1, 3, 7, 14, 30, 90, 180, 365)


@dataclass(frozen=True)
class DailyReviews:
    """Answers on one study day and their mean over the ``AVERAGE_DAYS`` up to it."""

    date: date
    reviews: int
    average: float


@dataclass(frozen=True)
class WeekRetention:
    """Review-state answers passed (not "again") in the 7 study days from ``start``."""

    start: date
    reviews: int
    passed: int

    @property
    def rate(self) -> float | None:
        """passed / reviews, or None in a week without reviews."""
        return self.passed / self.reviews if self.reviews else None


@dataclass(frozen=True)
class CalibrationBin:
    """Answers whose predicted recall fell in ``[low, high)`` and how many were passed.

    ``predicted`` is the mean prediction of those answers and ``observed`` the share
    passed; both None for an empty bin. A well-calibrated model has them equal.
    """

    low: float
    high: float
    count: int
    predicted: float | None
    observed: float | None


@dataclass(frozen=True)
class StabilityBin:
    """Answered cards whose stability (days) lies in ``[low, high)``; ``high`` None: open."""

    low: float
    high: float | None
    cards: int

    @property
    def label(self) -> str:
        """A short name for the axis, at most 5 characters: ``<1d``, ``3d-1w``, ``≥1y``.

        Short so that every bin keeps its label at 80 columns (plotext drops one of two
        labels that would overlap).
        """
        if self.low == 0:
            return f"<{_span(self.high or 0)}"
        if self.high is None:
            return f"≥{_span(self.low)}"
        low, high = _span(self.low), _span(self.high)
        if low[-1] == high[-1]:  # same unit: "1-3d"
            low = low[:-1]
        return f"{low}-{high}"


def _span(days: float) -> str:
    """``days`` in the largest unit that divides it well: 1d, 1w, 2w, 1m, 3m, 1y."""
    for unit, size in (("y", 365), ("m", 30), ("w", 7)):
        if days >= size and days % size == 0:
            return f"{days / size:g}{unit}"
    if days >= 180:
        return f"{days / 30:g}m"
    return f"{days:g}d"


@dataclass(frozen=True)
class ChartSeries:
    """Everything the five statistics charts draw."""

    today: date
    forecast_by_state: Mapping[str, tuple[int, ...]]
    daily_reviews: tuple[DailyReviews, ...]
    weekly_retention: tuple[WeekRetention, ...]
    target_retention: float
    calibration: tuple[CalibrationBin, ...]
    stability: tuple[StabilityBin, ...]

    def to_dict(self) -> dict[str, Any]:
        """The ``charts`` object of ``quizapp stats --json`` (docs/cli.md)."""
        return {
            "forecast_by_state": [
                {
                    "date": (self.today + timedelta(days=i)).isoformat(),
                    **{state: self.forecast_by_state[state][i] for state in FORECAST_STATES},
                }
                for i in range(CHART_DAYS)
            ],
            "reviews_per_day": [
                {"date": d.date.isoformat(), "reviews": d.reviews, "average": round(d.average, 4)}
                for d in self.daily_reviews
            ],
            "retention_per_week": {
                "target": self.target_retention,
                "weeks": [
                    {
                        "start": w.start.isoformat(),
                        "reviews": w.reviews,
                        "passed": w.passed,
                        "rate": _round(w.rate),
                    }
                    for w in self.weekly_retention
                ],
            },
            "calibration": [
                {
                    "low": b.low,
                    "high": b.high,
                    "count": b.count,
                    "predicted": _round(b.predicted),
                    "observed": _round(b.observed),
                }
                for b in self.calibration
            ],
            "stability": [{"low": b.low, "high": b.high, "cards": b.cards} for b in self.stability],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def stacked_forecast(
    due_by_state: Mapping[str, Mapping[int, int]], days: int = CHART_DAYS
) -> dict[str, tuple[int, ...]]:
    """Due cards per day and state (``FORECAST_STATES``), overdue ones counted today.

    ``due_by_state`` maps a state to ``{days from today: cards}``; negative offsets are
    overdue. The states add up to ``stats.forecast`` day by day.
    """
    result = {}
    for state in FORECAST_STATES:
        counts = due_by_state.get(state, {})
        overdue = sum(n for offset, n in counts.items() if offset < 0)
        result[state] = tuple(
            counts.get(offset, 0) + (overdue if offset == 0 else 0) for offset in range(days)
        )
    return result


def daily_reviews(
    per_day: Mapping[date, int],
    today: date,
    days: int = CHART_DAYS,
    window: int = AVERAGE_DAYS,
) -> tuple[DailyReviews, ...]:
    """Answers on each of the last ``days`` study days (oldest first), days off as 0.

    Each day's ``average`` is the mean over the ``window`` days ending that day, counting
    days before the chart's first one, so the line does not start from a false low.
    """
    first = today - timedelta(days=days - 1)
    result = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        total = sum(per_day.get(day - timedelta(days=back), 0) for back in range(window))
        result.append(DailyReviews(day, per_day.get(day, 0), total / window))
    return tuple(result)


def weekly_retention(
    review_answers: Mapping[int, tuple[int, int]],
    today: date,
    weeks: int = RETENTION_WEEKS,
) -> tuple[WeekRetention, ...]:
    """True retention per 7-day week ending today, oldest first.

    ``review_answers`` maps days ago (0: today) to (review-state answers, passed), as
    ``stats.retention`` reads it; the last week is today and the six days before.
    """
    result = []
    for week in reversed(range(weeks)):
        days = range(week * 7, week * 7 + 7)
        reviews = sum(review_answers.get(ago, (0, 0))[0] for ago in days)
        passed = sum(review_answers.get(ago, (0, 0))[1] for ago in days)
        result.append(WeekRetention(today - timedelta(days=week * 7 + 6), reviews, passed))
    return tuple(result)


def predicted_recall(
    stability: NDArray[np.float64], elapsed: NDArray[np.int64], *, decay: float, factor: float
) -> NDArray[np.float64]:
    """FSRS-6's forgetting curve ``(1 + factor * days / S) ** decay`` over whole days."""
    import numpy as np

    days = np.maximum(elapsed, 0).astype(np.float64)
    values: NDArray[np.float64] = (1 + factor * days / stability) ** decay
    return values


def calibration_bins(
    predicted: NDArray[np.float64], passed: NDArray[np.bool_], bins: int = CALIBRATION_BINS
) -> tuple[CalibrationBin, ...]:
    """Answers grouped by predicted recall into ``bins`` equal intervals of [0, 1].

    A prediction of exactly 1 falls in the last bin. Every bin is returned, empty ones
    with a count of 0, so the chart's axis stays the same from one day to the next.
    """
    import numpy as np

    index = np.minimum((predicted * bins).astype(np.int64), bins - 1)
    index = np.maximum(index, 0)
    counts = np.bincount(index, minlength=bins)
    sums = np.bincount(index, weights=predicted, minlength=bins)
    passes = np.bincount(index, weights=passed.astype(np.float64), minlength=bins)
    result = []
    for i in range(bins):
        count = int(counts[i])
        result.append(
            CalibrationBin(
                low=round(i / bins, 4),
                high=round((i + 1) / bins, 4),
                count=count,
                predicted=float(sums[i] / count) if count else None,
                observed=float(passes[i] / count) if count else None,
            )
        )
    return tuple(result)


def stability_histogram(stability: NDArray[np.float64]) -> tuple[StabilityBin, ...]:
    """Cards per stability bin (``STABILITY_EDGES``), every bin returned, empty ones too."""
    import numpy as np

    edges = (0, *STABILITY_EDGES)
    index = np.searchsorted(np.asarray(STABILITY_EDGES, dtype=np.float64), stability, "right")
    counts = np.bincount(index, minlength=len(edges))
    return tuple(
        StabilityBin(
            float(low),
            float(edges[i + 1]) if i + 1 < len(edges) else None,
            int(counts[i]),
        )
        for i, low in enumerate(edges)
    )
