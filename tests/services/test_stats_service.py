"""Statistics on a database with a simulated study history, checked against plain Python,
on SQLite and PostgreSQL (``module_backend_url``, ``backend_db``)."""

from __future__ import annotations

import random
from datetime import UTC, timedelta

import pytest
from sqlalchemy import delete
from test_study_builders import T0, FakeClock, Spec, add_cards, make_database

from quizapp.scheduling.scheduler import Scheduler
from quizapp.scheduling.stats import forecast, retention, streak
from quizapp.services.settings import set_setting
from quizapp.services.stats import collection_statistics
from quizapp.services.study import StudySession
from quizapp.store.db import Database
from quizapp.store.sqlite.stats_queries import STATS_CACHE_KEY
from quizapp.store.tables import SETTINGS


@pytest.fixture(scope="module")
def studied(module_backend_url: str) -> tuple[Database, FakeClock]:
    db = make_database(module_backend_url)
    specs = [
        Spec(
            f"k{i:02d}",
            tags=("ml",) if i % 2 else ("stats", "ml"),
            difficulty=("easy", "medium", "hard")[i % 3],
        )
        for i in range(30)
    ]
    add_cards(db, specs)
    clock = FakeClock()
    rng = random.Random(8)
    for day in range(12):
        if day == 9:  # a day off breaks the streak
            continue
        clock.now = T0 + timedelta(days=day)
        session = StudySession(db, clock=clock, zone=UTC)
        for _ in range(8):
            if session.next_card() is None:
                break
            session.answer(rng.choice([1, 3, 3, 4]), 2000)
            clock.advance(minutes=2)
    return db, clock


def test_counts_match_the_logs(studied: tuple[Database, FakeClock]) -> None:
    db, clock = studied
    stats = collection_statistics(db, clock=clock, zone=UTC)
    logs = [r for pk in range(1, 31) for r in db.answers.reviews_of(pk)]
    assert sum(d.reviews for d in stats.reviews_per_day) == len(logs)
    assert sum(stats.ratings.values()) == len(logs)
    assert stats.ratings["again"] == sum(1 for r in logs if r.rating == 1)
    assert sum(stats.cards_by_state.values()) == 30
    assert stats.cards_by_state["new"] == sum(
        1 for pk in range(1, 31) if db.answers.memory(pk).is_new
    )
    assert stats.streak == 2  # days 10 and 11, after the day off
    assert len(stats.forecast) == 30
    review_logs = [r for r in logs if r.before.state == 2 and not r.before.is_new]
    month = next(r for r in stats.retention if r.days == 30)
    assert month.reviews == len(review_logs)
    assert month.passed == sum(1 for r in review_logs if r.rating > 1)


def test_recall_per_tag_and_difficulty_matches_py_fsrs(
    studied: tuple[Database, FakeClock],
) -> None:
    db, clock = studied
    stats = collection_statistics(db, clock=clock, zone=UTC)
    scheduler = Scheduler(db.settings.load_settings())
    memories = {pk: db.answers.memory(pk) for pk in range(1, 31)}
    ml = [pk for pk in range(1, 31)]
    recalls = [
        scheduler.retrievability(memories[pk], clock.now) for pk in ml if not memories[pk].is_new
    ]
    by_tag = {g.name: g for g in stats.tags}
    assert by_tag["ml"].cards == 30 and by_tag["stats"].cards == 15
    assert by_tag["ml"].mean_recall == pytest.approx(sum(recalls) / len(recalls))
    assert sum(g.cards for g in stats.difficulties) == 30
    assert {g.name for g in stats.difficulties} == {"easy", "medium", "hard"}
    assert stats.interview_date is None and stats.to_dict()["interview"] is None


def test_interview_day_recall(studied: tuple[Database, FakeClock]) -> None:
    db, clock = studied
    set_setting(
        db,
        "interview_date",
        (clock.now.date() + timedelta(days=30)).isoformat(),
        today=clock.now.date(),
    )
    try:
        stats = collection_statistics(db, clock=clock, zone=UTC)
    finally:
        set_setting(db, "interview_date", "none")
    data = stats.to_dict()["interview"]
    assert data is not None and 0 < data["mean_recall"] < 1
    now_recall = next(g for g in stats.tags if g.name == "ml").mean_recall
    assert {t["tag"] for t in data["tags"]} == {"ml", "stats"}
    later = next(t for t in data["tags"] if t["tag"] == "ml")["mean_recall"]
    assert now_recall is not None and later < now_recall


def test_pure_helpers() -> None:
    today = T0.date()
    days = [today - timedelta(days=n) for n in (1, 2, 3, 5)]
    assert streak(days, today) == 3
    assert streak([today, *days], today) == 4
    assert streak(days[1:], today) == 0
    assert forecast({-3: 2, 0: 1, 2: 5}, 4) == (3, 0, 5, 0)
    week, month = retention({0: (4, 3), 6: (2, 2), 7: (10, 5)}, (7, 30))
    assert (week.reviews, week.passed, month.reviews, month.passed) == (6, 5, 16, 10)
    assert retention({}, (7,))[0].rate is None


def _fresh(db: Database, clock: FakeClock) -> dict[str, object]:
    """Statistics recomputed from the whole review log (cache dropped first)."""
    with db.begin(write=True) as conn:
        conn.execute(delete(SETTINGS).where(SETTINGS.c.key == STATS_CACHE_KEY))
    return collection_statistics(db, clock=clock, zone=UTC).to_dict()


def test_cached_closed_days_match_a_full_scan(backend_db: Database) -> None:
    db = backend_db
    add_cards(db, [Spec(f"q{i}", tags=("t",)) for i in range(12)])
    clock = FakeClock()
    session = StudySession(db, clock=clock, zone=UTC)
    for day in range(4):
        clock.now = T0 + timedelta(days=day, hours=13)
        for _ in range(3):
            if (session := StudySession(db, clock=clock, zone=UTC)).next_card() is None:
                break
            session.answer(3 if day % 2 else 1, 500)
            clock.advance(minutes=1)
        cached = collection_statistics(db, clock=clock, zone=UTC).to_dict()
        assert cached == _fresh(db, clock)
        assert collection_statistics(db, clock=clock, zone=UTC).to_dict() == cached
    # an answer from a closed day, undone later, must not linger in the cached totals
    late = StudySession(db, clock=clock, zone=UTC)
    assert late.next_card() is not None
    late.answer(4, 100)
    clock.advance(days=1)
    collection_statistics(db, clock=clock, zone=UTC)
    assert late.undo().undone
    assert collection_statistics(db, clock=clock, zone=UTC).to_dict() == _fresh(db, clock)
