"""The cloze convention: parsing ``{{cN::answer::hint}}``, one card per ordinal, masking
and revealing, and one-line errors for malformed deletions."""

from __future__ import annotations

import pytest

from quizapp.cards.cloze import (
    ClozeError,
    card_text,
    deletions,
    has_deletions,
    masked,
    ordinals,
    plain,
    revealed,
)
from quizapp.mathtext import render_markdown_math

NOTE = "{{c1::Adam}} keeps {{c2::two moments::what it tracks}} and {{c1::bias-corrects}} them."


def test_deletions_are_parsed_with_ordinal_answer_hint_and_offsets() -> None:
    found = deletions(NOTE)
    assert [(d.ordinal, d.answer, d.hint) for d in found] == [
        (1, "Adam", ""),
        (2, "two moments", "what it tracks"),
        (1, "bias-corrects", ""),
    ]
    assert NOTE[found[0].start : found[0].end] == "{{c1::Adam}}"
    assert ordinals(NOTE) == [1, 2]


def test_card_text_keeps_only_its_own_deletions_marked() -> None:
    assert card_text(NOTE, 2) == (
        "Adam keeps {{c2::two moments::what it tracks}} and bias-corrects them."
    )
    assert card_text(NOTE, 1) == "{{c1::Adam}} keeps two moments and {{c1::bias-corrects}} them."


def test_masked_hides_the_active_deletions_and_shows_the_others() -> None:
    assert masked(card_text(NOTE, 1)) == "**[…]** keeps two moments and **[…]** them."
    assert masked(card_text(NOTE, 2)) == "Adam keeps **[what it tracks]** and bias-corrects them."
    # An explicit ordinal works on the note's full text too.
    assert masked(NOTE, 2) == masked(card_text(NOTE, 2))


def test_revealed_fills_in_the_deletion_in_bold() -> None:
    assert revealed(card_text(NOTE, 2)) == "Adam keeps **two moments** and bias-corrects them."
    assert plain(NOTE) == "Adam keeps two moments and bias-corrects them."


def test_text_without_deletions_is_unchanged() -> None:
    text = "No {{cloze}} here, {{c::x}} neither; $\\{a\\}$."
    assert not has_deletions(text)
    assert masked(text) == revealed(text) == plain(text) == text
    assert ordinals(text) == []


def test_math_inside_a_deletion_and_a_hint_still_renders() -> None:
    text = "The output is {{c1::$\\sigma(z)$::a function of $z$}}."
    assert render_markdown_math(masked(text)) == "The output is **[a function of z]**."
    assert render_markdown_math(revealed(text)) == "The output is **σ(z)**."


def test_braces_inside_a_deletion_do_not_close_it() -> None:
    text = "Then {{c1::$e^{x^{2}}$}} and {{c2::$\\{a\\}$}} follow."
    assert [d.answer for d in deletions(text)] == ["$e^{x^{2}}$", "$\\{a\\}$"]
    assert plain(text) == "Then $e^{x^{2}}$ and $\\{a\\}$ follow."


def test_bold_is_left_out_where_markdown_would_print_the_asterisks() -> None:
    # Inside a word, bold around punctuation is not bold: the gap is shown bare.
    assert masked("photo{{c1::synthesis}}") == "photo[…]"
    assert revealed("photo{{c1::synthesis}}") == "photo**synthesis**"
    # A multi-line answer cannot be bold; it is filled in as written.
    assert revealed("a {{c1::one\ntwo}} b") == "a one\ntwo b"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("ok\nthe {{c1::open", 2, '"{{c1::" is never closed: end the deletion with "}}"'),
        ("{{c0::zero}}", 1, '"{{c0::" numbers a deletion 0: number them from c1'),
        ("a {{c3::}} b", 1, '"{{c3::}}" hides nothing: write the hidden text'),
        ("a {{c3::  ::hint}} b", 1, '"{{c3::}}" hides nothing: write the hidden text'),
        (
            "x\n{{c1::a\n{{c2::b}} c}}",
            3,
            'a deletion inside "{{c1::…}}": deletions cannot be nested',
        ),
    ],
)
def test_malformed_deletions_are_one_line_errors(text: str, line: int, message: str) -> None:
    with pytest.raises(ClozeError) as caught:
        deletions(text)
    assert (caught.value.line, caught.value.message) == (line, message)
    assert "\n" not in str(caught.value)
