"""SVG snapshots of every screen at 80x24 and 120x40 (pytest-textual-snapshot).

Deterministic by construction: fixture cards only, a fixed clock and time zone, seed 7
for exercises, no blinking cursors, and the working folder pinned for the import tree.
Update after a deliberate change with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from quizapp.scheduling.filters import StudyFilter
from quizapp.tui.session_request import SessionRequest

from .conftest import FIXTURES, AppFactory, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

Snap = Callable[..., bool]


def keys(*presses: str, then: Callable[[Pilot[Any]], Awaitable[None]] | None = None) -> Any:
    """A ``run_before`` that settles, presses ``presses`` (settling after each), and freezes
    every text cursor so the picture does not depend on the blink phase."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


def snap(
    snap_compare: Snap,
    make_app: AppFactory,
    db: Path,
    size: tuple[int, int],
    presses: Sequence[str] = (),
    then: Callable[[Pilot[Any]], Awaitable[None]] | None = None,
    **app_options: Any,
) -> bool:
    app = make_app(db, **app_options)
    return bool(snap_compare(app, terminal_size=size, run_before=keys(*presses, then=then)))


@pytest.mark.parametrize("size", SIZES)
def test_home(
    snap_compare: Snap, make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    assert snap(snap_compare, make_app, db_path, size)


@pytest.mark.parametrize("size", SIZES)
def test_review_reference_card_half_revealed(
    snap_compare: Snap, make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    request = SessionRequest(filter=StudyFilter(text="Two-Layer"))
    assert snap(
        snap_compare, make_app, db_path, size, ["space", "space", "space"], session_spec=request
    )


@pytest.mark.parametrize("size", SIZES)
def test_review_summary(
    snap_compare: Snap, make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    request = SessionRequest(filter=StudyFilter(tags_any=("Probability",)), cram=True, limit=1)
    assert snap(snap_compare, make_app, db_path, size, ["a", "1"], session_spec=request)


@pytest.mark.parametrize("size", SIZES)
def test_custom_session_dialog(
    snap_compare: Snap, make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    assert snap(snap_compare, make_app, db_path, size, ["c"])


@pytest.mark.parametrize("size", SIZES)
def test_browse(
    snap_compare: Snap, make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    async def query(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one("#browse-query", Input).value = "-tag:probability"

    assert snap(snap_compare, make_app, db_path, size, ["b"], then=query)


@pytest.mark.parametrize("size", SIZES)
def test_card_preview(
    snap_compare: Snap, make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    assert snap(snap_compare, make_app, db_path, size, ["b", "down", "down", "enter"])


@pytest.mark.parametrize("size", SIZES)
def test_import_dry_run(
    snap_compare: Snap,
    make_app: AppFactory,
    db_path: Path,
    size: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(FIXTURES)

    async def dry_run(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one("#import-path", Input).value = "cards"
        await pilot.press("ctrl+t")

    assert snap(snap_compare, make_app, db_path, size, ["i"], then=dry_run)


@pytest.mark.parametrize("size", SIZES)
def test_statistics(
    snap_compare: Snap, make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    assert snap(snap_compare, make_app, db_path, size, ["t"])


@pytest.mark.parametrize("size", SIZES)
def test_settings(
    snap_compare: Snap, make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    assert snap(snap_compare, make_app, db_path, size, ["comma"])


@pytest.mark.parametrize("size", SIZES)
def test_help(
    snap_compare: Snap, make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    request = SessionRequest(filter=StudyFilter(text="Two-Layer"))
    assert snap(snap_compare, make_app, db_path, size, ["f1"], session_spec=request)


@pytest.mark.parametrize("size", SIZES)
def test_exercise(
    snap_compare: Snap, make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    async def wrong_answer(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one("#answer", Input).value = "yhat - y"
        await pilot.press("enter")

    request = SessionRequest(filter=StudyFilter(text="Two-Layer"))
    assert snap(
        snap_compare, make_app, db_path, size, ["e"], then=wrong_answer, session_spec=request
    )


@pytest.mark.parametrize("size", SIZES)
def test_hostile_card_is_shown_literally(
    snap_compare: Snap, make_app: AppFactory, hostile_db_path: Path, size: tuple[int, int]
) -> None:
    assert snap(snap_compare, make_app, hostile_db_path, size, ["enter", "a"])
