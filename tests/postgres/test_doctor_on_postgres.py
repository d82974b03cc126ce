"""``quizapp doctor`` on PostgreSQL (against the real server): the same damage as on SQLite
gives the same findings and, after ``--repair``, the same collection; the repair first
writes a portable archive; and the report says that the integrity check is the server's,
instead of claiming one it did not run.

Damage that PostgreSQL's types refuse (JSON that does not parse, a ``due`` that is no
time) cannot happen there and is tested on SQLite only (tests/store/test_doctor.py); the
rest (JSON of the wrong shape, impossible states, missing states, orphans left by a
restore with triggers disabled, bad settings) is made on both and compared here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from store.full_collection import build_full, digests
from store.studied import T0, Clock

from quizapp.cli import cli
from quizapp.services.doctor import check, repair_database
from quizapp.store.archive import is_archive, restore_archive
from quizapp.store.canonical import table_digest
from quizapp.store.checkup import (
    NO_STATE,
    ORPHAN,
    UNREADABLE_CONTENT,
    UNREADABLE_ROW,
    UNREADABLE_STATE,
    Finding,
)
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.tables import CARD_STATES

LATER = Clock(T0 + timedelta(days=10))

#: Damage both backends can hold, as the same SQL on each (the foreign keys are off while
#: it is written: ``PRAGMA foreign_keys`` on SQLite, ``session_replication_role`` on
#: PostgreSQL, as ``pg_restore --disable-triggers`` leaves them).
DAMAGE = (
    "UPDATE cards SET exercises = '[{\"yaml\": \"id: x\"}]' WHERE uid = 'alpha'",
    "UPDATE card_states SET state = 9 WHERE card_id = (SELECT id FROM cards WHERE uid = 'beta')",
    "UPDATE card_states SET stability = -1"
    " WHERE card_id = (SELECT id FROM cards WHERE uid = 'epsilon')",
    "UPDATE review_logs SET state_before = '{\"due\": 1}' WHERE id = (SELECT min(id)"
    " FROM review_logs WHERE card_id = (SELECT id FROM cards WHERE uid = 'gamma'))",
    "DELETE FROM card_states WHERE card_id = (SELECT id FROM cards WHERE uid = 'delta')",
    "INSERT INTO card_tags (card_id, tag_id, position) VALUES (999, 1, 0)",
    "INSERT INTO review_logs (card_id, rating, reviewed_at, duration_ms, state_before,"
    " state_after) SELECT 999, rating, reviewed_at, duration_ms, state_before, state_after"
    " FROM review_logs WHERE id = 1",
    "UPDATE cards SET deck_id = 777 WHERE uid = 'zeta'",
    "INSERT INTO related (card_id, position, text, target_id) VALUES (1, 2, 'Gone', 888)",
    "INSERT INTO exercise_attempts (card_id, exercise_id, seed, attempt, suggested_rating,"
    " created_at) SELECT 999, exercise_id, 1, attempt, 2, created_at FROM exercise_attempts",
    "UPDATE practice_logs SET rating = 9",
    "UPDATE exercise_attempts SET attempt = '[1]' WHERE id = 1",
    "DELETE FROM settings WHERE key = 'desired_retention'",
    "INSERT INTO settings (key, value) VALUES ('desired_retention', '2')",
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The undamaged collection, on SQLite."""
    return build_full(tmp_path / "source.db")


