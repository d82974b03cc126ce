"""Import roots (issue 12): a card keeps its id however its file is named on a later import.

A card without a front-matter ``id`` takes its id from its path under the import root.
Importing one file, or a subfolder, of a tree imported before must re-import against the
tree's root, so the card is updated in place with its state and reviews, not stored anew.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_importer import card_text, write

from quizapp.services.importer import ImportReport, import_paths
from quizapp.store.db import Database, run_sql
from quizapp.store.sqlite.card_repo import CardRepository


def counts(report: ImportReport) -> tuple[int, int, int, int]:
    """(new, updated, unchanged, missing)."""
    return report.new, report.updated, report.unchanged, report.missing


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A deck with cards in subfolders and none with a front-matter id."""
    folder = tmp_path / "deck"
    write(folder, "nets/sigmoid.md", card_text("Sigmoid"))
    write(folder, "nets/relu.md", card_text("ReLU"))
    write(folder, "nets/deep/tanh.md", card_text("Tanh"))
    write(folder, "optim/adam.md", card_text("Adam"))
    return folder


def studied(db: Database, uid: str) -> int:
    """Give the card a memory state and two reviews; returns its key."""
    pk = int(run_sql(db, f"SELECT id FROM cards WHERE uid = '{uid}'")[0][0])
    run_sql(
        db,
        "UPDATE card_states SET reps = 2, state = 2, stability = 4.5, difficulty = 6.1"
        f" WHERE card_id = {pk}",
    )
    for day, rating in ((5, 3), (9, 4)):
        run_sql(
            db,
            "INSERT INTO review_logs (card_id, rating, reviewed_at, duration_ms,"
            f" state_before, state_after) VALUES ({pk}, {rating},"
            f" '2026-01-0{day} 10:00:00', 900, '{{}}', '{{}}')",
        )
    return pk


def edit(path: Path, old: str = "squashing curve", new: str = "smooth squashing curve") -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def uids(db: Database) -> list[str]:
    return [str(row[0]) for row in run_sql(db, "SELECT uid FROM cards ORDER BY uid")]


def test_one_edited_file_imported_alone_keeps_its_id_and_history(db: Database, tree: Path) -> None:
    assert import_paths(db, [tree]).new == 4
    pk = studied(db, "nets/sigmoid")
    path = tree / "nets" / "sigmoid.md"
    edit(path)
    report = import_paths(db, [path])
    assert report.ok, report.errors
    assert counts(report) == (0, 1, 0, 0)
    stored = CardRepository(db).get("nets/sigmoid")
    assert stored is not None and stored.pk == pk and not stored.missing
    assert stored.card.deck == "nets"
    assert "smooth squashing" in stored.card.steps[0].text
    assert (stored.memory.reps, stored.memory.stability, stored.memory.difficulty) == (
        2,
        4.5,
        6.1,
    )
    assert run_sql(db, "SELECT card_id, rating FROM review_logs ORDER BY id") == [
        (pk, 3),
        (pk, 4),
    ]
    # The tree's other files are not touched, let alone marked missing.
    assert run_sql(db, "SELECT count(*) FROM cards WHERE missing") == [(0,)]
    assert uids(db) == ["nets/deep/tanh", "nets/relu", "nets/sigmoid", "optim/adam"]
    # The whole tree again: nothing new, nothing missing.
    assert counts(import_paths(db, [tree])) == (0, 0, 4, 0)


def test_one_edited_subfolder_imported_alone_keeps_ids(db: Database, tree: Path) -> None:
    import_paths(db, [tree])
    pk = studied(db, "nets/deep/tanh")
    edit(tree / "nets" / "deep" / "tanh.md")
    report = import_paths(db, [tree / "nets"])
    assert counts(report) == (0, 1, 2, 0), report.errors
    deep = import_paths(db, [tree / "nets" / "deep"])
    assert counts(deep) == (0, 0, 1, 0)
    stored = CardRepository(db).get("nets/deep/tanh")
    assert stored is not None and stored.pk == pk and stored.memory.reps == 2
    assert len(run_sql(db, f"SELECT id FROM review_logs WHERE card_id = {pk}")) == 2
    assert counts(import_paths(db, [tree])) == (0, 0, 4, 0)
    assert uids(db) == ["nets/deep/tanh", "nets/relu", "nets/sigmoid", "optim/adam"]


