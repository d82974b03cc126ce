"""One damaged row (JSON that does not decode, a time that is no time, an exercise without
its line, a setting out of range) is reported by id and skipped: whole-collection reads
(list, stats, the study queue, today's counts) go on with every other row.

SQLite only (``sqlite_only``): the damage is forged with ``sqlite3`` as values that only
SQLite's loose column types hold; PostgreSQL's typed columns refuse them when written. The
damage both can hold is tested on both backends in test_unreadable_rows_both.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from quizapp.services.library import list_cards, show_card
from quizapp.services.settings import load_settings
from quizapp.services.stats import collection_statistics
from quizapp.services.study import StudySession
from quizapp.store.db import Database, open_database
from quizapp.store.due_today import DueToday
from quizapp.store.row_decode import UnreadableRowError
from quizapp.store.sqlite.card_repo import CardRepository
from quizapp.store.sqlite.today_counts import read_today_counts
from store.studied import T0, UIDS, Clock, build_studied

pytestmark = pytest.mark.sqlite_only(
    "damage is forged with sqlite3 as values SQLite's loose column types accept (text in"
    " a time or number column, JSON that is not JSON); PostgreSQL's typed columns refuse"
    " them at the write"
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """Six cards, answered on three days (so each has a few review logs)."""
    return build_studied(tmp_path / "q.db")


@pytest.fixture
def heard() -> list[str]:
    return []


@pytest.fixture
def db(path: Path, heard: list[str]) -> Iterator[Database]:
    database = open_database(path, auto_backup=False, on_problem=heard.append)
    yield database
    database.close()


def damage(path: Path, *statements: str) -> None:
    """Write behind quizapp's back, as a hand edit or a bad disk would."""
    with sqlite3.connect(path) as raw:
        for statement in statements:
            raw.execute(statement)
    raw.close()


def pk(path: Path, uid: str) -> int:
    with sqlite3.connect(path) as raw:
        (value,) = raw.execute("SELECT id FROM cards WHERE uid = ?", (uid,)).fetchone()
    raw.close()
    return int(value)


def unreadable(uid: str) -> str:
    return f"card {uid}: stored state unreadable; `quizapp doctor` repairs it"


DAMAGE = {
    "steps not JSON": "UPDATE cards SET steps = '{bad' WHERE uid = 'beta'",
    "aliases not a list": "UPDATE cards SET aliases = '\"x\"' WHERE uid = 'beta'",
    "exercise without its line": (
        "UPDATE cards SET exercises = '[{\"yaml\": \"id: x\"}]' WHERE uid = 'beta'"
    ),
    "due not a time": "UPDATE card_states SET due = 'soon' WHERE card_id = "
    "(SELECT id FROM cards WHERE uid = 'beta')",
    "last review not a time": "UPDATE card_states SET last_review = '2026-13-45 00:00:00'"
    " WHERE card_id = (SELECT id FROM cards WHERE uid = 'beta')",
    "state out of range": "UPDATE card_states SET state = 7"
    " WHERE card_id = (SELECT id FROM cards WHERE uid = 'beta')",
    "stability not a number": "UPDATE card_states SET stability = 'abc'"
    " WHERE card_id = (SELECT id FROM cards WHERE uid = 'beta')",
    "created_at not a time": "UPDATE cards SET created_at = 'x' WHERE uid = 'beta'",
}


@pytest.mark.parametrize("statement", DAMAGE.values(), ids=DAMAGE.keys())
def test_list_skips_and_reports_the_damaged_card(
    path: Path, db: Database, heard: list[str], statement: str
) -> None:
    damage(path, statement)
    listed = [card.id for card in list_cards(db)]
    assert listed == [uid for uid in sorted(UIDS) if uid != "beta"]
    page = CardRepository(db).page(limit=10)
    assert [stored.card.id for stored in page.cards] == [
        uid for uid in sorted(UIDS) if uid != "beta"
    ]
    assert heard == [unreadable("beta")]  # reported once, however often it is read
    with pytest.raises(UnreadableRowError, match=r"^card beta: stored state unreadable"):
        show_card(db, "beta")


#: A due time that sorts among real ones (so the statistics' SQL works with it) but is none.
BAD_DUE = (
    "UPDATE card_states SET due = '2026-01-32 00:00:00.000000'"
    " WHERE card_id = (SELECT id FROM cards WHERE uid = 'beta')"
)


