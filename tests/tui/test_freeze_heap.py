"""The real app freezes start-up's objects once its database is ready; a test's app does
not (a test process would keep every frozen app's garbage for good)."""

from __future__ import annotations

import gc
from pathlib import Path

from quizapp.tui.app import QuizApp

from .conftest import AppFactory, settle


async def test_the_app_freezes_the_heap_once_the_database_is_ready(
    tmp_path: Path, make_app: AppFactory
) -> None:
    gc.unfreeze()
    app = make_app(tmp_path / "q.db", freeze_heap=True)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert app.db is not None
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


async def test_an_app_built_without_the_option_leaves_the_collector_alone(
    tmp_path: Path, make_app: AppFactory
) -> None:
    gc.unfreeze()
    app = make_app(tmp_path / "q.db")
    assert isinstance(app, QuizApp) and not app.freeze_heap
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.db is not None
        assert gc.get_freeze_count() == 0
