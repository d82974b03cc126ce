"""HTML card fields into Markdown, with their MathJax kept as LaTeX.

Anki stores a note's fields as HTML (``<b>``, ``<div>`` per line, ``<br>``, ``&nbsp;``),
and its text export writes them so. quizapp's cards are Markdown, so fields are converted
with markdownify, a maintained converter (never by hand). Formulas need care first:
markdownify would escape the underscores and asterisks of ``\\(x_i^*\\)``, and the LaTeX
inside a field is itself HTML-escaped (``\\(a &lt; b\\)``). So every formula is cut out
before the conversion (its entities decoded, any tags inside it dropped), stands in the
HTML as a private-use placeholder that markdownify leaves alone, and is put back as dollar
math afterwards: ``\\(…\\)`` and ``$…$`` as ``$…$``, ``\\[…\\]`` and ``$$…$$`` as ``$$…$$``
(``cards/formulas.py``). Cloze markup (``{{c1::…}}``) is plain text to HTML and passes
through, its math included.
"""

from __future__ import annotations

import functools
import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdownify import MarkdownConverter

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
#: What markdownify does to text outside any tag (its whitespace rules and escapes), for
#: fields with no tag and no entity, which need no HTML parser.
_NEWLINE_SPACE = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_SPACES = re.compile(r"[\t ]+")


@functools.cache
def _converter() -> MarkdownConverter:
    """One markdownify converter for every field; imported on first use, since
    markdownify and BeautifulSoup take a third of a second to import."""
    from markdownify import BACKSLASH, MarkdownConverter

    return MarkdownConverter(heading_style="ATX", bullets="-", newline_style=BACKSLASH)


def _plain(text: str) -> str:
    """markdownify's result for text without tags or entities, without parsing HTML."""
    text = _SPACES.sub(" ", _NEWLINE_SPACE.sub("\n", text))
    return text.replace("*", "\\*").replace("_", "\\_").strip()


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
    if "<" in protected or "&" in protected:
        markdown = _converter().convert(protected)
    else:
        markdown = _plain(protected)
    markdown = markdown.replace("\xa0", " ")
    if formulas:
        markdown = _PLACEHOLDER.sub(
            lambda match: (
                formulas[index] if (index := int(match.group(1))) < len(formulas) else match.group()
            ),
            markdown,
        )
    return _BLANK_LINES.sub("\n\n", markdown).strip()
