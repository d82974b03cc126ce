"""The migrations build exactly the ORM schema, and old databases upgrade intact."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from quizapp.store.db import HEAD_REVISION, open_database, run_sql
from quizapp.store.migrate import script_head
from quizapp.store.models import Base
from quizapp.store.tables import KIND_LEARNING, KIND_NEW, KIND_REVIEW

#: PostgreSQL's side: tests/store/test_postgres_migrations.py.
pytestmark = pytest.mark.sqlite_only("upgrades of old SQLite files, recorded SQLite schemas")

FIXTURES = Path(__file__).with_name("fixtures")


def test_head_constant_matches_scripts() -> None:
    assert script_head() == HEAD_REVISION


def test_migrated_schema_equals_models(tmp_path: Path) -> None:
    db = open_database(tmp_path / "q.db", auto_backup=False)
    try:
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
        assert diff == []
    finally:
        db.close()


TABLES = [
    "decks",
    "cards",
    "card_states",
    "tags",
    "card_tags",
    "related",
    "review_logs",
    "source_files",
    "settings",
]


def _rows(connection: sqlite3.Connection, table: str, columns: list[str]) -> list[Any]:
    names = ", ".join(columns)
    return connection.execute(f"SELECT {names} FROM {table} ORDER BY 1, 2").fetchall()


#: A time stored on a whole second without its ``.000000`` (which 0008 appends).
_WHOLE_SECOND = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _as_upgraded(rows: list[Any]) -> list[Any]:
    """Rows as the upgrade keeps them: every value the same, a whole-second time with
    ``.000000`` (revision 0008)."""
    return [
        tuple(
            value + ".000000"
            if isinstance(value, str) and _WHOLE_SECOND.fullmatch(value)
            else value
            for value in row
        )
        for row in rows
    ]


@pytest.mark.parametrize(
    "fixture", sorted(FIXTURES.glob("schema_*.db")), ids=lambda path: path.stem
)
def test_schema_fixture_upgrades_with_every_row(fixture: Path, tmp_path: Path) -> None:
    """Every fixture (one per schema revision) opens at head with each old row intact."""
    copy = tmp_path / "old.db"
    shutil.copy(fixture, copy)
    with sqlite3.connect(copy) as raw:
        columns = {
            t: [str(row[1]) for row in raw.execute(f"PRAGMA table_xinfo({t})")] for t in TABLES
        }
        before = {t: _rows(raw, t, columns[t]) for t in TABLES}
    raw.close()
    assert before["cards"] and before["review_logs"]
    db = open_database(copy, auto_backup=False)
    db.close()
    with sqlite3.connect(copy) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
        for table in TABLES:
            assert _rows(raw, table, columns[table]) == _as_upgraded(before[table]), table
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()


def test_fixture_for_every_revision() -> None:
    """Each migration adds its own fixture (``make_fixtures.py`` at that revision)."""
    from quizapp.store.migrate import known_revisions

    assert {f"schema_{rev}.db" for rev in known_revisions()} <= {
        path.name for path in FIXTURES.glob("schema_*.db")
    }


def test_review_kind_is_derived_from_the_state_before(tmp_path: Path) -> None:
    db = open_database(tmp_path / "q.db", auto_backup=False)
    try:
        run_sql(db, "INSERT INTO decks (id, name) VALUES (1, 'd')")
        run_sql(
            db,
            "INSERT INTO cards (id, uid, deck_id, title, question, steps, aliases, exercises,"
            " source, source_path, line, content_hash, created_at, updated_at, suspended,"
            " missing) VALUES (1, 'u', 1, 't', 'q', '[]', '[]', '[]', 's', '/s', 1, 'h',"
            " '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', 0, 0)",
        )
        befores = [
            '{"reps": 0, "state": 1}',
            '{"reps": 3, "state": 2}',
            '{"reps": 2, "state": 3}',
            '{"state": 2}',
        ]
        for index, before in enumerate(befores):
            run_sql(
                db,
                "INSERT INTO review_logs (card_id, rating, reviewed_at, duration_ms,"
                f" state_before, state_after) VALUES (1, 3, '2026-01-0{index + 1} 10:00:00',"
                f" 0, '{before}', '{{}}')",
            )
        kinds = run_sql(db, "SELECT review_kind FROM review_logs ORDER BY id")
        assert kinds == [(KIND_NEW,), (KIND_REVIEW,), (KIND_LEARNING,), (KIND_LEARNING,)]
    finally:
        db.close()


def test_opening_does_not_import_alembic_when_current(tmp_path: Path) -> None:
    import subprocess
    import sys

    open_database(tmp_path / "q.db", auto_backup=False).close()
    code = (
        "import sys; from quizapp.store.db import open_database; "
        f"open_database({str(tmp_path / 'q.db')!r}, auto_backup=False); "
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_0003_backfills_each_source_files_root_from_its_cards(tmp_path: Path) -> None:
    """A card's ``source_path`` is its root joined with its ``source``: the upgrade records
    that root; a file whose cards do not reveal it keeps ``NULL``."""
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_0002.db", copy)
    with sqlite3.connect(copy) as raw:
        raw.execute(
            "UPDATE cards SET source_path = '/home/u/deck/a/one.md', source = 'a/one.md'"
            " WHERE uid = 'a/one'"
        )
        raw.execute(
            "INSERT INTO source_files (path, size, mtime_ns, sha256, imported_at) VALUES"
            " ('/home/u/deck/a/one.md', 1, 1, 'cd', '2026-01-05 09:00:00.000000')"
        )
    raw.close()
    open_database(copy, auto_backup=False).close()
    with sqlite3.connect(copy) as raw:
        roots = raw.execute("SELECT path, root FROM source_files ORDER BY path").fetchall()
    raw.close()
    # /cards/a.md holds cards whose source ("a/two.md", ...) is not its tail: unknown.
    assert roots == [("/cards/a.md", None), ("/home/u/deck/a/one.md", "/home/u/deck")]


def test_0008_gives_whole_second_times_their_microseconds(tmp_path: Path) -> None:
    """A state stored with a whole-second last review by the old bulk writer can be
    answered after the upgrade: the compare-and-set binds ``.000000``."""
    from datetime import UTC, datetime

    from quizapp.services.study import StudySession

    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_0007.db", copy)
    with sqlite3.connect(copy) as raw:
        raw.execute(
            "UPDATE card_states SET state = 2, reps = 1, stability = 10, difficulty = 5,"
            " due = '2026-01-14 12:00:00', last_review = '2026-01-04 12:00:00'"
        )
        raw.execute("UPDATE cards SET suspended = 0, buried_until = NULL")
    raw.close()
    db = open_database(copy, auto_backup=False)
    try:
        left = run_sql(
            db,
            "SELECT count(*) FROM card_states WHERE length(due) = 19 OR length(last_review) = 19",
        )
        assert left == [(0,)]
        now = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
        session = StudySession(db, clock=lambda: now, zone=UTC)
        assert session.next_card() is not None
        assert session.answer(3, 1000).after.reps == 2
    finally:
        db.close()


def test_sqlite_schema_is_the_recorded_one(tmp_path: Path) -> None:
    """The migrations give SQLite exactly the DDL recorded before PostgreSQL was supported
    (``fixtures/sqlite_schema.sql``): the per-dialect constructs change nothing here."""
    path = tmp_path / "q.db"
    open_database(path, auto_backup=False).close()
    with sqlite3.connect(path) as raw:
        rows = raw.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
        ).fetchall()
    raw.close()
    recorded = (FIXTURES / "sqlite_schema.sql").read_text(encoding="utf-8")
    lines = recorded.splitlines(keepends=True)
    expected = "".join(
        line
        for line in lines
        if not line.startswith("-- The ") and not line.startswith("-- Written")
    )
    actual = "".join(f"-- {kind} {name}\n{sql};\n" for kind, name, sql in rows)
    assert actual == expected
