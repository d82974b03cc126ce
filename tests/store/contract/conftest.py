"""The store contract suite runs once per backend, through the repositories ``Database``
hands out (``store/ports.py``) and nothing else, as Harlequin runs its adapter tests for
each adapter: ``store`` is parametrised by ``backend_url`` (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from quizapp.store.db import Database, open_database


@pytest.fixture
def store(backend_url: str) -> Iterator[Database]:
    """A new, empty store of each backend."""
    database = open_database(backend_url, auto_backup=False)
    yield database
    database.close()
