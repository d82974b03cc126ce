"""The block-only parse with inline content parsed on demand gives what a full parse gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from quizapp.cards.markdown_parser import (
    heading_text,
    inline_children,
    inline_plain_text,
    parse,
    parse_blocks,
)

SAMPLES = [
    "# Title with *emphasis* and `code`\n\nSome **bold** text with $x^2$.\n",
    "## See [the card][ref] \\# here\n\n[ref]: https://example.com\n",
    "## $$a + b$$ and ~~gone~~ &amp; <b>kept</b>\n- item with $\\alpha$\n",
    "> quoted ## not a heading\n\n| a | b |\n|---|---|\n| $1$ | 2 |\n",
    "### ![alt *text*](img.png) step\ntext  \nafter a hard break\n",
]


def _shape(tokens: list[Token]) -> list[tuple[str, str, str]]:
    return [(t.type, t.content, t.markup) for t in tokens]


@pytest.mark.parametrize("text", SAMPLES)
def test_inline_children_match_a_full_parse(text: str) -> None:
    full = parse(text)
    blocks, env = parse_blocks(text)
    assert [(t.type, t.map, t.content) for t in blocks] == [
        (t.type, t.map, t.content) for t in full
    ]
    for lazy, eager in zip(blocks, full, strict=True):
        if eager.type == "inline":
            assert _shape(inline_children(lazy, env)) == _shape(eager.children or [])
            assert inline_plain_text(lazy) == inline_plain_text(eager)


def test_block_pass_leaves_paragraphs_unparsed() -> None:
    blocks, env = parse_blocks("Some *text* here.\n")
    inline = next(t for t in blocks if t.type == "inline")
    assert not inline.children
    assert [t.type for t in inline_children(inline, env)] == [
        "text",
        "em_open",
        "text",
        "em_close",
        "text",
    ]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(alphabet="ab #*_`$\\[]()!<>&~:-=+^{}%@|\t\u00e9\u2003x1", max_size=30))
def test_heading_text_matches_the_full_parse(words: str) -> None:
    text = f"[r]: /u\n\n## {words}\n\n{words}\n===\n"
    full = [t for t in parse(text) if t.type == "inline"]
    blocks, env = parse_blocks(text)
    lazy = [t for t in blocks if t.type == "inline"]
    assert [heading_text(t, env) for t in lazy] == [inline_plain_text(t) for t in full]
