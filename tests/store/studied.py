"""A small studied collection for store tests: six cards written by the store (not the
importer), each answered once a day on three days with a fixed clock (three review logs
per card, the schedule ignored), through the scheduler and the store as a session would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from quizapp.scheduling.scheduler import Scheduler
from quizapp.store.db import open_database, run_sql
from quizapp.store.records import SourceFileInfo
from store.cards_factory import make_card

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
UIDS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta")


class Clock:
    """A settable fixed clock."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


#: A new database: a SQLite file or a PostgreSQL URL, handed back as it came.
Target = TypeVar("Target", Path, str)


def build_studied(file: Target, uids: tuple[str, ...] = UIDS) -> Target:
    """Write the collection to ``file`` (a new database: a SQLite file, or a PostgreSQL URL)
    and return it."""
    db = open_database(file, auto_backup=False)
    writer = db.import_writer()
    for uid in uids:
        writer.write_file(SourceFileInfo(f"/c/{uid}.md", 1, 1, "0" * 64), [make_card(uid)], T0)
    scheduler = Scheduler(db.settings.load_settings())
    pks = {str(uid): int(pk) for pk, uid in run_sql(db, "SELECT id, uid FROM cards")}
    for day in range(3):
        for uid in uids:
            pk = pks[uid]
            moment = T0 + timedelta(days=day, seconds=pk)
            before = db.answers.memory(pk)
            rating = 3 if (day + pk) % 3 else 4
            after = scheduler.review(pk, before, rating, moment)
            db.answers.record_answer(pk, before, after, rating, moment, 1000)
    db.close()
    return file
