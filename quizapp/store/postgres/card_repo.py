"""The stored cards on PostgreSQL: SQLite's repository, whose reads are portable Core."""

from __future__ import annotations

from quizapp.store.sqlite import card_repo


class CardRepository(card_repo.CardRepository):
    """The cards, decks and tags, read with the same Core statements as on SQLite."""
