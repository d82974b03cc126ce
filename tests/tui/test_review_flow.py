"""Pilot tests of whole study sessions, checked against the database afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quizapp.scheduling.filters import StudyFilter
from quizapp.store.db import open_database, run_sql
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.session_request import SessionRequest
from quizapp.tui.widgets.card_view import CardView

from .conftest import AppFactory, press_to, settle, settle_until


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    db = open_database(db_path, auto_backup=False)
    try:
        return run_sql(db, sql)
    finally:
        db.close()


def shown_title(pilot: Pilot[None]) -> str | None:
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    card = screen.query_one(CardView).card
    return None if card is None or screen.turn is None else card.title


async def answer(pilot: Pilot[None], rating: int) -> None:
    await pilot.press("space")
    await pilot.press(str(rating))
    await settle(pilot)


async def test_five_ratings_write_five_logs_and_undo_removes_the_last(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    ratings = [1, 2, 3, 4, 3]
    answered: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        for rating in ratings:
            title = shown_title(pilot)
            assert title is not None
            answered.append(title)
            await answer(pilot, rating)
        logs = rows(
            db_path,
            "SELECT c.title, r.rating FROM review_logs r "
            "JOIN cards c ON c.id = r.card_id ORDER BY r.id",
        )
        assert logs == list(zip(answered, ratings, strict=True))

        await pilot.press("u")
        await settle(pilot)
        assert shown_title(pilot) == answered[-1]  # back to the card just answered
    logs = rows(db_path, "SELECT rating FROM review_logs ORDER BY id")
    assert [row[0] for row in logs] == ratings[:-1]


async def test_rating_needs_a_revealed_step(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
    assert rows(db_path, "SELECT count(*) FROM review_logs") == [(0,)]


async def test_custom_session_shows_only_matching_cards(
    db_path: Path, make_app: AppFactory
) -> None:
    request = SessionRequest(
        filter=StudyFilter(tags_any=("Regularisation",), difficulties=("easy",))
    )
    app = make_app(db_path, session_spec=request)
    seen: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle_until(
            pilot,
            lambda: isinstance(app.screen, ReviewScreen) and shown_title(pilot) is not None,
            "the session's first card shown",
        )
        while (title := shown_title(pilot)) is not None and len(seen) < 10:
            seen.append(title)
            await answer(pilot, 3)
            if title in seen[:-1]:
                break
    assert set(seen) == {"Dropout Scaling"}


async def test_custom_session_dialog_builds_the_filter(db_path: Path, make_app: AppFactory) -> None:
    from textual.widgets import Checkbox, SelectionList

    from quizapp.tui.dialogs.custom_session import CustomSessionDialog

    app = make_app(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        dialog = await press_to(pilot, "c", CustomSessionDialog)
        dialog.query_one("#tags", SelectionList).select("Optimisation")
        dialog.query_one("#difficulty-medium", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.request.filter == StudyFilter(
            tags_any=("Optimisation",), difficulties=("medium",)
        )
        titles = set()
        for _ in range(2):
            title = shown_title(pilot)
            assert title is not None
            titles.add(title)
            await answer(pilot, 4)
    assert titles == {"L2 Penalty", "Momentum"}


async def test_cram_writes_no_review(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path, session_spec=SessionRequest(cram=True, limit=3))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for rating in (1, 3, 4):
            assert shown_title(pilot) is not None
            await answer(pilot, rating)
        assert shown_title(pilot) is None  # the limit ends the session
    assert rows(db_path, "SELECT count(*) FROM review_logs") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM practice_logs") == [(3,)]
    assert rows(db_path, "SELECT count(*) FROM card_states WHERE reps > 0") == [(0,)]


async def test_suspend_and_bury_from_the_review_screen(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        first = shown_title(pilot)
        await pilot.press("s")
        await settle(pilot)
        second = shown_title(pilot)
        assert second is not None and second != first
        await pilot.press("b")
        await settle(pilot)
        assert shown_title(pilot) not in (first, second)
    assert rows(db_path, "SELECT title FROM cards WHERE suspended") == [(first,)]
    assert rows(db_path, "SELECT title FROM cards WHERE buried_until IS NOT NULL") == [(second,)]


async def test_related_question_opens_the_linked_card(db_path: Path, make_app: AppFactory) -> None:
    from quizapp.tui.dialogs.card_preview import CardPreview
    from quizapp.tui.dialogs.related import RelatedDialog

    request = SessionRequest(filter=StudyFilter(text="Two-Layer"))
    app = make_app(db_path, session_spec=request)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle_until(
            pilot,
            lambda: isinstance(app.screen, ReviewScreen) and shown_title(pilot) is not None,
            "the session's first card shown",
        )
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RelatedDialog)
        await pilot.press("down", "enter")  # the first link has no card; the second does
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, CardPreview)
        assert preview.stored.card.title == "Softmax Temperature"


async def test_a_card_answered_in_another_window_is_shown_afresh(
    db_path: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store refuses the answer (compare-and-set); the screen says so and shows the
    card again in its new state, and the next rating is recorded, not refused."""
    from quizapp.services.study import StudySession

    from .conftest import NOW

    app = make_app(db_path)
    notes: list[str] = []
    notify = app.notify

    def noting(message: str, **options: Any) -> None:
        notes.append(message)
        notify(message, **options)

    monkeypatch.setattr(app, "notify", noting)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        title = shown_title(pilot)
        assert title is not None
        other = open_database(db_path, auto_backup=False)
        try:
            elsewhere = StudySession(other, clock=lambda: NOW)
            first = elsewhere.next_card()
            assert first is not None and first.title == title
            elsewhere.answer(1, 2000)
        finally:
            other.close()
        await answer(pilot, 3)
        assert any("answered elsewhere" in note for note in notes), notes
        assert shown_title(pilot) is not None
        again = shown_title(pilot)
        await answer(pilot, 4)
    logs = rows(
        db_path,
        "SELECT c.title, r.rating FROM review_logs r JOIN cards c ON c.id = r.card_id "
        "ORDER BY r.id",
    )
    assert logs == [(title, 1), (again, 4)]
