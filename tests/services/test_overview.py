"""The home summary service: counts agree with a session and the groups; recall fills in.
On SQLite and PostgreSQL (``backend_db``)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, timedelta

from test_study_builders import T0, FakeClock, Spec, add_cards

from quizapp.scheduling.filters import StudyFilter
from quizapp.services.overview import (
    GroupRecall,
    GroupSummary,
    group_counts,
    recall_overview,
    today_counts,
    with_recall,
)
from quizapp.services.study import StudySession
from quizapp.store.db import Database


def _collection(db: Database) -> tuple[Database, FakeClock]:
    specs = [
        Spec(
            f"c{i}",
            tags=("ml",) if i % 2 else ("stats",),
            difficulty=("hard", "easy", "medium")[i % 3],
            deck="dl" if i < 4 else "dl/cnn",
        )
        for i in range(9)
    ]
    add_cards(db, specs)
    clock = FakeClock()
    session = StudySession(db, clock=clock, zone=UTC)
    for _ in range(4):
        assert session.next_card() is not None
        session.answer(3, 1000)
    clock.now = T0 + timedelta(days=3)
    return db, clock


def test_today_and_groups_match_sessions(backend_db: Database) -> None:
    db, clock = _collection(backend_db)
    today = today_counts(db, clock=clock, zone=UTC)
    progress = StudySession(db, clock=clock, zone=UTC).progress()
    assert (today.new, today.learning, today.review) == (
        progress.new,
        progress.learning,
        progress.review,
    )
    assert today.total == progress.total
    groups = group_counts(db, clock=clock, zone=UTC)
    assert [g.name for g in groups.difficulties] == ["easy", "medium", "hard"]
    decks = {g.name: g for g in groups.decks}
    assert decks["dl"].cards == 9 and decks["dl/cnn"].cards == 5
    for tag in groups.tags:
        session = StudySession(db, StudyFilter(tags_any=(tag.name,)), clock=clock, zone=UTC)
        assert tag.new == session.progress().new
    assert sum(g.cards for g in groups.tags) == 9


def test_recall_overview_counts_answers_and_fills_groups(backend_db: Database) -> None:
    db, clock = _collection(backend_db)
    recall = recall_overview(db, clock=clock, zone=UTC)
    assert recall.total_cards == 9
    assert recall.answers_ever == 4
    assert recall.streak == 0
    tags = group_counts(db, clock=clock, zone=UTC).tags
    filled = with_recall(tags, recall.tags)
    assert any(g.recall is not None for g in filled)
    assert all(0.0 <= (g.recall or 0.0) <= 1.0 for g in filled)


def test_with_recall_keeps_unknown_groups() -> None:
    groups = (GroupSummary("a", 3, 1), GroupSummary("b", 2, 0, new=2))
    filled = with_recall(groups, {"a": GroupRecall(0.8, 0.7)})
    assert filled[0] == GroupSummary("a", 3, 1, 0, 0.8, 0.7)
    assert filled[1] == groups[1]


def test_today_counts_load_no_numpy(backend_db: Database, backend_url: str) -> None:
    """The start-up path (open, today's counts) leaves NumPy, alembic and fsrs-rs unloaded."""
    _collection(backend_db)
    backend_db.close()
    script = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from quizapp.store.db import open_database\n"
        "from quizapp.services.overview import today_counts\n"
        f"db = open_database({backend_url!r})\n"
        "today_counts(db, clock=lambda: datetime(2026, 1, 8, tzinfo=UTC), zone=UTC)\n"
        "print(sorted(m for m in ('numpy', 'alembic', 'fsrs_rs_python') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
