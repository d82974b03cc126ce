"""The review screen's ``o``: edit the card's file in $EDITOR, then re-import it (issue 12).

The card sits in a subfolder of the imported deck and has no front-matter id, like every
card of the bundled deck. Re-importing the edited file alone must update that card in
place: same key, same memory state, every review log still attached.
"""

from __future__ import annotations

import contextlib
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from quizapp.services.importer import import_paths
from quizapp.store.db import open_database, run_sql
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.widgets.card_view import CardView

from .conftest import CARDS, AppFactory, MessageLog, settle

#: What the "editor" run by ``o`` does to the file it is given.
EDITOR_SCRIPT = """\
import sys
from pathlib import Path

path = Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
path.write_text(text.replace("Velocity averages", "Velocity (edited) averages"), "utf-8")
"""

#: The card's memory before the edit: (state, stability, difficulty, due, last review, reps).
STATE = (2, 4.5, 6.1, "2026-03-01 09:00:00.000000", "2026-02-25 09:00:00.000000", 2)


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    db = open_database(db_path, auto_backup=False)
    try:
        return run_sql(db, sql)
    finally:
        db.close()


@pytest.fixture
def studied_deck(tmp_path: Path) -> tuple[Path, Path]:
    """A deck with one card in a subfolder, imported from the deck's root, with two reviews
    and a review-state memory; returns (database, card file)."""
    card = tmp_path / "deck" / "optim" / "momentum.md"
    card.parent.mkdir(parents=True)
    shutil.copy(CARDS / "momentum.md", card)
    db_path = tmp_path / "edit.db"
    db = open_database(db_path, auto_backup=False)
    try:
        assert import_paths(db, [tmp_path / "deck"]).new == 1
        state, stability, difficulty, due, last, reps = STATE
        run_sql(
            db,
            f"UPDATE card_states SET state = {state}, step = NULL, stability = {stability},"
            f" difficulty = {difficulty}, due = '{due}', last_review = '{last}',"
            f" reps = {reps}, lapses = 0",
        )
        for day, rating in ((20, 3), (25, 3)):
            run_sql(
                db,
                "INSERT INTO review_logs (card_id, rating, reviewed_at, duration_ms,"
                f" state_before, state_after) VALUES (1, {rating},"
                f" '2026-02-{day} 09:00:00.000000', 1500, '{{}}', '{{}}')",
            )
    finally:
        db.close()
    return db_path, card


async def test_edit_through_o_keeps_the_cards_reviews_and_memory(
    studied_deck: tuple[Path, Path],
    make_app: AppFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db_path, card = studied_deck
    script = tmp_path / "editor.py"
    script.write_text(EDITOR_SCRIPT, encoding="utf-8")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", shlex.join([sys.executable, str(script)]))
    before_cards = rows(db_path, "SELECT id, uid, source_path FROM cards")
    assert before_cards == [(1, "optim/momentum", str(card))]
    before_logs = rows(db_path, "SELECT id, card_id, rating, reviewed_at FROM review_logs")
    before_state = rows(db_path, "SELECT * FROM card_states")
    app = make_app(db_path)
    log = MessageLog()
    async with app.run_test(size=(100, 30), message_hook=log) as pilot:
        # The headless driver cannot hand the terminal over; the editor runs all the same.
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.turn is not None
        assert screen.turn.stored.pk == 1
        await pilot.press("o")
        await settle(pilot)
        assert "Re-imported: 1 updated, 0 new." in log.notifications, log.notifications
        # The card on screen is the edited one, still the same card.
        assert screen.turn is not None and screen.turn.stored.pk == 1
        memory = screen.turn.stored.memory
        assert (memory.reps, memory.stability, memory.difficulty) == (2, 4.5, 6.1)
        assert rows(db_path, "SELECT * FROM card_states") == before_state
        shown = screen.query_one(CardView).card
        assert shown is not None and "(edited)" in shown.steps[0].text
        # It can be answered: a third review joins the two before.
        await pilot.press("space")
        await pilot.press("3")
        await settle(pilot)
    assert "(edited)" in card.read_text(encoding="utf-8")
    assert rows(db_path, "SELECT id, uid, source_path, missing FROM cards") == [
        (1, "optim/momentum", str(card), 0)
    ]
    logs = rows(db_path, "SELECT id, card_id, rating, reviewed_at FROM review_logs")
    assert logs[:2] == before_logs and [log[1] for log in logs] == [1, 1, 1]
    # Answered after the edit, from the kept memory: 2 repetitions before, 3 now.
    assert rows(db_path, "SELECT card_id, reps, lapses FROM card_states") == [(1, 3, 0)]
