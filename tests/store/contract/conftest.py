"""The store contract suite runs once per backend, through the repositories ``Database``
hands out (``store/ports.py``) and nothing else, as Harlequin runs its adapter tests for
each adapter.

``BACKENDS`` lists the backends whose repositories exist: SQLite today. PostgreSQL joins
the list with ``store/postgres/`` (its server fixture, ``postgres_url``, is ready).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.store.db import Database, open_database

BACKENDS = ["sqlite"]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A new, empty store of each backend."""
    assert request.param == "sqlite"
    database = open_database(tmp_path / "contract.db", auto_backup=False)
    yield database
    database.close()
