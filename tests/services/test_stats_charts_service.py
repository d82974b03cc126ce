"""The statistics charts' series from a studied database, checked against the review log
and py-fsrs one answer at a time (``collection_statistics().charts``, ``stats --json``), on
SQLite and PostgreSQL (``module_backend_url``, ``backend_db``)."""

from __future__ import annotations

import random
from datetime import UTC, timedelta

import pytest
from sqlalchemy import select, update
from test_study_builders import T0, FakeClock, Spec, add_cards, make_database

from quizapp.scheduling.chart_series import FORECAST_STATES, STABILITY_EDGES
from quizapp.scheduling.memory import REVIEW
from quizapp.scheduling.scheduler import Scheduler
from quizapp.services.stats import collection_statistics
from quizapp.services.study import StudySession
from quizapp.store.db import Database
from quizapp.store.records import ReviewRecord
from quizapp.store.tables import REVIEW_LOGS

CARDS = 24
DAYS = 45


@pytest.fixture(scope="module")
def studied(module_backend_url: str) -> tuple[Database, FakeClock]:
    db = make_database(module_backend_url)
    add_cards(db, [Spec(f"c{i:02d}", tags=("ml",)) for i in range(CARDS)])
    clock = FakeClock()
    rng = random.Random(23)
    for day in range(DAYS):
        if day % 6 == 5:
            continue
        clock.now = T0 + timedelta(days=day)
        session = StudySession(db, clock=clock, zone=UTC, seed=day)
        for _ in range(10):
            if session.next_card() is None:
                break
            session.answer(rng.choice([1, 2, 3, 3, 4]), 1000)
            clock.advance(minutes=2)
    clock.now = T0 + timedelta(days=DAYS, hours=1)
    return db, clock


def _logs(db: Database) -> list[ReviewRecord]:
    return [r for pk in range(1, CARDS + 1) for r in db.answers.reviews_of(pk)]


def test_forecast_by_state_adds_up_to_the_forecast(studied: tuple[Database, FakeClock]) -> None:
    db, clock = studied
    stats = collection_statistics(db, clock=clock, zone=UTC)
    by_state = stats.charts.forecast_by_state
    totals = [sum(by_state[state][day] for state in FORECAST_STATES) for day in range(30)]
    assert totals == list(stats.forecast) and sum(totals) > 0
    data = stats.to_dict()["charts"]["forecast_by_state"]
    assert len(data) == 30 and data[0]["date"] == stats.today.isoformat()
    assert set(data[0]) == {"date", *FORECAST_STATES}


def test_daily_and_weekly_series_match_the_log(studied: tuple[Database, FakeClock]) -> None:
    db, clock = studied
    stats = collection_statistics(db, clock=clock, zone=UTC)
    logs = _logs(db)
    daily = stats.charts.daily_reviews
    assert len(daily) == 30 and daily[-1].date == stats.today
    first = daily[0].date
    assert sum(d.reviews for d in daily) == sum(1 for r in logs if r.reviewed_at.date() >= first)
    assert daily[-2].average == pytest.approx(sum(d.reviews for d in daily[-8:-1]) / 7)
    week = stats.charts.weekly_retention[-1]
    seven = next(r for r in stats.retention if r.days == 7)
    assert (week.reviews, week.passed) == (seven.reviews, seven.passed)
    month = next(r for r in stats.retention if r.days == 30)
    recent = stats.charts.weekly_retention[-4:]
    assert sum(w.reviews for w in recent) <= month.reviews
    assert stats.to_dict()["charts"]["retention_per_week"]["target"] == 0.9


def test_calibration_predicts_each_review_as_py_fsrs_does(
    studied: tuple[Database, FakeClock],
) -> None:
    db, clock = studied
    stats = collection_statistics(db, clock=clock, zone=UTC)
    scheduler = Scheduler(db.settings.load_settings())
    reviews = [r for r in _logs(db) if r.before.state == REVIEW and not r.before.is_new]
    assert len(reviews) > 50
    expected = [(scheduler.retrievability(r.before, r.reviewed_at), r.rating > 1) for r in reviews]
    bins = stats.charts.calibration
    assert sum(b.count for b in bins) == len(reviews)
    for b in bins:
        inside = [(p, ok) for p, ok in expected if b.low <= p < b.high or (b.high == 1 and p == 1)]
        assert b.count == len(inside)
        if inside:
            assert b.predicted == pytest.approx(sum(p for p, _ in inside) / len(inside))
            assert b.observed == pytest.approx(sum(ok for _, ok in inside) / len(inside))


def test_stability_histogram_counts_every_answered_card(
    studied: tuple[Database, FakeClock],
) -> None:
    db, clock = studied
    stats = collection_statistics(db, clock=clock, zone=UTC)
    stabilities = [
        m.stability
        for m in (db.answers.memory(pk) for pk in range(1, CARDS + 1))
        if not m.is_new and m.stability
    ]
    bins = stats.charts.stability
    assert sum(b.cards for b in bins) == len(stabilities)
    edges = (0, *STABILITY_EDGES, float("inf"))
    for index, b in enumerate(bins):
        assert b.cards == sum(1 for s in stabilities if edges[index] <= s < edges[index + 1])
    assert stats.to_dict()["charts"]["stability"][0] == {
        "low": 0.0,
        "high": 1.0,
        "cards": bins[0].cards,
    }


def test_a_damaged_review_log_is_left_out_of_calibration(backend_db: Database) -> None:
    db = backend_db
    add_cards(db, [Spec(f"d{i}") for i in range(3)])
    clock = FakeClock()
    for day in (0, 1, 4, 9):
        clock.now = T0 + timedelta(days=day)
        session = StudySession(db, clock=clock, zone=UTC)
        while session.next_card() is not None:
            session.answer(3, 1000)
            clock.advance(minutes=1)
    before = sum(
        b.count for b in collection_statistics(db, clock=clock, zone=UTC).charts.calibration
    )
    assert before > 0
    with db.begin(write=True) as conn:
        # damage two review-state answers' stored states, as a hand edit would: a
        # stability that is text, a previous review that is not a time
        rows = conn.execute(
            select(REVIEW_LOGS.c.id, REVIEW_LOGS.c.state_before)
            .where(REVIEW_LOGS.c.review_kind == 2)
            .order_by(REVIEW_LOGS.c.id.desc())
            .limit(2)
        ).all()
        for (pk, state), (key, bad) in zip(
            rows, [("stability", "x"), ("last_review", "yesterday")], strict=True
        ):
            conn.execute(
                update(REVIEW_LOGS)
                .where(REVIEW_LOGS.c.id == pk)
                .values(state_before={**state, key: bad})
            )
    after = collection_statistics(db, clock=clock, zone=UTC).charts.calibration
    assert sum(b.count for b in after) == before - 2
