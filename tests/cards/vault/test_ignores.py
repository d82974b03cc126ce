"""What is not a note: template placeholders, template folders, .quizappignore, --exclude."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cards import parse_text
from quizapp.cards.discovery import discover
from quizapp.cards.ignores import IgnoreRules, template_marker


@pytest.mark.parametrize(
    "text",
    [
        'created: <% tp.date.now("YYYY-MM-DD") %>',
        "<%tp.file.title%>",
        "<%* tR += await tp.system.prompt() %>",
        "# {{date}}",
        "{{date:YYYY-MM-DD}} {{time:HH:mm}}",
        "# {{ title }}",
    ],
)
def test_template_placeholders_are_found(text: str) -> None:
    assert template_marker(text) is not None


@pytest.mark.parametrize(
    "text",
    ["<% if user %> in an ERB note", "{{c1::Adam}} keeps two moments", "{{Front}}", "a < b %>"],
)
def test_other_braces_and_percent_tags_are_not_templates(text: str) -> None:
    assert template_marker(text) is None


def test_a_template_is_skipped_not_an_error() -> None:
    parsed = parse_text("## Question (EN)\n<% tp.file.title %>\n\n## Answer (EN)\n", path="t.md")
    assert (parsed.cards, parsed.errors) == ([], [])
    assert parsed.skipped == "a note template (<% tp.file.title %>)"


def test_a_forced_format_still_reads_a_template() -> None:
    parsed = parse_text(
        "# {{date}}\n## Question\nQ?\n## Answer\nA.\n", path="t.md", format="native"
    )
    assert [card.question for card in parsed.cards] == ["Q?"]


def _files(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("## Question\nQ?\n## Answer\nA.\n", encoding="utf-8")


def _found(root: Path, *arguments: str, excludes: tuple[str, ...] = ()) -> list[str]:
    found = discover(list(arguments) or [str(root)], suffixes={".md"}, excludes=excludes)
    return sorted(Path(source.file).relative_to(root).as_posix() for source in found.files)


def test_quizappignore_uses_gitignore_rules(tmp_path: Path) -> None:
    _files(
        tmp_path,
        [
            "a.md",
            "top.md",
            "sub/top.md",
            "drafts/x.md",
            "sub/drafts/y.md",
            "sub/keep.draft.md",
            "sub/z.md",
            "_templates/t.md",
            "_Templates/u.md",
        ],
    )
    (tmp_path / ".quizappignore").write_text(
        "# comments and blank lines are fine\n\ndrafts/\n/top.md\n*.draft.md\n", encoding="utf-8"
    )
    assert _found(tmp_path) == ["a.md", "sub/top.md", "sub/z.md"]


def test_negation_brings_a_file_back(tmp_path: Path) -> None:
    _files(tmp_path, ["old/a.md", "old/b.md"])
    (tmp_path / ".quizappignore").write_text("old/*\n!old/b.md\n", encoding="utf-8")
    assert _found(tmp_path) == ["old/b.md"]


def test_exclude_globs_add_to_the_ignore_file(tmp_path: Path) -> None:
    _files(tmp_path, ["a.md", "b.md", "archive/c.md", "deep/archive/d.md"])
    assert _found(tmp_path, excludes=("archive/", "b.md")) == ["a.md"]


def test_globs_below_a_root_obey_its_ignore_rules(tmp_path: Path) -> None:
    _files(tmp_path, ["notes/a.md", "notes/drafts/b.md", "notes/_templates/c.md"])
    (tmp_path / "notes" / ".quizappignore").write_text("drafts/\n", encoding="utf-8")
    assert _found(tmp_path, str(tmp_path / "notes" / "**" / "*.md")) == ["notes/a.md"]


def test_no_ignore_file_skips_nothing_more(tmp_path: Path) -> None:
    assert IgnoreRules.load(tmp_path).spec is None
    _files(tmp_path, ["a.md", "drafts/b.md"])
    assert _found(tmp_path) == ["a.md", "drafts/b.md"]
