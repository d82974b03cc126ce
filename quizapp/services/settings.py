"""Reading and changing the scheduling settings, and fitting personal FSRS parameters.

What ``quizapp config`` and ``quizapp optimize`` (and later the TUI's settings screen)
call. Validation lives in ``quizapp.scheduling.settings``: a bad value raises
``SettingError`` naming the key and the value, and nothing is stored.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from quizapp.scheduling.history import build_items
from quizapp.scheduling.optimize import OptimizeResult, optimize
from quizapp.scheduling.queue import local_timezone
from quizapp.scheduling.settings import SETTING_KEYS, SettingError, Settings
from quizapp.store.db import Database

__all__ = [
    "SETTING_KEYS",
    "SettingError",
    "all_settings",
    "get_setting",
    "load_settings",
    "optimize_parameters",
    "set_setting",
]


def load_settings(database: Database) -> Settings:
    """The stored settings, defaults filled in (and for any stored value that is unusable,
    which is reported through ``Database.report``)."""
    return database.settings.load_settings()


def all_settings(database: Database) -> dict[str, str]:
    """Every setting in the text form ``config set`` accepts, in display order."""
    settings = load_settings(database)
    return {key: settings.display(key) for key in SETTING_KEYS}


def get_setting(database: Database, key: str) -> str:
    """One setting's text form; ``SettingError`` for an unknown key."""
    return load_settings(database).display(key)


def set_setting(database: Database, key: str, value: str, *, today: date | None = None) -> Settings:
    """Validate and store one setting given as text; returns the new settings.

    The value must also make sense on ``today`` (default: the local date), e.g. an
    interview date from today up to five years ahead. Only ``key`` is written, so other
    stored values (even ones being ignored as unusable) are left as they are.
    """
    repo = database.settings
    settings = repo.load_settings().with_value(key, value, today=today)
    repo.save_settings(settings, [key])
    return settings


def optimize_parameters(database: Database) -> OptimizeResult:
    """Fit FSRS-6 parameters to the stored review history and store them if they help.

    The new parameters are written in one short transaction at the very end, so an
    interrupted run leaves the previous parameters in place.
    """
    repo = database.settings
    settings = repo.load_settings()
    history = database.answers.review_history()
    items = build_items(history, settings.day_rollover_hour, local_timezone())
    total = sum(len(reviews) for reviews in history.values())
    result = optimize(items, settings.parameters, total_reviews=total)
    if result.changed:
        fresh = repo.load_settings()
        repo.save_settings(replace(fresh, parameters=result.parameters), ["parameters"])
    return result
