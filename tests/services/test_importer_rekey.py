"""Cards stored before ids were NFKC-normalised keep their history (issue 12).

A card stored with an id in another Unicode form (a macOS file name with decomposed
accents, a front-matter id in full-width letters) gets the NFKC form of that id when its
file is next read. The importer must adopt the stored card under the new id, re-keyed in
place with its memory state and review log, rather than store a new card and mark the old
one missing.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import text
from test_importer import card_text, write
from test_importer_roots import counts, edit, studied, uids

from quizapp.services.importer import import_paths
from quizapp.services.library import show_card
from quizapp.store.db import Database, run_sql
from quizapp.store.sqlite.card_repo import CardRepository

NFD_NAME = unicodedata.normalize("NFD", "café")  # how macOS spells the file name
FULL_WIDTH = "ｓｉｇｍｏｉｄ"


def legacy(db: Database, old_uid: str) -> None:
    """Give the only stored card ``old_uid``, as an import before the NFKC rule stored it."""
    rows = run_sql(db, "SELECT id FROM cards")
    assert len(rows) == 1
    with db.begin(write=True) as conn:
        conn.execute(text("UPDATE cards SET uid = :uid"), {"uid": old_uid})


@pytest.mark.parametrize(
    ("name", "front", "old_uid", "new_uid"),
    [
        pytest.param(f"{NFD_NAME}.md", "", f"deck/{NFD_NAME}", "deck/café", id="nfd-file-name"),
        pytest.param(
            "sigmoid.md", f"---\nid: {FULL_WIDTH}\n---\n", FULL_WIDTH, "sigmoid", id="full-width"
        ),
    ],
)
def test_an_edited_card_stored_under_another_form_keeps_its_history(
    backend_db: Database, tmp_path: Path, name: str, front: str, old_uid: str, new_uid: str
) -> None:
    db = backend_db
    root = tmp_path / "cards"
    path = write(root / "deck", name, card_text("Sigmoid", front=front))
    assert counts(import_paths(db, [root])) == (1, 0, 0, 0)
    legacy(db, old_uid)
    pk = studied(db, old_uid)
    edit(path)

    dry = import_paths(db, [root], dry_run=True)
    assert counts(dry) == (0, 1, 0, 0), dry.errors
    report = import_paths(db, [root])

    assert report.ok, report.errors
    assert counts(report) == (0, 1, 0, 0)
    assert not report.warnings
    assert uids(db) == [new_uid]
    stored = CardRepository(db).get(new_uid)
    assert stored is not None and stored.pk == pk and not stored.missing
    assert "smooth squashing" in stored.card.steps[0].text
    assert (stored.memory.reps, stored.memory.stability) == (2, 4.5)
    assert run_sql(db, "SELECT card_id, rating FROM review_logs ORDER BY id") == [
        (pk, 3),
        (pk, 4),
    ]
    # Settled: the next rescan finds the card as stored, under its new id.
    assert counts(import_paths(db, [root])) == (0, 0, 1, 0)
    detail = show_card(db, new_uid)
    assert detail is not None and detail.id == new_uid


def test_a_card_already_stored_under_the_new_form_is_the_one_updated(
    db: Database, tmp_path: Path
) -> None:
    """Where an import under the new rule already stored the card anew beside the old one
    (now missing), the card stored under the new id stays the card of that id (ids are
    unique), and the old one is left as it is.

    SQLite only: the old row is forged with SQLite's SQL (a row copied with ``SELECT *``);
    the contract suite checks the same on both backends through the writer alone."""
    root = tmp_path / "cards"
    path = write(root / "deck", f"{NFD_NAME}.md", card_text("Café"))
    import_paths(db, [root])
    new = int(run_sql(db, "SELECT id FROM cards WHERE uid = 'deck/café'")[0][0])
    old = new + 100
    with db.begin(write=True) as conn:  # the old card: a copy under the old id, missing
        for table, key in (("cards", "id"), ("card_states", "card_id")):
            conn.exec_driver_sql(f"CREATE TEMP TABLE old_{table} AS SELECT * FROM {table}")
            conn.exec_driver_sql(f"UPDATE old_{table} SET {key} = {old}")
        conn.exec_driver_sql("UPDATE old_cards SET uid = ?, missing = 1", (f"deck/{NFD_NAME}",))
        for table in ("cards", "card_states"):
            conn.exec_driver_sql(f"INSERT INTO {table} SELECT * FROM old_{table}")
    edit(path)

    report = import_paths(db, [root])

    assert report.ok, report.errors
    assert (report.new, report.updated) == (0, 1)
    assert run_sql(db, "SELECT id, uid, missing FROM cards ORDER BY id") == [
        (new, "deck/café", 0),
        (old, f"deck/{NFD_NAME}", 1),
    ]
