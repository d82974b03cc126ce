"""The few service and repository calls the screens make, in one place.

Each function is called from a thread worker with the app's ``Database`` and returns
plain dataclasses. Keeping them here keeps the screens free of storage details: when a
service grows a better call, only this file changes. No query is built here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.content import FirstRun
    from quizapp.store.db import Database
    from quizapp.store.records import StoredCard


def card_by_uid(db: Database, uid: str) -> StoredCard | None:
    """The stored card with the stable id ``uid``, or None; an id in another Unicode form
    (typed or pasted) finds its card as ``quizapp show`` does."""
    from quizapp.services.library import find_card

    return find_card(db, uid)


def card_by_pk(db: Database, pk: int) -> StoredCard | None:
    """The stored card with the database id ``pk``, or None."""
    return db.cards.get_by_pk(pk)


def tags_and_decks(db: Database) -> tuple[list[tuple[str, int]], list[str]]:
    """(tag, card count) pairs and deck names, for the custom session dialog."""
    repo = db.cards
    return [(tag.name, tag.count) for tag in repo.tag_counts()], repo.deck_names()


def import_bundled_deck_if_empty(db: Database, first_run: FirstRun | None = None) -> str | None:
    """On a first run (no cards at all), import the bundled deck; returns a welcome line.

    ``first_run``: what ``content.prepare_first_run`` did before ``db`` was opened."""
    from quizapp.content import ensure_starter_deck
    from quizapp.text import plural

    report = ensure_starter_deck(db, first_run)
    if report is None or not report.new:
        return None
    return f"Imported the bundled deck: {plural(report.new, 'card')}."


def set_suspended(db: Database, pks: list[int], suspended: bool) -> int:
    """Suspend or unsuspend cards; returns how many changed."""
    return db.answers.set_suspended(pks, suspended)


def reset_card(db: Database, pk: int, now: datetime) -> None:
    """Make a card new again, keeping its review history."""
    db.answers.reset_cards([pk], now)
