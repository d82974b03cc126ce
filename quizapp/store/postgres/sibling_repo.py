"""A note's sibling cards on PostgreSQL: SQLite's statements, which are portable (the
partial index ``ix_cards_note`` has the same condition on both backends)."""

from __future__ import annotations

from quizapp.store.sqlite import sibling_repo


class SiblingRepository(sibling_repo.SiblingRepository):
    """Sibling queries over one open PostgreSQL ``Database``."""
