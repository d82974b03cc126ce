"""The app on a database with damaged rows and a stored setting out of range: every screen
opens, the damaged cards are left out and reported, and nothing crashes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.screens.statistics import StatisticsScreen

from .conftest import AppFactory, press_to, settle


def _damage(path: Path) -> list[str]:
    """Damage two cards and the interview date behind quizapp's back; their ids."""
    with sqlite3.connect(path) as raw:
        first, second = (uid for (uid,) in raw.execute("SELECT uid FROM cards ORDER BY id LIMIT 2"))
        raw.execute("UPDATE cards SET steps = '{not json' WHERE uid = ?", (first,))
        raw.execute(
            "UPDATE card_states SET reps = 3, state = 2, stability = 4.0,"
            " due = '2026-03-01 00:00:00.000000', last_review = '2026-02-30 10:00:00'"
            " WHERE card_id = (SELECT id FROM cards WHERE uid = ?)",
            (second,),
        )
        raw.execute(
            "INSERT OR REPLACE INTO settings (key, value)"
            " VALUES ('interview_date', '\"0001-01-01\"')"
        )
    raw.close()
    return [first, second]


async def test_damaged_rows_are_reported_and_every_screen_opens(
    db_path: Path, make_app: AppFactory
) -> None:
    damaged = _damage(db_path)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await press_to(pilot, "t", StatisticsScreen)
        await pilot.press("escape")
        await settle(pilot)
        browse = await press_to(pilot, "b", BrowseScreen)
        assert browse.is_attached
        await pilot.press("escape")
        await settle(pilot)
        await press_to(pilot, "enter", ReviewScreen)  # the damaged due card is skipped
        assert app.return_code is None  # still running
        assert app.db is not None
        problems = app.db.problems
    for uid in damaged:
        assert f"card {uid}: stored state unreadable; `quizapp doctor` repairs it" in problems
    assert any(p.startswith("stored setting interview_date = '0001-01-01'") for p in problems)
