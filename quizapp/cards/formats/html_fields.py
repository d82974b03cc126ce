"""HTML card fields into Markdown, with their MathJax kept as LaTeX.

Anki stores a note's fields as HTML (``<b>``, ``<div>`` per line, ``<br>``, ``&nbsp;``),
and its text export writes them so. quizapp's cards are Markdown, so fields are converted
with html-to-markdown, a maintained converter written in Rust (never by hand). Formulas
need care first: the converter would escape the underscores and asterisks of
``\\(x_i^*\\)``, and the LaTeX inside a field is itself HTML-escaped (``\\(a &lt; b\\)``).
So every formula is cut out before the conversion (its entities decoded, any tags inside
it dropped), stands in the HTML as a private-use placeholder that the converter leaves
alone, and is put back as dollar math afterwards: ``\\(…\\)`` and ``$…$`` as ``$…$``,
``\\[…\\]`` and ``$$…$$`` as ``$$…$$`` (``cards/formulas.py``). Cloze markup
(``{{c1::…}}``) is plain text to HTML and passes through, its math included.

Text stays literal: ``*`` and ``_`` in a field are escaped (``a_b`` is not emphasis), as is
a backslash that Markdown would read as an escape or a hard break. The output is clean
Markdown: ATX headings, ``-`` bullets, ``<br>`` as a backslash hard break, no trailing
whitespace, at most one blank line in a row.
"""

from __future__ import annotations

import functools
import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from html_to_markdown._html_to_markdown import (
        ConversionOptions,
        ConversionResult,
        WarningKind,
    )

