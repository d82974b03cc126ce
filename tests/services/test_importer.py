"""The importer: counts, idempotence, history kept on edit, missing cards, and bad input.

Every bad-input case of issue 2 ends in a one-line ``file:line: reason`` error for that file
alone, and the database is left exactly as it was for that file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats import FileContext, FormatRegistry
from quizapp.cards.formats.native import NativeFormat
from quizapp.cards.model import Card, Problem
from quizapp.cards.source import read_stable
from quizapp.services import importer
from quizapp.services.importer import check_paths, import_paths
from quizapp.store.db import Database, run_sql
from quizapp.store.sqlite.card_repo import CardRepository


def card_text(
    title: str,
    *,
    answer: str = "It pushes each input through a squashing curve.",
    tags: str = "#Activations #DeepLearning",
    difficulty: str = "Medium",
    related: str = "- What is a ReLU?",
    front: str = "",
) -> str:
    """The Markdown of one card in the reference layout."""
    return (
        f"{front}# {title}\n\n"
        "## Question\n\n"
        f"What does {title.lower()} do?\n\n"
        "## Answer\n\n"
        "### Idea\n\n"
        f"{answer}\n\n"
        "### Formula\n\n"
        "$$\\sigma(x) = \\frac{1}{1 + e^{-x}}$$\n\n"
        "## Tags\n\n"
        f"{tags}\n\n"
        "## Difficulty\n\n"
        f"{difficulty}\n\n"
        "## Related Questions\n\n"
        f"{related}\n"
    )


def write(folder: Path, name: str, text: str | bytes) -> Path:
    """Write a card file (creating folders) and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def counts(report: importer.ImportReport) -> tuple[int, int, int]:
    return report.new, report.updated, report.unchanged


def snapshot(db: Database) -> list[list[tuple[object, ...]]]:
    """Every row that an import can write, to prove a failure changed nothing."""
    tables = ["cards", "card_states", "tags", "card_tags", "related", "decks", "source_files"]
    return [run_sql(db, f"SELECT * FROM {table} ORDER BY 1, 2") for table in tables]


