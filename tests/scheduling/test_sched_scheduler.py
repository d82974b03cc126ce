"""The FSRS wrapper: seeded fuzz, reps/lapses, clock skew, recall and previews."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs
import numpy as np
import pytest

from quizapp.scheduling.previews import format_interval, previews
from quizapp.scheduling.scheduler import (
    AGAIN,
    EASY,
    GOOD,
    ClockSkewError,
    RatingError,
    Scheduler,
    new_memory,
)
from quizapp.scheduling.settings import Settings

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _graduated(scheduler: Scheduler, pk: int) -> tuple[object, datetime]:
    memory = scheduler.review(pk, new_memory(NOW), EASY, NOW)
    at = memory.due
    for _ in range(4):
        memory = scheduler.review(pk, memory, GOOD, at)
        at = memory.due
    return memory, at


def test_fuzz_is_repeatable_per_card_and_rep() -> None:
    scheduler = Scheduler(Settings())
    first = _graduated(scheduler, 7)
    again = _graduated(Scheduler(Settings()), 7)
    assert first == again
    dues = {_graduated(scheduler, pk)[0].due for pk in range(1, 30)}  # type: ignore[attr-defined]
    assert len(dues) > 1, "different cards should get different fuzz"


def test_reps_and_lapses_are_counted() -> None:
    scheduler = Scheduler(Settings())
    memory = scheduler.review(1, new_memory(NOW), EASY, NOW)
    assert (memory.reps, memory.lapses, memory.state) == (1, 0, 2)
    lapsed = scheduler.review(1, memory, AGAIN, memory.due)
    assert (lapsed.reps, lapsed.lapses, lapsed.state) == (2, 1, 3)
    relearn_again = scheduler.review(1, lapsed, AGAIN, lapsed.due)
    assert relearn_again.lapses == 1


def test_clock_skew_and_bad_rating_are_refused() -> None:
    scheduler = Scheduler(Settings())
    memory = scheduler.review(1, new_memory(NOW), GOOD, NOW)
    with pytest.raises(ClockSkewError, match="before this card's last review"):
        scheduler.review(1, memory, GOOD, NOW - timedelta(seconds=1))
    for bad in (0, 5, "3"):
        with pytest.raises(RatingError):
            scheduler.review(1, memory, bad, NOW)  # type: ignore[arg-type]


def test_vectorised_recall_matches_py_fsrs() -> None:
    scheduler = Scheduler(Settings())
    reference = fsrs.Scheduler()
    stabilities = np.array([0.5, 3.0, 10.0, 100.0])
    for days in (0, 0.4, 1, 7.9, 30, 400):
        fast = scheduler.retrievability_many(stabilities, np.full(4, days))
        for s, value in zip(stabilities, fast, strict=True):
            card = fsrs.Card(
                card_id=1,
                state=fsrs.State.Review,
                stability=float(s),
                difficulty=5.0,
                last_review=NOW,
            )
            assert value == pytest.approx(
                reference.get_card_retrievability(card, NOW + timedelta(days=days))
            )


def test_recall_threshold_is_where_recall_hits_desired_retention() -> None:
    for retention in (0.8, 0.9, 0.95):
        scheduler = Scheduler(Settings(desired_retention=retention))
        ratio = scheduler.recall_threshold()
        recall = (1 + scheduler.factor * ratio) ** scheduler.decay
        assert recall == pytest.approx(retention)


def test_previews_are_what_review_gives() -> None:
    scheduler = Scheduler(Settings())
    memory, at = _graduated(scheduler, 3)
    shown = previews(scheduler, 3, memory, at)  # type: ignore[arg-type]
    assert [p.rating for p in shown] == [1, 2, 3, 4]
    for preview in shown:
        assert scheduler.review(3, memory, preview.rating, at).due == preview.due  # type: ignore[arg-type]
    fresh = previews(scheduler, 4, new_memory(NOW), NOW)
    assert [p.label for p in fresh][:3] == ["1m", "6m", "10m"]


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=3), "3d"),
        (timedelta(days=8), "8d"),
        (timedelta(days=36), "1.2mo"),
        (timedelta(days=365), "1y"),
        (timedelta(days=800), "2.2y"),
        (timedelta(seconds=20), "<1m"),
    ],
)
def test_interval_labels(interval: timedelta, label: str) -> None:
    assert format_interval(interval) == label
