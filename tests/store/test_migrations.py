"""The migrations build exactly the ORM schema, and old databases upgrade intact."""

from __future__ import annotations

import shutil
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from quizapp.store.db import HEAD_REVISION, open_database, run_sql
from quizapp.store.migrate import script_head
from quizapp.store.models import Base

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


def test_schema_0001_fixture_upgrades_with_every_row(tmp_path: Path) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_0001.db", copy)
    tables = ["decks", "cards", "card_states", "tags", "card_tags", "related", "review_logs",
              "source_files", "settings"]
    import sqlite3

    with sqlite3.connect(copy) as raw:
        before = {t: raw.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    assert before["cards"] and before["review_logs"]
    db = open_database(copy, auto_backup=False)
    try:
        assert run_sql(db, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
        for table in tables:
            assert run_sql(db, f"SELECT * FROM {table} ORDER BY 1, 2") == before[table], table
        assert run_sql(db, "PRAGMA integrity_check") == [("ok",)]
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
