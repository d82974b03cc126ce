"""Math inside Markdown: ``$…$`` and ``$$…$$`` replaced by their rendering, for plain text.

What is math is decided once for all of quizapp, by :mod:`quizapp.cards.formulas`
(markdown-it-py's ``dollarmath`` with pandoc's rules), so code spans, fenced code and escaped
dollars are left alone exactly as a Markdown viewer would, prices like "$5 and $10" stay
text, and every formula drawn here is one that ``quizapp check`` looked at.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from quizapp.cards.formulas import BLOCK_MATH_TYPES, INLINE_MATH_TYPES, MATH_MARKDOWN

from .render import render_block, render_inline


def render_markdown_math(markdown: str, width: int = 80) -> str:
    """``markdown`` with every formula rendered; everything else is returned unchanged.

    Inline math becomes one line of Unicode. A ``$$…$$`` block (or a paragraph that is only
    ``$$…$$``) becomes its display lines, indented like the block and right-stripped; it falls
    back to one inline line when the drawing is wider than ``width``.
    """
    lines = markdown.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []
    for token in MATH_MARKDOWN.parse(markdown):
        if token.map is None:
            continue
        start, end = token.map
        if token.type in BLOCK_MATH_TYPES:
            label = f"({token.info})" if token.type == "math_block_label" else ""
            edits.append((start, end, _block(lines[start:end], token.content, width, label)))
        elif token.type == "inline" and token.children:
            region = "".join(lines[start:end])
            new = _inline_region(region, token.children, width)
            if new != region:
                edits.append((start, end, new))
    for start, end, text in sorted(edits, reverse=True):
        lines[start:end] = [text]
    return "".join(lines)


@lru_cache(maxsize=4096)
def render_line_math(text: str) -> str:
    """One line of Markdown (a card's title, a step's heading) with each formula drawn
    inline, ``$$…$$`` too, and everything else as written: imported notes often make a
    question with a formula their title, which lists and headings show on one line.
    Unchanged when a formula cannot be read (cached: titles are shown again and again)."""
    if "$" not in text:
        return text
    try:
        tokens = MATH_MARKDOWN.parseInline(text)
        children = tokens[0].children or [] if tokens else []
        return " ".join(_inline_region(text, children, 0, blocks=False).splitlines())
    except Exception:  # a formula that does not parse: its source, as a viewer would
        return text


def _block(source_lines: list[str], latex: str, width: int, label: str = "") -> str:
    """Display lines for one ``$$…$$`` block; an equation label ``$$…$$ (1)`` goes on the
    baseline, right of the formula."""
    first = source_lines[0]
    indent = first[: len(first) - len(first.lstrip(" \t>"))]
    ending = "\n" if source_lines[-1].endswith("\n") else ""
    room = max(1, width - len(indent) - (len(label) + 4 if label else 0))
    block = render_block(latex, True, room)
    drawn = list(block.lines)
    if label:
        drawn[block.baseline] += f"    {label}"
    return "\n".join((indent + line).rstrip() for line in drawn) + ending


def _inline_region(region: str, children: list[Any], width: int, *, blocks: bool = True) -> str:
    """Replace each math token of a paragraph in its source text, found left to right; a
    paragraph that is one ``$$…$$`` is drawn as a display block when ``blocks``."""
    maths = [c for c in children if c.type in INLINE_MATH_TYPES]
    if not maths:
        return region
    if (
        blocks
        and len(maths) == 1
        and maths[0].type == "math_inline_double"
        and region.strip() == f"$${maths[0].content}$$"
    ):
        return _block([region], maths[0].content, width)
    out: list[str] = []
    cursor = 0
    for child in children:
        if child.type == "code_inline":
            fence = child.markup
            opened = region.find(fence, cursor)
            closed = region.find(fence, opened + len(fence)) if opened >= 0 else -1
            if closed >= 0:
                out.append(region[cursor : closed + len(fence)])
                cursor = closed + len(fence)
        elif child.type in INLINE_MATH_TYPES:
            marker = "$$" if child.type == "math_inline_double" else "$"
            source = f"{marker}{child.content}{marker}"
            found = region.find(source, cursor)
            if found >= 0:
                out.append(region[cursor:found])
                out.append(render_inline(child.content))
                cursor = found + len(source)
    out.append(region[cursor:])
    return "".join(out)
