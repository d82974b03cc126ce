"""``quizapp export OUT.apkg``: filters like ``list``, what it prints, and one-line errors
that leave no file behind (and never half a file in place of a good one)."""

from __future__ import annotations

import gc
import json
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from store.cards_factory import make_card

from quizapp.cli import cli
from quizapp.interop.anki import export_writer
from quizapp.interop.anki.export_writer import INSTALL_HINT, AnkiExportError
from quizapp.services.anki_export import ExportError, export_anki
from quizapp.store.db import open_database
from quizapp.store.records import SourceFileInfo
from quizapp.store.sqlite.import_repo import ImportWriter

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Three cards: two in deck ml/optim (one hard), one in stats."""
    path = tmp_path / "quizapp.db"
    database = open_database(path, auto_backup=False)
    writer = ImportWriter.load(database)
    for uid, deck, tags, level in (
        ("adam", "ml/optim", ("Optimisation",), "hard"),
        ("sgd", "ml/optim", ("Optimisation", "Basics"), "easy"),
        ("bayes", "stats", ("Probability",), "medium"),
    ):
        card = make_card(uid, deck=deck, tags=tags, difficulty=level)
        writer.write_file(SourceFileInfo(f"/c/{uid}.md", 1, 1, "0" * 64, "/c"), [card], T0)
    database.close()
    return path


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "export", *args])


def _source_ids(package: Path) -> set[str]:
    pytest.importorskip("anki")
    from anki.collection import Collection, ImportAnkiPackageRequest

    col = Collection(str(package.parent / f"{package.stem}-check.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package)))
        return {col.get_note(nid)["Source id"] for nid in col.find_notes("")}
    finally:
        col.close()


def test_export_prints_what_it_wrote(db_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("anki")
    out = tmp_path / "all.apkg"
    result = run(db_path, str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Exported 3 cards as 3 Anki notes to {out}"
    assert zipfile.is_zipfile(out)
    assert _source_ids(out) == {"adam", "sgd", "bayes"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--tag", "optimisation"], {"adam", "sgd"}),
        (["--tag", "Optimisation", "--tag", "Basics"], {"sgd"}),
        (["--difficulty", "hard", "--difficulty", "MEDIUM"], {"adam", "bayes"}),
        (["--deck", "ml"], {"adam", "sgd"}),
    ],
)
def test_filters_pick_cards_as_list_does(
    db_path: Path, tmp_path: Path, filters: list[str], expected: set[str]
) -> None:
    pytest.importorskip("anki")
    out = tmp_path / "some.apkg"
    result = run(db_path, str(out), *filters, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["cards"] == len(expected) and report["with_history"] is False
    assert _source_ids(out) == expected


def test_json_report_with_history(db_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("anki")
    out = tmp_path / "h.apkg"
    result = run(db_path, str(out), "--with-history", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "path": str(out),
        "notes": 3,
        "cards": 3,
        "reviews": 0,
        "decks": ["ml::optim", "stats"],
        "with_history": True,
    }


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("deck.zip", "deck.zip: an Anki package's name must end in .apkg"),
        ("missing/deck.apkg", "missing: no such folder; create it first"),
    ],
)
def test_a_bad_target_is_one_line_and_opens_nothing(
    tmp_path: Path, name: str, message: str
) -> None:
    db = tmp_path / "never.db"
    result = run(db, str(tmp_path / name))
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("quizapp: error: ") and line.endswith(message)
    assert not db.exists()


def test_no_matching_card_is_an_error_and_writes_nothing(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.apkg"
    result = run(db_path, str(out), "--tag", "no-such-tag")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("quizapp: error: no cards match --tag no-such-tag; ")
    assert "no card has the tag 'no-such-tag'" in line
    assert not out.exists()


def test_without_the_anki_library_one_line_says_how_to_install_it(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "anki.collection", None)
    out = tmp_path / "deck.apkg"
    result = run(db_path, str(out))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"quizapp: error: exporting to Anki needs the anki package: {INSTALL_HINT}"
    )
    assert not out.exists()


def test_a_failed_export_leaves_the_old_file_and_no_partial_one(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("anki")
    out = tmp_path / "deck.apkg"
    out.write_bytes(b"the previous export")

    def failing(self: object, plan: object, path: Path, **options: object) -> None:
        path.write_bytes(b"half a package")
        raise AnkiExportError("Anki refused the note of card adam: boom")

    monkeypatch.setattr(export_writer.PackageWriter, "write", failing)
    database = open_database(db_path, auto_backup=False)
    try:
        with pytest.raises(AnkiExportError, match="card adam"):
            export_anki(database, out)
    finally:
        database.close()
    assert out.read_bytes() == b"the previous export"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["deck.apkg", "quizapp.db"]


def test_the_collector_is_paused_for_the_export_and_resumed_after(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("anki")
    seen: list[bool] = []
    write = export_writer.PackageWriter.write

    def watching(self: export_writer.PackageWriter, plan: Any, path: Path, **options: Any) -> None:
        seen.append(gc.isenabled())
        if len(seen) == 2:
            raise AnkiExportError("Anki refused the note of card adam: boom")
        write(self, plan, path, **options)

    monkeypatch.setattr(export_writer.PackageWriter, "write", watching)
    database = open_database(db_path, auto_backup=False)
    try:
        assert gc.isenabled()
        export_anki(database, tmp_path / "deck.apkg")
        assert gc.isenabled()
        with pytest.raises(AnkiExportError, match="card adam"):
            export_anki(database, tmp_path / "again.apkg")
        assert gc.isenabled()
        gc.disable()  # a caller that had it off keeps it off
        try:
            with pytest.raises(ExportError):
                export_anki(database, tmp_path / "none.apkg", tags=["no-such-tag"])
            assert not gc.isenabled()
        finally:
            gc.enable()
    finally:
        database.close()
    assert seen == [False, False]


def test_a_folder_as_target_is_refused(db_path: Path, tmp_path: Path) -> None:
    database = open_database(db_path, auto_backup=False)
    try:
        (tmp_path / "dir.apkg").mkdir()
        with pytest.raises(ExportError, match="is a folder"):
            export_anki(database, tmp_path / "dir.apkg")
    finally:
        database.close()


def test_each_card_with_a_live_exercise_names_its_first_prompt() -> None:
    from dataclasses import replace

    from quizapp.cards.model import ExerciseSource
    from quizapp.scheduling.memory import MemoryState
    from quizapp.services.anki_export import exercise_prompts
    from quizapp.store.records import StoredCard

    memory = MemoryState(1, 0, None, None, T0, None)
    builtin = make_card(
        "dl/backprop-net", title="Backprop through a network", tags=("Backpropagation",)
    )
    broken = replace(make_card("own"), exercises=(ExerciseSource("ask: [", 7),))
    plain = make_card("plain", tags=("Probability",))
    cards = [StoredCard(pk, card, memory) for pk, card in enumerate([builtin, broken, plain], 1)]
    prompts = exercise_prompts(cards)
    assert set(prompts) == {1, 2}
    assert prompts[1].title == "Backprop through a 2-2-1 sigmoid network (built-in)"
    assert prompts[1].prompt == "δ⁽²⁾ = ∂L/∂z⁽²⁾"
    assert (prompts[2].title, prompts[2].prompt) == ("", "")  # it has one; unreadable


@pytest.mark.parametrize(
    ("flags", "collection"), [([], "collection.anki21b"), (["--legacy"], "collection.anki21")]
)
def test_package_format(db_path: Path, tmp_path: Path, flags: list[str], collection: str) -> None:
    pytest.importorskip("anki")
    out = tmp_path / "f.apkg"
    assert run(db_path, str(out), *flags).exit_code == 0
    with zipfile.ZipFile(out) as package:
        assert collection in package.namelist()
    assert _source_ids(out) == {"adam", "sgd", "bayes"}
