"""The bundled deck: where it lives, and importing it into an empty database.

A new user runs ``uv run quizapp`` and should find something to study at once, so the
first run on a database without cards imports the deck that ships with quizapp.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.services.importer import ImportReport
    from quizapp.store.db import Database


def bundled_deck_dir() -> Path:
    """The bundled deck: ``quizapp/_content`` in an installed wheel, else ``content/`` of the
    source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "_content"
    if installed.is_dir():
        return installed
    return package.parent / "content"


def import_bundled_deck(db: Database) -> ImportReport:
    """Import (or refresh) the bundled deck into ``db``, whatever it already holds."""
    from quizapp.services.importer import import_paths

    return import_paths(db, [bundled_deck_dir()])


def ensure_starter_deck(db: Database) -> ImportReport | None:
    """Import the bundled deck when ``db`` holds no card at all; None when it already has
    cards or no bundled deck is found."""
    from quizapp.services.library import card_count

    if card_count(db) > 0 or not bundled_deck_dir().is_dir():
        return None
    return import_bundled_deck(db)
