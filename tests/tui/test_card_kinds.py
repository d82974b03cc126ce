"""Pilot tests of the card kinds in the app: a cloze asked with its gaps and filled in on
reveal, a question-only card that says there is no written answer, a reversed card with
its badge, siblings buried within a session, and the kind in browse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.text import Text
from store.kind_cards import write_kind_cards
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from quizapp.cards.kinds import NO_WRITTEN_ANSWER
from quizapp.scheduling.filters import StudyFilter
from quizapp.store.db import open_database, run_sql
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.session_request import SessionRequest
from quizapp.tui.widgets.badges import Badges
from quizapp.tui.widgets.card_view import CardView, StepView
from quizapp.tui.widgets.math_markdown import MathMarkdown
from quizapp.tui.widgets.rating_bar import RatingBar

from .conftest import NOW, AppFactory, press_to, settle


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    db = open_database(db_path, auto_backup=False)
    try:
        return run_sql(db, sql)
    finally:
        db.close()


@pytest.fixture
def kinds_db(tmp_path: Path) -> Path:
    """A database holding the cards of every kind (``store.kind_cards``), new at NOW."""
    path = tmp_path / "kinds.db"
    db = open_database(path, auto_backup=False)
    write_kind_cards(db, NOW)
    db.close()
    return path


def one_card(db_path: Path, uid: str) -> SessionRequest:
    """A session of the one card ``uid``."""
    pk = rows(db_path, f"SELECT id FROM cards WHERE uid = '{uid}'")[0][0]
    assert isinstance(pk, int)
    return SessionRequest(filter=StudyFilter(card_pks=(pk,)))


def question(pilot: Pilot[None]) -> str:
    return pilot.app.screen.query_one("#card-question", MathMarkdown).source


def plain(widget: Static) -> str:
    """What a ``Static`` shows, as plain text."""
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def hint(pilot: Pilot[None]) -> str:
    return plain(pilot.app.screen.query_one("#answer-hint", Static))


async def until(pilot: Pilot[None], holds: Callable[[], bool], rounds: int = 50) -> None:
    """Let the app run (workers and message handlers, no sleeping) until ``holds()``."""
    for _ in range(rounds):
        await settle(pilot)
        if holds():
            return
    raise AssertionError("the app never got there")


def showing(pilot: Pilot[None], text: str) -> Callable[[], bool]:
    """The card's question reads ``text`` (its Markdown source)."""
    return lambda: isinstance(pilot.app.screen, ReviewScreen) and question(pilot) == text


MASKED = (
    "Adam keeps two moving averages of the gradient, **[its two moments]**, and divides by"
    " $\\sqrt{\\hat v_t}$."
)
FILLED = (
    "Adam keeps two moving averages of the gradient, **$m_t$ and $v_t$**, and divides by"
    " $\\sqrt{\\hat v_t}$."
)


