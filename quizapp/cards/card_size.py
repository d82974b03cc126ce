"""Checking what one card holds against the per-card limits of ``limits.py``.

A card is drawn in the TUI as one widget per Markdown block and its formulas are rendered
one by one, so the number of blocks and formulas, not only the file's size, decides how
long showing it takes. A format that has the file's token stream indexes it once with
:class:`CardSizes` and asks about each card's line range: no second parse, and inline
formulas are parsed out only when the card's dollars could exceed the limit. What is
counted is what the card view draws: the question and the answer, not the metadata
sections (tags, difficulty, related questions), which become badges.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from markdown_it.token import Token
from markdown_it.utils import EnvType

from quizapp.cards.limits import (
    MAX_BLOCKS_PER_CARD,
    MAX_CARD_CHARS,
    MAX_FORMULAS_PER_CARD,
    MAX_STEPS_PER_CARD,
)
from quizapp.cards.markdown_parser import MATH_TOKEN_TYPES, inline_children, parse_blocks


def _first_line(token: Token) -> int:
    return token.map[0] if token.map else 0


#: Line ranges ``[start, stop)`` (0-based) of one card's question and answer.
Ranges = Sequence[tuple[int, int]]


def _between(lines: list[int], ranges: Ranges) -> int:
    return sum(bisect_left(lines, stop) - bisect_left(lines, start) for start, stop in ranges)


class CardSizes:
    """Where a file's blocks and formulas are, by first line (0-based), from the block
    tokens of :func:`quizapp.cards.markdown_parser.parse_blocks`."""

    def __init__(self, tokens: list[Token], env: EnvType) -> None:
        self.env = env
        self.blocks: list[int] = []
        self.display_math: list[int] = []
        self.dollar_inlines: list[tuple[int, Token]] = []
        for token in tokens:
            kind = token.type
            if kind == "inline":
                if "$" in token.content:
                    self.dollar_inlines.append((_first_line(token), token))
                continue
            if token.nesting == 1 or token.nesting == 0:
                line = _first_line(token)
                self.blocks.append(line)
                if kind == "list_item_open":  # a bullet beside a box for its content
                    self.blocks.extend((line, line))
                elif kind in MATH_TOKEN_TYPES:
                    self.display_math.append(line)

    def formulas(self, ranges: Ranges) -> int:
        """The formulas in the line ``ranges``, exactly whenever they could be over the
        limit. An inline formula takes two ``$``: while the dollars cannot reach the limit,
        the inline ones are not parsed out and only the display ones are counted."""
        display = _between(self.display_math, ranges)
        inlines = [
            token
            for line, token in self.dollar_inlines
            if any(start <= line < stop for start, stop in ranges)
        ]
        dollars = sum(token.content.count("$") for token in inlines)
        if display + dollars // 2 <= MAX_FORMULAS_PER_CARD:
            return display
        return display + sum(
            1
            for token in inlines
            for child in inline_children(token, self.env)
            if child.type in MATH_TOKEN_TYPES
        )

    def problem(self, ranges: Ranges, chars: int, steps: int = 1) -> str | None:
        """Why the card whose question and answer are the line ``ranges``, with ``chars``
        characters of text in ``steps`` steps, is too big (a one-line message naming the
        count and the limit), or None."""
        if chars > MAX_CARD_CHARS:
            return _message(chars, "characters", MAX_CARD_CHARS)
        if steps > MAX_STEPS_PER_CARD:
            return _message(steps, "steps", MAX_STEPS_PER_CARD)
        blocks = _between(self.blocks, ranges)
        if blocks > MAX_BLOCKS_PER_CARD:
            return _message(blocks, "Markdown blocks", MAX_BLOCKS_PER_CARD)
        formulas = self.formulas(ranges)
        if formulas > MAX_FORMULAS_PER_CARD:
            return _message(formulas, "formulas", MAX_FORMULAS_PER_CARD)
        return None


def _message(count: int, what: str, limit: int) -> str:
    return (
        f"this card holds {count:,} {what}, over the limit of {limit:,};"
        " split it into several cards"
    )


#: Characters that can open a Markdown block other than by starting a line: bullet list
#: markers, a quote's ``>`` and a table cell's ``|`` (ordered list markers below).
_BLOCK_MARKERS = "-*+>|"
#: An ordered list item's marker: a digit, then ``.`` or ``)``.
_ORDERED_MARKER = re.compile(r"[0-9][.)]")
#: The most block tokens one marker opens (a bullet list, its item, which counts three,
#: and the item's paragraph) and the most one line opens by itself (a paragraph, or a
#: table with its head, body, row and first cell).
_BLOCKS_PER_MARKER = 5
_BLOCKS_PER_LINE = 5


def block_bound(text: str) -> int:
    """At most how many blocks the card view draws for the Markdown ``text``, from counts
    alone: every block starts a line or follows a marker character."""
    lines = text.count("\n") + 1
    markers = sum(text.count(marker) for marker in _BLOCK_MARKERS)
    if "." in text or ")" in text:
        markers += len(_ORDERED_MARKER.findall(text))
    return _BLOCKS_PER_LINE * (lines + 1) + _BLOCKS_PER_MARKER * markers


def may_be_too_big(text: str) -> bool:
    """Whether the card Markdown ``text`` could be over a block or formula limit, from
    counts alone: False proves it is not, without parsing it (:func:`block_bound`; every
    formula takes two dollars or a ``\\(``/``\\[`` pair). Most cards are far below
    both bounds."""
    if block_bound(text) > MAX_BLOCKS_PER_CARD:
        return True
    delimiters = text.count("$") // 2 + text.count("\\(") + text.count("\\[")
    return delimiters > MAX_FORMULAS_PER_CARD


def text_problem(text: str) -> str | None:
    """:meth:`CardSizes.problem` for a card's Markdown given as text (the question and the
    steps joined), for a format that has no token stream of its own; it parses the text."""
    if len(text) > MAX_CARD_CHARS:
        return _message(len(text), "characters", MAX_CARD_CHARS)
    if not may_be_too_big(text):
        return None
    tokens, env = parse_blocks(text)
    return CardSizes(tokens, env).problem([(0, text.count("\n") + 1)], len(text))
