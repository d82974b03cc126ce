"""The stored settings: read tolerantly (a bad value is reported, its default used) and
written in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import String, select, type_coerce

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
        query = select(SETTINGS.c.key, type_coerce(SETTINGS.c.value, String)).where(
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
