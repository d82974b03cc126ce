"""Statistics for the front ends: one call, plain data back (``quizapp stats``, TUI)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo

from quizapp.scheduling.chart_series import (
    ChartSeries,
    calibration_bins,
    daily_reviews,
    predicted_recall,
    stacked_forecast,
    weekly_retention,
)
from quizapp.scheduling.clock import utc_now
from quizapp.scheduling.queue import day_window, local_timezone
from quizapp.scheduling.scheduler import RATING_NAMES, Scheduler
from quizapp.scheduling.stats import (
    DayCount,
    GroupStats,
    Statistics,
    forecast,
    retention,
    streak,
    summarise,
)
from quizapp.store.db import Database

#: Card states in display order.
STATE_ORDER = ("new", "learning", "review", "relearning", "suspended")


def collection_statistics(
    database: Database,
    *,
    clock: Callable[[], datetime] = utc_now,
    zone: tzinfo | None = None,
) -> Statistics:
    """Everything ``quizapp stats`` shows, computed now with the stored settings.

    The charts' series (``Statistics.charts``) come from the same reads: calibration
    predicts each of the latest review-state answers from the stability stored before
    it, with the forgetting curve of the parameters in use now.
    """
    zone = zone or local_timezone()
    settings = database.settings.load_settings()
    scheduler = Scheduler(settings)
    now = clock()
    window = day_window(now, settings.day_rollover_hour, zone)
    interview_at = None
    if settings.interview_date is not None:
        interview_at = datetime.combine(settings.interview_date, time(12), tzinfo=zone)
    raw = database.stats.aggregates(
        now=now,
        window=window,
        interview_at=interview_at,
    )
    summary = summarise(
        raw.columns,
        raw.tags,
        raw.difficulties,
        decay=scheduler.decay,
        factor=scheduler.factor,
        interview=interview_at is not None,
    )
    year_ago = window.day - timedelta(days=365)
    per_day = tuple(
        DayCount(date.fromisoformat(day), row[0])
        for day, row in sorted(raw.days.items())
        if row[0] > 0 and date.fromisoformat(day) > year_ago
    )
    review_answers = {
        (window.day - date.fromisoformat(day)).days: (row[1], row[2])
        for day, row in raw.days.items()
    }
    answers = raw.recall_answers
    charts = ChartSeries(
        today=window.day,
        forecast_by_state=stacked_forecast(summary.due_by_state),
        daily_reviews=daily_reviews(
            {date.fromisoformat(day): row[0] for day, row in raw.days.items()}, window.day
        ),
        weekly_retention=weekly_retention(review_answers, window.day),
        target_retention=settings.desired_retention,
        calibration=calibration_bins(
            predicted_recall(
                answers.stability, answers.elapsed, decay=scheduler.decay, factor=scheduler.factor
            ),
            answers.passed,
        ),
        stability=summary.stability,
    )
    ratings = {
        rating: raw.older[2 + rating] + sum(row[2 + rating] for row in raw.days.values())
        for rating in RATING_NAMES
    }
    return Statistics(
        today=window.day,
        reviews_per_day=per_day,
        streak=streak([d.date for d in per_day], window.day),
        forecast=forecast(summary.due_by_offset),
        retention=retention(review_answers),
        cards_by_state={name: summary.states.get(name, 0) for name in STATE_ORDER},
        ratings={name: ratings[rating] for rating, name in RATING_NAMES.items()},
        tags=tuple(GroupStats(*row) for row in summary.tags),
        difficulties=tuple(GroupStats(*row) for row in summary.difficulties),
        interview_date=settings.interview_date,
        interview_recall=summary.interview_recall,
        charts=charts,
    )
