"""Issue 9 for studying: SIGKILL mid answer-stream and mid optimize; two writers at once.

Workers are forked children (the modules are already imported, so a kill costs
milliseconds, not an interpreter start). A worker reports ``ACK <log id>`` on a pipe only
after ``answer()`` returned, i.e. after the commit; the parent kills it with SIGKILL after
a seeded number of acknowledgements, so the kill lands at an arbitrary point of the next
answer, then checks the database: integrity_check ok (SQLite), every acknowledged answer
in the log, the log chain of every card unbroken, and a fresh session works with no repair.

On SQLite and PostgreSQL (``backend_url``): a killed PostgreSQL client's open transaction
is rolled back by the server, as SQLite's journal rolls back a killed writer's.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select
from test_study_builders import T0, add_cards, make_database, numbered, simulate_reviews

from quizapp.scheduling.scheduler import ClockSkewError
from quizapp.services.settings import load_settings, optimize_parameters, set_setting
from quizapp.services.study import StaleCardError, StudySession
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.tables import REVIEW_LOGS

KILLS = 20


class _SharedClock:
    """A test clock that never runs behind the latest answer in the database.

    It moves a minute per answer and a day whenever the queue is empty, so a worker always
    has cards to answer; starting from the newest stored review keeps a restarted (or
    concurrent) worker from answering "before" the card's last review.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        self.now = T0

    def sync(self) -> None:
        with self.database.begin() as conn:
            latest = conn.execute(select(func.max(REVIEW_LOGS.c.reviewed_at))).scalar()
        if latest is not None:
            self.now = max(self.now, latest.replace(tzinfo=UTC) + timedelta(seconds=1))

    def __call__(self) -> datetime:
        return self.now


def _answer_forever(path: str, out: int, seed: int) -> None:
    """Answer cards until killed, acknowledging each stored answer on ``out``."""
    database = open_database(path, auto_backup=False)
    clock = _SharedClock(database)
    clock.sync()
    session = StudySession(database, clock=clock, zone=UTC)
    rng = random.Random(seed)
    while True:
        card = session.next_card()
        if card is None:
            clock.now += timedelta(days=1)
            session = StudySession(database, clock=clock, zone=UTC)
            continue
        try:
            result = session.answer(rng.choice([1, 2, 3, 4]), 100)
        except (StaleCardError, ClockSkewError):
            os.write(out, b"STALE\n")
            clock.sync()
            session = StudySession(database, clock=clock, zone=UTC)
            continue
        clock.now += timedelta(minutes=1)
        os.write(out, f"ACK {result.log_id}\n".encode())


def _optimize_forever(path: str, out: int, seed: int) -> None:
    database = open_database(path, auto_backup=False)
    while True:
        optimize_parameters(database)
        os.write(out, b"ACK 0\n")


def _fork(work: Callable[[str, int, int], None], path: str, seed: int) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns into pytest
        os.close(read_end)
        try:
            work(path, write_end, seed)
        finally:
            os._exit(1)
    os.close(write_end)
    return pid, read_end


def _read_acks(stream: object, count: int | None) -> list[str]:
    lines = []
    for raw in stream:  # type: ignore[attr-defined]
        lines.append(raw.strip())
        if count is not None and sum(1 for x in lines if x.startswith("ACK")) >= count:
            break
    return lines


def _check(path: str, acknowledged: set[int]) -> int:
    database = open_database(path, auto_backup=False)
    try:
        if database.backend == "SQLite":
            assert run_sql(database, "PRAGMA integrity_check") == [("ok",)]
        stored = {row[0] for row in run_sql(database, "SELECT id FROM review_logs")}
    finally:
        database.close()
    assert acknowledged <= stored, f"lost answers: {sorted(acknowledged - stored)[:5]}"
    return len(stored)


def _assert_chains(path: str) -> None:
    """Each answer starts from the state the previous answer of that card left."""
    database = open_database(path, auto_backup=False)
    for pk in range(1, 41):
        records = database.answers.reviews_of(pk)
        for earlier, later in itertools.pairwise(records):
            assert later.before == earlier.after, f"card {pk}: answer applied to a stale state"
        if records:
            assert database.answers.memory(pk) == records[-1].after
    database.close()


