"""Fixtures shared across test packages: a temporary database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.store.db import Database, open_database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated database file in a temporary folder (no automatic backups)."""
    database = open_database(tmp_path / "quizapp.db", auto_backup=False)
    yield database
    database.close()
