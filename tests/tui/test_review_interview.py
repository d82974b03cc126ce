"""Scheduling the learner can see (issue 17): with an interview date set, a card brought
forward before its due day is marked "early: interview in M days, due in N days" in the
session bar (shorter at 80 columns: "early: interview in 40d, due in 8d"), and the
session's total counts those cards from the start, so it does not creep up as they come;
cards that join later show as "+N added"."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Static

from quizapp.services.settings import set_setting
from quizapp.services.study import StudySession
from quizapp.store.db import open_database
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.session_request import SessionRequest

from .conftest import NOW, AppFactory, settle

EARLIER = NOW - timedelta(days=2)


def _learn_everything_then_set_an_interview(db_path: Path) -> None:
    """Answer every fixture card until it is in review (two days before the tests' now),
    then set an interview date 40 days after now."""
    db = open_database(db_path, auto_backup=False)
    moment = [EARLIER]

    def clock() -> datetime:
        return moment[0]

    try:
        session = StudySession(db, clock=clock, zone=UTC)
        while (card := session.next_card()) is not None:
            session.answer(4 if card.pk % 2 else 3, 1000)
            moment[0] += timedelta(minutes=11)
        set_setting(
            db, "interview_date", (NOW + timedelta(days=40)).date().isoformat(), today=NOW.date()
        )
    finally:
        db.close()


def _bar_text(screen: ReviewScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render()).rstrip()


async def test_cards_brought_forward_are_marked_and_the_total_holds(
    db_path: Path, make_app: AppFactory
) -> None:
    _learn_everything_then_set_an_interview(db_path)
    app = make_app(db_path, session_spec=SessionRequest())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.turn is not None
        early = screen.query_one("#session-early", Static)
        total = screen.turn.planned
        assert total >= 2
        marks = []
        for done in range(total):
            assert _bar_text(screen, "#session-count") == f"{done}/{total}"
            marks.append(_bar_text(screen, "#session-early") if early.display else "")
            await pilot.press("space", "3")
            await settle(pilot)
        # Every card brought forward was counted from the start: nothing was added.
        assert screen.turn is None
        assert _bar_text(screen, "#session-count") == f"{total}/{total}"
        assert not early.display
    # The due reviews come first, unmarked; then the cards brought forward, marked.
    assert "" in marks and marks[0] == ""
    brought = [mark for mark in marks if mark]
    assert brought and all(
        re.fullmatch(r"early: interview in 40 days, due in \d+ days?", mark) for mark in brought
    )


async def test_at_80_columns_the_early_marker_is_shorter_and_whole(
    db_path: Path, make_app: AppFactory
) -> None:
    """The full "early: interview in 40 days, due in N days" does not fit beside the
    session's other figures at 80 columns: a shorter wording does, nothing cut."""
    _learn_everything_then_set_an_interview(db_path)
    app = make_app(db_path, session_spec=SessionRequest())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.turn is not None
        early = screen.query_one("#session-early", Static)
        label = screen.query_one("#session-label", Static)
        shown: list[str] = []
        for _ in range(screen.turn.planned):
            if early.display:
                text = _bar_text(screen, "#session-early")
                shown.append(text)
                assert early.content_region.width >= len(text)
                assert label.content_region.width >= len(screen.request.describe())
                assert screen.query_one("#session-timer", Static).region.right <= 80
            await pilot.press("space", "3")
            await settle(pilot)
    assert shown and all(
        re.fullmatch(r"early: interview (in )?40d, due (in )?\d+d", text) for text in shown
    )


async def test_cards_that_come_back_show_as_added(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path, session_spec=SessionRequest(limit=None))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.turn is not None
        total = screen.turn.planned
        assert _bar_text(screen, "#session-count") == f"0/{total}"
        assert not screen.query_one("#session-early", Static).display  # new cards: not early
        # Again on every card: each comes back (learning) after the planned ones are done.
        for _ in range(total + 1):
            await pilot.press("space", "1")
            await settle(pilot)
        assert screen.turn is not None and screen.turn.planned == total
        label = _bar_text(screen, "#session-count")
        assert re.fullmatch(rf"{total + 1}/{total} \+\d+ added", label), label
        assert screen.turn.added == screen.turn.done + screen.turn.remaining - total > 0


async def test_escape_with_answers_shows_the_summary_then_goes_home(
    db_path: Path, make_app: AppFactory
) -> None:
    from quizapp.tui.screens.home import HomeScreen

    app = make_app(db_path, session_spec=SessionRequest())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.turn is not None
        total = screen.turn.planned
        for _ in range(2):
            await pilot.press("space", "3")
            await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert isinstance(screen, ReviewScreen) and screen.turn is None
        summary = str(screen.query_one("#summary-view", Static).render())
        assert summary.startswith("Session ended")
        assert "Cards reviewed   2" in summary
        assert f"Not reached      {total - 2} cards (still due)" in summary
        # u takes the last answer back and carries on with the session.
        await pilot.press("u")
        await settle(pilot)
        assert screen.turn is not None and screen.turn.done == 1
        await pilot.press("escape")
        await settle(pilot)
        assert "Cards reviewed   1" in str(screen.query_one("#summary-view", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_escape_before_any_answer_goes_straight_home(
    db_path: Path, make_app: AppFactory
) -> None:
    from quizapp.tui.screens.home import HomeScreen

    app = make_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_the_help_explains_the_early_marker_and_added_cards(
    db_path: Path, make_app: AppFactory
) -> None:
    from quizapp.tui.screens.help import HelpScreen

    app = make_app(db_path, session_spec=SessionRequest())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        notes = str(app.screen.query_one("#help-notes", Static).render())
        assert "+N added" in notes and "early: interview in M days, due in N days" in notes
