"""Opening a PostgreSQL database: the same migrations build the same schema, and each
connection fault is one clear line (against the session's real server)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from postgres_server import PostgresServer
from sqlalchemy import insert, select
from sqlalchemy.engine import make_url

from quizapp.store.db import HEAD_REVISION, open_database, run_sql
from quizapp.store.errors import StoreError
from quizapp.store.models import Base
from quizapp.store.tables import KIND_LEARNING, KIND_NEW, KIND_REVIEW
from quizapp.store.tables import REVIEW_LOGS as review_logs_table


def test_migrations_build_the_models_schema_on_postgres(postgres_url: str) -> None:
    db = open_database(postgres_url)
    try:
        assert run_sql(db, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        assert db.path is None
    finally:
        db.close()


def test_a_second_open_finds_the_schema_at_head(postgres_url: str) -> None:
    open_database(postgres_url).close()
    db = open_database(postgres_url, upgrade=False)
    db.close()


def test_review_kind_is_computed_by_postgres(postgres_url: str) -> None:
    db = open_database(postgres_url)
    at = datetime(2026, 1, 2, tzinfo=UTC)
    try:
        run_sql(db, "INSERT INTO decks (id, name) VALUES (1, 'd')")
        run_sql(
            db,
            "INSERT INTO cards (id, uid, deck_id, title, question, steps, aliases, exercises,"
            " source, source_path, line, content_hash, created_at, updated_at, suspended,"
            " missing) VALUES (1, 'c', 1, 't', 'q', '[]', '[]', '[]', 's', '/s', 1, 'h',"
            " now(), now(), false, false)",
        )
        states = [{"reps": 0}, {"reps": 3, "state": 2}, {"reps": 2, "state": 1}, {}]
        with db.begin(write=True) as connection:
            connection.execute(
                insert(review_logs_table),
                [
                    {
                        "card_id": 1,
                        "rating": 3,
                        "reviewed_at": at,
                        "duration_ms": 0,
                        "state_before": state,
                        "state_after": state,
                    }
                    for state in states
                ],
            )
            kinds = connection.execute(
                select(review_logs_table.c.review_kind).order_by(review_logs_table.c.id)
            ).scalars()
            assert list(kinds) == [KIND_NEW, KIND_REVIEW, KIND_LEARNING, KIND_LEARNING]
    finally:
        db.close()


def test_file_times_in_nanoseconds_fit(postgres_url: str) -> None:
    db = open_database(postgres_url)
    try:
        run_sql(
            db,
            "INSERT INTO source_files (path, size, mtime_ns, sha256, imported_at)"
            " VALUES ('/a.md', 5000000000, 1765000000123456789, 'x', now())",
        )
        assert run_sql(db, "SELECT size, mtime_ns FROM source_files") == [
            (5_000_000_000, 1_765_000_000_123_456_789)
        ]
    finally:
        db.close()


def _one_line(target: str) -> str:
    with pytest.raises(StoreError) as caught:
        open_database(target)
    message = str(caught.value)
    assert "\n" not in message
    assert "quizapp-test-password" not in message
    return message


def test_a_server_that_is_down_is_one_line(postgres_server: PostgresServer) -> None:
    url = postgres_server.url("postgres").replace(
        str(postgres_server.socket_dir), str(postgres_server.root / "nowhere")
    )
    message = _one_line(url)
    assert "cannot reach the PostgreSQL server at" in message
    assert "(is it running?)" in message


def test_a_wrong_password_is_one_line(postgres_server: PostgresServer) -> None:
    message = _one_line(postgres_server.url("postgres", password="wrong"))
    assert message.endswith("the server refused the password for user quizapp")
    assert "wrong" not in message


def test_a_missing_database_is_one_line(postgres_server: PostgresServer) -> None:
    message = _one_line(postgres_server.url("no_such_db"))
    assert message.endswith(
        "the database no_such_db does not exist on the server (create it: createdb no_such_db)"
    )


def test_a_plain_postgresql_url_means_psycopg(postgres_server: PostgresServer) -> None:
    url = make_url(postgres_server.url(postgres_server.new_database()))
    db = open_database(url.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        assert db.engine.dialect.driver == "psycopg"
    finally:
        db.close()


def test_another_postgres_driver_is_refused() -> None:
    message = _one_line("postgresql+pg8000://u:secret@localhost/q")
    assert "the driver pg8000 is not supported: use postgresql+psycopg://" in message
    assert "secret" not in message
