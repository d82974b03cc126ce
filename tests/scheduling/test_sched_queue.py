"""Queue rules: study days around the rollover, budgets, sibling spreading."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from quizapp.scheduling.queue import (
    Candidate,
    QueueKind,
    daily_budget,
    day_window,
    next_rollover,
    pick,
    study_day,
)
from quizapp.scheduling.settings import Settings

TOKYO = timezone(timedelta(hours=9))


def test_study_day_starts_at_rollover_local_time() -> None:
    # 18:30 UTC is 03:30 next day in Tokyo: still the previous study day there
    moment = datetime(2026, 5, 1, 18, 30, tzinfo=UTC)
    assert study_day(moment, 4, TOKYO) == date(2026, 5, 1)
    assert study_day(moment + timedelta(hours=1), 4, TOKYO) == date(2026, 5, 2)
    window = day_window(moment, 4, TOKYO)
    assert window.start == datetime(2026, 4, 30, 19, 0, tzinfo=UTC)
    assert window.end - window.start == timedelta(days=1)
    assert next_rollover(moment, 4, TOKYO) == window.end


def test_budget_never_negative() -> None:
    settings = Settings(new_cards_per_day=5, max_reviews_per_day=10)
    assert daily_budget(settings, 3, 2).reviews_left == 7
    assert daily_budget(settings, 12, 9) == daily_budget(settings, 10, 5)
    assert daily_budget(settings, 12, 9).new_left == 0


def test_pick_prefers_least_recently_seen_file() -> None:
    cands = [
        Candidate(1, "a.md", QueueKind.NEW),
        Candidate(2, "b.md", QueueKind.NEW),
        Candidate(3, "c.md", QueueKind.NEW),
    ]
    assert pick(cands, []) == cands[0]
    assert pick(cands, ["a.md"]) == cands[1]
    assert pick(cands, ["c.md", "a.md", "b.md"]) == cands[2]
    assert pick(cands[:2], ["b.md", "a.md"]) == cands[1]
    assert pick([], ["a.md"]) is None