async def test_a_cloze_is_asked_with_its_gap_and_filled_in_on_reveal(
    kinds_db: Path, make_app: AppFactory
) -> None:
    app = make_app(kinds_db, session_spec=one_card(kinds_db, "optim#adam/c2"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, showing(pilot, MASKED))
        view = app.screen.query_one(CardView)
        assert hint(pilot).startswith("space: fill in the gap")
        assert view.total_steps == 2  # the filling in, then the card's one extra step
        await pilot.press("3")  # not revealed yet: no answer
        await settle(pilot)
        assert rows(kinds_db, "SELECT count(*) FROM review_logs") == [(0,)]
        await pilot.press("space")
        await until(pilot, showing(pilot, FILLED))
        assert not app.screen.query(StepView)  # filled in where it stands, no step yet
        assert app.screen.query_one(RatingBar).display
        await pilot.press("space")
        await until(pilot, lambda: bool(app.screen.query(StepView)))
        (extra,) = app.screen.query(StepView)
        assert extra.step.text == "Kingma and Ba, 2015." and (extra.number, extra.total) == (1, 1)
        await pilot.press("3")
        await until(pilot, lambda: bool(rows(kinds_db, "SELECT id FROM review_logs")))
    assert rows(
        kinds_db, "SELECT c.uid, r.rating FROM review_logs r JOIN cards c ON c.id = r.card_id"
    ) == [("optim#adam/c2", 3)]


async def test_a_cloze_sentence_that_is_its_title_is_asked_once(
    kinds_db: Path, make_app: AppFactory
) -> None:
    """An inline cloze's title is its sentence: it is asked once, in the question, whose
    gap the reveal fills in, not a second time above it (with its Markdown showing)."""
    app = make_app(kinds_db, session_spec=one_card(kinds_db, "optim#adam/c1"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, ReviewScreen) and question(pilot).startswith("**[…]**"),
        )
        assert not app.screen.query_one("#card-title", Static).display

        def lines_asking() -> int:
            lines = [strip.text for strip in app.screen._compositor.render_strips()]
            return sum("keeps two moving averages" in line for line in lines)

        assert lines_asking() == 1
        await pilot.press("space")
        await until(pilot, lambda: question(pilot).startswith("**Adam**"))
        assert not app.screen.query_one("#card-title", Static).display
        assert lines_asking() == 1


async def test_a_question_only_card_reveals_that_there_is_no_written_answer(
    kinds_db: Path, make_app: AppFactory
) -> None:
    app = make_app(kinds_db, session_spec=one_card(kinds_db, "optim#adamw"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(
            pilot, showing(pilot, "Why does AdamW decouple weight decay from the gradient update?")
        )
        assert hint(pilot) == "answer aloud, then space: reveal · ? help"
        assert not app.screen.query_one(RatingBar).display
        await pilot.press("space")
        await until(pilot, lambda: bool(app.screen.query(StepView)))
        (step,) = app.screen.query(StepView)
        assert step.step.text == NO_WRITTEN_ANSWER
        await until(pilot, lambda: step.source == NO_WRITTEN_ANSWER)
        assert app.screen.query_one(RatingBar).display
        await pilot.press("2")
        await until(pilot, lambda: bool(rows(kinds_db, "SELECT id FROM review_logs")))
    assert rows(kinds_db, "SELECT rating FROM review_logs") == [(2,)]


async def test_a_reversed_card_is_shown_with_its_kind(kinds_db: Path, make_app: AppFactory) -> None:
    app = make_app(kinds_db, session_spec=one_card(kinds_db, "optim#relu/reverse"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, showing(pilot, "Which activation is $\\max(0, x)$?"))
        assert " reversed " in plain(app.screen.query_one(Badges))
        await pilot.press("a")
        await until(pilot, lambda: bool(app.screen.query(StepView)))
        (step,) = app.screen.query(StepView)
        assert step.step.text == "ReLU, the rectified linear unit."


async def test_siblings_are_not_shown_in_the_same_session(
    kinds_db: Path, make_app: AppFactory
) -> None:
    app = make_app(kinds_db)
    shown: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "enter", ReviewScreen)
        await until(pilot, lambda: screen.turn is not None)
        while screen.turn is not None:
            current = screen.turn.stored.card.id
            shown.append(current)
            await pilot.press("a", "4")
            await until(pilot, lambda: screen.turn is None or screen.turn.stored.card.id != current)  # noqa: B023
    assert len(shown) == 3 and {uid.split("/")[0] for uid in shown} == {
        "optim#adam",
        "optim#relu",
        "optim#adamw",
    }
    buried = rows(kinds_db, "SELECT uid FROM cards WHERE buried_until IS NOT NULL")
    assert {uid for (uid,) in buried} | set(shown) == {
        "optim#adam/c1",
        "optim#adam/c2",
        "optim#relu",
        "optim#relu/reverse",
        "optim#adamw",
    }


async def test_browse_shows_and_filters_the_kind(kinds_db: Path, make_app: AppFactory) -> None:
    app = make_app(kinds_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "b", BrowseScreen)
        table = screen.query_one(DataTable)
        kinds = {
            str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1]) for i in range(table.row_count)
        }
        assert kinds == {  # a title's formulas drawn, as in the card view's title
            "Adam keeps two moving averages of the gradient, mₜ and vₜ, and divides by"
            " √v̂ₜ.": "cloze",
            "Adam's moments": "cloze",
            "ReLU": "basic",
            "Which activation is max(0, x)?": "reversed",
            "Why does AdamW decouple weight decay?": "q-only",
        }
        screen.query_text = "kind:cloze"
        await settle(pilot)
        assert screen.total == 2 and table.row_count == 2
        await pilot.press("down", "enter")  # to the rows, then the first one
        await until(
            pilot, lambda: "**" in app.screen.query_one("#card-question", MathMarkdown).source
        )
        preview = app.screen.query_one(CardView)
        assert preview.revealed == preview.total_steps  # a preview shows everything
        source = app.screen.query_one("#card-question", MathMarkdown).source
        assert "**" in source and "[" not in source  # filled in, not masked
