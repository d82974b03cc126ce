"""``import``/``check`` and card formats: --format, skipped files, --verbose, --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cards.formats import default_registry
from quizapp.cli import cli

CARD = "# Entropy\n\n## Question\n\nWhat is entropy?\n\n## Answer\n\nExpected surprise.\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "entropy.md").write_text(CARD, encoding="utf-8")
    (folder / "shopping.md").write_text("# Shopping\n\n- milk\n", encoding="utf-8")
    (folder / "empty.md").write_text("", encoding="utf-8")
    return folder


def test_skipped_files_are_counted_not_failed(folder: Path, tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "q.db"), "import", "--no-bundled", str(folder))
    assert result.exit_code == 0, result.output
    assert "1 new" in result.stdout
    assert "2 files skipped (no cards found; --verbose lists them)" in result.stdout
    assert "skipped:" not in result.stderr


def test_a_folder_without_any_card_file_says_what_layouts_are_read(
    folder: Path, tmp_path: Path
) -> None:
    (folder / "entropy.md").unlink()
    result = run("--db", str(tmp_path / "q.db"), "import", "--no-bundled", str(folder))
    assert result.exit_code == 0, result.output
    hints = [line for line in result.stderr.splitlines() if line.startswith("hint:")]
    assert len(hints) == 1 and "docs/formats.md" in hints[0]
    assert all(name in hints[0] for name in default_registry().names)
    # One card file among them, and the counts say enough.
    (folder / "entropy.md").write_text(CARD, encoding="utf-8")
    again = run("check", str(folder))
    assert "hint:" not in again.stderr


def test_the_report_says_which_format_read_the_files(folder: Path) -> None:
    (folder / "ml.md").write_text(
        "**Q: What is dropout?**\nA: Random zeroing.\n\n**Q: Why?**\nA: Less co-adaptation.\n",
        encoding="utf-8",
    )
    report = json.loads(run("check", "--json", str(folder)).stdout)
    assert report["formats"] == {"native": 1, "qa_pairs": 1}
    verbose = run("check", "--verbose", str(folder))
    assert "read as: native 1 file, qa_pairs 1 file" in verbose.stderr.splitlines()


def test_verbose_lists_each_skipped_file_with_why(folder: Path) -> None:
    result = run("check", "--verbose", str(folder))
    assert result.exit_code == 0
    assert sorted(line for line in result.stderr.splitlines() if line.startswith("skipped:")) == [
        "skipped: empty.md: no cards found (empty file)",
        "skipped: shopping.md: no cards found (not a card file)",
    ]


def test_json_report_has_skipped_and_the_files(folder: Path) -> None:
    report = json.loads(run("check", "--json", str(folder)).stdout)
    assert (report["new"], report["skipped"], report["failed_files"]) == (1, 2, 0)
    assert sorted(item["file"] for item in report["skipped_files"]) == ["empty.md", "shopping.md"]
    assert {item["message"] for item in report["skipped_files"]} == {
        "no cards found (empty file)",
        "no cards found (not a card file)",
    }


def test_format_forces_the_format_of_every_file(folder: Path, tmp_path: Path) -> None:
    forced = run("check", "--format", "Native", "--json", str(folder))
    assert forced.exit_code == 1
    report = json.loads(forced.stdout)
    assert (report["new"], report["skipped"], report["failed_files"]) == (1, 0, 2)
    assert sorted(error["file"] for error in report["errors"]) == ["empty.md", "shopping.md"]
    imported = run(
        "--db", str(tmp_path / "q.db"), "import", "--no-bundled", "--format", "native", str(folder)
    )
    assert imported.exit_code == 1 and "1 new" in imported.stdout


def test_unknown_format_is_a_usage_error(folder: Path) -> None:
    result = run("check", "--format", "anki", str(folder))
    assert result.exit_code == 2
    known = ", ".join(default_registry().names)
    assert f'unknown format "anki" (known formats: {known})' in result.stderr
