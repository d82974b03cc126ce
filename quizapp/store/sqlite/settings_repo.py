"""The stored settings: read tolerantly (a bad value is reported, its default used) and
written in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Text, cast, select

from quizapp.scheduling.settings import SETTING_KEYS, Settings
from quizapp.store.db import Database
from quizapp.store.row_decode import decode_settings
from quizapp.store.tables import SETTINGS
from quizapp.store.upsert import upsert


class SettingsRepository:
    """The settings table over one open ``Database``."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def load_settings(self) -> Settings:
        """The stored settings (defaults for anything never set).

        A stored value that does not decode or validate is reported (``Database.report``)
        and its default used: a bad setting must not stop ``stats`` or the app.
        """
        # The JSON as text on every backend: PostgreSQL's driver would decode a JSON
        # string ("2026-03-01") into a str that reads as undecodable JSON text.
        query = select(SETTINGS.c.key, cast(SETTINGS.c.value, Text)).where(
            SETTINGS.c.key.in_(SETTING_KEYS)
        )
        with self.database.begin() as conn:
            stored, problems = decode_settings(conn.execute(query))
        settings, invalid = Settings.from_storage_reporting(stored)
        for problem in [*problems, *invalid]:
            self.database.report(problem)
        return settings

    def save_settings(self, settings: Settings, keys: Iterable[str] | None = None) -> None:
        """Store ``settings`` (only ``keys`` when given) in one transaction."""
        values = settings.to_storage()
        chosen = list(values) if keys is None else list(keys)
        with self.database.begin(write=True) as conn:
            upsert(
                conn,
                SETTINGS,
                [{"key": key, "value": values[key]} for key in chosen],
                keys=["key"],
                update=["value"],
            )
