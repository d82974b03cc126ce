"""The custom-session dialog (issue 17): it opens on the tag list, typing filters the
tags (chosen ones stay chosen), a live count follows the form, Start (ctrl+s) is in the
footer, the buttons stay on an 80x24 screen, and a session that would be empty is not
started: the dialog stays open with its count at 0."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static, Switch

from quizapp.tui.dialogs.custom_session import CustomSessionDialog
from quizapp.tui.screens.review import ReviewScreen

from .conftest import AppFactory, press_to, settle

Snap = Callable[..., bool]


async def _open(pilot: Pilot[Any]) -> CustomSessionDialog:
    await settle(pilot)
    return await press_to(pilot, "c", CustomSessionDialog)


def _count(dialog: CustomSessionDialog) -> str:
    return str(dialog.query_one("#count", Static).render()).strip()


def _tag_values(dialog: CustomSessionDialog) -> list[str]:
    tags = dialog.query_one("#tags", SelectionList)
    return [str(tags.get_option_at_index(i).value) for i in range(tags.option_count)]


async def test_the_dialog_opens_on_the_tag_list_and_typing_filters_it(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = await _open(pilot)
        tags = dialog.query_one("#tags", SelectionList)
        assert tags.has_focus
        everything = _tag_values(dialog)
        assert "Optimisation" in everything and len(everything) > 2
        tags.select("Optimisation")
        await pilot.press("r", "e", "g")  # typed on the list: goes to the filter box
        await settle(pilot)
        assert dialog.query_one("#tag-filter", Input).value == "reg"
        shown = _tag_values(dialog)
        assert shown and all("reg" in tag.casefold() for tag in shown)
        # The chosen tag is hidden by the filter but still chosen.
        assert dialog.chosen_tags() == {"Optimisation"}
        assert "1 hidden by the filter" in str(dialog.query_one("#tags-label").render())
        await pilot.press("enter")  # back to the list
        await settle(pilot)
        assert tags.has_focus
        dialog.query_one("#tag-filter", Input).value = ""
        await settle(pilot)
        assert _tag_values(dialog) == everything
        assert tags.selected == ["Optimisation"]
        # Keys a tag cannot hold stay keys (space chooses, ? is help): not filter text.
        await pilot.press("question_mark")
        await settle(pilot)
        assert dialog.query_one("#tag-filter", Input).value == ""


async def test_the_count_follows_the_form(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = await _open(pilot)
        assert _count(dialog) == "6 cards match · 6 due now"
        dialog.query_one("#tags", SelectionList).select("Optimisation")
        await settle(pilot)
        assert _count(dialog) == "2 cards match · 2 due now"
        dialog.query_one("#cram", Switch).value = True
        await settle(pilot)
        assert _count(dialog) == "2 cards match · cram practises 2"


async def test_an_empty_session_is_not_started_and_the_count_says_0(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = await _open(pilot)
        dialog.query_one("#text", Input).value = "no card says this"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        count = dialog.query_one("#count", Static)
        assert _count(dialog) == "No cards match these filters (0 cards)."
        assert count.has_class("-empty")
        # Fixing the filter starts the session.
        dialog.query_one("#text", Input).value = "momentum"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.request.filter.text == "momentum"


async def test_start_is_in_the_footer_and_the_buttons_fit_80x24(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open(pilot)
        shown = {
            active.binding.id: active.binding.key
            for active in dialog.active_bindings.values()
            if active.binding.show
        }
        assert shown.get("custom.start") == "ctrl+s"
        assert shown.get("custom.cancel") == "escape"
        for button in ("#start", "#cancel", "#count"):
            region = dialog.query_one(button).region
            assert region.height >= 1 and region.bottom <= 24 - 1, (button, region)
            assert region.x >= 0 and region.right <= 80


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_custom_session_snapshot(
    snap_compare: Snap, make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        dialog = await _open(pilot)
        dialog.query_one("#tags", SelectionList).select("Optimisation")
        await settle(pilot)
        for field in dialog.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(db_path), terminal_size=size, run_before=run_before)
