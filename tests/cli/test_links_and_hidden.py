"""The command line: ``--follow-links`` on import and check, and hidden characters shown; the
commands that store run with ``--db`` a SQLite file and a PostgreSQL URL (``backend_url``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner, Result

from quizapp.cli import cli

CARD = "# {title}\n\n## Question\n\nWhy?\n\n## Answer\n\nBecause.\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def write(path: Path, title: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CARD.format(title=title), encoding="utf-8")


def test_check_skips_a_link_out_of_the_root_unless_follow_links(tmp_path: Path) -> None:
    write(tmp_path / "vault" / "inside.md", "Inside")
    write(tmp_path / "elsewhere" / "outside.md", "Outside")
    os.symlink(tmp_path / "elsewhere", tmp_path / "vault" / "more")
    plain = run("check", str(tmp_path / "vault"))
    assert plain.exit_code == 0, plain.output
    assert "Checked: 1 new" in plain.stdout
    warning = [line for line in plain.stderr.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1
    assert "leads outside the import root (--follow-links follows it)" in warning[0]
    followed = run("check", "--follow-links", str(tmp_path / "vault"))
    assert followed.exit_code == 0, followed.output
    assert "Checked: 2 new" in followed.stdout
    assert "warning:" not in followed.stderr


def test_import_follow_links_imports_through_the_link(tmp_path: Path, backend_url: str) -> None:
    write(tmp_path / "vault" / "inside.md", "Inside")
    write(tmp_path / "elsewhere" / "outside.md", "Outside")
    os.symlink(tmp_path / "elsewhere", tmp_path / "vault" / "more")
    db = backend_url
    vault = str(tmp_path / "vault")
    report = json.loads(run("--db", db, "import", "--no-bundled", "--json", vault).stdout)
    assert (report["new"], len(report["warnings"])) == (1, 1)
    again = run("--db", db, "import", "--no-bundled", "--json", "--follow-links", vault)
    report = json.loads(again.stdout)
    assert (report["new"], report["unchanged"], report["warnings"]) == (1, 1, [])
    listed = json.loads(run("--db", db, "list", "--json").stdout)
    assert sorted(item["id"] for item in listed) == ["inside", "more/outside"]


def test_show_and_list_make_format_characters_visible(tmp_path: Path, backend_url: str) -> None:
    title = "Zero\u200bwidth \u2060joined\u200d and tagged\U000e0041"
    write(tmp_path / "cards" / "hidden.md", title)
    db = backend_url
    assert run("--db", db, "import", "--no-bundled", str(tmp_path / "cards")).exit_code == 0
    for result in (run("--db", db, "show", "hidden"), run("--db", db, "list")):
        assert result.exit_code == 0, result.output
        for char in ("\u200b", "\u2060", "\u200d", "\U000e0041"):
            assert char not in result.stdout
        assert "Zero\\u200bwidth \\u2060joined\\u200d and tagged\\U000e0041" in result.stdout
    shown = run("--db", db, "show", "hidden", "--json").stdout
    assert "\u200b" not in shown and "\\udb40\\udc41" in shown
    assert json.loads(shown)["title"] == title  # JSON still carries the exact text


def test_an_id_with_a_format_character_fails_its_file_with_one_line(
    tmp_path: Path, backend_url: str
) -> None:
    write(tmp_path / "cards" / "ev\u200bil.md", "Evil")
    write(tmp_path / "cards" / "good.md", "Good")
    result = run("--db", backend_url, "import", "--no-bundled", str(tmp_path / "cards"))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        'error: ev\\u200bil.md:1: the card id "ev\\u200bil" contains invisible format characters'
        ' (U+200B ZERO WIDTH SPACE); remove them from the file name or the front matter "id"'
    ]
    assert "Imported: 1 new" in result.stdout
