"""SVG snapshots of cards written as Obsidian notes (issue 14), at 80x24 and 120x40: a
bilingual card in English and, after ``l``, in Russian; its "More" panel; callouts drawn
as titled panels; images as placeholders; Chinese and Japanese text wrapping at any
character; a question that is its title, shown once; and the home screen of a vault
whose decks share a long start. Cards are built in the test
(``obsidian_cards``), not read by a format. Update after a deliberate change with
``pytest tests/tui/test_obsidian_snapshots.py --snapshot-update``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quizapp.scheduling.filters import StudyFilter
from quizapp.store.db import open_database
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.session_request import SessionRequest

from .conftest import NOW, AppFactory, settle
from .obsidian_cards import card_pk, write_obsidian_cards, write_vault_decks
from .test_snapshots import SIZES, Snap


@pytest.fixture
def vault_db(tmp_path: Path) -> Path:
    path = tmp_path / "vault.db"
    db = open_database(path, auto_backup=False)
    write_obsidian_cards(db, NOW)
    db.close()
    return path


def after_the_card_shows(*presses: str) -> Any:
    """A ``run_before`` that waits (no sleeping) for the review screen's first card, then
    presses ``presses``, settling after each."""

    async def run_before(pilot: Pilot[Any]) -> None:
        for _ in range(50):
            await settle(pilot)
            screen = pilot.app.screen
            if isinstance(screen, ReviewScreen) and screen.shown_at is not None:
                break
        else:
            raise AssertionError("the review screen never showed its card")
        for key in presses:
            await pilot.press(key)
            await settle(pilot)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("uid", "presses"),
    [
        pytest.param("ml/bias-variance", ("space",), id="bilingual-english"),
        pytest.param("ml/bias-variance", ("space", "l"), id="bilingual-russian"),
        pytest.param("ml/bias-variance", ("m",), id="more-panel"),
        pytest.param("ml/batch-norm", ("a",), id="callouts"),
        pytest.param("ml/network-diagram", ("a",), id="image-placeholders"),
        pytest.param("ml/overfitting-zh", ("a",), id="cjk-wrapping"),
        pytest.param("ml/dropout", ("a",), id="question-is-title"),
    ],
)
def test_obsidian_card(
    snap_compare: Snap,
    make_app: AppFactory,
    vault_db: Path,
    size: tuple[int, int],
    uid: str,
    presses: tuple[str, ...],
) -> None:
    request = SessionRequest(filter=StudyFilter(card_pks=(card_pk(vault_db, uid),)))
    app = make_app(vault_db, session_spec=request)
    assert snap_compare(app, terminal_size=size, run_before=after_the_card_shows(*presses))


@pytest.fixture
def decks_db(tmp_path: Path) -> Path:
    path = tmp_path / "decks.db"
    db = open_database(path, auto_backup=False)
    write_vault_decks(db, NOW)
    db.close()
    return path


@pytest.mark.parametrize("size", SIZES)
def test_home_with_vault_decks(
    snap_compare: Snap, make_app: AppFactory, decks_db: Path, size: tuple[int, int]
) -> None:
    """Decks that share a long start, shown by their ends, and tags as wide as fits."""

    async def run_before(pilot: Pilot[Any]) -> None:
        for _ in range(50):
            await settle(pilot)
            screen = pilot.app.screen
            if isinstance(screen, HomeScreen) and screen.recall is not None:
                break
        else:
            raise AssertionError("the home screen never drew its figures")
        await pilot.pause()

    assert snap_compare(make_app(decks_db), terminal_size=size, run_before=run_before)