@pytest.fixture
def db_path(backend_url: str) -> str:
    path = backend_url
    database = make_database(path)
    add_cards(database, list(numbered(40)))
    set_setting(database, "new_cards_per_day", "9999")
    database.close()
    return path


def test_sigkill_mid_answer_stream_loses_nothing(db_path: str) -> None:
    rng = random.Random(20260105)
    acknowledged: set[int] = set()
    for kill in range(KILLS):
        pid, read_end = _fork(_answer_forever, db_path, kill)
        with os.fdopen(read_end) as stream:
            lines = _read_acks(stream, rng.randint(1, 12))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            lines += [line.strip() for line in stream]  # what it wrote before dying
        acknowledged |= {int(x.split()[1]) for x in lines if x.startswith("ACK")}
        _check(db_path, acknowledged)
    assert len(acknowledged) >= KILLS
    _assert_chains(db_path)
    database = open_database(db_path, auto_backup=False)
    session = StudySession(database)
    assert session.next_card() is not None
    session.answer(3, 10)
    database.close()


def test_sigkill_mid_optimize_leaves_a_working_database(db_path: str) -> None:
    database = open_database(db_path, auto_backup=False)
    reviews = [r for r in simulate_reviews(40, 150, seed=3)]
    state = {
        "state": 2,
        "step": None,
        "stability": 1.0,
        "difficulty": 5.0,
        "due": "2026-01-05T10:00:00+00:00",
        "last_review": None,
        "reps": 1,
        "lapses": 0,
    }
    with database.begin(write=True) as conn:
        conn.execute(
            insert(REVIEW_LOGS),
            [
                {
                    "card_id": c,
                    "rating": r,
                    "reviewed_at": at,
                    "duration_ms": 1,
                    "state_before": state,
                    "state_after": state,
                }
                for c, at, r in reviews
            ],
        )
    database.close()
    rng = random.Random(99)
    for kill in range(KILLS):
        pid, read_end = _fork(_optimize_forever, db_path, kill)
        with os.fdopen(read_end) as stream:
            _read_acks(stream, rng.randint(1, 3))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        assert _check(db_path, set()) == len(reviews)
        database = open_database(db_path, auto_backup=False)
        parameters = load_settings(database).parameters
        assert parameters is None or len(parameters) == 21
        database.close()


def test_two_processes_answering_at_once(db_path: str) -> None:
    """Both workers walk the same queue, so they collide on cards all the time."""
    children = [_fork(_answer_forever, db_path, seed) for seed in (1, 2)]
    outputs: list[list[str]] = []
    for pid, read_end in children:
        with os.fdopen(read_end) as stream:
            lines = _read_acks(stream, 60)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            lines += [line.strip() for line in stream]
        outputs.append(lines)
    acknowledged = {int(x.split()[1]) for lines in outputs for x in lines if x.startswith("ACK")}
    assert len(acknowledged) >= 120
    stored = _check(db_path, acknowledged)  # every acknowledged answer is stored
    # A worker killed after its commit and before its acknowledgement leaves one answer
    # stored and unacknowledged; nothing else is stored (no answer is written twice).
    assert len(acknowledged) <= stored <= len(acknowledged) + len(children)
    _assert_chains(db_path)


def test_same_card_answered_in_two_sessions_is_refused_the_second_time(db_path: str) -> None:
    """Two windows show the same card; the second answer is refused, never overwritten."""
    database = open_database(db_path, auto_backup=False)
    clock = _SharedClock(database)
    first = StudySession(database, clock=clock, zone=UTC)
    second = StudySession(database, clock=clock, zone=UTC)
    shown = first.next_card()
    assert shown is not None and second.next_card() == shown
    kept = first.answer(3, 100)
    with pytest.raises(StaleCardError, match="answered elsewhere"):
        second.answer(1, 100)
    assert database.answers.memory(shown.pk) == kept.after
    assert [r.id for r in database.answers.reviews_of(shown.pk)] == [kept.log_id]
    following = second.next_card()
    assert following is not None and following.pk != shown.pk
    database.close()
