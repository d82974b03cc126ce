"""The test server itself: a real PostgreSQL, run unprivileged, reachable on its socket."""

from __future__ import annotations

import os

import postgres_server
import pytest
from postgres_server import PostgresServer
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def test_the_server_answers_on_its_socket_as_an_unprivileged_user(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version_num")).scalar_one()
            database = connection.execute(text("SELECT current_database()")).scalar_one()
    finally:
        engine.dispose()
    assert int(version) >= 150000
    assert database == make_url(postgres_url).database
    assert postgres_server.process is not None
    owner = os.stat(postgres_server.data_dir).st_uid
    assert owner != 0 or os.geteuid() != 0


def test_without_postgres_the_tests_skip_saying_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(postgres_server, "find_bindir", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"apt-get install postgresql"):
        postgres_server.require_bindir()


def test_without_postgres_on_ci_the_tests_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres_server, "find_bindir", lambda: None)
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match=r"CI is set, so this is a failure"):
        postgres_server.require_bindir()
