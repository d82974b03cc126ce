"""How the app starts: home is the bottom screen, composed with the app itself.

Pushed over Textual's blank default screen from ``on_mount`` (as it once was), home was
mounted inside the app's start-up batch and its first frame was drawn twice; these tests
pin the arrangement that draws it once, and the navigation that relies on it.
"""

from __future__ import annotations

from pathlib import Path

from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.statistics import StatisticsScreen

from .conftest import AppFactory, press_to, settle


async def test_home_is_the_only_screen_from_the_start(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert [type(screen) for screen in app.screen_stack] == [HomeScreen]
        await settle(pilot)
        assert [type(screen) for screen in app.screen_stack] == [HomeScreen]
        assert "to study" in str(app.screen.query_one("#today").render())


async def test_going_to_a_place_leaves_only_home_below_it(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        home = app.screen
        await press_to(pilot, "b", BrowseScreen)
        await press_to(pilot, "f5", StatisticsScreen)
        assert app.screen_stack[0] is home
        assert [type(screen) for screen in app.screen_stack] == [HomeScreen, StatisticsScreen]
        await press_to(pilot, "f2", HomeScreen)
        assert app.screen_stack == [home]


async def test_a_saved_theme_is_taken_at_start(
    db_path: Path, make_app: AppFactory, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "tui.toml").write_text('theme = "nord"\n', encoding="utf-8")
    app = make_app(db_path, config_dir=config)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "nord"
        await settle(pilot)
        assert app.theme == "nord"
