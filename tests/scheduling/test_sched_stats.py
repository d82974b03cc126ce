"""``day_totals``: packed answers tallied per study day, exactly at day boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from quizapp.scheduling.stats import ANSWER_SHIFT, day_totals

START = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _packed(at: datetime, rating: int, review: bool) -> int:
    milliseconds = round(at.timestamp() * 1000)
    return (milliseconds << ANSWER_SHIFT) | (rating << 1) | int(review)


def _start_ms() -> int:
    return round(START.timestamp() * 1000)


def test_days_split_exactly_at_the_rollover() -> None:
    answers = [
        (START, 3, True),  # the first instant of today
        (START + DAY - timedelta(milliseconds=1), 1, True),  # the last instant of today
        (START - timedelta(milliseconds=1), 4, False),  # the last instant of yesterday
        (START - DAY, 2, True),  # the first instant of yesterday
        (START - DAY - timedelta(milliseconds=1), 1, False),  # two days ago
        (datetime(1958, 10, 17, 22, 46, tzinfo=UTC), 3, True),  # before 1970
    ]
    totals = day_totals(np.array([_packed(*a) for a in answers], dtype=np.int64), _start_ms())
    old = (START - datetime(1958, 10, 17, 22, 46, tzinfo=UTC)) // DAY + 1
    assert totals == {
        0: [2, 2, 1, 1, 0, 1, 0],
        1: [2, 1, 1, 0, 1, 0, 1],
        2: [1, 0, 0, 1, 0, 0, 0],
        old: [1, 1, 1, 0, 0, 1, 0],
    }


def test_ratings_outside_one_to_four_count_as_answers_only() -> None:
    packed = np.array([_packed(START, 5, True), _packed(START, 0, True)], dtype=np.int64)
    assert day_totals(packed, _start_ms()) == {0: [2, 2, 1, 0, 0, 0, 0]}
    assert day_totals(np.array([], dtype=np.int64), _start_ms()) == {}
