"""SVG snapshots of each card kind in review, and of browse naming the kinds, at 80x24
and 120x40: a cloze asked (its gap showing its hint) and filled in, a reversed card and a
question-only card revealed. Cards are built in the test (``store.kind_cards``), not read
by a format. Update after a deliberate change with ``--snapshot-update``."""

from __future__ import annotations

from pathlib import Path

import pytest
from store.kind_cards import write_kind_cards

from quizapp.scheduling.filters import StudyFilter
from quizapp.store.db import open_database, run_sql
from quizapp.tui.session_request import SessionRequest

from .conftest import NOW, AppFactory
from .test_snapshots import SIZES, Snap, snap


@pytest.fixture
def kinds_db(tmp_path: Path) -> Path:
    path = tmp_path / "kinds.db"
    db = open_database(path, auto_backup=False)
    write_kind_cards(db, NOW)
    db.close()
    return path


def one_card(db_path: Path, uid: str) -> SessionRequest:
    db = open_database(db_path, auto_backup=False)
    try:
        ((pk,),) = run_sql(db, f"SELECT id FROM cards WHERE uid = '{uid}'")
    finally:
        db.close()
    return SessionRequest(filter=StudyFilter(card_pks=(int(pk),)))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("uid", "presses"),
    [
        pytest.param("optim#adam/c2", (), id="cloze-asked"),
        pytest.param("optim#adam/c2", ("space",), id="cloze-filled"),
        pytest.param("optim#relu/reverse", ("a",), id="reversed-revealed"),
        pytest.param("optim#adamw", ("space",), id="question-only-revealed"),
    ],
)
def test_review_kind(
    snap_compare: Snap,
    make_app: AppFactory,
    kinds_db: Path,
    size: tuple[int, int],
    uid: str,
    presses: tuple[str, ...],
) -> None:
    assert snap(
        snap_compare, make_app, kinds_db, size, presses, session_spec=one_card(kinds_db, uid)
    )


@pytest.mark.parametrize("size", SIZES)
def test_browse_kinds(
    snap_compare: Snap, make_app: AppFactory, kinds_db: Path, size: tuple[int, int]
) -> None:
    assert snap(snap_compare, make_app, kinds_db, size, ["b"])
