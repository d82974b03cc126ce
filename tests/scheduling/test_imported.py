"""An SM-2 schedule brought from the Obsidian plugin becomes an FSRS memory state."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from fsrs_rs_python import DEFAULT_PARAMETERS

from quizapp.cards.model import ImportedSchedule
from quizapp.scheduling.imported import imported_memory, stability_and_difficulty
from quizapp.scheduling.memory import REVIEW
from quizapp.scheduling.queue import study_day

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def test_stability_is_the_interval() -> None:
    for interval in (1, 3, 51, 400):
        stability, _difficulty = stability_and_difficulty(interval, 250)
        assert abs(stability - interval) < 1e-3 * interval


def test_a_lower_ease_is_a_harder_card() -> None:
    difficulties = [stability_and_difficulty(30, ease)[1] for ease in (130, 190, 250, 310, 370)]
    assert difficulties == sorted(difficulties, reverse=True)
    assert all(1.0 <= value <= 10.0 for value in difficulties)
    assert difficulties[0] > difficulties[-1] + 3  # the whole range is used, not a sliver


def test_the_users_parameters_are_used() -> None:
    changed = list(DEFAULT_PARAMETERS)
    changed[8] *= 1.5  # how fast stability grows after a success
    assert stability_and_difficulty(20, 230, changed)[1] != stability_and_difficulty(20, 230)[1]


def test_the_card_is_in_review_due_on_its_date_with_one_rep() -> None:
    memory = imported_memory(ImportedSchedule(date(2026, 3, 2), 51, 230), NOW)
    assert memory.state == REVIEW and memory.step is None
    assert (memory.reps, memory.lapses) == (1, 0) and not memory.is_new
    assert memory.due == datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert memory.last_review == memory.due - timedelta(days=51)
    assert memory.stability is not None and abs(memory.stability - 51) < 0.1


def test_the_due_date_is_that_study_day_from_utc_minus_8_to_utc_plus_14() -> None:
    memory = imported_memory(ImportedSchedule(date(2026, 3, 2), 5, 250), NOW)
    for hours in range(-8, 15):
        zone = timezone(timedelta(hours=hours))
        assert study_day(memory.due, 4, zone) == date(2026, 3, 2), hours
    assert study_day(memory.due, 4, timezone(timedelta(hours=-9))) == date(2026, 3, 1)


def test_the_last_review_is_never_after_the_import() -> None:
    # A due date further ahead than its interval: the review it implies is in the future.
    memory = imported_memory(ImportedSchedule(date(2026, 6, 1), 3, 250), NOW)
    assert memory.last_review == NOW


def test_an_interval_of_zero_is_read_as_one_day() -> None:
    memory = imported_memory(ImportedSchedule(date(2025, 12, 1), 0, 250), NOW)
    assert memory.stability is not None and abs(memory.stability - 1) < 1e-3
    assert memory.last_review == datetime(2025, 11, 30, 12, tzinfo=UTC)
