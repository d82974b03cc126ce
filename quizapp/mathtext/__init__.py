"""LaTeX math as readable terminal text (no textual here: the CLI and the TUI both use it).

Inline (``$…$``) becomes one line of Unicode; display (``$$…$$``) is drawn on several lines
with stacked fractions, limits, roots and bracketed matrices. What cannot be rendered is
shown as its source between backticks and reported by :func:`unknown_commands` /
:func:`math_problems` (:func:`parse_error` for a formula that fails whole). See docs/mathtext.md.
"""

from __future__ import annotations

from .inline import SOURCE_MARK
from .markdown import render_line_math, render_markdown_math
from .render import (
    RenderedMath,
    math_problems,
    parse_error,
    render_block,
    render_display,
    render_inline,
    unknown_commands,
)

__all__ = [
    "SOURCE_MARK",
    "RenderedMath",
    "math_problems",
    "parse_error",
    "render_block",
    "render_display",
    "render_inline",
    "render_line_math",
    "render_markdown_math",
    "unknown_commands",
]
