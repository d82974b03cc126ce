"""The files an import stored nothing from, on PostgreSQL: SQLite's repository, whose SQL
is portable (its upsert is ``store/upsert.py``'s), with PostgreSQL's busy errors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from quizapp.store.errors import DatabaseBusy
from quizapp.store.postgres.import_repo import is_busy
from quizapp.store.records import UnimportedFile
from quizapp.store.sqlite import unimported_repo


class UnimportedRepository(unimported_repo.UnimportedRepository):
    """The remembered files that gave no cards, on PostgreSQL."""

    def save_unimported(
        self, remember: Sequence[UnimportedFile], forget: Iterable[str], now: datetime
    ) -> None:
        """Record (or replace) ``remember`` and drop the records of the ``forget`` paths;
        ``DatabaseBusy`` when a lock is not had in time (a deadlock, a lock timeout)."""
        try:
            super().save_unimported(remember, forget, now)
        except SQLAlchemyError as exc:
            if not is_busy(exc):
                raise
            where = make_url(self.database.url).render_as_string(hide_password=True)
            raise DatabaseBusy(where) from None
