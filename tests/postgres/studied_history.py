"""A SQLite collection studied for a month with a fixed clock, for comparing what
PostgreSQL reads from its ``copy-db`` copy with what SQLite reads: answers at random times
of day (to the microsecond), several decks, tags and difficulties, a suspended card, a
card whose file is missing, and an interview date."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from store.cards_factory import make_card

from quizapp.services.settings import set_setting
from quizapp.services.study import StudySession
from quizapp.store.db import open_database, run_sql
from quizapp.store.records import SourceFileInfo

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
DAYS = 32
#: When the statistics are read: two hours into the day after the history ends.
LATER = T0 + timedelta(days=DAYS, hours=2)
INTERVIEW = date(2026, 3, 1)

DECKS = ("maths", "maths/linear", "Physics", "éléments")
TAGS = (("ml",), ("ml", "Stats"), ("Zeta",), ("stats", "ml", "ünï"))
LEVELS = ("easy", "medium", "hard", None)


class Clock:
    """A settable fixed clock."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def build_history(file: Path) -> Path:
    """Write the collection (28 cards, studied on 27 of ``DAYS`` days) to the new SQLite
    database ``file`` and return it."""
    db = open_database(file, auto_backup=False)
    try:
        writer = db.import_writer()
        for i in range(28):
            card = make_card(
                f"card-{i:02d}", tags=TAGS[i % 4], difficulty=LEVELS[i % 3], deck=DECKS[i % 4]
            )
            writer.write_file(SourceFileInfo(f"/c/{card.id}.md", 1, 1, "0" * 64), [card], T0)
        rng = random.Random(20)
        clock = Clock(T0)
        for day in range(DAYS):
            if day % 7 == 5:  # days off break the streak
                continue
            clock.now = T0 + timedelta(days=day, seconds=rng.random() * 30_000)
            session = StudySession(db, clock=clock, zone=UTC)
            for _ in range(12):
                if session.next_card() is None:
                    break
                session.answer(rng.choice([1, 2, 3, 3, 3, 4]), 1500 + rng.randrange(9000))
                clock.now += timedelta(seconds=rng.random() * 300)
        run_sql(db, "UPDATE cards SET suspended = 1 WHERE uid = 'card-03'")
        run_sql(db, "UPDATE cards SET missing = 1 WHERE uid = 'card-06'")
        set_setting(db, "interview_date", INTERVIEW.isoformat(), today=T0.date())
    finally:
        db.close()
    return file
