"""Each kind of bad card file gets one clear error naming the file and line, and no cards."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quizapp.cards import parse_file, parse_text
from quizapp.cards.limits import (
    MAX_CARDS_PER_FILE,
    MAX_FILE_BYTES,
    MAX_FORMULA_CHARS,
    MAX_HEADINGS_PER_FILE,
)
from quizapp.cards.model import ParsedFile

from .helpers import card_source


def errors_of(parsed: ParsedFile) -> list[str]:
    assert parsed.cards == []
    assert not parsed.ok
    return [str(problem) for problem in parsed.errors]


def skipped(parsed: ParsedFile) -> str:
    """Why a file was skipped, after checking that skipping is all that happened."""
    assert (parsed.cards, parsed.errors, parsed.warnings) == ([], [], [])
    assert parsed.ok and parsed.skipped
    return parsed.skipped


def test_empty_file_is_skipped_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_bytes(b"")
    assert skipped(parse_file(tmp_path / "empty.md", tmp_path)) == "no cards found (empty file)"
    assert skipped(parse_text(" \n\t\n", path="blank.md")) == "no cards found (empty file)"


def test_empty_file_read_as_native_on_request_is_an_error() -> None:
    assert errors_of(parse_text(" \n\t\n", path="blank.md", format="native")) == [
        "blank.md:1: empty file"
    ]


def test_front_matter_only_is_not_a_card_file() -> None:
    assert skipped(parse_text("---\nid: x\n---\n\n", path="f.md")) == (
        "no cards found (not a card file)"
    )
    declared = "---\nid: x\nquizapp-format: native\n---\n\n"
    assert errors_of(parse_text(declared, path="f.md")) == [
        "f.md:5: no card in this file (it is empty)"
    ]


def test_no_title_heading_in_text_from_no_file() -> None:
    source = "## Question\nWhy?\n\n## Answer\nBecause.\n"
    assert errors_of(parse_text(source)) == [
        '<string>:1: no "# Title" heading before this Question section'
    ]


def test_a_note_without_a_title_heading_is_titled_by_its_file_name() -> None:
    source = "## Question\nWhy?\n\n## Answer\nBecause.\n"
    parsed = parse_text(source, path="ml/Bias-Variance Tradeoff.md")
    assert parsed.errors == [] and parsed.warnings == []
    assert parsed.cards[0].title == "Bias-Variance Tradeoff"
    assert parsed.cards[0].link_name == "Bias-Variance Tradeoff"


def test_notes_without_card_sections_are_skipped() -> None:
    for source in ("just some notes\n", "# Entropy\n\nThe expected surprise.\n"):
        assert skipped(parse_text(source, path="n.md")) == "no cards found (not a card file)"
    forced = parse_text("just some notes\n", path="n.md", format="native")
    assert errors_of(forced) == [
        'n.md:1: no "# Title" heading (a card starts with "# Title" and "## Question")'
    ]


def test_front_matter_title_without_a_question_names_the_real_fault() -> None:
    source = "---\ntitle: Entropy\n---\n\n## Answer\nThe expected surprise.\n"
    assert errors_of(parse_text(source, path="e.md")) == [
        'e.md:5: no "## Question" section (the front matter gives the title "Entropy")'
    ]


def test_empty_title_heading() -> None:
    assert errors_of(parse_text(card_source(title=""))) == [
        "<string>:1: the card's title heading is empty"
    ]


def test_an_empty_title_heading_falls_back_to_the_file_name() -> None:
    parsed = parse_text(card_source(title=""), path="ml/softmax.md")
    assert parsed.errors == []
    assert parsed.cards[0].title == "softmax"


def test_no_question_section() -> None:
    source = "# Entropy\n\n## Answer\nThe expected surprise.\n"
    assert errors_of(parse_text(source, path="q.md")) == [
        'q.md:1: no "## Question" section after "# Entropy"'
    ]


def test_no_answer_section() -> None:
    source = "# Entropy\n\n## Question\nWhat is entropy?\n\n## Tags\n#info\n"
    assert errors_of(parse_text(source, path="backprop.md")) == [
        'backprop.md:1: no "## Answer" section'
    ]


def test_empty_question_and_answer() -> None:
    source = "# Entropy\n\n## Question\n\n## Answer\n\n## Tags\n#info\n"
    assert errors_of(parse_text(source, path="e.md")) == [
        "e.md:3: the Question section is empty",
        "e.md:5: the Answer section is empty",
    ]


def test_a_second_answer_section() -> None:
    source = card_source(tail="## Answer\nagain\n")
    assert errors_of(parse_text(source, path="a.md")) == [
        'a.md:10: a second "Answer" section in one card; start each card with its own "# Title"'
    ]


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    (tmp_path / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert errors_of(parse_file(tmp_path / "image.md", tmp_path)) == [
        "image.md:3: not a text file (it contains NUL bytes)"
    ]


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    latin1 = card_source(question="Qu'est-ce qu'une dérivée ?").encode("latin-1")
    (tmp_path / "latin1.md").write_bytes(latin1)
    assert errors_of(parse_file(tmp_path / "latin1.md", tmp_path)) == [
        "latin1.md:4: not valid UTF-8 (byte 0xe9 at column 19); save it as UTF-8"
    ]


def test_utf16_file(tmp_path: Path) -> None:
    (tmp_path / "wide.md").write_bytes(card_source().encode("utf-16"))
    assert errors_of(parse_file(tmp_path / "wide.md", tmp_path)) == [
        "wide.md:1: file is UTF-16 encoded; save it as UTF-8"
    ]


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as handle:  # sparse: NUL bytes that must never be read
        handle.truncate(10 * MAX_FILE_BYTES)
    assert errors_of(parse_file(big, tmp_path)) == [
        "big.md:1: file is 10,485,760 bytes, larger than the limit of 1,048,576 bytes"
    ]


def test_text_over_the_size_limit() -> None:
    text = card_source(answer="é" * (MAX_FILE_BYTES // 2 + 1))
    assert errors_of(parse_text(text, path="big.md")) == [
        "big.md:1: file is larger than the limit of 1,048,576 bytes"
    ]


def test_broken_yaml_front_matter_is_one_warning_and_the_body_is_read() -> None:
    source = "---\nid: fine\ntags: [a, b\ndeck: x\n---\n" + card_source()
    parsed = parse_text(source, path="y.md")
    assert parsed.errors == []
    assert [str(problem) for problem in parsed.warnings] == [
        "y.md:4: broken YAML front matter: did not find expected ',' or ']';"
        " the note is read without it"
    ]
    card = parsed.cards[0]
    assert (card.id, card.title, card.tags) == ("y", "Softmax Gradient", ("ml",))


def test_front_matter_that_is_not_a_mapping() -> None:
    assert errors_of(parse_text("---\n- a\n- b\n---\n" + card_source(), path="y.md")) == [
        "y.md:1: front matter must be a mapping of keys to values"
    ]


def test_front_matter_field_of_the_wrong_type() -> None:
    source = "---\nid: ok\ntags:\n  nested: {a: 1}\n---\n" + card_source()
    assert errors_of(parse_text(source, path="y.md")) == [
        'y.md:3: front matter "tags" must be a list of values or a single value'
    ]


def test_front_matter_never_closed() -> None:
    source = "---\nid: half-written\n" + card_source()
    parsed = parse_text(source, path="y.md")
    assert parsed.errors == []
    assert [str(problem) for problem in parsed.warnings] == [
        'y.md:1: the front matter opened here is never closed with "---"; read as text'
    ]
    assert [card.id for card in parsed.cards] == ["y"]


def test_a_stray_dashes_and_backslash_first_line_does_not_stop_the_card() -> None:
    parsed = parse_text("---\\\n" + card_source(), path="y.md")
    assert parsed.errors == []
    assert [card.title for card in parsed.cards] == ["Softmax Gradient"]


def test_deeply_nested_lists_give_an_error_not_a_crash() -> None:
    nested = "".join("  " * depth + "- level\n" for depth in range(500))
    parsed = parse_text(card_source(answer=nested), path="deep.md")
    assert errors_of(parsed) == ["deep.md:26: lists or quotes are nested more than 20 levels deep"]


def test_moderately_nested_lists_are_fine() -> None:
    nested = "".join("  " * depth + "- level\n" for depth in range(10))
    parsed = parse_text(card_source(answer=nested))
    assert parsed.ok
    assert parsed.cards[0].steps[0].text == nested.rstrip()
    assert parsed.cards[0].tags == ("ml",)


def test_formula_over_the_length_limit() -> None:
    formula = "x+" * (MAX_FORMULA_CHARS // 2 + 1)
    for answer in (f"$$\n{formula}\n$$", f"so ${formula}$ holds"):
        assert errors_of(parse_text(card_source(answer=answer), path="m.md")) == [
            "m.md:7: a formula of 2,002 characters is longer than the limit of 2,000"
        ]


def test_too_many_cards_in_one_file() -> None:
    source = "".join(card_source(f"Card {n}") for n in range(MAX_CARDS_PER_FILE + 1))
    lines_per_card = card_source().count("\n")
    assert errors_of(parse_text(source, path="many.md")) == [
        f"many.md:{MAX_CARDS_PER_FILE * lines_per_card + 1}: more than 200 cards in one file"
    ]


def test_too_many_headings() -> None:
    source = card_source(answer="### step\nx\n" * MAX_HEADINGS_PER_FILE)
    assert errors_of(parse_text(source, path="h.md")) == [
        f"h.md:{2 * (MAX_HEADINGS_PER_FILE - 3) + 7}: more than 2,000 headings in one file"
    ]


def test_two_cards_with_the_same_title_in_one_file() -> None:
    source = card_source("Same") + card_source("Same")
    assert errors_of(parse_text(source, path="dup.md")) == [
        'dup.md:15: two cards in this file have the id "dup#same"; give them different titles'
    ]


def test_one_bad_card_means_no_cards_from_the_file() -> None:
    source = card_source("Good") + "# Bad\n\n## Question\nNo answer here.\n"
    parsed = parse_text(source, path="mixed.md")
    assert errors_of(parsed) == ['mixed.md:15: no "## Answer" section']


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert errors_of(parse_file(fifo, tmp_path)) == ["pipe.md:1: not a regular file"]


def test_a_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    assert errors_of(parse_file(tmp_path / "gone.md", tmp_path)) == [
        "gone.md:1: cannot read the file: No such file or directory"
    ]


def test_every_message_is_one_line() -> None:
    sources = [
        "---\ntitle: 'x\n  y\n---\n" + card_source(),
        '---\nid: "a\\\nb"\n---\n' + card_source(),
    ]
    for source in sources:
        parsed = parse_text(source)
        assert all("\n" not in str(problem) for problem in parsed.errors + parsed.warnings)
