"""Fixtures shared across test packages: a temporary database, a cache folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.store.db import Database, open_database

#: The throwaway PostgreSQL server (``postgres_server``, ``postgres_url``), started only
#: when a test asks for it.
pytest_plugins = ["postgres_server"]

#: The store's backends. A test that takes ``backend_url`` runs once on each.
BACKENDS = ("sqlite", "postgres")


@pytest.fixture(params=BACKENDS)
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty collection's ``--db`` target on each backend: a SQLite file in the
    test's folder, or a new database on the session's PostgreSQL server (which skips, or
    fails under ``CI``, when PostgreSQL is not installed)."""
    if request.param == "sqlite":
        return str(tmp_path / "collection.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="module", params=BACKENDS)
def module_backend_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """``backend_url`` for a collection built once per module and backend, which the
    module's tests only read (a new SQLite file, or a new PostgreSQL database)."""
    if request.param == "sqlite":
        return str(tmp_path_factory.mktemp("collection") / "collection.db")
    server = request.getfixturevalue("postgres_server")
    return str(server.url(server.new_database()))


@pytest.fixture(autouse=True, scope="session")
def _cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Caches (``quizapp check``'s kept audits) go to a folder of the test session, never
    to the user's cache folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QUIZAPP_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated database file in a temporary folder (no automatic backups)."""
    database = open_database(tmp_path / "quizapp.db", auto_backup=False)
    yield database
    database.close()


@pytest.fixture
def backend_db(backend_url: str) -> Iterator[Database]:
    """``db`` on each backend: a fresh, migrated collection on SQLite, then on PostgreSQL."""
    database = open_database(backend_url, auto_backup=False)
    yield database
    database.close()
