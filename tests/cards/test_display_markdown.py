"""Card text drawn as Obsidian draws it (issue 14): the quote around a question and a
closing rule taken off, a question that repeats its title, callouts, highlights, images,
footnotes, and the plain-text form the command line prints."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from quizapp.cards import callouts
from quizapp.cards.callouts import Callout
from quizapp.cards.display_markdown import (
    image_placeholder,
    obsidian_plugin,
    plain,
    tidy,
    tidy_question,
    without_title,
)
from quizapp.cards.formulas import use_math


def parser() -> MarkdownIt:
    return use_math(MarkdownIt("gfm-like")).use(obsidian_plugin)


def inline_children(markdown: str) -> list[list[tuple[str, str]]]:
    """Each inline token's children as (type, content) pairs."""
    return [
        [(child.type, child.content) for child in token.children or []]
        for token in parser().parse(markdown)
        if token.type == "inline"
    ]


# ------------------------------------------------------------------------ tidying


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is dropout?\n\n---\n", "What is dropout?"),
        ("What is dropout?\n---", "What is dropout?"),  # not a setext heading
        ("A step.\n\n***\n\n___\n\n", "A step."),
        ("No rule here.\n", "No rule here.\n"),
        ("Rule in the middle\n\n---\n\nstays.", "Rule in the middle\n\n---\n\nstays."),
        ("```\ncode\n---", "```\ncode\n---"),  # inside an unclosed fence: code
    ],
)
def test_tidy_drops_trailing_rules(text: str, expected: str) -> None:
    assert tidy(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("> What is dropout?", "What is dropout?"),
        ("> What is *dropout*?\n> In one line.\n\n---\n", "What is *dropout*?\nIn one line."),
        (">What is it?\n>\n> Two paragraphs.", "What is it?\n\nTwo paragraphs."),
        ("> > nested", "> nested"),
        ("> quoted\nnot quoted", "> quoted\nnot quoted"),
        ("> [!question] Why?\n> Because.", "> [!question] Why?\n> Because."),
    ],
)
def test_tidy_question_takes_off_the_quote_around_it(text: str, expected: str) -> None:
    assert tidy_question(text) == expected


@pytest.mark.parametrize(
    ("title", "question", "expected"),
    [
        ("What is dropout?", "What is dropout?", ""),
        ("What is dropout", "**What is dropout?**", ""),
        ("What is dropout?", "What is  DROPOUT?\n\nIn a sentence.", "In a sentence."),
        ("Что такое дропаут?", "## Что такое дропаут", ""),
        ("Dropout", "What is dropout?", "What is dropout?"),
        ("", "What is dropout?", "What is dropout?"),
    ],
)
def test_a_question_does_not_repeat_its_title(title: str, question: str, expected: str) -> None:
    assert without_title(title, question) == expected


# ----------------------------------------------------------------------- callouts


def test_a_callout_is_marked_and_its_header_taken_out() -> None:
    tokens = parser().parse("> [!warning]- Not for *small* batches\n> Noisy below 16.\n")
    (opening,) = (t for t in tokens if t.type == "blockquote_open")
    assert opening.meta["callout"] == Callout("warning", "Not for small batches", "-")
    assert inline_children("> [!warning]- Not for *small* batches\n> Noisy below 16.\n") == [
        [("text", "Noisy below 16.")]
    ]


def test_a_callout_without_title_or_body_is_titled_by_its_type() -> None:
    tokens = parser().parse("> [!TIP]\n")
    assert [t.type for t in tokens] == ["blockquote_open", "blockquote_close"]
    assert tokens[0].meta["callout"] == Callout("tip", "Tip")
    assert Callout("tip", "Tip").tone == "tip"
    assert Callout("bug", "Bug").tone == "danger"
    assert Callout("custom-thing", "x").tone == "note"


def test_an_ordinary_quote_is_no_callout() -> None:
    tokens = parser().parse("> [not a callout] text\n")
    assert all("callout" not in t.meta for t in tokens)
    assert inline_children("> [not a callout] text\n") == [[("text", "[not a callout] text")]]


def test_callout_header_lines_become_bold_titles_in_plain_text() -> None:
    text = "> [!tip] Why\n> Because.\n\n> [!note]\n> x\n\n```\n> [!tip] code\n```"
    assert callouts.plain(text) == (
        "> **Tip: Why**\n> Because.\n\n> **Note**\n> x\n\n```\n> [!tip] code\n```"
    )


# --------------------------------------------------------------------- highlights


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a ==marked== word",
            [
                ("text", "a "),
                ("mark_open", ""),
                ("text", "marked"),
                ("mark_close", ""),
                ("text", " word"),
            ],
        ),
        (
            "==*both*==",
            [
                ("mark_open", ""),
                ("em_open", ""),
                ("text", "both"),
                ("em_close", ""),
                ("mark_close", ""),
            ],
        ),
        ("==$x==y$==", [("mark_open", ""), ("math_inline", "x==y"), ("mark_close", "")]),
        ("a == b == c", [("text", "a == b == c")]),
        ("`==code==`", [("code_inline", "==code==")]),
        ("=== not ===", [("text", "=== not ===")]),
        ("==unclosed", [("text", "==unclosed")]),
    ],
)
def test_highlights(text: str, expected: list[tuple[str, str]]) -> None:
    assert inline_children(text) == [expected]


# ------------------------------------------------------------------ images, notes


def test_image_placeholder() -> None:
    assert image_placeholder("a net", "img/net.png") == "[image: a net — img/net.png]"
    assert image_placeholder("", "net.png") == "[image: net.png]"
    assert image_placeholder("net.png", "net.png") == "[image: net.png]"


def test_images_become_placeholders_in_emphasis() -> None:
    assert inline_children('![a  net](img/net.png "t") ![[b.png|300]]') == [
        [
            ("em_open", ""),
            ("text", "[image: a net — img/net.png]"),
            ("em_close", ""),
            ("text", " "),
            ("em_open", ""),
            ("text", "[image: b.png]"),
            ("em_close", ""),
        ]
    ]


def test_footnotes_are_kept_as_numbers_and_a_list_after_a_rule() -> None:
    tokens: list[Token] = parser().parse(
        "Text[^1] and[^a].\n\n[^1]: First note.\n[^a]: https://example.com\n"
    )
    assert not [t for t in tokens if t.type.startswith("footnote")]
    assert "hr" in [t.type for t in tokens]
    texts = ["".join(c.content for c in t.children or []) for t in tokens if t.type == "inline"]
    assert texts == ["Text[1] and[2].", "[1] First note.", "[2] https://example.com"]


def test_dollar_amounts_are_not_math() -> None:
    assert inline_children("costs $5 and $10") == [[("text", "costs $5 and $10")]]


def test_plain_text_for_the_command_line() -> None:
    text = (
        "See [[Adam|the optimiser]] ![net](img/net.png) ![[loss.png|Loss]] ==kept==\n\n"
        "> [!tip] Why\n> Because.\n\n`![x](y)` [^1]\n\n[^1]: note\n"
    )
    assert plain(text) == (
        "See the optimiser [image: net — img/net.png] [image: Loss — loss.png] ==kept==\n\n"
        "> **Tip: Why**\n> Because.\n\n`![x](y)` [^1]\n\n[^1]: note\n"
    )
