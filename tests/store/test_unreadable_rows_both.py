"""The damage of test_unreadable_rows.py that PostgreSQL's typed columns can hold too (JSON of
the wrong shape, a state out of range, a stored setting out of its range), on SQLite and
PostgreSQL: the damaged row is reported by id and skipped, every other row is read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, timedelta

import pytest

from quizapp.services.library import list_cards, show_card
from quizapp.services.settings import load_settings
from quizapp.services.stats import collection_statistics
from quizapp.services.study import StudySession
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.row_decode import UnreadableRowError
from store.studied import T0, UIDS, Clock, build_studied


@pytest.fixture
def heard() -> list[str]:
    return []


@pytest.fixture
def db(backend_url: str, heard: list[str]) -> Iterator[Database]:
    """Six cards answered on three days, on each backend."""
    database = open_database(build_studied(backend_url), auto_backup=False, on_problem=heard.append)
    yield database
    database.close()


def unreadable(uid: str) -> str:
    return f"card {uid}: stored state unreadable; `quizapp doctor` repairs it"


def beta(db: Database) -> int:
    ((pk,),) = run_sql(db, "SELECT id FROM cards WHERE uid = 'beta'")
    return int(pk)


def set_stored(db: Database, key: str, value: str) -> None:
    """A stored setting written behind quizapp's back (``value`` is JSON text)."""
    run_sql(db, f"DELETE FROM settings WHERE key = '{key}'")
    run_sql(db, f"INSERT INTO settings (key, value) VALUES ('{key}', '{value}')")


DAMAGE = {
    "aliases not a list": "UPDATE cards SET aliases = '\"x\"' WHERE uid = 'beta'",
    "exercise without its line": (
        "UPDATE cards SET exercises = '[{\"yaml\": \"id: x\"}]' WHERE uid = 'beta'"
    ),
    "state out of range": "UPDATE card_states SET state = 7"
    " WHERE card_id = (SELECT id FROM cards WHERE uid = 'beta')",
}


@pytest.mark.parametrize("statement", DAMAGE.values(), ids=DAMAGE.keys())
def test_list_skips_and_reports_the_damaged_card(
    db: Database, heard: list[str], statement: str
) -> None:
    run_sql(db, statement)
    others = [uid for uid in sorted(UIDS) if uid != "beta"]
    assert [card.id for card in list_cards(db)] == others
    assert [stored.card.id for stored in db.cards.page(limit=10).cards] == others
    assert heard == [unreadable("beta")]  # reported once, however often it is read
    with pytest.raises(UnreadableRowError, match=r"^card beta: stored state unreadable"):
        show_card(db, "beta")


def test_the_queue_serves_every_other_card(db: Database) -> None:
    run_sql(db, DAMAGE["state out of range"])
    clock = Clock(T0 + timedelta(days=30))
    session = StudySession(db, clock=clock, zone=UTC)
    served = []
    while (card := session.next_card()) is not None:
        served.append(card.uid)
        session.answer(3, 1000)
        clock.now += timedelta(seconds=1)
    assert sorted(served) == sorted(set(UIDS) - {"beta"})  # no state the queue knows
    with pytest.raises(UnreadableRowError, match="stored state unreadable"):
        db.answers.memory(beta(db))


def test_a_review_log_of_the_wrong_shape_is_skipped(db: Database, heard: list[str]) -> None:
    pk = beta(db)
    logs = db.answers.reviews_of(pk)
    assert len(logs) >= 2
    run_sql(db, f"UPDATE review_logs SET state_after = '{{}}' WHERE id = {logs[1].id}")
    assert [log.id for log in db.answers.reviews_of(pk)] == [logs[0].id, *(x.id for x in logs[2:])]
    assert heard == [
        f"review log {logs[1].id} of card {pk}: stored state unreadable;"
        " `quizapp doctor` repairs it"
    ]
    with pytest.raises(UnreadableRowError):
        db.answers.undo_answer(logs[1].id)


def test_a_stored_setting_out_of_range_is_reported_and_ignored(
    db: Database, heard: list[str]
) -> None:
    set_stored(db, "interview_date", '"0001-01-01"')
    set_stored(db, "new_cards_per_day", "3")
    settings = load_settings(db)
    assert settings.interview_date is None and settings.new_cards_per_day == 3
    assert len(heard) == 1
    assert heard[0].startswith("stored setting interview_date = '0001-01-01' is unusable")
    stats = collection_statistics(db, clock=Clock(T0 + timedelta(days=3)), zone=UTC)
    assert stats.interview_date is None and len(heard) == 1


def test_a_stats_cache_of_the_wrong_shape_is_rebuilt(db: Database) -> None:
    clock = Clock(T0 + timedelta(days=3))
    first = collection_statistics(db, clock=clock, zone=UTC)
    run_sql(
        db,
        'UPDATE settings SET value = \'{"version": 2, "days": [1], "older": 3}\''
        " WHERE key = 'cache.stats_days'",
    )
    assert collection_statistics(db, clock=clock, zone=UTC) == first
