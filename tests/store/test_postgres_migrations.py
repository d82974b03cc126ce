"""The Alembic migrations run on PostgreSQL, from the same revisions as on SQLite.

Against a real server (the ``postgres_url`` fixture): every revision applies in order to
an empty database, the result has every table and column of the models, and the computed
``review_logs.review_kind`` sorts answers exactly as SQLite's does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, inspect, text

from quizapp.store.location import HEAD_REVISION
from quizapp.store.migrate import alembic_config
from quizapp.store.models import Base


def _upgrade(engine: Engine) -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


@pytest.fixture
def postgres(postgres_url: str) -> Iterator[Engine]:
    engine = create_engine(postgres_url)
    _upgrade(engine)
    yield engine
    engine.dispose()


def test_every_revision_applies_and_gives_the_models_tables(postgres: Engine) -> None:
    with postgres.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert revision == HEAD_REVISION
    found = inspect(postgres)
    assert set(found.get_table_names()) - {"alembic_version"} == set(Base.metadata.tables)
    for name, table in Base.metadata.tables.items():
        columns = {column["name"] for column in found.get_columns(name)}
        assert columns == {column.name for column in table.columns}, name


#: (reps, state) before an answer, and the review kind SQLite gives it.
STATES_BEFORE = [(0, 1), (0, 2), (3, 2), (3, 1), (1, 3)]


def _review_kinds(engine: Engine) -> list[int]:
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO decks (id, name) VALUES (1, 'd')"))
        connection.execute(
            text(
                "INSERT INTO cards (id, uid, deck_id, title, question, steps, aliases,"
                " exercises, source, source_path, line, content_hash, created_at, updated_at,"
                " suspended, missing) VALUES (1, 'c', 1, 't', 'q', '[]', '[]', '[]', 's',"
                " '/s', 1, 'h', '2026-01-05 09:00:00', '2026-01-05 09:00:00', false, false)"
            )
        )
        for number, (reps, state) in enumerate(STATES_BEFORE, start=1):
            before = json.dumps({"reps": reps, "state": state})
            connection.execute(
                text(
                    "INSERT INTO review_logs (id, card_id, rating, reviewed_at, duration_ms,"
                    " state_before, state_after) VALUES (:id, 1, 3, '2026-01-05 09:00:00',"
                    " 1000, :before, '{}')"
                ),
                {"id": number, "before": before},
            )
        rows = connection.execute(text("SELECT review_kind FROM review_logs ORDER BY id"))
        return [int(kind) for (kind,) in rows]


def test_review_kind_is_computed_as_on_sqlite(postgres: Engine, tmp_path: Path) -> None:
    sqlite = create_engine(f"sqlite:///{tmp_path / 'q.db'}")
    _upgrade(sqlite)
    expected = _review_kinds(sqlite)
    sqlite.dispose()
    assert expected == [0, 0, 2, 1, 1]
    assert _review_kinds(postgres) == expected
