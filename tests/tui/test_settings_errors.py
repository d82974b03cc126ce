"""Settings after a refused save: what was typed stays, the cursor goes to the field at
fault, and the reason sits under that field; the values that were fine are saved."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from quizapp.services.settings import all_settings
from quizapp.store.db import open_database
from quizapp.tui.screens.settings import SettingsScreen

from .conftest import AppFactory, MessageLog, press_to, settle


def stored(db_path: Path) -> dict[str, str]:
    db = open_database(db_path, auto_backup=False)
    try:
        return all_settings(db)
    finally:
        db.close()


async def _type_into(pilot: Pilot[Any], screen: SettingsScreen, key: str, text: str) -> None:
    field = screen.query_one(f"#setting-{key}", Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_refused_value_keeps_its_text_focus_and_reason(
    db_path: Path, make_app: AppFactory, size: tuple[int, int]
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "comma", SettingsScreen)
        await _type_into(pilot, screen, "max_reviews_per_day", "lots")
        await _type_into(pilot, screen, "new_cards_per_day", "7")
        await pilot.press("ctrl+s")  # the cursor is in a field that is fine
        await settle(pilot)

        bad = screen.query_one("#setting-max_reviews_per_day", Input)
        assert bad.value == "lots"  # not replaced by the stored value
        assert screen.focused is bad  # the cursor moved to the field at fault
        assert bad.has_class("-invalid")
        error = screen.query_one("#error-max_reviews_per_day", Static)
        reason = str(error.render())
        assert "max_reviews_per_day" in reason and "lots" in reason
        # Under the field, starting where the field starts, and whole (it wraps if long).
        text = error.content_region
        assert text.y == bad.region.y + 1 and text.x == bad.region.x
        assert text.height * text.width >= len(reason) and text.right <= size[0]
        # The value that was fine is saved, and shows what was stored.
        assert screen.query_one("#setting-new_cards_per_day", Input).value == "7"
        assert not screen.query_one("#error-new_cards_per_day", Static).display

        # Fixing the value and saving again clears the error.
        await pilot.press("ctrl+u", *"300")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not error.display and not bad.has_class("-invalid")
        assert bad.value == "300"
    values = stored(db_path)
    assert (values["new_cards_per_day"], values["max_reviews_per_day"]) == ("7", "300")


async def test_several_refused_values_focus_the_first(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "comma", SettingsScreen)
        await _type_into(pilot, screen, "day_rollover_hour", "25")
        await _type_into(pilot, screen, "desired_retention", "2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.focused is screen.query_one("#setting-desired_retention", Input)
        assert screen.query_one("#setting-day_rollover_hour", Input).value == "25"
        for key in ("desired_retention", "day_rollover_hour"):
            assert screen.query_one(f"#error-{key}", Static).display
    assert stored(db_path)["desired_retention"] == "0.9"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_refused_value_snapshot(
    snap_compare: Callable[..., bool], make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    async def refuse(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("comma")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SettingsScreen)
        await _type_into(pilot, screen, "learning_steps", "1m soon")
        await pilot.press("ctrl+s")
        await settle(pilot)
        for field in screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(db_path), terminal_size=size, run_before=refuse)


async def test_a_save_names_the_settings_as_the_form_does(
    db_path: Path, make_app: AppFactory
) -> None:
    log = MessageLog()
    app = make_app(db_path)
    async with app.run_test(size=(80, 24), message_hook=log) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "comma", SettingsScreen)
        await settle(pilot)
        await _type_into(pilot, screen, "interview_date", "2026-05-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert stored(db_path)["interview_date"] == "2026-05-01"
    assert "Saved: Interview date" in log.notifications
