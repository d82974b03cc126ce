"""A folder mixing every format, imported into a database: every card is stored, and
importing the unchanged folder again (also with every file read again, as
``--question-only`` does) reports 0 new and 0 updated."""

from __future__ import annotations

import shutil
from pathlib import Path

from quizapp.cards import parse_file
from quizapp.store.db import Database

from .history import present, run

MIXED = Path(__file__).parent / "mixed"


def test_importing_a_mixed_folder_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(MIXED, folder)
    expected = sorted(
        card.id for path in sorted(folder.iterdir()) for card in parse_file(path, folder).cards
    )
    first = run(db, folder)
    assert (first.new, first.updated, first.skipped) == (len(expected), 0, 0)
    assert present(db) == expected
    again = run(db, folder)
    assert (again.new, again.updated, again.missing) == (0, 0, 0)
    for path in folder.iterdir():  # new mtimes: every file is read and parsed again
        path.write_bytes(path.read_bytes())
    touched = run(db, folder)
    assert (touched.new, touched.updated, touched.missing) == (0, 0, 0)
    reread = run(db, folder, question_only=True)
    assert (reread.new, reread.updated, reread.missing) == (0, 0, 0)
    assert present(db) == expected
