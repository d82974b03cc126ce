"""In review, ``r`` opens a related card of a vault note that names it by file name,
alias or in another case: never "no card yet" for a card in the collection (issue 14)."""

from __future__ import annotations

from pathlib import Path

from cards.vault.make_vault import write_vault

from quizapp.scheduling.filters import StudyFilter
from quizapp.services.importer import import_paths
from quizapp.store.db import open_database
from quizapp.tui.dialogs.card_preview import CardPreview
from quizapp.tui.dialogs.related import RelatedDialog
from quizapp.tui.session_request import SessionRequest

from .conftest import AppFactory, settle


async def test_r_opens_every_related_card_of_a_vault_note(
    tmp_path: Path, make_app: AppFactory
) -> None:
    write_vault(tmp_path / "vault")
    db_path = tmp_path / "vault.db"
    db = open_database(db_path, auto_backup=False)
    assert import_paths(db, [tmp_path / "vault"]).ok
    db.close()
    # Adam's note links [[Straße der Gradienten]] and [[STRASSE DER GRADIENTEN]]: only the
    # file name of the note titled "Gradient descent" (id optim/gradient-descent) says so.
    request = SessionRequest(filter=StudyFilter(text="adapt the step size"))
    app = make_app(db_path, session_spec=request)
    opened: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for index in range(1):
            await pilot.press("r")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, RelatedDialog)
            assert all(link.target_uid for link in dialog.stored.related_links)
            await pilot.press(*(["down"] * index), "enter")
            await settle(pilot)
            preview = app.screen
            assert isinstance(preview, CardPreview)
            opened.append(preview.stored.card.title)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
    assert opened == ["Gradient descent"]
