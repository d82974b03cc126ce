"""Messages that carry results from thread workers back to the UI thread.

Workers never touch widgets; they post one of these and a handler on the UI thread
updates the screen. Each is a small dataclass-like ``Message`` named after what happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from quizapp.store.db import Database


class DatabaseReady(Message, bubble=False):
    """The database is open (and on a first run, filled with the bundled deck).

    The app re-posts it to the screen in front; it must not bubble back up to the app.
    """

    def __init__(self, database: Database, welcome: str | None) -> None:
        super().__init__()
        self.database = database
        self.welcome = welcome


class DatabaseFailed(Message):
    """The database could not be opened; ``error`` is the one-line reason."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
