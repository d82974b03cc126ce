"""Textual's Markdown blocks, taught what card text holds beyond Markdown.

The card parser (``quizapp.cards.display_markdown``) gives Textual's ``Markdown`` widget
tokens it does not draw: ``mark_open``/``mark_close`` around an Obsidian
``==highlight==``, and a ``callout`` on a quote's ``blockquote_open``. Textual turns a
block's inline tokens into text in ``MarkdownBlock._token_to_content``, which knows a
fixed list of token types (and, given an unknown ``*_close``, closes a style it never
opened). So :class:`MathMarkdown` builds its blocks from the classes here, whose inline
text comes from :func:`inline_content`: Textual's rules plus highlights, with any other
pair of tokens drawn as plain text. A callout is drawn as a panel titled with its title,
in its tone's colour (:class:`CalloutQuote`).
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it.token import Token
from textual.content import Content, Span
from textual.style import Style
from textual.widgets._markdown import (
    MarkdownBlock,
    MarkdownBlockQuote,
    MarkdownH1,
    MarkdownH2,
    MarkdownH3,
    MarkdownH4,
    MarkdownH5,
    MarkdownH6,
    MarkdownParagraph,
    MarkdownTD,
    MarkdownTH,
)

from quizapp.cards.callouts import Callout

#: The component class a highlight is styled by (declared by ``MathMarkdown``).
HIGHLIGHT = "markdown--highlight"

_SPACES = re.compile(r"\s+")


def inline_content(token: Token) -> Content:
    """A block's inline token as styled text: Textual's own drawing of text, breaks,
    code, emphasis, strike-through and links (a link keeps its click action, which
    styles it as a link), plus ``==highlights==``. Every opening token, known or not,
    is matched by its closing one, so an unknown pair leaves its text plain."""
    if token.children is None:
        return Content("")
    parts: list[str] = []
    spans: list[Span] = []
    opened: list[tuple[Style | str | None, int]] = []
    position = 0

    def add(text: str) -> None:
        nonlocal position
        parts.append(text)
        position += len(text)

    for child in token.children:
        kind = child.type
        if kind == "text":
            add(_SPACES.sub(" ", child.content))
        elif kind == "hardbreak":
            add("\n")
        elif kind == "softbreak":
            add(" ")
        elif kind == "code_inline":
            spans.append(Span(position, position + len(child.content), ".code_inline"))
            add(child.content)
        elif kind == "image":
            add(str(child.content or child.attrs.get("src", "")))
        elif kind.endswith("_open"):
            opened.append((_opening_style(child), position))
        elif kind.endswith("_close") and opened:
            style, start = opened.pop()
            if style is not None:
                spans.append(Span(start, position, style))
    return Content("".join(parts), spans=spans)


def _opening_style(token: Token) -> Style | str | None:
    """The style an opening inline token starts, or None for one drawn plain."""
    kind = token.type
    if kind == "em_open":
        return ".em"
    if kind == "strong_open":
        return ".strong"
    if kind == "s_open":
        return ".s"
    if kind == "mark_open":
        return f".{HIGHLIGHT}"
    if kind == "link_open":
        href = token.attrs.get("href", "")
        return Style.from_meta({"@click": f"link({str(href)!r})"})
    return None


class _CardInline(MarkdownBlock):
    """A block whose inline text is drawn by :func:`inline_content`.

    Listed after Textual's class in each block's bases: Textual takes a widget's CSS
    type names from its first bases only, and ``MarkdownParagraph``'s rules must match.
    """

    def _token_to_content(self, token: Token) -> Content:
        return inline_content(token)


class CardParagraph(MarkdownParagraph, _CardInline):
    """A paragraph of card text."""


class CardH1(MarkdownH1, _CardInline):
    """A level-1 heading of card text."""


class CardH2(MarkdownH2, _CardInline):
    """A level-2 heading of card text."""


class CardH3(MarkdownH3, _CardInline):
    """A level-3 heading of card text."""


class CardH4(MarkdownH4, _CardInline):
    """A level-4 heading of card text."""


class CardH5(MarkdownH5, _CardInline):
    """A level-5 heading of card text."""


class CardH6(MarkdownH6, _CardInline):
    """A level-6 heading of card text."""


class CardTH(MarkdownTH, _CardInline):
    """A table header cell of card text."""


class CardTD(MarkdownTD, _CardInline):
    """A table cell of card text."""


class CalloutQuote(MarkdownBlockQuote):
    """A quote, or, when the parser marked it as a callout, a panel titled with the
    callout's title (literal text, never markup) and bordered in its tone's colour."""

    DEFAULT_CSS = """
    CalloutQuote.callout {
        border: round $primary;
        border-title-style: bold;
        border-title-color: $primary;
        background: $primary 8%;
        padding: 0 1;
        &.-tip { border: round $success; border-title-color: $success;
                 background: $success 8%; }
        &.-warning { border: round $warning; border-title-color: $warning;
                     background: $warning 8%; }
        &.-danger { border: round $error; border-title-color: $error;
                    background: $error 8%; }
        &.-quote { border: round $secondary; border-title-color: $secondary;
                   background: $secondary 8%; }
        & > MarkdownParagraph:last-child { margin: 0; }
    }
    """

    def __init__(self, markdown: Any, token: Token, *args: Any, **kwargs: Any) -> None:
        super().__init__(markdown, token, *args, **kwargs)
        callout = token.meta.get("callout")
        if isinstance(callout, Callout):
            self.add_class("callout", f"-{callout.tone}")
            self.border_title = Content(callout.title)


#: The blocks :class:`MathMarkdown` draws card text with, by Textual's block names.
CARD_BLOCKS: dict[str, type[MarkdownBlock]] = {
    "h1": CardH1,
    "h2": CardH2,
    "h3": CardH3,
    "h4": CardH4,
    "h5": CardH5,
    "h6": CardH6,
    "paragraph_open": CardParagraph,
    "blockquote_open": CalloutQuote,
    "th_open": CardTH,
    "td_open": CardTD,
}
