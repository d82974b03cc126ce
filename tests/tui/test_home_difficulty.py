"""Home's "By difficulty" panel counts new cards as the Today panel does (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Static

from quizapp.tui.screens.home import HomeScreen

from .conftest import AppFactory, settle


def _text(screen: HomeScreen, panel: str) -> str:
    content = screen.query_one(panel, Static).render()
    return str(getattr(content, "plain", content))


async def test_difficulty_panel_shows_new_cards_beside_due(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        today = _text(screen, "#today")
        difficulty = _text(screen, "#difficulty")
    waiting = int(re.search(r"new (\d+)", today).group(1))  # type: ignore[union-attr]
    lines = difficulty.splitlines()
    counts = [re.fullmatch(r"(\w+)\s+new\s+(\d+) · due\s+(\d+)", line) for line in lines]
    assert all(counts), lines
    assert waiting > 0
    assert sum(int(m.group(2)) for m in counts if m) == waiting
    assert all(int(m.group(3)) == 0 for m in counts if m)  # nothing answered yet