#: An HTML tag Anki writes in a field; one of them anywhere means the fields are HTML.
_HTML_TAG = re.compile(
    r"<(?:br|b|i|u|s|em|strong|div|p|span|font|img|ul|ol|li|sub|sup|code|pre|a|hr|table|tr|td"
    r"|th|h[1-6]|blockquote)\b[^<>]{0,500}>|&(?:nbsp|amp|lt|gt|quot|#\d{1,7});",
    re.IGNORECASE,
)
#: Where a formula may open; an escaped ``\$`` opens none.
_OPENER = re.compile(r"(?<!\\)(?:\\\[|\\\(|\$\$|\$)")
_CLOSERS = {"\\[": "\\]", "\\(": "\\)", "$$": "$$"}
_DISPLAY_OPENERS = frozenset({"\\[", "$$"})
_TAG = re.compile(r"<[^<>]*>")
_PLACEHOLDER = re.compile("\ue000(\\d{1,7})\ue001")
_BLANK_LINES = re.compile(r"\n{3,}")
#: Spaces at a line's end, or before the backslash of a hard break.
_TRAILING_SPACE = re.compile(r"[ \t]+(?=\\?(?:\n|$))")
#: What the converter does to text outside any tag, for fields with no tag and no entity,
#: which need no HTML parser: runs of spaces (tabs and Unicode spaces too) become one space,
#: ``\r\n`` and ``\r`` a newline, NUL and a leading byte-order mark go, ``*`` and ``_`` are
#: escaped, and so is a backslash before ASCII punctuation, a line break or the end (where
#: Markdown would read it as an escape or a hard break).
_SPACES = re.compile("[\t \xa0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LITERAL = re.compile(r"[*_]|\\(?=[!-/:-@\[-`{-~\n]|$)")


@functools.cache
def _converter() -> tuple[Callable[..., ConversionResult], ConversionOptions, WarningKind]:
    """The converter's ``convert``, its options built once, and the warning that says a
    field was nested too deep; imported on first use, since html-to-markdown takes a tenth
    of a second to import.

    The extension module's own ``convert`` is called with these native options, not the
    package's ``html_to_markdown.convert``: that wrapper rebuilds the native options object
    from its Python dataclass on every call, which costs three times the conversion of a
    typical Anki field."""
    from html_to_markdown._html_to_markdown import (
        ConversionOptions,
        HeadingStyle,
        NewlineStyle,
        WarningKind,
        convert,
    )

    options = ConversionOptions(
        heading_style=HeadingStyle.ATX,
        bullets="-",
        newline_style=NewlineStyle.BACKSLASH,
        escape_asterisks=True,
        escape_underscores=True,
        extract_metadata=False,
    )
    return convert, options, WarningKind.DEPTH_LIMIT_EXCEEDED


def _convert(field: str) -> str:
    """The converter's Markdown for one field's HTML.

    NUL characters are dropped first: a few of them make the converter guess another
    encoding and return garbage. HTML nested deeper than the converter walks (a thousand
    levels) would lose its innermost text, so such a field is read as its text alone, tags
    dropped."""
    convert, options, too_deep = _converter()
    if "\0" in field:
        field = field.replace("\0", "")
    result = convert(html=field, options=options)
    warnings = result.warnings
    if warnings and any(warning.kind == too_deep for warning in warnings):
        return _plain(html.unescape(_TAG.sub(" ", field)))
    return result.content or ""


def _plain(text: str) -> str:
    """The converter's result for text without tags or entities, without parsing HTML."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "").removeprefix("\ufeff")
    return _LITERAL.sub(lambda match: "\\" + match.group(), _SPACES.sub(" ", text))


def looks_like_html(text: str) -> bool:
    """Whether fields hold HTML (Anki's tags or entities), for a file that does not say
    (``#html:`` header)."""
    return _HTML_TAG.search(text) is not None


def _latex(source: str) -> str:
    """A formula's LaTeX from inside HTML: tags dropped (a ``<br>`` is a space),
    entities decoded, ``&nbsp;`` as a space."""
    text = _TAG.sub(" ", source)
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def _dollar_close(text: str, start: int) -> int:
    """Where the ``$`` that closes an inline formula opened just before ``start`` is, by
    pandoc's rules (no space just inside, no digit after, within one paragraph), or -1."""
    end = start
    while True:
        end = text.find("$", end)
        if end < 0:
            return -1
        if text[end - 1] != "\\":
            break
        end += 1
    inner = text[start:end]
    if not inner or inner[0].isspace() or inner[-1].isspace() or "\n\n" in inner:
        return -1
    if end + 1 < len(text) and text[end + 1].isdigit():
        return -1
    return end


def formula_spans(text: str) -> list[tuple[int, int, str, bool]]:
    """Every formula in ``text`` as ``(start, end, latex source, display)``, in order.

    One pass, linear in the text: a closer that is missing after one opener is missing
    after every later opener of its kind too, so that kind is not looked for again."""
    spans: list[tuple[int, int, str, bool]] = []
    missing: set[str] = set()
    position = 0
    while (match := _OPENER.search(text, position)) is not None:
        opener = match.group()
        position = match.end()
        if opener in missing:
            continue
        if opener == "$":
            end = _dollar_close(text, match.end())
            closer = "$"
        else:
            closer = _CLOSERS[opener]
            end = text.find(closer, match.end())
            if end < 0:
                missing.add(opener)
        if end < 0:
            continue
        source = text[match.end() : end]
        spans.append((match.start(), end + len(closer), source, opener in _DISPLAY_OPENERS))
        position = end + len(closer)
    return spans


def html_to_markdown(field: str) -> str:
    """One HTML field as Markdown, formulas as dollar math (see the module's docstring)."""
    formulas: list[str] = []
    parts: list[str] = []
    cursor = 0
    if "\\" in field or "$" in field:
        for start, end, source, display in formula_spans(field):
            latex = _latex(source)
            if not latex:
                continue
            fence = "$$" if display else "$"
            formulas.append(f"{fence}{latex}{fence}")
            parts.append(field[cursor:start])
            parts.append(f"\ue000{len(formulas) - 1}\ue001")
            cursor = end
    protected = "".join(parts) + field[cursor:] if parts else field
    markdown = _convert(protected) if "<" in protected or "&" in protected else _plain(protected)
    if formulas:
        markdown = _PLACEHOLDER.sub(
            lambda match: (
                formulas[index] if (index := int(match.group(1))) < len(formulas) else match.group()
            ),
            markdown,
        )
    return _finished(markdown)


def _finished(markdown: str) -> str:
    """Converted Markdown tidied: no trailing whitespace, at most one blank line in a row."""
    markdown = _TRAILING_SPACE.sub("", markdown.replace("\xa0", " ").strip())
    return _BLANK_LINES.sub("\n\n", markdown)
