"""The statistics screen's charts: one snapshot per chart at 80x24 and 120x40 (issue 17).

The history is fixed: 40 generated cards and the fixture cards, imported, then studied
through ``StudySession`` for 60 days before the tests' ``NOW`` with ratings drawn from a
seeded generator, so every chart has something to draw and every run draws the same.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quizapp.services.importer import import_paths
from quizapp.services.study import StudySession
from quizapp.store.db import open_database
from quizapp.tui.screens.statistics import StatisticsScreen
from quizapp.tui.widgets.stats_charts import CHARTS, StatsChart

from .conftest import CARDS, NOW, AppFactory, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Snap = Callable[..., bool]
#: Days of study before ``NOW``.
HISTORY_DAYS = 60


def _write_cards(folder: Path, count: int) -> None:
    for index in range(count):
        (folder / f"generated-{index:02d}.md").write_text(
            f"# Generated {index}\n\n## Question\nWhat is fact {index}?\n\n"
            f"## Answer\n\n### Fact\nFact {index} is {index * 7}.\n\n"
            f"## Tags\n#Generated\n\n## Difficulty\n{('Easy', 'Medium', 'Hard')[index % 3]}\n",
            encoding="utf-8",
        )


class _Clock:
    """A clock the history builder moves by hand."""

    def __init__(self) -> None:
        self.now = NOW - timedelta(days=HISTORY_DAYS)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def history_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of studied cards: 60 days of seeded answers ending the day before NOW."""
    folder = tmp_path_factory.mktemp("history")
    cards = folder / "cards"
    cards.mkdir()
    _write_cards(cards, 40)
    path = folder / "history.db"
    db = open_database(path, auto_backup=False)
    report = import_paths(db, [CARDS, cards])
    assert report.ok, report.errors
    rng = random.Random(17)
    clock = _Clock()
    for day in range(HISTORY_DAYS):
        if rng.random() < 0.15:  # a day off now and then
            continue
        clock.now = NOW - timedelta(days=HISTORY_DAYS - day, hours=-1)
        session = StudySession(db, clock=clock, zone=UTC, seed=day)
        for _ in range(rng.randrange(4, 16)):
            if session.next_card() is None:
                break
            session.answer(rng.choice([1, 2, 3, 3, 3, 4]), 3000)
            clock.now += timedelta(minutes=3)
    db.close()
    return path


@pytest.fixture
def history_db(history_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the studied database for one test (closed cleanly: no WAL left)."""
    target = tmp_path / "history.db"
    shutil.copy(history_template, target)
    return target


def _show(chart_id: str) -> Callable[[Pilot[Any]], Any]:
    """A ``run_before`` that opens the statistics and scrolls ``chart_id`` to the top."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, StatisticsScreen)
        screen.query_one(f"#{chart_id}", StatsChart).scroll_visible(top=True, animate=False)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("chart_id", [chart_id for chart_id, _, _ in CHARTS])
def test_chart_snapshot(
    snap_compare: Snap,
    make_app: AppFactory,
    history_db: Path,
    chart_id: str,
    size: tuple[int, int],
) -> None:
    app = make_app(history_db)
    assert snap_compare(app, terminal_size=size, run_before=_show(chart_id))
