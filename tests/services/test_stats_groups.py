"""Every statistics table, computed from NumPy columns, against card-by-card Python, on
SQLite and PostgreSQL (``module_backend_url``, ``backend_db``)."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import update
from test_study_builders import T0, FakeClock, Spec, add_cards, make_database

from quizapp.scheduling.memory import MemoryState
from quizapp.scheduling.queue import day_window
from quizapp.scheduling.scheduler import Scheduler
from quizapp.scheduling.stats import Statistics, forecast
from quizapp.services.settings import set_setting
from quizapp.services.stats import collection_statistics
from quizapp.services.study import StudySession
from quizapp.store.db import Database
from quizapp.store.tables import CARDS

SUSPENDED, MISSING = (4, 9), (6,)


@pytest.fixture(scope="module")
def studied(module_backend_url: str) -> tuple[Database, FakeClock, list[Spec]]:
    """40 cards over tags and difficulties (one without), 20 days of answers, some hidden."""
    db = make_database(module_backend_url)
    rng = random.Random(21)
    specs = [
        Spec(
            f"g{i:02d}",
            tags=tuple(rng.sample(("ml", "stats", "optim", "rare"), rng.randrange(1, 3))),
            difficulty=(None, "easy", "medium", "hard")[i % 4],
        )
        for i in range(40)
    ]
    add_cards(db, specs)
    clock = FakeClock()
    for day in range(20):
        clock.now = T0 + timedelta(days=day, hours=1)
        session = StudySession(db, clock=clock, zone=UTC)
        for _ in range(12):
            if session.next_card() is None:
                break
            session.answer(rng.choice([1, 2, 3, 3, 3, 4]), 1500)
            clock.advance(minutes=7)
    with db.begin(write=True) as conn:
        conn.execute(update(CARDS).where(CARDS.c.id.in_(SUSPENDED)).values(suspended=True))
        conn.execute(update(CARDS).where(CARDS.c.id.in_(MISSING)).values(missing=True))
    return db, clock, specs


def _expected_groups(
    db: Database, specs: list[Spec], clock: FakeClock, interview_at: datetime | None
) -> dict[str, dict[str, tuple[int, int, float | None, float | None]]]:
    """Per tag and per difficulty: cards, due today, mean recall now and at the interview."""
    scheduler = Scheduler(db.settings.load_settings())
    end = day_window(clock.now, 4, UTC).end
    members: dict[str, dict[str, list[MemoryState]]] = {"tags": {}, "difficulties": {}}
    for pk, spec in enumerate(specs, start=1):
        if pk in SUSPENDED or pk in MISSING:
            continue
        memory = db.answers.memory(pk)
        for tag in spec.tags:
            members["tags"].setdefault(tag, []).append(memory)
        members["difficulties"].setdefault(spec.difficulty or "none", []).append(memory)

    def mean(memories: list[MemoryState], at: datetime | None) -> float | None:
        if at is None:
            return None
        recalls = [scheduler.retrievability(m, at) for m in memories if not m.is_new]
        return sum(recalls) / len(recalls) if recalls else None

    return {
        kind: {
            name: (
                len(memories),
                sum(1 for m in memories if not m.is_new and m.due < end),
                mean(memories, clock.now),
                mean(memories, interview_at),
            )
            for name, memories in groups.items()
        }
        for kind, groups in members.items()
    }


def _as_table(
    stats: Statistics,
) -> dict[str, dict[str, tuple[int, int, float | None, float | None]]]:
    return {
        "tags": {g.name: (g.cards, g.due, g.mean_recall, g.interview_recall) for g in stats.tags},
        "difficulties": {
            g.name: (g.cards, g.due, g.mean_recall, g.interview_recall) for g in stats.difficulties
        },
    }


def _close(
    got: dict[str, dict[str, tuple[int, int, float | None, float | None]]],
    want: dict[str, dict[str, tuple[int, int, float | None, float | None]]],
) -> None:
    assert got.keys() == want.keys()
    for kind in want:
        assert got[kind].keys() == want[kind].keys(), kind
        for name, (cards, due, now, later) in want[kind].items():
            g_cards, g_due, g_now, g_later = got[kind][name]
            assert (g_cards, g_due) == (cards, due), (kind, name)
            for value, expected in ((g_now, now), (g_later, later)):
                assert (value is None) == (expected is None), (kind, name)
                assert value is None or expected is None or math.isclose(value, expected)


def test_groups_states_and_forecast_match_card_by_card(
    studied: tuple[Database, FakeClock, list[Spec]],
) -> None:
    db, clock, specs = studied
    stats = collection_statistics(db, clock=clock, zone=UTC)
    _close(_as_table(stats), _expected_groups(db, specs, clock, None))
    assert [g.name for g in stats.tags] == sorted(g.name for g in stats.tags)
    assert [g.name for g in stats.difficulties] == ["easy", "hard", "medium", "none"]
    present = [pk for pk in range(1, len(specs) + 1) if pk not in MISSING]
    memories = {pk: db.answers.memory(pk) for pk in present}
    states = {"new": 0, "learning": 0, "review": 0, "relearning": 0, "suspended": len(SUSPENDED)}
    for pk, memory in memories.items():
        if pk not in SUSPENDED:
            states[memory.display_state] += 1
    assert dict(stats.cards_by_state) == states
    start = day_window(clock.now, 4, UTC).start
    offsets: dict[int, int] = {}
    for pk, memory in memories.items():
        if pk in SUSPENDED or memory.is_new or memory.due >= start + timedelta(days=30):
            continue
        offset = math.floor((memory.due - start) / timedelta(days=1))
        offsets[offset] = offsets.get(offset, 0) + 1
    assert stats.forecast == forecast(offsets)
    assert sum(stats.forecast) > 0


def test_interview_recall_per_group_and_overall(
    studied: tuple[Database, FakeClock, list[Spec]],
) -> None:
    db, clock, specs = studied
    interview_day = clock.now.date() + timedelta(days=17)
    at = datetime.combine(interview_day, time(12), tzinfo=UTC)
    set_setting(db, "interview_date", interview_day.isoformat(), today=clock.now.date())
    try:
        stats = collection_statistics(db, clock=clock, zone=UTC)
    finally:
        set_setting(db, "interview_date", "none")
    _close(_as_table(stats), _expected_groups(db, specs, clock, at))
    scheduler = Scheduler(db.settings.load_settings())
    hidden = set(SUSPENDED) | set(MISSING)
    recalls = [
        scheduler.retrievability(memory, at)
        for pk in range(1, len(specs) + 1)
        if pk not in hidden and not (memory := db.answers.memory(pk)).is_new
    ]
    assert stats.interview_recall is not None
    assert math.isclose(stats.interview_recall, sum(recalls) / len(recalls))


def test_empty_collection(backend_db: Database) -> None:
    db = backend_db
    stats = collection_statistics(db, clock=FakeClock(), zone=UTC)
    assert stats.tags == () and stats.difficulties == ()
    assert sum(stats.cards_by_state.values()) == 0 and sum(stats.forecast) == 0
    assert stats.reviews_per_day == () and stats.streak == 0
