"""The footer: it shows the screen's keys, keeps its key widgets when a bindings report
changes nothing, and rebuilds them when a key appears, goes or changes state."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from quizapp.tui.widgets.key_footer import KeyFooter

from .conftest import settle


class Keys(App[None]):
    """Two keys, one shown only while ``armed``, one dimmed unless ``ready``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "arm", "Arm"),
        Binding("f", "fire", "Fire"),
        Binding("h", "hidden", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.armed = False
        self.ready = False

    def compose(self) -> ComposeResult:
        yield Static("keys")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "fire":
            return True if self.armed and self.ready else (None if self.armed else False)
        return True


def _keys(app: App[Any]) -> list[tuple[str, bool]]:
    """(description, dimmed) of each key the footer draws, palette key aside."""
    return [
        (str(getattr(key, "description", "")), key.has_class("-disabled"))
        for key in app.screen.query("FooterKey")
        if not key.has_class("-command-palette")
    ]


async def test_the_footer_shows_the_shown_keys_and_the_palette() -> None:
    app = Keys()
    async with app.run_test(size=(80, 10)) as pilot:
        await settle(pilot)
        assert _keys(app) == [("Arm", False)]
        assert len(app.screen.query("FooterKey.-command-palette")) == 1


async def test_a_report_that_changes_nothing_keeps_the_key_widgets() -> None:
    app = Keys()
    async with app.run_test(size=(80, 10)) as pilot:
        await settle(pilot)
        before = list(app.screen.query("FooterKey"))
        for _ in range(3):
            app.screen.refresh_bindings()
            await settle(pilot)
        assert list(app.screen.query("FooterKey")) == before


async def test_the_keys_are_rebuilt_when_one_appears_or_changes_state() -> None:
    app = Keys()
    async with app.run_test(size=(80, 10)) as pilot:
        await settle(pilot)
        app.armed = True  # "Fire" is shown, dimmed
        app.screen.refresh_bindings()
        await settle(pilot)
        assert _keys(app) == [("Arm", False), ("Fire", True)]
        app.ready = True  # "Fire" is enabled
        app.screen.refresh_bindings()
        await settle(pilot)
        assert _keys(app) == [("Arm", False), ("Fire", False)]
        app.armed = False  # gone again
        app.screen.refresh_bindings()
        await settle(pilot)
        assert _keys(app) == [("Arm", False)]
