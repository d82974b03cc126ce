"""The one markdown-it parser that every card file goes through.

Cards are read from markdown-it's token stream rather than with regexes over lines, so that a
``#`` inside fenced code or inside ``$$ … $$`` never starts a section. Building a
``MarkdownIt`` with its plugins is costly, so it is built once here and reused; each file is
parsed exactly once.

The card reader needs the inline tokens of only a few blocks (headings, and paragraphs that
may hold an over-long formula), while markdown-it's inline pass over every paragraph costs
about a third of a parse. So :func:`parse_blocks` runs the block pass alone and
:func:`inline_children` parses one block's inline content on demand, giving exactly the
children the full parse would have given it.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType
from mdit_py_plugins.front_matter import front_matter_plugin

from quizapp.cards.formulas import MATH_TOKEN_TYPES, use_math
from quizapp.cards.limits import MAX_BLOCK_NESTING

__all__ = [
    "MARKDOWN",
    "MATH_TOKEN_TYPES",
    "heading_text",
    "inline_children",
    "inline_plain_text",
    "parse",
    "parse_blocks",
]


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_BLOCK_NESTING})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    return use_math(md)  # what is a formula: quizapp.cards.formulas


#: The shared parser: CommonMark plus tables, strikethrough, YAML front matter and
#: dollar math (:func:`quizapp.cards.formulas.use_math`). Front ends may use it to read
#: step text the same way the importer did.
MARKDOWN = _build()

#: The same parser without the core rules that walk inline content: block structure only.
_BLOCKS = _build().disable(["inline", "text_join"])


def parse(text: str) -> list[Token]:
    """Parse Markdown source into markdown-it's flat token stream."""
    return MARKDOWN.parse(text)


def parse_blocks(text: str) -> tuple[list[Token], EnvType]:
    """Parse Markdown source into block tokens whose ``inline`` tokens are not parsed yet.

    Returns the tokens and markdown-it's environment (link reference definitions), which
    :func:`inline_children` needs to parse an inline token exactly as :func:`parse` would.
    """
    env: EnvType = {}
    return _BLOCKS.parse(text, env), env


def inline_children(token: Token, env: EnvType) -> list[Token]:
    """The inline tokens of an ``inline`` token from :func:`parse_blocks`, parsed on first
    use (and kept in ``token.children``); the same tokens a full :func:`parse` gives."""
    children = token.children
    if not children and token.content:  # the block pass leaves them empty
        parsed = MARKDOWN.parseInline(token.content, env)
        children = token.children = (parsed[0].children if parsed else None) or []
    return children or []


#: A character at which some enabled inline rule may start a token other than plain text:
#: escapes, code, math, emphasis, strikethrough, links, images, autolinks, HTML, entities
#: and line breaks. Inline content without any of them parses to one text token.
_INLINE_MARKUP = re.compile(r"[\\`$*_~\[\]!<&\n]")


def heading_text(token: Token, env: EnvType) -> str:
    """:func:`inline_plain_text` of a heading's inline token from :func:`parse_blocks`.

    Most headings are plain words; their text is read without running the inline parser.
    """
    if not token.children and _INLINE_MARKUP.search(token.content) is None:
        return " ".join(token.content.split())
    inline_children(token, env)
    return inline_plain_text(token)


def inline_plain_text(token: Token) -> str:
    """The readable text of an inline token (a heading's text), without Markdown markup.

    ``## **Forward** pass`` reads "Forward pass"; code and formulas keep their source
    (``$x$`` stays ``$x$``). Runs of whitespace collapse to one space.
    """
    parts: list[str] = []
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif kind == "math_inline":
            parts.append(f"${child.content}$")
        elif kind == "math_inline_double":
            parts.append(f"$${child.content}$$")
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "image":
            parts.append(child.content)
    return " ".join("".join(parts).split())
