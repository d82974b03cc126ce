"""Resetting cards, the next due time, and sessions over chosen cards ("study these")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, timedelta

import pytest
from sqlalchemy import func, select
from test_study_builders import T0, FakeClock, Spec, add_cards, make_database

from quizapp.scheduling.filters import StudyFilter
from quizapp.services.study import StudySession
from quizapp.store.db import Database
from quizapp.store.tables import REVIEW_LOGS


@pytest.fixture
def db(backend_url: str) -> Iterator[Database]:
    """A fresh collection on each backend (SQLite, PostgreSQL)."""
    database = make_database(backend_url)
    yield database
    database.close()


def _answered(db: Database) -> tuple[Database, FakeClock, dict[str, int]]:
    pks = add_cards(db, [Spec(f"c{i}") for i in range(6)])
    assert db.queue.next_due(T0) is None  # no card answered yet
    clock = FakeClock()
    session = StudySession(db, clock=clock, zone=UTC)
    for rating in (3, 3, 4):
        assert session.next_card() is not None
        session.answer(rating, 1000)
    return db, clock, pks


def _logs(db: Database) -> int:
    with db.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(REVIEW_LOGS)).scalar_one())


def test_reset_makes_cards_new_and_keeps_history(db: Database) -> None:
    db, clock, pks = _answered(db)
    answered = [pk for pk in pks.values() if not db.answers.memory(pk).is_new]
    assert len(answered) == 3 and _logs(db) == 3
    later = T0 + timedelta(days=1)
    assert db.answers.reset_cards(answered[:2], later) == 2
    for pk in answered[:2]:
        memory = db.answers.memory(pk)
        assert memory.is_new and memory.stability is None and memory.last_review is None
        assert memory.due == later and memory.lapses == 0
    assert not db.answers.memory(answered[2]).is_new
    assert _logs(db) == 3
    clock.now = later
    assert StudySession(db, clock=clock, zone=UTC).progress().new == 5


def test_next_due_is_the_earliest_answered_card(db: Database) -> None:
    db, clock, pks = _answered(db)
    memories = [db.answers.memory(pk) for pk in pks.values()]
    dues = [memory.due for memory in memories if not memory.is_new]
    assert db.queue.next_due(clock.now) == max(min(dues), clock.now)
    assert db.queue.next_due(T0 + timedelta(days=400)) == T0 + timedelta(days=400)


def test_session_over_chosen_cards(db: Database) -> None:
    pks = add_cards(db, [Spec(f"c{i}") for i in range(8)])
    chosen = (pks["c2"], pks["c5"], pks["c7"])
    session = StudySession(
        db, StudyFilter(card_pks=chosen), cram=True, clock=FakeClock(), zone=UTC, seed=1
    )
    seen = set()
    while (card := session.next_card()) is not None:
        seen.add(card.pk)
        session.answer(3, 1000)
    assert seen == set(chosen)
    assert StudyFilter(card_pks=chosen).describe() == "3 chosen cards"
    assert not StudyFilter(card_pks=chosen).is_empty