def messages(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


@pytest.fixture
def db(backend_db: Database) -> Database:
    """Every importer test here runs on each backend (SQLite, PostgreSQL)."""
    return backend_db


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    folder = tmp_path / "deck"
    write(folder, "nets/sigmoid.md", card_text("Sigmoid"))
    write(folder, "nets/relu.md", card_text("ReLU", related="- [[Sigmoid]]\n- What does relu do?"))
    return folder


def test_import_then_reimport_is_idempotent(db: Database, deck: Path) -> None:
    report = import_paths(db, [deck])
    assert counts(report) == (2, 0, 0) and report.ok and report.files == 2
    again = import_paths(db, [deck])
    assert counts(again) == (0, 0, 2)
    assert again.warnings == [] and again.errors == []
    stored = CardRepository(db).get("nets/sigmoid")
    assert stored is not None
    assert stored.card.deck == "nets"
    assert stored.card.tags == ("Activations", "DeepLearning")
    assert [step.title for step in stored.card.steps] == ["Idea", "Formula"]


def test_touched_but_identical_file_is_unchanged(db: Database, deck: Path) -> None:
    import_paths(db, [deck])
    path = deck / "nets/sigmoid.md"
    os.utime(path, ns=(1, 1))
    assert counts(import_paths(db, [deck])) == (0, 0, 2)
    assert run_sql(db, f"SELECT mtime_ns FROM source_files WHERE path = '{path}'") == [(1,)]


def test_edit_updates_and_keeps_history(db: Database, deck: Path) -> None:
    import_paths(db, [deck])
    run_sql(db, "UPDATE card_states SET reps = 2, state = 2, stability = 3.0 WHERE card_id = 2")
    run_sql(
        db,
        "INSERT INTO review_logs (card_id, rating, reviewed_at, duration_ms, state_before,"
        " state_after) VALUES (2, 3, '2026-01-05 10:00:00', 900, '{}', '{}')",
    )
    uid = run_sql(db, "SELECT uid FROM cards WHERE id = 2")[0][0]
    path = deck / f"{uid}.md"
    path.write_text(path.read_text().replace("squashing curve", "smooth squashing curve"))
    report = import_paths(db, [deck])
    assert counts(report) == (0, 1, 1)
    stored = CardRepository(db).get(str(uid))
    assert stored is not None
    assert "smooth squashing" in stored.card.steps[0].text
    assert stored.memory.reps == 2 and stored.memory.stability == 3.0
    assert run_sql(db, "SELECT card_id, rating FROM review_logs") == [(2, 3)]


def test_related_resolved_across_files(db: Database, deck: Path) -> None:
    import_paths(db, [deck])
    relu = CardRepository(db).get("nets/relu")
    assert relu is not None
    assert [link.target_uid for link in relu.related_links] == ["nets/sigmoid", None]
    sigmoid = CardRepository(db).get("nets/sigmoid")
    assert sigmoid is not None
    assert [link.target_uid for link in sigmoid.related_links] == [None]  # "What is a ReLU?"


def test_deleted_file_is_reported_missing_not_deleted(db: Database, deck: Path) -> None:
    import_paths(db, [deck])
    (deck / "nets/relu.md").unlink()
    report = import_paths(db, [deck])
    assert report.missing == 1
    assert any("marked missing" in m for m in messages(report.warnings))
    repo = CardRepository(db)
    relu = repo.get("nets/relu")
    assert relu is not None and relu.missing
    assert [card.card.id for card in repo.find()] == ["nets/sigmoid"]
    # Importing another folder does not touch these cards.
    write(deck.parent / "other", "x.md", card_text("Tanh"))
    assert import_paths(db, [deck.parent / "other"]).missing == 0
    # Restoring the file brings the card back, with its old key.
    write(deck, "nets/relu.md", card_text("ReLU", related="- [[Sigmoid]]\n- What does relu do?"))
    report = import_paths(db, [deck])
    assert report.missing == 0 and counts(report) == (0, 1, 1)
    relu_back = repo.get("nets/relu")
    assert relu_back is not None and relu_back.pk == relu.pk and not relu_back.missing


def test_card_removed_from_multi_card_file_is_missing(db: Database, tmp_path: Path) -> None:
    three = [card_text(title) for title in ("Alpha", "Beta", "Gamma")]
    path = write(tmp_path, "set.md", "\n".join(three))
    report = import_paths(db, [path])
    assert report.new == 3, messages(report.errors)
    path.write_text("\n".join([three[0], three[2]]))
    report = import_paths(db, [path])
    assert counts(report) == (0, 0, 2) and report.missing == 1
    assert any('"set#beta"' in m for m in messages(report.warnings))
    assert CardRepository(db).count() == 2


def test_dry_run_writes_nothing(db: Database, deck: Path) -> None:
    before = snapshot(db)
    report = import_paths(db, [deck], dry_run=True)
    assert counts(report) == (2, 0, 0) and report.dry_run
    assert snapshot(db) == before


def test_check_paths_reports_without_database(deck: Path, tmp_path: Path) -> None:
    write(deck, "bad.md", "# Only a question\n\n## Question\n\nWhy?\n")
    write(deck, "notes.md", "# Only a title\n")
    report = check_paths([deck])
    assert report.new == 2
    assert len(report.errors) == 1 and report.errors[0].file == "bad.md"
    assert report.skipped == 1 and report.skipped_files[0].file == "notes.md"


def test_progress_callback(db: Database, deck: Path) -> None:
    seen: list[tuple[int, int]] = []
    import_paths(db, [deck], progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4)


def test_mojibake_is_repaired_and_counted(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "m.md", card_text("Chain", answer="Error flows back â†’ to the input."))
    report = import_paths(db, [path])
    assert report.repaired == 1 and report.new == 1
    stored = CardRepository(db).get("m")
    assert stored is not None and "→" in stored.card.steps[0].text


def test_unknown_latex_command_is_a_warning(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "l.md", card_text("Odd", answer="Here $\\foozle{x} + 1$ appears."))
    report = import_paths(db, [path])
    assert report.new == 1
    assert any(
        "foozle" in m and 'card "Odd"' in m and m.startswith("l.md:")
        for m in messages(report.warnings)
    )


def test_broken_exercise_fails_its_file(db: Database, tmp_path: Path) -> None:
    bad = card_text("Ex", answer="```exercise\nthis: [is not, a valid spec\n```")
    path = write(tmp_path, "ex.md", bad)
    write(tmp_path, "fine.md", card_text("Fine"))
    report = import_paths(db, [tmp_path])
    assert report.new == 1 and report.failed_files == 1
    assert any(m.startswith("ex.md:") for m in messages(report.errors)), messages(report.errors)
    assert CardRepository(db).get("ex") is None and path.exists()


def test_the_bundled_decks_import_skips_the_card_checks(db: Database, tmp_path: Path) -> None:
    """``check_cards=False`` (the bundled deck only, checked in CI) stores what the default
    refuses, and warns about nothing: no exercise is verified, no formula's LaTeX read."""
    odd = card_text("Odd", answer="$$\\foozle{x}$$")
    bad = card_text("Ex", answer="```exercise\nthis: [is not, a valid spec\n```")
    write(tmp_path, "ex.md", bad)
    write(tmp_path, "odd.md", odd)
    checked = check_paths([tmp_path])
    assert checked.failed_files == 1 and checked.warnings
    report = import_paths(db, [tmp_path], check_cards=False)
    assert report.new == 2 and report.ok and not report.warnings
    assert CardRepository(db).get("ex") is not None


# -- bad input: each a one-line error for that file, the others still imported -----------


BAD_FILES: dict[str, bytes] = {
    "no-question.md": b"# T\n\n## Answer\n\nBecause.\n",
    "no-answer.md": b"# T\n\n## Question\n\nWhy?\n",
    "binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "latin1.md": "# Caf\u00e9\n\n## Question\n\nQ?\n\n## Answer\n\nA.\n".encode("latin-1"),
    "utf16.md": "# T\n\n## Question\n\nQ?\n\n## Answer\n\nA.\n".encode("utf-16"),
    "yaml.md": b"---\nid: !!python/name:os.system\n---\n# T\n\n## Question\n\nQ\n\n## Answer\nA\n",
    "huge.md": b"# Big\n\n## Question\n\nQ\n\n## Answer\n\n" + b"word " * 220_000,
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_one_error_and_changes_nothing(
    db: Database, tmp_path: Path, deck: Path, name: str
) -> None:
    import_paths(db, [deck])
    before = snapshot(db)
    bad = write(deck, name, BAD_FILES[name])
    report = import_paths(db, [deck])
    assert counts(report) == (0, 0, 2)
    assert report.failed_files == 1 and len(report.errors) >= 1
    for problem in report.errors:
        assert problem.file == name
        assert "\n" not in str(problem) and str(problem).startswith(f"{name}:")
    assert snapshot(db) == before
    assert bad.exists()


@pytest.mark.parametrize(
    "text", ["", "# Meeting notes\n\nNothing to learn here.\n", "---\ntags: [x]\n---\n"]
)
def test_file_that_is_not_a_card_file_is_skipped_not_failed(
    db: Database, deck: Path, text: str
) -> None:
    import_paths(db, [deck])
    cards_before = snapshot(db)[:-1]  # every table but source_files
    write(deck, "notes.md", text)
    report = import_paths(db, [deck])
    assert counts(report) == (0, 0, 2) and report.ok and report.failed_files == 0
    assert report.skipped == 1 and report.to_dict()["skipped"] == 1
    assert [problem.file for problem in report.skipped_files] == ["notes.md"]
    assert report.skipped_files[0].message.startswith("no cards found (")
    assert snapshot(db)[:-1] == cards_before
    again = import_paths(db, [deck])  # unchanged: not read again, still counted as skipped
    assert (counts(again), again.skipped) == ((0, 0, 2), 1)


def test_same_id_in_two_files_keeps_the_first(db: Database, tmp_path: Path) -> None:
    front = "---\nid: shared-id\n---\n"
    write(tmp_path, "a.md", card_text("First", front=front))
    write(tmp_path, "b.md", card_text("Second", front=front))
    report = import_paths(db, [tmp_path])
    assert report.new == 1 and report.failed_files == 1
    assert messages(report.errors)[0].startswith("b.md:")
    assert "shared-id" in report.errors[0].message and "a.md" in report.errors[0].message
    stored = CardRepository(db).get("shared-id")
    assert stored is not None and stored.card.title == "First"


def test_same_id_in_a_file_outside_the_run(db: Database, tmp_path: Path) -> None:
    front = "---\nid: shared-id\n---\n"
    a = write(tmp_path / "one", "a.md", card_text("First", front=front))
    import_paths(db, [a])
    b = write(tmp_path / "two", "b.md", card_text("Second", front=front))
    report = import_paths(db, [b])
    assert report.failed_files == 1 and "already imported from" in report.errors[0].message
    # Once the first file is gone, the card moves to the second one and keeps its key.
    a.unlink()
    report = import_paths(db, [b])
    assert counts(report) == (0, 1, 0), messages(report.errors)
    stored = CardRepository(db).get("shared-id")
    assert stored is not None and stored.card.title == "Second" and stored.pk == 1


def test_deeply_nested_list_does_not_crash(db: Database, tmp_path: Path) -> None:
    nested = "".join("  " * depth + "- level\n" for depth in range(600))
    path = write(tmp_path, "deep.md", card_text("Deep", answer=nested))
    report = import_paths(db, [path])
    assert report.new + report.failed_files == 1
    for problem in report.errors:
        assert str(problem).startswith("deep.md:")


def test_folder_without_cards_and_missing_path(db: Database, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    report = import_paths(db, [tmp_path / "empty", tmp_path / "nope"])
    assert counts(report) == (0, 0, 0)
    assert len(report.errors) == 2
    assert "no .csv, .md, .tsv or .txt files" in report.errors[0].message
    assert "no such file" in report.errors[1].message


class _EditedWhileRead(NativeFormat):
    """The native format, except that the file is rewritten while its text is being read."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        cards = super().read(text, context, diagnostics)
        self.path.write_text(card_text("Changing", answer="second version, longer"))
        return cards


def test_file_changing_while_parsed_is_stored_consistently(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "c.md", card_text("Changing", answer="first version"))
    editing = FormatRegistry([_EditedWhileRead(path)])
    assert import_paths(db, [path], registry=editing).new == 1
    # The stored hash belongs to the first version, so the second one is noticed.
    report = import_paths(db, [path])
    assert counts(report) == (0, 1, 0)
    stored = CardRepository(db).get("c")
    assert stored is not None and "second version" in stored.card.steps[0].text


def test_file_that_never_stops_changing_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "c.md", card_text("Busy"))
    real_fstat = os.fstat
    calls = iter(range(1000))

    def drifting(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        values = list(info)
        values[6] = info.st_size + next(calls)  # st_size: as if a writer kept appending
        return os.stat_result(values)

    monkeypatch.setattr(os, "fstat", drifting)
    read = read_stable(path, 1_000_000)
    assert isinstance(read, str) and "kept changing" in read


def test_glob_import_and_missing_under_the_glob(db: Database, deck: Path) -> None:
    pattern = str(deck / "nets" / "*.md")
    assert import_paths(db, [pattern]).new == 2
    (deck / "nets" / "relu.md").unlink()
    report = import_paths(db, [pattern])
    assert (report.unchanged, report.missing) == (1, 1)


def test_hostile_folder_ends_in_clean_errors(db: Database, tmp_path: Path, deck: Path) -> None:
    import_paths(db, [deck])
    before = snapshot(db)
    hostile = deck / "hostile"
    laughs = (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "---\n# T\n\n## Question\n\nQ\n\n## Answer\n\nA\n"
    )
    write(hostile, "laughs.md", laughs)
    write(hostile, "python-tag.md", "---\nid: !!python/object:os.system ls\n---\n" + card_text("T"))
    write(
        hostile, "headings.md", "# T\n\n## Question\n\nQ\n\n## Answer\n\n" + "### h\n\nx\n" * 10000
    )
    write(hostile, "nul.md", b"# T\n\x00\x00")
    write(hostile, "long-line.md", b"# T\n\n## Question\n\n" + b"x" * 2_000_000)
    write(hostile, "truncated.md", card_text("Cut")[:40].encode())
    (hostile / "loop").symlink_to(hostile)
    report = import_paths(db, [deck])
    assert report.unchanged == 2
    for problem in report.errors:
        assert "\n" not in str(problem) and problem.file.startswith("hostile/")
    failed = {problem.file for problem in report.errors}
    assert {
        "hostile/python-tag.md",
        "hostile/nul.md",
        "hostile/long-line.md",
        "hostile/truncated.md",
    } <= failed
    # Each hostile file ended as exactly one clean error or one clean card.
    assert report.new + len(failed) == 6
    after = snapshot(db)
    assert after[0][:2] == before[0][:2]  # the two good cards are untouched
    if report.new == 0:
        assert after == before
