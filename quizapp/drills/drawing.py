"""A drill's LaTeX drawn as terminal text, as the rest of the app draws formulas.

The CLI and the TUI show a drill's prompt, its context sentence and heading on one line
each (inline math: ``z⁽¹⁾ = ?``), and a revealed answer as display math where it fits the
width (stacked fractions, sums with their limits), else on one line.
"""

from __future__ import annotations

from rich.cells import cell_len

from quizapp.mathtext import render_display, render_inline, render_markdown_math

#: Display math taller than this is drawn inline instead (it would push the answer box
#: off a small terminal).
MAX_DISPLAY_LINES = 5


def inline(latex: str) -> str:
    """``latex`` (no ``$``) as one line of Unicode: ``z^{(1)}`` -> ``z⁽¹⁾``."""
    return render_inline(latex)


def prose(text: str) -> str:
    """A line of Markdown prose (a heading, the sentence before a formula) with its
    ``$…$`` math drawn inline."""
    return " ".join(render_markdown_math(text).split())


def prompt_line(lhs: str) -> str:
    """The question: ``z⁽¹⁾ = ?``."""
    return f"{inline(lhs)} = ?"


def formula_lines(latex: str, width: int) -> list[str]:
    """``latex`` as display math when it fits ``width`` cells and a few lines, else as one
    inline line (which the caller may wrap)."""
    drawn = [line.rstrip() for line in render_display(latex, width)]
    if len(drawn) <= MAX_DISPLAY_LINES and all(cell_len(line) <= width for line in drawn):
        return drawn
    return [inline(latex)]
