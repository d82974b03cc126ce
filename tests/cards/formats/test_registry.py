"""The format registry: which format reads a file, forcing one, skipping non-card files,
and discovery and import taking their suffixes and formats from the registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cards import discover, parse_file, parse_text
from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats import (
    EMPTY_FILE,
    NOT_A_CARD_FILE,
    FileContext,
    FormatRegistry,
    UnknownFormat,
    default_registry,
)
from quizapp.cards.formats.native import NativeFormat
from quizapp.cards.model import Card
from quizapp.services.importer import check_paths, import_paths
from quizapp.store.db import Database

from ..helpers import card_source
from .lines_format import LinesFormat

NATIVE = card_source()
LINES = "Q: What is 2+2? | A: 4\nQ: Capital of France? | A: Paris\n"


class Greedy:
    """A format that claims every ``.md`` file, to show that order decides."""

    name = "greedy"
    suffixes = (".md",)

    def sniff(self, text: str, context: FileContext) -> bool:
        return True

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        diagnostics.error(1, "greedy read this")
        return []


@pytest.fixture
def registry() -> FormatRegistry:
    return FormatRegistry([NativeFormat(), LinesFormat()])


#: The detection order of docs/formats.md, of the formats registered so far.
DOCUMENTED_ORDER = (
    "native",
    "obsidian_sr",
    "hashcards",
    "logseq",
    "details",
    "heading_questions",
    "question_lists",
    "frontmatter_cards",
    "qa_pairs",
    "delimited",
)


def test_the_default_registry_reads_native_markdown() -> None:
    registry = default_registry()
    assert registry.names[0] == "native"
    known = [name for name in registry.names if name in DOCUMENTED_ORDER]
    assert known == [name for name in DOCUMENTED_ORDER if name in registry.names]
    assert ".md" in registry.suffixes
    parsed = parse_text(NATIVE, path="a.md")
    assert parsed.format == "native" and [card.format for card in parsed.cards] == ["native"]


def test_each_file_goes_to_the_first_format_that_claims_it(registry: FormatRegistry) -> None:
    assert parse_text(LINES, path="q.txt", registry=registry).format == "lines"
    assert parse_text(NATIVE, path="a.md", registry=registry).format == "native"
    # Order decides between two formats that claim the same file.
    greedy_last = FormatRegistry([NativeFormat(), Greedy()])
    assert parse_text(NATIVE, path="a.md", registry=greedy_last).format == "native"
    greedy_first = FormatRegistry([Greedy(), NativeFormat()])
    assert parse_text(NATIVE, path="a.md", registry=greedy_first).format == "greedy"


def test_a_format_is_only_asked_about_its_own_suffixes(registry: FormatRegistry) -> None:
    # Q:/A: lines in a .md file are not the lines format's to claim.
    assert parse_text(LINES, path="q.md", registry=registry).skipped == NOT_A_CARD_FILE
    # A suffix that no format claims (a file named on the command line) is offered to all.
    assert parse_text(LINES, path="q.text", registry=registry).format == "lines"
    assert parse_text(NATIVE, path="<string>", registry=registry).format == "native"


def test_files_no_format_claims_are_skipped_not_failed(registry: FormatRegistry) -> None:
    for text, reason in (
        ("", EMPTY_FILE),
        ("\n  \n", EMPTY_FILE),
        ("# Shopping\n\n- milk\n", NOT_A_CARD_FILE),
        ("Question: is this a card?\n", NOT_A_CARD_FILE),
        ("### Question\nToo deep to be a section.\n", NOT_A_CARD_FILE),
    ):
        parsed = parse_text(text, path="n.md", registry=registry)
        assert (parsed.skipped, parsed.cards, parsed.errors, parsed.format) == (
            reason,
            [],
            [],
            "",
        ), text


@pytest.mark.parametrize(
    "heading",
    [
        "## Question",
        "# Question",
        "## question:",
        "## **Answer**",
        "## Question (EN)",
        "Answer\n---",
    ],
)
def test_native_claims_a_file_by_its_question_or_answer_heading(heading: str) -> None:
    assert NativeFormat().sniff(f"Some text\n\n{heading}\nbody\n", FileContext())


def test_format_forced_by_name(registry: FormatRegistry) -> None:
    forced = parse_text("# Shopping\n", path="n.md", format="native", registry=registry)
    assert forced.format == "native" and forced.errors and not forced.skipped
    lines = parse_text(LINES, path="q.md", format="LINES", registry=registry)
    assert lines.format == "lines" and len(lines.cards) == 2
    known = r'unknown format "csv" \(known formats: native, lines\)'
    with pytest.raises(UnknownFormat, match=known):
        parse_text(LINES, path="q.md", format="csv", registry=registry)


def test_format_named_in_front_matter_wins(registry: FormatRegistry) -> None:
    text = "---\nquizapp-format: 'native'  # this file is a card\n---\n# Shopping\n"
    parsed = parse_text(text, path="n.md", format="lines", registry=registry)
    assert parsed.format == "native"
    assert [problem.message for problem in parsed.errors] == [
        'no "## Question" section after "# Shopping"'
    ]


def test_unknown_format_in_front_matter_is_an_error_on_its_line(registry: FormatRegistry) -> None:
    parsed = parse_text(
        "---\ntitle: x\nquizapp-format: anki\n---\n" + NATIVE, path="a.md", registry=registry
    )
    assert [str(problem) for problem in parsed.errors] == [
        'a.md:3: unknown format "anki" in front matter "quizapp-format" '
        "(known formats: native, lines)"
    ]
    assert parsed.cards == []


def test_format_names_must_be_unique() -> None:
    with pytest.raises(ValueError, match="two formats"):
        FormatRegistry([NativeFormat(), NativeFormat()])


def test_discovery_looks_for_the_registered_suffixes(
    tmp_path: Path, registry: FormatRegistry
) -> None:
    for name in ("a.md", "b.txt", "c.csv", "D.TXT"):
        (tmp_path / name).write_text(LINES, encoding="utf-8")
    found = discover([str(tmp_path)], suffixes=registry.suffixes)
    assert [Path(source.file).name for source in found.files] == ["D.TXT", "a.md", "b.txt"]
    default = discover([str(tmp_path)])  # the default formats read .md, .csv, .tsv, .txt
    assert [Path(source.file).name for source in default.files] == [
        "D.TXT",
        "a.md",
        "b.txt",
        "c.csv",
    ]
    (tmp_path / "empty").mkdir()
    nothing = discover([str(tmp_path / "empty")], suffixes=registry.suffixes)
    assert [problem.message for problem in nothing.problems] == [
        "no .md or .txt files in this folder"
    ]


def test_import_reads_every_registered_format(
    db: Database, tmp_path: Path, registry: FormatRegistry
) -> None:
    (tmp_path / "a.md").write_text(NATIVE, encoding="utf-8")
    (tmp_path / "quiz.txt").write_text(LINES, encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Notes\n", encoding="utf-8")
    report = import_paths(db, [tmp_path], registry=registry)
    assert (report.new, report.skipped, report.errors) == (3, 1, [])
    checked = check_paths([tmp_path], registry=registry, format="native")
    assert checked.failed_files == 2  # quiz.txt and notes.md read as native cards
    with pytest.raises(UnknownFormat):
        check_paths([tmp_path], format="nonsense")


def test_parse_file_goes_through_the_registry(tmp_path: Path, registry: FormatRegistry) -> None:
    (tmp_path / "quiz.txt").write_text(LINES, encoding="utf-8")
    parsed = parse_file(tmp_path / "quiz.txt", tmp_path, registry=registry)
    assert [card.id for card in parsed.cards] == [
        "quiz.txt#what-is-2-2",
        "quiz.txt#capital-of-france",
    ]


def test_an_inline_card_keeps_its_key_when_its_question_is_edited_in_place(
    db: Database, tmp_path: Path, registry: FormatRegistry
) -> None:
    from quizapp.store.sqlite.card_repo import CardRepository

    quiz = tmp_path / "quiz.txt"
    quiz.write_text(LINES, encoding="utf-8")
    assert import_paths(db, [tmp_path], registry=registry).new == 2
    before = CardRepository(db).get("quiz.txt#capital-of-france")
    assert before is not None
    quiz.write_text(LINES.replace("Capital of France?", "Which city is the capital of France?"))
    report = import_paths(db, [tmp_path], registry=registry)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)
    after = CardRepository(db).get("quiz.txt#capital-of-france")
    assert after is not None and after.pk == before.pk
    assert after.card.question == "Which city is the capital of France?"


@pytest.mark.parametrize(
    "text",
    [
        "quizapp-format: native\n" + NATIVE,  # not in front matter
        "---\ntitle: x\n---\nquizapp-format: lines\n",  # after the front matter closed
        "---\nnotes: |\n  quizapp-format: lines\n---\n",  # inside a value, indented
    ],
)
def test_only_a_front_matter_key_names_the_format(text: str) -> None:
    from quizapp.cards.frontmatter import declared_format

    assert declared_format(text) is None
    assert declared_format('---\nquizapp-format: "lines"\n...\n') == ("lines", 2)
