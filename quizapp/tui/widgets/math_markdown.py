"""Markdown with its LaTeX drawn by ``quizapp.mathtext``.

Textual's ``Markdown`` widget knows nothing of math, so the parser is given the
dollarmath plugin: ``$$…$$`` blocks become ``MathBlock`` widgets that draw the
two-dimensional rendering for their current width, and inline ``$…$`` spans are turned
into plain text tokens holding the one-line rendering. Everything else (code fences with
highlighting, lists, tables, emphasis) stays Textual's. Links are never opened.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock

from quizapp.tui.literal import visible


@lru_cache(maxsize=4096)
def inline_math(latex: str) -> str:
    """One-line rendering of ``latex`` (cached: cards are shown many times)."""
    from quizapp.mathtext import render_inline

    return visible(render_inline(latex))


@lru_cache(maxsize=1024)
def display_math(latex: str, width: int) -> tuple[str, ...]:
    """Two-dimensional rendering of ``latex`` for ``width`` cells, lines padded to one width.

    Padding every line to the widest keeps the block's columns aligned when it is centred.
    """
    from quizapp.mathtext import render_display

    lines = [visible(line) for line in render_display(latex, max(width, 10))] or [""]
    widest = max(cell_len(line) for line in lines)
    return tuple(line + " " * (widest - cell_len(line)) for line in lines)


def _inline_math_to_text(state: StateCore) -> None:
    """markdown-it core rule: replace inline math tokens with text tokens."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type in ("math_inline", "math_inline_double"):
                child.type = "text"
                child.content = inline_math(child.content)


def math_parser() -> MarkdownIt:
    """The parser used for every card: GFM-like Markdown plus dollar math."""
    parser = MarkdownIt("gfm-like").use(dollarmath_plugin, double_inline=True)
    parser.core.ruler.push("quizapp_inline_math", _inline_math_to_text)
    return parser


class MathBlock(MarkdownBlock):
    """A ``$$…$$`` formula drawn in two dimensions, re-drawn when its width changes."""

    DEFAULT_CSS = """
    MathBlock {
        width: 1fr;
        height: auto;
        text-align: center;
        margin: 0 0 1 0;
        color: $text;
        &.-joined { margin: 0; }
    }
    """

    def __init__(self, markdown: Markdown, token: Token) -> None:
        super().__init__(markdown, token)
        self.latex = token.content.strip()

    def on_mount(self) -> None:
        """Formulas written on consecutive lines stay together, without blank rows."""
        siblings = list(self.parent.children) if self.parent else []
        index = siblings.index(self)
        following = siblings[index + 1] if index + 1 < len(siblings) else None
        if isinstance(following, MathBlock) and following.source_range[0] == self.source_range[1]:
            self.add_class("-joined")

    def lines_for(self, width: int) -> tuple[str, ...]:
        """The drawn formula for ``width`` cells."""
        return display_math(self.latex, width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many rows as the drawing needs at this width."""
        return len(self.lines_for(width))

    def render(self) -> Text:
        """The drawing for the current width, as literal text."""
        width = self.content_region.width or self.app.size.width
        return Text("\n".join(self.lines_for(width)), no_wrap=True, overflow="crop")


class MathMarkdown(Markdown):
    """A ``Markdown`` widget for card text: math drawn, links inert, text literal."""

    DEFAULT_CSS = """
    MathMarkdown {
        padding: 0 1;
        & MarkdownFence { margin: 0 0 1 0; }
    }
    """

    def __init__(self, markdown: str = "", *, id: str | None = None) -> None:
        super().__init__(visible(markdown), id=id, parser_factory=math_parser, open_links=False)

    def unhandled_token(self, token: Token) -> MarkdownBlock | None:
        """Turn dollarmath's block tokens into ``MathBlock`` widgets."""
        if token.type in ("math_block", "math_block_label"):
            return MathBlock(self, token)
        return super().unhandled_token(token)
