"""Hypothesis-generated Markdown: the parser returns a consistent ParsedFile for anything.

The default run tries 2,000 generated Markdown inputs plus 400 mutated cards and 400 byte
strings (derandomised, so every run sees the same inputs); ``pytest -m slow`` tries 30,000 of
each of the first two and also checks that parsing is deterministic.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.cards import parse_text
from quizapp.cards.encoding import DecodeError, decode
from quizapp.cards.model import CardKind, ParsedFile

from .helpers import card_source

FRAGMENTS = [
    "# ", "## ", "### ", "#### ", "#", "Title", "Question", "Answer", "Tags", "Difficulty",
    "Related Questions", " (EN)", "\n", "\n\n", "---\n", "...\n", "$$", "$", "```", "~~~",
    "```exercise\n", "```python\n", "- ", "* ", "1. ", "> ", "    ", "\t", "[[", "]]", "|",
    "|---|\n", "#tag ", "#ml/optim ", "difficulty/hard", "**", "_", "`", "\\", "Hard", "Easy",
    "id: x\n", "tags: [a, b]\n", "title: T\n", "deck: d\n", "&a ", "*a ", "!!python/object ",
    "\r\n", "\r", "\ufeff", "â†’", "Ã©", "σ′", "<div>", "[link](", ")", "{", "}", ":", "===\n",
    "\u2028", "\x0b", "\x1b[31m", "é", "\x85", "<details>", "<summary>", "</summary>",
    "</details>", "Why?", "<br><b>", "- Q? #card\n", "\t- ", "**Q:** ", "A: ", "Question 1: ",
    "**Why?**", "Ans. ", "> [!question]- Why?\n", "> [!tip] x\n", "> ",
]  # fmt: skip

#: Single characters mixed in between fragments: ASCII punctuation and letters, and a few
#: characters that are special to Unicode line splitting or to the terminal.
CHARACTERS = [chr(code) for code in range(32, 127)] + ["\x00", "\x0c", "\u00a0", "\U0001f600"]

#: Sampling from one fixed pool is much cheaper for hypothesis than drawing free text, which
#: keeps 2,000 examples within a few seconds; ``st.text`` still adds arbitrary Unicode.
fragment = st.one_of(st.sampled_from(FRAGMENTS + CHARACTERS), st.text(max_size=4))
markdown = st.lists(st.sampled_from(FRAGMENTS + CHARACTERS), max_size=60).map("".join)

BASE = card_source(answer="### One\nx $a$\n\n## Two\n### Three\n$$\nb\n$$")


@st.composite
def mutated_card(draw: st.DrawFn) -> str:
    """A valid card with fragments spliced in at random places."""
    text = BASE
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(fragment) + text[position:]
    return text


HEX64 = re.compile(r"[0-9a-f]{64}")


def check_consistent(text: str, twice: bool = False) -> None:
    parsed = parse_text(text, path="fuzz.md")
    assert isinstance(parsed, ParsedFile)
    line_count = text.count("\n") + text.count("\r") + 2
    for problem in parsed.errors + parsed.warnings:
        assert "\n" not in problem.message and "\r" not in problem.message
        assert 1 <= problem.line <= line_count
    if parsed.errors:
        assert parsed.cards == []
    ids = [card.id for card in parsed.cards]
    assert len(ids) == len(set(ids))
    for card in parsed.cards:
        assert card.title and card.question
        # Only a question-only card, and a cloze (its answer is its filled-in text), may
        # have no written answer.
        assert card.steps or card.kind in (CardKind.QUESTION_ONLY, CardKind.CLOZE)
        assert all(step.text.strip() for step in card.steps)
        assert card.difficulty in (None, "easy", "medium", "hard")
        assert len({tag.casefold() for tag in card.tags}) == len(card.tags)
        assert all(tag and not tag.startswith("#") for tag in card.tags)
        assert HEX64.fullmatch(card.content_hash)
    if twice:
        assert parse_text(text, path="fuzz.md") == parsed


FAST = settings(
    max_examples=2000,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SLOW = settings(FAST, max_examples=30_000)
#: Mutations of a valid card and raw bytes add breadth; the 2,000 above are the main run.
SOME = settings(FAST, max_examples=400)


@FAST
@given(markdown)
def test_generated_markdown(text: str) -> None:
    check_consistent(text)


@SOME
@given(mutated_card())
def test_mutated_cards(text: str) -> None:
    check_consistent(text)


@SOME
@given(st.binary(max_size=200))
def test_arbitrary_bytes_decode_or_are_refused(data: bytes) -> None:
    decoded = decode(data)
    if isinstance(decoded, DecodeError):
        assert decoded.line >= 1 and "\n" not in decoded.message
    else:
        check_consistent(decoded)


@pytest.mark.slow
@SLOW
@given(markdown)
def test_generated_markdown_slow(text: str) -> None:
    check_consistent(text, twice=True)


@pytest.mark.slow
@SLOW
@given(mutated_card())
def test_mutated_cards_slow(text: str) -> None:
    check_consistent(text, twice=True)
