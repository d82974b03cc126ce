"""Ids are NFKC-normalised and hold no invisible format characters; card text keeps them."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cards import parse_file, parse_text
from quizapp.cards.identity import InvalidId, normalise_id

from .helpers import card_source, only_card

#: Zero-width space and joiner, word joiner, a tag character, soft hyphen, BOM, and the
#: right-to-left override.
HIDDEN = ["\u200b", "\u200d", "\u2060", "\U000e0041", "\u00ad", "\ufeff", "\u202e"]


@pytest.mark.parametrize("char", HIDDEN)
def test_format_characters_in_a_front_matter_id_fail_the_card(char: str) -> None:
    source = f"---\nid: term/{char}evil\n---\n" + card_source()
    parsed = parse_text(source, path="t.md")
    assert parsed.cards == []
    assert len(parsed.errors) == 1
    problem = parsed.errors[0]
    assert (problem.file, problem.line) == ("t.md", 4)  # the card's title line
    assert "invisible format characters" in problem.message
    assert f"U+{ord(char):04X}" in problem.message
    assert problem.message.endswith('remove them from the file name or the front matter "id"')
    assert char not in problem.message  # shown as an escape, never raw
    assert "\n" not in problem.message


def test_the_issue_id_is_refused_with_both_characters_named() -> None:
    source = '---\nid: "term/\\u202eevil\\u200b"\n---\n' + card_source()
    problem = parse_text(source, path="t.md").errors[0]
    assert problem.message == (
        'the card id "term/\\u202eevil\\u200b" contains invisible format characters'
        " (U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE);"
        ' remove them from the file name or the front matter "id"'
    )


def test_format_characters_in_a_file_name_fail_the_card(tmp_path: Path) -> None:
    folder = tmp_path / "term"
    folder.mkdir()
    path = folder / "ev\u200bil.md"
    path.write_text(card_source(), encoding="utf-8")
    parsed = parse_file(path, tmp_path)
    assert parsed.cards == []
    assert [(p.file, p.line) for p in parsed.errors] == [("term/ev\u200bil.md", 1)]
    assert "U+200B ZERO WIDTH SPACE" in parsed.errors[0].message


def test_ids_are_nfkc_normalised() -> None:
    # Full-width letters, a ligature and a decomposed accent read as what one would type.
    source = "---\nid: ｔｅｒｍ/ﬁle-cafe\u0301\n---\n" + card_source()
    assert only_card(source).id == "term/file-café"
    assert only_card(card_source(), path="ﬁle.md").id == "file"


def test_card_text_keeps_its_format_characters() -> None:
    source = card_source(title="Zero\u200bwidth", question="Why\u2060 and \u202ehere?")
    card = only_card(source, path="ok.md")
    assert card.id == "ok"
    assert card.title == "Zero\u200bwidth"
    assert card.question == "Why\u2060 and \u202ehere?"


def test_a_title_slug_drops_format_characters() -> None:
    source = card_source(title="Zero\u200bwidth") + "\n" + card_source(title="Other")
    ids = [card.id for card in parse_text(source, path="multi.md").cards]
    assert ids == ["multi#zero-width", "multi#other"]


def test_normalise_id_leaves_plain_ids_alone() -> None:
    for value in ("deep-learning/backpropagation", "概率/熵", "a#b-c"):
        assert normalise_id(value) == value
    with pytest.raises(InvalidId):
        normalise_id("a\u200bb")
