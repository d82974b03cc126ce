"""The stored settings on PostgreSQL: SQLite's repository, whose SQL is portable (its
upsert is ``store/upsert.py``'s)."""

from __future__ import annotations

from quizapp.store.sqlite import settings_repo


class SettingsRepository(settings_repo.SettingsRepository):
    """The settings table, read and written with the same statements as on SQLite."""
