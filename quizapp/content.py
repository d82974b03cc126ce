"""The bundled deck: where it lives, and importing it into an empty database.

A new user runs ``uv run quizapp`` and should find something to study at once, so the
first run on a database without cards imports the deck that ships with quizapp. A new
database file is first seeded from the starter copy when there is one
(``quizapp/starter_copy.py``): then the deck is there before SQLAlchemy is even loaded,
and the first run is nearly as quick as any other start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
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


@dataclass(frozen=True)
class FirstRun:
    """What ``prepare_first_run`` found before the database was opened."""

    path: Path | None
    """The SQLite file the target names (None: a URL or ``:memory:``)."""
    created: bool
    """The file did not exist: this run makes the database."""
    seeded: bool
    """The file was made as a copy of the starter copy: the deck is in it already."""


def prepare_first_run(target: str | Path | None, *, now: datetime | None = None) -> FirstRun:
    """Before ``target`` is opened: when it names a database file that does not exist yet,
    make it a copy of a starter database of the bundled deck, dated ``now`` (default: the
    current time), if there is a usable one: the one shipped with quizapp, else the
    cache folder's.

    Cheap (no SQLAlchemy), and never fails: without a copy the file is left for
    ``open_database`` to create, and ``ensure_starter_deck`` imports the deck.
    """
    from quizapp.starter_copy import seed
    from quizapp.store.location import sqlite_file

    try:
        path = sqlite_file(target)
        if path is None or path.exists() or path.is_symlink():
            return FirstRun(path, created=False, seeded=False)
    except (OSError, ValueError):
        return FirstRun(None, created=False, seeded=False)
    deck = bundled_deck_dir()
    seeded = deck.is_dir() and seed(path, deck, now or datetime.now(UTC))
    return FirstRun(path, created=True, seeded=seeded)


def import_bundled_deck(db: Database) -> ImportReport:
    """Import (or refresh) the bundled deck into ``db``, whatever it already holds.

    Its cards are not checked again (exercises verified, formulas' LaTeX): ``quizapp
    check`` checks and audits every one of them in CI (``tests/content``), and doing it
    here took half of a first run.
    """
    from quizapp.services.importer import import_paths

    return import_paths(db, [bundled_deck_dir()], check_cards=False)


def ensure_starter_deck(db: Database, first_run: FirstRun | None = None) -> ImportReport | None:
    """Import the bundled deck when ``db`` holds no card at all; None when it already has
    cards or no bundled deck is found.

    ``first_run`` is what ``prepare_first_run`` said before ``db`` was opened. A database
    seeded from a starter database has the deck already (dated when it was seeded): it is
    reported as an import of that many new cards. A database this run created gets the
    deck imported and then becomes the starter copy for the next first run.
    """
    from quizapp.services.library import card_count

    if first_run is not None and first_run.seeded:
        from quizapp.services.importer import ImportReport

        return ImportReport(new=card_count(db))
    deck = bundled_deck_dir()
    if card_count(db) > 0 or not deck.is_dir():
        return None
    report = import_bundled_deck(db)
    if first_run is not None and first_run.created and first_run.path is not None and report.ok:
        from quizapp.starter_copy import remember

        remember(first_run.path, deck)
    return report