def test_dry_run_of_one_file_reports_an_update(db: Database, tree: Path) -> None:
    import_paths(db, [tree])
    edit(tree / "optim" / "adam.md")
    report = import_paths(db, [tree / "optim" / "adam.md"], dry_run=True)
    assert counts(report) == (0, 1, 0, 0)


def test_a_glob_under_the_tree_keeps_ids(db: Database, tree: Path) -> None:
    import_paths(db, [tree])
    edit(tree / "nets" / "relu.md")
    report = import_paths(db, [str(tree / "nets" / "*.md")])
    assert counts(report) == (0, 1, 1, 0)
    assert uids(db) == ["nets/deep/tanh", "nets/relu", "nets/sigmoid", "optim/adam"]


def test_a_new_file_under_the_tree_gets_the_id_the_tree_gives(db: Database, tree: Path) -> None:
    """A new file in a new subfolder, imported alone, lands where a tree import puts it."""
    import_paths(db, [tree])
    new = write(tree, "optim/second/rmsprop.md", card_text("RMSProp"))
    report = import_paths(db, [new])
    assert counts(report) == (1, 0, 0, 0)
    stored = CardRepository(db).get("optim/second/rmsprop")
    assert stored is not None and stored.card.deck == "optim/second"
    assert counts(import_paths(db, [tree])) == (0, 0, 5, 0)


def test_the_folder_of_a_single_file_does_not_capture_later_imports(
    db: Database, tmp_path: Path
) -> None:
    """``import notes/x.md`` records ``notes`` as x's root; it must not turn a later
    ``import notes/ml`` into ids ``ml/...``."""
    notes = tmp_path / "notes"
    single = write(notes, "x.md", card_text("Loose"))
    import_paths(db, [single])
    write(notes, "ml/svm.md", card_text("SVM"))
    assert import_paths(db, [notes / "ml"]).new == 1
    assert uids(db) == ["svm", "x"]


def test_a_file_keeps_its_first_root_when_a_parent_folder_is_imported(
    db: Database, tree: Path
) -> None:
    """The tree was imported from ``nets``: importing ``deck`` later does not rename them."""
    import_paths(db, [tree / "nets"])
    pk = studied(db, "sigmoid")
    edit(tree / "nets" / "sigmoid.md")
    report = import_paths(db, [tree])
    assert counts(report) == (1, 1, 2, 0)  # only optim/adam is new
    assert uids(db) == ["deep/tanh", "optim/adam", "relu", "sigmoid"]
    stored = CardRepository(db).get("sigmoid")
    assert stored is not None and stored.pk == pk


def test_the_root_is_recorded_with_each_file(db: Database, tree: Path) -> None:
    import_paths(db, [tree])
    roots = {str(row[0]) for row in run_sql(db, "SELECT root FROM source_files")}
    assert roots == {str(tree)}


def test_a_file_without_a_recorded_root_is_imported_as_named(db: Database, tree: Path) -> None:
    """A row from before migration 0003 that could not be backfilled: the old behaviour."""
    import_paths(db, [tree])
    run_sql(db, "UPDATE source_files SET root = NULL")
    path = tree / "optim" / "adam.md"
    edit(path)
    report = import_paths(db, [path])
    assert counts(report) == (1, 0, 0, 1)  # "adam" is new, "optim/adam" missing
    assert "adam" in uids(db)
    assert run_sql(db, f"SELECT root FROM source_files WHERE path = '{path}'") == [
        (str(path.parent),)
    ]


@pytest.fixture
def db(backend_db: Database) -> Database:
    """Every test here runs on each backend (SQLite, PostgreSQL)."""
    return backend_db
