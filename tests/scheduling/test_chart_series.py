"""The statistics charts' series: forecast by state, daily answers, weekly retention,
calibration bins and the stability histogram, on hand-made tallies."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from quizapp.scheduling.chart_series import (
    CALIBRATION_BINS,
    STABILITY_EDGES,
    calibration_bins,
    daily_reviews,
    predicted_recall,
    stability_histogram,
    stacked_forecast,
    weekly_retention,
)

TODAY = date(2026, 3, 2)


def test_forecast_by_state_counts_overdue_today_and_keeps_states_apart() -> None:
    series = stacked_forecast({"review": {-4: 2, 0: 1, 3: 5}, "learning": {1: 7}}, days=5)
    assert series == {
        "learning": (0, 7, 0, 0, 0),
        "review": (3, 0, 0, 5, 0),
        "relearning": (0, 0, 0, 0, 0),
    }


def test_daily_reviews_fill_days_off_and_average_over_the_week_before() -> None:
    per_day = {TODAY: 7, TODAY - timedelta(days=2): 14, TODAY - timedelta(days=40): 99}
    series = daily_reviews(per_day, TODAY, days=3, window=7)
    assert [d.date for d in series] == [TODAY - timedelta(days=n) for n in (2, 1, 0)]
    assert [d.reviews for d in series] == [14, 0, 7]
    assert [d.average for d in series] == [2.0, 2.0, 3.0]


def test_daily_average_counts_days_before_the_chart() -> None:
    per_day = {TODAY - timedelta(days=n): 7 for n in range(1, 8)}
    (first,) = daily_reviews(per_day, TODAY - timedelta(days=1), days=1, window=7)
    assert first.average == 7.0


def test_weekly_retention_splits_at_seven_days_oldest_first() -> None:
    answers = {0: (4, 3), 6: (2, 2), 7: (10, 5), 20: (1, 0), 21: (9, 9)}
    weeks = weekly_retention(answers, TODAY, weeks=3)
    assert [(w.reviews, w.passed) for w in weeks] == [(1, 0), (10, 5), (6, 5)]
    assert weeks[-1].start == TODAY - timedelta(days=6)
    assert weeks[0].start == TODAY - timedelta(days=20)
    assert weekly_retention({}, TODAY, weeks=1)[0].rate is None


def test_calibration_bins_hold_every_answer_once() -> None:
    predicted = np.array([0.0, 0.05, 0.95, 1.0, 0.93, 0.5])
    passed = np.array([False, True, True, True, False, True])
    bins = calibration_bins(predicted, passed)
    assert len(bins) == CALIBRATION_BINS
    assert sum(b.count for b in bins) == 6
    first, last, middle = bins[0], bins[-1], bins[5]
    assert (first.count, first.observed) == (2, 0.5)
    assert first.predicted == pytest.approx(0.025)
    assert (last.count, last.low, last.high) == (3, 0.9, 1.0)
    assert last.observed == pytest.approx(2 / 3)
    assert last.predicted == pytest.approx((0.95 + 1.0 + 0.93) / 3)
    assert (middle.count, middle.observed) == (1, 1.0)
    assert bins[3].count == 0 and bins[3].predicted is None and bins[3].observed is None


def test_predicted_recall_is_fsrs_forgetting_curve_over_whole_days() -> None:
    decay = -0.1542
    factor = 0.9 ** (1 / decay) - 1
    recall = predicted_recall(
        np.array([10.0, 10.0, 3.0]), np.array([10, 0, -2]), decay=decay, factor=factor
    )
    assert recall.tolist() == pytest.approx([0.9, 1.0, 1.0])


def test_stability_histogram_bins_by_lower_edge() -> None:
    stability = np.array([0.5, 1.0, 2.9, 3.0, 400.0, 365.0, 364.9])
    bins = stability_histogram(stability)
    assert len(bins) == len(STABILITY_EDGES) + 1
    assert [b.cards for b in bins] == [1, 2, 1, 0, 0, 0, 0, 1, 2]
    assert [b.label for b in bins] == [
        "<1d",
        "1-3d",
        "3d-1w",
        "1-2w",
        "2w-1m",
        "1-3m",
        "3-6m",
        "6m-1y",
        "≥1y",
    ]
    assert bins[-1].high is None
