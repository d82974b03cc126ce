"""Property tests: any input renders to text without raising, and no character is lost.

"Not lost" is checked on letters and digits: each ASCII letter or digit of the input that is
not part of a command name must still be in the output once the output's super/subscripts,
math alphabets and accents are folded back to plain letters (NFKD). When a formula falls
back, its whole source must be in the output.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.mathtext import render_block, render_markdown_math

_COMMAND = re.compile(r"\\(?:(?:begin|end)\s*\{[^{}]*\}|[A-Za-z]+|.)", re.DOTALL)
_ROOTS = str.maketrans({"∛": "3√", "∜": "4√"})

TOKENS = [
    *"abcxyzXYZ0123456789+-=*/,;:.!?|()[]<>'", " ", "  ", "\n", "{", "}", "{", "}", "^", "_",
    "&", "~", "%", "$", "\\", r"\\", r"\alpha", r"\theta", r"\sigma", r"\partial", r"\nabla",
    r"\sum", r"\int", r"\prod", r"\frac", r"\dfrac", r"\sqrt", r"\hat", r"\bar", r"\vec",
    r"\mathbb", r"\mathcal", r"\mathbf", r"\text", r"\operatorname", r"\left(", r"\right)",
    r"\left[", r"\right]", r"\left.", r"\middle|", r"\,", r"\quad", r"\cdot", r"\odot",
    r"\leq", r"\in", r"\to", r"\infty", r"\log", r"\max", r"\arg", r"\lim", r"\|", r"\{",
    r"\}", r"\langle", r"\rangle", r"\begin{pmatrix}", r"\end{pmatrix}", r"\begin{cases}",
    r"\end{cases}", r"\begin{aligned}", r"\end{aligned}", r"\foo", r"\undefinedthing",
    r"\not", r"\underbrace", r"\overset", r"\binom", r"\top", r"\prime", r"\ldots", "ß", "λ",
]  # fmt: skip

soups = st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)
formulas = st.one_of(st.text(max_size=40), soups)


def _letters(text: str) -> Counter[str]:
    return Counter(c for c in text if c.isascii() and c.isalnum())


def _expected(latex: str) -> Counter[str]:
    return _letters(_COMMAND.sub(" ", latex))


def _found(lines: tuple[str, ...]) -> Counter[str]:
    return _letters(unicodedata.normalize("NFKD", "\n".join(lines).translate(_ROOTS)))


def _check(latex: str, display: bool, width: int | None) -> None:
    block = render_block(latex, display, width)
    assert isinstance(block.lines, tuple)
    assert all(isinstance(line, str) for line in block.lines)
    if display is False or block.is_fallback:
        assert len(block.lines) == 1
    if block.is_fallback:
        assert " ".join(latex.split()) in block.lines[0]
    missing = _expected(latex) - _found(block.lines)
    assert not missing, (latex, block.lines, missing)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(formulas)
def test_inline_never_raises_and_keeps_every_letter(latex: str) -> None:
    _check(latex, False, None)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(formulas, st.one_of(st.none(), st.integers(min_value=0, max_value=60)))
def test_display_never_raises_and_keeps_every_letter(latex: str, width: int | None) -> None:
    _check(latex, True, width)
    block = render_block(latex, True, width)
    if width is not None and len(block.lines) > 1:
        assert block.width <= width


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.one_of(soups, st.sampled_from(["$", "$$", "`", "\n\n", "```\n"])), max_size=8))
def test_markdown_never_raises(parts: list[str]) -> None:
    assert isinstance(render_markdown_math("".join(parts)), str)
