"""``quizapp doctor``: every damaged row is found with the decoders the commands use, and
``--repair`` (after a backup) rebuilds memory states from the review log, clears unreadable
content for the next import, removes what cannot be read, and leaves a healthy database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.scheduling.memory import MemoryState
from quizapp.services.doctor import check, repair_database
from quizapp.store.checkup import NO_STATE, ORPHAN, UNREADABLE_CONTENT, UNREADABLE_STATE
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.sqlite.backup import list_backups
from store.studied import T0, Clock, build_studied

#: PostgreSQL's side: tests/postgres/test_doctor_on_postgres.py.
pytestmark = pytest.mark.sqlite_only("damage forged with SQLite's loose types and rowids")

LATER = Clock(T0 + timedelta(days=10))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return build_studied(tmp_path / "q.db")


@pytest.fixture
def db(path: Path) -> Iterator[Database]:
    database = open_database(path, auto_backup=False)
    yield database
    database.close()


def damage(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            raw.execute(statement)
    raw.close()


def pk(db: Database, uid: str) -> int:
    return int(run_sql(db, f"SELECT id FROM cards WHERE uid = '{uid}'")[0][0])


def memory(db: Database, uid: str) -> MemoryState:
    return db.answers.memory(pk(db, uid))


def test_a_healthy_database_is_ok_and_nothing_is_done(db: Database) -> None:
    assert check(db).ok
    report = repair_database(db, clock=LATER)
    assert report.ok and report.backup is None and report.repaired == ()
    assert list_backups(db) == []


def test_each_kind_of_damage_is_found(path: Path, db: Database) -> None:
    beta, gamma = pk(db, "beta"), pk(db, "gamma")
    log = db.answers.reviews_of(gamma)[0].id
    damage(
        path,
        "UPDATE cards SET exercises = '[{\"yaml\": \"id: x\"}]' WHERE uid = 'alpha'",
        f"UPDATE card_states SET due = 'soon' WHERE card_id = {beta}",
        f"UPDATE review_logs SET state_before = '{{\"due\": 1}}' WHERE id = {log}",
        "DELETE FROM card_states WHERE card_id = (SELECT id FROM cards WHERE uid = 'delta')",
        "INSERT INTO card_tags (card_id, tag_id, position) VALUES (999, 1, 0)",
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('desired_retention', '2')",
    )
    found = check(db)
    assert not found.ok and found.integrity == ()
    summary = {(f.table, f.problem, f.card) for f in found.findings}
    assert summary == {
        ("cards", UNREADABLE_CONTENT, "alpha"),
        ("card_states", UNREADABLE_STATE, "beta"),
        ("review_logs", "unreadable", "gamma"),
        ("card_states", NO_STATE, "delta"),
        ("card_tags", ORPHAN, None),
        ("settings", "unreadable", None),
    }
    lines = [finding.line() for finding in found.findings]
    assert f"card beta (card_states row {beta}): memory state unreadable: " in "\n".join(lines)
    assert all("\n" not in line for line in lines)
    data = found.to_dict()
    assert data["ok"] is False and data["integrity"] == "ok"
    assert {item["table"] for item in data["foreign_keys"]} == {"card_tags"}
    assert len(data["rows"]) == 5


def test_repair_rebuilds_the_memory_state_from_the_review_log(path: Path, db: Database) -> None:
    """The state recorded after the last answer comes back exactly."""
    expected = {uid: memory(db, uid) for uid in ("beta", "delta")}
    damage(
        path,
        "UPDATE card_states SET due = 'soon', stability = 'x'"
        " WHERE card_id = (SELECT id FROM cards WHERE uid = 'beta')",
        "DELETE FROM card_states WHERE card_id = (SELECT id FROM cards WHERE uid = 'delta')",
    )
    report = repair_database(db, clock=LATER)
    assert report.ok and report.after is not None and report.after.ok
    assert {uid: memory(db, uid) for uid in expected} == expected
    assert [line.split(":")[0] for line in report.repaired] == ["card beta", "card delta"]


def test_repair_works_out_unreadable_log_states_from_the_answers(path: Path, db: Database) -> None:
    """The logs' recorded states lack a key: each answer (time and rating, still known) is
    replayed from the state before it, which gives the very same states (the scheduler's
    fuzz is seeded by card and repetitions); the logs are kept, their states rewritten."""
    expected = memory(db, "beta")
    logs = db.answers.reviews_of(pk(db, "beta"))
    damage(
        path,
        "UPDATE review_logs SET state_after = json_remove(state_after, '$.state')"
        f" WHERE id IN ({logs[1].id}, {logs[2].id})",
        f"UPDATE review_logs SET state_before = json_remove(state_before, '$.due')"
        f" WHERE id = {logs[2].id}",
        "UPDATE card_states SET last_review = 'never'"
        " WHERE card_id = (SELECT id FROM cards WHERE uid = 'beta')",
    )
    assert len(db.answers.reviews_of(pk(db, "beta"))) == 1
    report = repair_database(db, clock=LATER)
    assert report.ok
    assert memory(db, "beta") == expected
    assert db.answers.reviews_of(pk(db, "beta")) == logs
    assert sum("worked out again" in line for line in report.repaired) == 2


def test_a_review_log_whose_answer_is_unknown_is_removed(path: Path, db: Database) -> None:
    logs = db.answers.reviews_of(pk(db, "beta"))
    damage(path, f"UPDATE review_logs SET rating = 9 WHERE id = {logs[0].id}")
    report = repair_database(db, clock=LATER)
    assert report.ok
    assert db.answers.reviews_of(pk(db, "beta")) == logs[1:]
    assert report.repaired == (
        f"card beta (review_logs row {logs[0].id}): deleted (the backup keeps it)",
    )


def test_a_card_never_answered_gets_a_new_state(path: Path, tmp_path: Path) -> None:
    other = build_studied(tmp_path / "fresh.db", uids=())
    db = open_database(other, auto_backup=False)
    try:
        from quizapp.store.records import SourceFileInfo
        from quizapp.store.sqlite.import_repo import ImportWriter
        from store.cards_factory import make_card

        ImportWriter.load(db).write_file(
            SourceFileInfo("/c/new.md", 1, 1, "0" * 64), [make_card("new")], T0
        )
        run_sql(db, "DELETE FROM card_states")
        assert repair_database(db, clock=LATER).ok
        state = memory(db, "new")
        assert state.is_new and state.due == T0
    finally:
        db.close()


def test_repair_backs_up_first_and_the_backup_keeps_the_damage(path: Path, db: Database) -> None:
    damage(path, "UPDATE cards SET steps = '{bad' WHERE uid = 'alpha'")
    report = repair_database(db, clock=LATER)
    assert report.backup is not None and [b.path for b in list_backups(db)] == [report.backup]
    with sqlite3.connect(report.backup) as raw:
        assert raw.execute("SELECT steps FROM cards WHERE uid = 'alpha'").fetchone() == ("{bad",)
    raw.close()


def test_unreadable_content_is_cleared_for_the_next_import(path: Path, db: Database) -> None:
    damage(
        path,
        "UPDATE cards SET steps = '{bad', created_at = 'x' WHERE uid = 'alpha'",
        "INSERT INTO source_files (path, size, mtime_ns, sha256, imported_at, root)"
        " SELECT '/c/alpha.md', 1, 1, '0', '2026-01-05 10:00:00.000000', '/c'"
        " WHERE NOT EXISTS (SELECT 1 FROM source_files WHERE path = '/c/alpha.md')",
    )
    before = memory(db, "alpha")
    report = repair_database(db, clock=LATER)
    assert report.ok
    assert run_sql(db, "SELECT steps, content_hash FROM cards WHERE uid = 'alpha'") == [("[]", "")]
    assert run_sql(db, "SELECT count(*) FROM source_files WHERE path = '/c/alpha.md'") == [(0,)]
    assert memory(db, "alpha") == before  # its history and schedule are kept
    assert len(db.answers.reviews_of(pk(db, "alpha"))) == 3
    assert "import its file again" in report.repaired[0]


def test_orphans_are_removed_or_recovered(path: Path, db: Database) -> None:
    damage(
        path,
        "INSERT INTO card_tags (card_id, tag_id, position) VALUES (999, 1, 0)",
        "INSERT INTO review_logs (card_id, rating, reviewed_at, duration_ms, state_before,"
        " state_after) SELECT 999, rating, reviewed_at, duration_ms, state_before, state_after"
        " FROM review_logs LIMIT 1",
        "UPDATE cards SET deck_id = 777 WHERE uid = 'zeta'",
    )
    logs = run_sql(db, "SELECT count(*) FROM review_logs")[0][0]
    found = check(db)
    assert {(f.table, f.card) for f in found.findings if f.problem == ORPHAN} == {
        ("card_tags", None),
        ("review_logs", None),
        ("cards", "zeta"),
    }
    assert repair_database(db, clock=LATER).ok
    assert run_sql(db, "SELECT count(*) FROM review_logs")[0][0] == logs - 1
    assert run_sql(
        db, "SELECT d.name FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.uid = 'zeta'"
    ) == [("recovered",)]


def test_no_row_repair_when_the_file_itself_is_damaged(path: Path, db: Database) -> None:
    damage(
        path,
        "UPDATE card_states SET due = 'soon'"
        " WHERE card_id = (SELECT id FROM cards WHERE uid = 'beta')",
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = replace(sql, '(difficulty)', '(title)')"
        " WHERE name = 'ix_cards_difficulty'",
    )
    db.close()
    db = open_database(path, auto_backup=False)
    try:
        report = repair_database(db, clock=LATER)
        assert not report.ok and report.before.integrity
        assert report.refused is not None and "quizapp restore" in report.refused
        assert report.backup is None and list_backups(db) == []
        assert run_sql(
            db,
            "SELECT due FROM card_states WHERE card_id = (SELECT id FROM cards WHERE uid='beta')",
        ) == [("soon",)]
    finally:
        db.close()
