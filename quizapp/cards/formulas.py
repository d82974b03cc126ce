"""What counts as math in Markdown: one definition for the parser, the renderer and ``check``.

A formula is what markdown-it's ``dollarmath`` plugin finds, with pandoc's rules: ``$…$``
with no space just inside the dollars and no digit right after the closing one (so "costs
$5 and $10" stays prose), ``$$…$$`` inline or as a block, and nothing inside code spans,
fenced code or escaped dollars. The card parser (``cards/markdown_parser.py``), the
terminal renderer (``mathtext/markdown.py``) and the importer's LaTeX check
(:func:`formulas`) all configure markdown-it through :func:`use_math`, so that a formula
the renderer draws is exactly a formula the check looked at.

Other formats write math as ``\\(…\\)`` and ``\\[…\\]`` (MathJax, Anki);
:func:`normalise_math_delimiters` turns those into dollar math before a card is made.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_block_dollar

#: Token types of a formula written inline (``$x$``, ``$$x$$`` inside a paragraph).
INLINE_MATH_TYPES = frozenset({"math_inline", "math_inline_double"})
#: Token types of a formula written as a block of its own (``$$`` lines, with a label).
BLOCK_MATH_TYPES = frozenset({"math_block", "math_block_label"})
#: Every token type that holds a formula's LaTeX source in ``content``.
MATH_TOKEN_TYPES = INLINE_MATH_TYPES | BLOCK_MATH_TYPES


def use_math(md: MarkdownIt) -> MarkdownIt:
    """Teach a markdown-it parser quizapp's math: dollar math with pandoc's rules.

    A ``$$`` line also ends the paragraph above it, as in Obsidian: notes write a display
    formula on the lines right under the sentence that introduces it, and it is drawn as
    a display formula there, not squeezed into the sentence. (The plugin's block rule
    alone waits for a blank line; what is a formula does not change, only where a
    display formula starts.)"""
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    block = _checked_quietly(math_block_dollar(allow_labels=True, allow_blank_lines=True))
    md.block.ruler.at(
        "math_block", block, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    return md


def _checked_quietly(rule: Callable[[StateBlock, int, int, bool], bool]) -> Any:
    """``rule`` that, asked silently (may a formula start here and end the paragraph
    above?), answers without leaving tokens behind: the plugin's rule always pushes."""

    def math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if not silent:
            return rule(state, start, end, False)
        line, count = state.line, len(state.tokens)
        matched = rule(state, start, end, False)
        del state.tokens[count:]
        state.line = line
        return matched

    return math_block


#: CommonMark plus math: how a piece of card text (a question, a step) is read for its
#: formulas, by the renderer and by the check.
MATH_MARKDOWN = use_math(MarkdownIt("commonmark"))


def math_tokens(tokens: list[Token]) -> list[Token]:
    """The formula tokens of a token stream, block and inline, in document order."""
    found: list[Token] = []
    for token in tokens:
        if token.type in MATH_TOKEN_TYPES:
            found.append(token)
        elif token.children:
            found.extend(child for child in token.children if child.type in MATH_TOKEN_TYPES)
    return found


def formulas(markdown: str) -> list[str]:
    """The LaTeX of every formula in some Markdown, in document order."""
    if "$" not in markdown:
        return []
    return [token.content for token in math_tokens(MATH_MARKDOWN.parse(markdown))]


#: Blocks whose text is never math, whatever it contains.
_CODE_BLOCKS = frozenset({"fence", "code_block", "html_block"})
#: A code span: a run of backticks, anything, and the same run again (CommonMark's rule).
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
#: ``\[…\]`` and ``\(…\)`` whose backslash is not itself escaped; an inline formula may not
#: run over a blank line (that ends its paragraph).
_DISPLAY = re.compile(r"(?<!\\)\\\[(.+?)(?<!\\)\\\]", re.DOTALL)
_INLINE = re.compile(r"(?<!\\)\\\(((?:(?!\n[ \t]*\n).)+?)(?<!\\)\\\)", re.DOTALL)


def mask_code(text: str) -> str:
    """``text`` with code blocks and code spans blanked out (same length, same lines), so
    that the delimiters (or wikilinks, ``cards/wikilinks.py``) found in it are never
    inside code."""
    chars = list(text)
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for token in MATH_MARKDOWN.parse(text):
        if token.type in _CODE_BLOCKS and token.map is not None:
            start, end = offsets[token.map[0]], min(offsets[token.map[1]], len(text))
            chars[start:end] = [ch if ch == "\n" else " " for ch in text[start:end]]
    masked = "".join(chars)
    for match in _CODE_SPAN.finditer(masked):
        start, end = match.span()
        chars[start:end] = [ch if ch == "\n" else " " for ch in text[start:end]]
    return "".join(chars)


def normalise_math_delimiters(text: str) -> str:
    """``\\(x\\)`` as ``$x$`` and ``\\[x\\]`` as ``$$x$$``, outside code; everything else
    unchanged. Spaces just inside the delimiters are dropped (``\\( x \\)`` is ``$x$``),
    since dollar math does not allow them; an empty pair is left as it is."""
    if "\\(" not in text and "\\[" not in text:
        return text
    masked = mask_code(text)
    edits: list[tuple[int, int, str]] = []
    for pattern, fence in ((_DISPLAY, "$$"), (_INLINE, "$")):
        for match in pattern.finditer(masked):
            start, end = match.span()
            if any(start < e and s < end for s, e, _ in edits):
                continue
            latex = text[match.start(1) : match.end(1)].strip()
            if latex:
                edits.append((start, end, f"{fence}{latex}{fence}"))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text