@pytest.mark.parametrize(
    "statement",
    [BAD_DUE, DAMAGE["last review not a time"], DAMAGE["stability not a number"]],
    ids=["due", "last_review", "stability"],
)
def test_stats_leave_out_and_report_a_damaged_state(
    path: Path, db: Database, heard: list[str], statement: str
) -> None:
    damage(path, statement)
    stats = collection_statistics(db, clock=Clock(T0 + timedelta(days=3)), zone=UTC)
    assert sum(stats.cards_by_state.values()) == len(UIDS) - 1
    assert heard == [unreadable("beta")]


def test_the_queue_serves_every_other_card(path: Path, db: Database, heard: list[str]) -> None:
    damage(path, BAD_DUE, DAMAGE["last review not a time"].replace("beta", "gamma"))
    clock = Clock(T0 + timedelta(days=30))
    session = StudySession(db, clock=clock, zone=UTC)
    served = []
    while (card := session.next_card()) is not None:
        served.append(card.uid)
        session.answer(3, 1000)
        clock.now += timedelta(seconds=1)
    assert sorted(served) == sorted(set(UIDS) - {"beta", "gamma"})
    assert sorted(heard) == [unreadable("beta"), unreadable("gamma")]
    with pytest.raises(UnreadableRowError, match="stored state unreadable"):
        db.answers.memory(pk(path, "beta"))


def test_damaged_review_logs_are_skipped_by_history_readers(
    path: Path, db: Database, heard: list[str]
) -> None:
    beta = pk(path, "beta")
    logs = db.answers.reviews_of(beta)
    assert len(logs) >= 2
    damage(
        path,
        f"UPDATE review_logs SET reviewed_at = 'yesterday' WHERE id = {logs[0].id}",
        f"UPDATE review_logs SET state_after = '{{}}' WHERE id = {logs[1].id}",
    )
    assert [log.id for log in db.answers.reviews_of(beta)] == [log.id for log in logs[2:]]
    assert len(db.answers.review_history()[beta]) == len(logs) - 1  # only the time matters there
    assert sorted(heard) == sorted(
        f"review log {log.id} of card {beta}: stored state unreadable; `quizapp doctor` repairs it"
        for log in logs[:2]
    )
    with pytest.raises(UnreadableRowError):
        db.answers.undo_answer(logs[1].id)


def test_stored_settings_that_do_not_validate_are_reported_and_ignored(
    path: Path, db: Database, heard: list[str]
) -> None:
    damage(
        path,
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('interview_date', '\"0001-01-01\"')",
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('desired_retention', '{oops')",
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('new_cards_per_day', '3')",
    )
    settings = load_settings(db)
    assert settings.interview_date is None and settings.desired_retention == 0.9
    assert settings.new_cards_per_day == 3
    assert len(heard) == 2
    assert heard[0].startswith("stored setting desired_retention = '{oops' is not valid JSON")
    assert heard[1].startswith("stored setting interview_date = '0001-01-01' is unusable")
    stats = collection_statistics(db, clock=Clock(T0 + timedelta(days=3)), zone=UTC)
    assert stats.interview_date is None
    assert len(heard) == 2


def test_a_damaged_stats_cache_is_rebuilt(path: Path, db: Database) -> None:
    clock = Clock(T0 + timedelta(days=3))
    first = collection_statistics(db, clock=clock, zone=UTC)
    for value in ("'{not json'", '\'{"version": 2, "days": [1], "older": 3}\''):
        damage(path, f"UPDATE settings SET value = {value} WHERE key = 'cache.stats_days'")
        assert collection_statistics(db, clock=clock, zone=UTC) == first


def test_today_counts_match_the_session_with_a_bad_stored_setting(path: Path, db: Database) -> None:
    damage(
        path,
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('new_cards_per_day', '-4')",
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('max_reviews_per_day', '{x')",
    )
    now = T0 + timedelta(days=60)
    progress = StudySession(db, clock=Clock(now), zone=UTC).progress()
    counts = read_today_counts(path, now, UTC)
    assert counts == DueToday(progress.new, progress.learning, progress.review)
    assert counts.review > 0
