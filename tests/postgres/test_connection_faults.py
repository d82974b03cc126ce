"""Faults after a PostgreSQL collection is open, each one line (against the session's real
server): a pooled connection the server ended is replaced without a word, a connection
lost inside a transaction keeps nothing of it, and a statement past the statement timeout
is cancelled. An administrator's ``pg_terminate_backend`` plays the restarted server."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from postgres_server import PASSWORD, USER, PostgresServer, require_bindir
from sqlalchemy import text
from sqlalchemy.engine import make_url

from quizapp.cli import cli
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.errors import ConnectionLost, StatementTimedOut, StoreError


@pytest.fixture
def db(postgres_url: str) -> Iterator[Database]:
    database = open_database(postgres_url)
    yield database
    database.close()


def _backend(db: Database) -> int:
    ((pid,),) = run_sql(db, "SELECT pg_backend_pid()")
    return int(pid)


def _terminate(server: PostgresServer, pid: int) -> None:
    """End the server process of ``pid``'s session, as a restart would, and wait for it."""
    server.admin(f"SELECT pg_terminate_backend({pid}, 10000)")


def _settings(db: Database) -> list[tuple[object, ...]]:
    return run_sql(db, "SELECT key, value FROM settings WHERE key LIKE 'fault_%' ORDER BY key")


def test_a_pooled_connection_the_server_ended_is_replaced_silently(
    db: Database, postgres_server: PostgresServer
) -> None:
    before = _backend(db)
    _terminate(postgres_server, before)
    assert db.cards.find() == []
    assert _backend(db) != before


def test_a_connection_lost_inside_a_transaction_keeps_nothing(
    db: Database, postgres_server: PostgresServer
) -> None:
    insert = text("INSERT INTO settings (key, value) VALUES (:key, '1')")
    with pytest.raises(ConnectionLost) as caught, db.session(write=True) as session:
        session.execute(insert, {"key": "fault_first"})
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        _terminate(postgres_server, pid)
        session.execute(insert, {"key": "fault_second"})
    message = str(caught.value)
    assert caught.value.saved is False
    assert message.endswith(
        "the connection to the PostgreSQL server was lost (the server restarted or ended"
        " the session) before the work was saved: nothing of it was kept; try again"
    )
    assert message.startswith("postgresql+psycopg://quizapp:***@/")
    assert PASSWORD not in message
    # Nothing of the transaction was kept, and the next command connects again.
    assert _settings(db) == []
    db.settings.save_settings(db.settings.load_settings())


def test_a_connection_lost_before_the_commit_says_the_change_may_be_lost(
    db: Database, postgres_server: PostgresServer
) -> None:
    with pytest.raises(ConnectionLost) as caught, db.session(write=True) as session:
        session.execute(text("INSERT INTO settings (key, value) VALUES ('fault_a', '1')"))
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        _terminate(postgres_server, pid)
    assert caught.value.saved is None
    assert str(caught.value).endswith(
        "while saving: the last change may not have been kept; check it, then try again"
    )
    # Ended before its COMMIT reached the server: the transaction was rolled back whole.
    assert _settings(db) == []


def test_the_statement_timeout_is_set_on_every_connection(
    postgres_url: str, postgres_server: PostgresServer
) -> None:
    default = open_database(postgres_url)
    try:
        assert run_sql(default, "SHOW statement_timeout") == [("1min",)]
        _terminate(postgres_server, _backend(default))
        # A connection made again after a fault has it too.
        assert run_sql(default, "SHOW statement_timeout") == [("1min",)]
    finally:
        default.close()
    short = open_database(postgres_url + "&statement_timeout=250ms&options=-c%20work_mem%3D8MB")
    try:
        assert run_sql(short, "SHOW statement_timeout") == [("250ms",)]
        assert run_sql(short, "SHOW work_mem") == [("8MB",)]
    finally:
        short.close()


@pytest.mark.parametrize("value", ["soon", "5 min", "-1s", "1.5s", "10sec"])
def test_a_bad_statement_timeout_is_one_line(postgres_url: str, value: str) -> None:
    with pytest.raises(StoreError) as caught:
        open_database(f"{postgres_url}&statement_timeout={value}")
    assert str(caught.value) == (
        f"statement_timeout={value}: not a duration PostgreSQL reads"
        " (a number and a unit: 500ms, 30s, 5min; 0 for no limit)"
    )


@pytest.fixture
def locked_settings(postgres_url: str, postgres_server: PostgresServer) -> Iterator[str]:
    """The collection at ``postgres_url``, its settings table locked by another session
    until the test ends (so that reading it waits, however fast the machine)."""
    open_database(postgres_url).close()
    with psycopg.connect(
        host=str(postgres_server.socket_dir),
        user=USER,
        password=PASSWORD,
        dbname=make_url(postgres_url).database,
    ) as other:
        other.execute("LOCK TABLE settings IN ACCESS EXCLUSIVE MODE")
        yield postgres_url
        other.rollback()


def test_a_statement_past_the_timeout_is_one_line(locked_settings: str) -> None:
    db = open_database(locked_settings + "&statement_timeout=50ms")
    try:
        with pytest.raises(StatementTimedOut) as caught:
            db.settings.load_settings()
        assert str(caught.value).endswith(
            ": a statement ran past the statement timeout (50ms) and the server cancelled"
            " it; nothing of the work was kept (to allow longer, add ?statement_timeout=5min"
            " to the URL)"
        )
        # The connection is still good for what is not locked.
        assert db.cards.find() == []
    finally:
        db.close()


def test_the_cli_prints_a_statement_timeout_as_one_error_line(locked_settings: str) -> None:
    url = locked_settings + "&statement_timeout=50ms"
    result = CliRunner().invoke(cli, ["--db", url, "--no-bundled", "config", "get"])
    assert result.exit_code == 1
    assert result.output.startswith("quizapp: error: postgresql+psycopg://quizapp:***@/")
    assert "a statement ran past the statement timeout (50ms)" in result.output
    assert result.output.count("\n") == 1


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    """A server of the test's own, which it may stop and start again."""
    root = Path(tempfile.mkdtemp(prefix="quizapp-pg-", dir="/tmp"))
    server = PostgresServer(bindir=require_bindir(), root=root)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_a_server_that_went_down_is_one_line_and_back_up_works_again(
    own_server: PostgresServer,
) -> None:
    db = open_database(own_server.url(own_server.new_database()))
    try:
        assert db.cards.find() == []
        own_server.stop()
        with pytest.raises(StoreError) as caught:
            db.cards.find()
        assert str(caught.value).endswith(
            f"cannot reach the PostgreSQL server at {own_server.socket_dir} (is it running?)"
        )
        result = CliRunner().invoke(cli, ["--db", db.url, "--no-bundled", "list"])
        assert result.exit_code == 2
        assert result.output.startswith("quizapp: error: ")
        assert result.output.count("\n") == 1
        own_server.launch()
        # The restarted server: the same Database carries on without a word.
        assert db.cards.find() == []
        db.settings.save_settings(db.settings.load_settings())
    finally:
        db.close()