@pytest.fixture
def pg(
    source: Path, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Database]:
    """The collection copied into PostgreSQL (portable backups go under ``tmp_path``)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    copied = run("copy-db", "--from", str(source), "--to", postgres_url)
    assert copied.exit_code == 0, copied.output
    database = open_database(postgres_url, auto_backup=False)
    yield database
    database.close()


@pytest.fixture
def lite(source: Path, tmp_path: Path) -> Iterator[Database]:
    """A second SQLite copy of the same collection, to damage alike."""
    path = tmp_path / "lite.db"
    path.write_bytes(source.read_bytes())
    database = open_database(path, auto_backup=False)
    yield database
    database.close()


def damage_postgres(db: Database, *statements: str) -> None:
    with db.begin(write=True) as conn:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for statement in statements:
            conn.exec_driver_sql(statement)


def damage_sqlite(db: Database, *statements: str) -> None:
    assert db.path is not None
    with sqlite3.connect(db.path) as raw:
        raw.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            raw.execute(statement)
    raw.close()


def shown(finding: Finding) -> tuple[str, str, str, str | None, str]:
    """A finding as compared across backends: a two-column key has no ``rowid`` on
    PostgreSQL, which names the row by its key instead."""
    row = "two-column key" if finding.table in ("card_tags", "related") else finding.row
    return (finding.table, row, finding.problem, finding.card, finding.detail)


def test_a_healthy_collection_is_ok_and_says_whose_integrity_check_applies(
    pg: Database, postgres_url: str
) -> None:
    checkup = check(pg)
    assert checkup.ok and checkup.integrity == ()
    assert checkup.integrity_verdict == "not run"
    assert "pg_amcheck" in checkup.integrity_note
    result = run("--db", postgres_url, "doctor")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"integrity check: not run ({checkup.integrity_note})",
        "foreign keys: ok",
        "rows: ok",
    ]
    data = json.loads(run("--db", postgres_url, "doctor", "--json").stdout)
    assert data["ok"] is True and data["integrity"] == "not run"
    assert data["integrity_note"] == checkup.integrity_note


def test_the_same_damage_gives_the_same_findings_as_on_sqlite(pg: Database, lite: Database) -> None:
    damage_postgres(pg, *DAMAGE)
    damage_sqlite(lite, *DAMAGE)
    on_postgres, on_sqlite = check(pg), check(lite)
    assert not on_postgres.ok and on_postgres.integrity == ()
    assert sorted(map(shown, on_postgres.findings)) == sorted(map(shown, on_sqlite.findings))
    assert {(f.table, f.problem, f.card) for f in on_postgres.findings} == {
        ("cards", UNREADABLE_CONTENT, "alpha"),
        ("card_states", UNREADABLE_STATE, "beta"),
        ("card_states", UNREADABLE_STATE, "epsilon"),
        ("review_logs", UNREADABLE_ROW, "gamma"),
        ("card_states", NO_STATE, "delta"),
        ("card_tags", ORPHAN, None),
        ("review_logs", ORPHAN, None),
        ("cards", ORPHAN, "zeta"),
        ("related", ORPHAN, None),
        ("exercise_attempts", ORPHAN, None),
        ("practice_logs", UNREADABLE_ROW, "alpha"),
        ("exercise_attempts", UNREADABLE_ROW, "beta"),
        ("settings", UNREADABLE_ROW, None),
    }
    orphan_tag = next(f for f in on_postgres.findings if f.table == "card_tags")
    assert (
        orphan_tag.line() == "card_tags row (999, 1): parent row missing: no cards row it refers to"
    )


def test_repair_leaves_the_same_collection_as_on_sqlite(
    pg: Database, lite: Database, source: Path
) -> None:
    damage_postgres(pg, *DAMAGE)
    damage_sqlite(lite, *DAMAGE)
    report = repair_database(pg, clock=LATER)
    assert report.refused is None and report.after is not None
    assert report.ok, [finding.line() for finding in report.after.findings]
    assert repair_database(lite, clock=LATER).ok
    assert digests(pg) == digests(lite)
    # the memory states come back exactly as they were before the damage
    original = open_database(source, auto_backup=False)
    try:
        with original.begin() as before, pg.begin() as after:
            assert table_digest(after, CARD_STATES) == table_digest(before, CARD_STATES)
    finally:
        original.close()
    assert run_sql(
        pg, "SELECT d.name FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.uid = 'zeta'"
    ) == [("recovered",)]
    assert run_sql(pg, "SELECT count(*) FROM card_tags WHERE card_id = 999") == [(0,)]
    assert run_sql(pg, "SELECT text, target_id FROM related WHERE position = 2") == [("Gone", None)]
    assert run_sql(pg, "SELECT card_id FROM exercise_attempts") == [(None,)]


def test_repair_writes_a_portable_archive_first_that_keeps_the_damage(
    pg: Database, tmp_path: Path
) -> None:
    damage_postgres(pg, "UPDATE card_states SET state = 9")
    report = repair_database(pg, clock=LATER)
    assert report.ok and report.backup is not None
    assert report.backup.name.endswith(".quizapp.jsonl.gz") and is_archive(report.backup)
    assert report.backup.is_relative_to(tmp_path / "data")
    assert run_sql(pg, "SELECT DISTINCT state FROM card_states") != [(9,)]
    kept = open_database(tmp_path / "kept.db", auto_backup=False)
    try:
        restore_archive(kept, report.backup)
        assert run_sql(kept, "SELECT DISTINCT state FROM card_states") == [(9,)]
    finally:
        kept.close()


def test_doctor_repair_from_the_command_line(pg: Database, postgres_url: str) -> None:
    damage_postgres(pg, "UPDATE review_logs SET rating = 7 WHERE id = 1")
    found = run("--db", postgres_url, "doctor")
    assert found.exit_code == 1
    assert found.stdout.splitlines()[2:] == [
        "rows: 1 unreadable",
        "  card alpha (review_logs row 1): unreadable: rating 7 is not 1, 2, 3 or 4",
        "repair with: quizapp doctor --repair (a backup is made first)",
    ]
    repaired = run("--db", postgres_url, "doctor", "--repair")
    assert repaired.exit_code == 0, repaired.output
    lines = repaired.stdout.splitlines()
    assert any(line.startswith("backed up to ") and ".quizapp.jsonl.gz" in line for line in lines)
    assert "repaired: card alpha (review_logs row 1): deleted (the backup keeps it)" in lines
    assert lines[-1] == "after the repair: ok"
    assert run_sql(pg, "SELECT count(*) FROM review_logs WHERE id = 1") == [(0,)]
