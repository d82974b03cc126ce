"""Card Markdown as the HTML of an Anki field, its formulas as MathJax.

Anki fields hold HTML, and every Anki client (desktop, AnkiDroid, AnkiMobile) draws the
math written ``\\(…\\)`` and ``\\[…\\]`` with MathJax; quizapp writes Markdown with
dollar math (``cards/formulas.py``). A text goes through four steps:

1. **Formulas out of the way.** Each formula is found by the rules of ``formulas.py``
   (markdown-it's ``dollarmath`` as quizapp configures it: pandoc's rules, ``$$…$$``
   inline too, blocks that may hold blank lines) and replaced by a placeholder, so the
   Markdown renderer never reads the ``_``, ``*`` or ``\\,`` of a formula as emphasis or
   an escape. :func:`find_formulas` is a port of that plugin's scanning, written to jump
   from one ``$``, backtick or backslash to the next: markdown-it itself takes 2 ms for a
   reference card, 20 s for 10,000, while Anki exports them in one. A test holds the
   port to markdown-it's answers on the bundled deck and on generated text.
2. **HTML written in a card is shown as written**, as quizapp shows it: a ``<`` that
   would start a tag becomes ``&lt;`` (autolinks stay links). Nothing a card holds runs
   as markup or script on a phone.
3. **Markdown to HTML** by a :data:`MarkdownRenderer`: markdown-it by default
   (:func:`markdown_it_renderer`, CommonMark with tables and strikethrough), or Anki's
   own renderer (pulldown-cmark, in Rust) batched by :func:`batched` when exporting, with
   the texts that use tables or strikethrough (which it does not read) left to
   markdown-it.
4. **Formulas back**: as ``\\(latex\\)`` or ``\\[latex\\]``, HTML-escaped, except inside
   code, where a formula's source is put back as written.

A cloze text (``{{cN::answer::hint}}``, ``cards/cloze.py``) keeps Anki's markup, which is
the same: its answers and hints are rendered as inline HTML, their ``}}`` and ``::``
written so that Anki's cloze parser does not end the deletion early.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote

from quizapp.cards import cloze

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

#: Renders Markdown documents (formulas already replaced, raw HTML escaped) to HTML, one
#: result per document, in order.
MarkdownRenderer = Callable[[Sequence[str]], list[str]]

#: Private-use characters that frame a placeholder: ``\ue000`` formula number ``\ue001``,
#: ``\ue003`` deletion number ``\ue004``; a card's own such characters are replaced first.
_F_OPEN, _F_CLOSE, _D_OPEN, _D_CLOSE = "\ue000", "\ue001", "\ue003", "\ue004"
_PRIVATE = re.compile("[\ue000-\ue005]")
#: The paragraph that ends each step of an answer rendered as one document.
_STEP_END = "\ue005"
_FORMULA_MARK = re.compile(f"{_F_OPEN}(\\d+){_F_CLOSE}")
_DELETION_MARK = re.compile(f"{_D_OPEN}(\\d+){_D_CLOSE}")
#: The paragraph that separates documents rendered in one call of a batched renderer.
_SEPARATOR = "\ue002"


class Formula(NamedTuple):
    """One formula: where it is in its text, its source as written (dollars included),
    its LaTeX, and whether it is display math (``$$…$$``). A tuple: a reference card
    holds a dozen, an export 100,000s."""

    start: int
    end: int
    source: str
    latex: str
    display: bool


# --------------------------------------------------------------------- finding formulas

#: A fence line (after any quote markers, indentation or list marker): its run and info.
_FENCE = re.compile(r"^(?:[ \t]*>)*[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?(`{3,}|~{3,})(.*)$")
#: What opens a block on its line, before the inline content: quote markers, an ATX
#: heading's hashes, a list marker.
_PREFIX = re.compile(
    r"^(?:[ \t]*>)*[ \t]*(?:#{1,6}(?=[ \t]|$)|(?:[-+*]|\d{1,9}[.)])(?=[ \t]))?[ \t]*"
)
_HEADING = re.compile(r"^(?:[ \t]*>)*[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_LIST_ITEM = re.compile(r"^(?:[ \t]*>)*[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]")
_QUOTE = re.compile(r"^[ \t]{0,3}>")
#: A thematic break or a setext heading's underline: it ends the paragraph above it.
_BREAK = re.compile(r"^[ \t]{0,3}(?:(?:[-*_][ \t]*){3,}|=+[ \t]*)$")
#: A blank line, and what a paragraph needs for the scan to look at it line by line.
_CHUNK_END_OR_MARK = re.compile(r"[$`~]|\n[ \t]*(?=\n)")
#: The first characters of a line that may open or end a block (anything else is prose).
_BLOCK_MARKS = frozenset("`~#>-*_+=$0123456789")
#: A display block closed by a label, reversed: ``$$ x $$ (eq1)`` (dollarmath's rule).
_LABEL_REVERSED = re.compile(r"^\s*\)([^)$\r\n]+?)\(\s*\${2}")
#: The characters the inline scan stops at.
_INLINE_STOP = re.compile(r"[\\`$]")
_BACKTICKS = re.compile(r"`+")
#: markdown-it's ``isWhiteSpace`` for one character (Zs and the ASCII controls).
_MD_WHITESPACE = frozenset("\t\n\x0b\x0c\r \xa0\u1680\u202f\u205f\u3000") | frozenset(
    chr(code) for code in range(0x2000, 0x200B)
)


def _escaped(src: str, position: int) -> bool:
    """dollarmath's ``is_escaped``: an odd number of backslashes just before
    ``position`` (including its wrap to the end of the text at 0, kept for exactness)."""
    backslashes = 0
    back = position
    while back >= 0:
        back -= 1
        if src[back] == "\\":
            backslashes += 1
        else:
            break
    return backslashes % 2 == 1


def _inline_at(src: str, pos: int) -> tuple[int, str, bool] | None:
    """dollarmath's inline rule at ``pos`` (a ``$``) with quizapp's options: the end of
    the formula, its LaTeX and whether it is ``$$…$$``, or None."""
    length = len(src)
    if pos + 1 >= length or src[pos + 1] in _MD_WHITESPACE:
        return None
    if src[pos - 1].isdigit() or _escaped(src, pos):
        return None
    double = src[pos + 1] == "$"
    cursor = pos + 2 if double else pos + 1
    while True:
        end = src.find("$", cursor)
        if end < 0:
            return None
        if _escaped(src, end):
            cursor = end + 1
            continue
        if double:
            if end + 1 >= length:
                return None
            if src[end + 1] != "$":
                cursor = end + 1
                continue
            end += 1
        break
    if src[end - 1] in _MD_WHITESPACE:
        return None
    if end + 1 < length and src[end + 1].isdigit():
        return None
    latex = src[pos + 2 : end - 1] if double else src[pos + 1 : end]
    if not latex:
        return None
    return end + 1, latex, double


def _inline_formulas(text: str, start: int, end: int, found: list[Formula]) -> None:
    """The formulas of one block's inline content, ``text[start:end]``, in order: a walk
    over the ``$``, backticks and backslashes as markdown-it's inline rules meet them
    (a code span hides its dollars, a backslash escapes the next character)."""
    src = text[start:end]
    pos = 0
    length = len(src)
    while pos < length:
        match = _INLINE_STOP.search(src, pos)
        if match is None:
            return
        pos = match.start()
        char = src[pos]
        if char == "\\":
            pos += 2
        elif char == "`":
            run = _BACKTICKS.match(src, pos)
            assert run is not None
            width = run.end() - pos
            closing = _BACKTICKS.search(src, run.end())
            while closing is not None and closing.end() - closing.start() != width:
                closing = _BACKTICKS.search(src, closing.end())
            pos = closing.end() if closing is not None else run.end()
        else:
            matched = _inline_at(src, pos)
            if matched is None:
                pos += 1
                continue
            after, latex, double = matched
            found.append(Formula(start + pos, start + after, src[pos:after], latex, double))
            pos = after


def _block_at(
    text: str, lines: list[str], offsets: list[int], index: int, content: int
) -> tuple[int, Formula] | None:
    """dollarmath's block rule for the line ``index`` whose content (from column
    ``content``) starts with ``$$``: the last line of the block and its formula, or None."""
    line = lines[index]
    body = line[content:]
    start = offsets[index] + content
    stripped = body.strip()
    last = index
    if len(stripped) > 3:
        if stripped.endswith("$$"):
            end = offsets[index] + len(line.rstrip())
            return index, Formula(start, end, text[start:end], text[start + 2 : end - 2], True)
        label = _LABEL_REVERSED.match(body[::-1])
        if label is not None:
            end = offsets[index] + len(line.rstrip())
            latex_end = offsets[index] + len(line) - label.end()
            return index, Formula(start, end, text[start:end], text[start + 2 : latex_end], True)
        if "$$" in body[2:]:
            return None
    for last in range(index + 1, len(lines)):
        following = lines[last]
        end = offsets[last] + len(following.rstrip())
        if following.strip().endswith("$$"):
            latex_end = end - 2
        else:
            label = _LABEL_REVERSED.match(following[::-1])
            if label is None:
                continue
            latex_end = offsets[last] + len(following) - label.end()
        return last, Formula(start, end, text[start:end], text[start + 2 : latex_end], True)
    return None


def find_formulas(text: str) -> list[Formula]:
    """Every formula of a Markdown text, in order, as ``formulas.formulas`` finds them
    (see the module's docstring). Fenced code hides formulas; indented code does not
    here, but a formula found in code is put back as written (:func:`finish`)."""
    if "$" not in text:
        return []
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    found: list[Formula] = []
    #: The open fence: its character, its length, whether it is inside a quote, and the
    #: indentation below which a line ends the list item it is in (0: in none).
    fence: tuple[str, int, bool, int] | None = None
    block: int | None = None  # the first line of the open paragraph

    def close(upto: int) -> None:
        nonlocal block
        if block is not None:
            first = lines[block]
            begin = offsets[block] + len(_PREFIX.match(first).group())  # type: ignore[union-attr]
            end = offsets[upto] - 1
            while begin < end and text[begin] in " \t":
                begin += 1
            while end > begin and text[end - 1] in " \t\n":
                end -= 1
            if "$" in text[begin:end]:
                _inline_formulas(text, begin, end, found)
            block = None

    last_dollar = text.rfind("$")
    index = 0
    while index < len(lines):
        if block is None and offsets[index] > last_dollar:
            break  # no paragraph open and no $ from here on: no formula left
        line = lines[index]
        if fence is None and block is None:
            if line.startswith("$$"):
                # The commonest formula, a display block on one line (``_block_at``'s
                # first case, without its call).
                rstripped = line.rstrip()
                if len(rstripped) > 3 and rstripped.endswith("$$"):
                    start = offsets[index]
                    end = start + len(rstripped)
                    found.append(Formula(start, end, rstripped, text[start + 2 : end - 2], True))
                    index += 1
                    continue
            # A paragraph (up to a blank line) with no $, backtick or tilde holds no
            # formula and opens no fence: skip it whole.
            ahead = _CHUNK_END_OR_MARK.search(text, offsets[index])
            if ahead is None:
                break  # no $, fence or blank line in the rest of the text
            if ahead.group()[0] == "\n":
                index = bisect_right(offsets, ahead.start())
                continue
        if fence is None:
            # Fast paths for most lines: prose, blank lines and lines that start with $.
            first = line.lstrip(" \t")[:1]
            if not first:
                close(index)
                index += 1
                continue
            if first not in _BLOCK_MARKS:
                if block is None:
                    block = index
                index += 1
                continue
            if first == "$":
                content = len(line) - len(line.lstrip(" \t"))
                # A display formula's first line ends the paragraph above it (as in
                # Obsidian: ``formulas.use_math``), unless indented as code would be.
                if line.startswith("$$", content) and (block is None or content < 4):
                    matched = _block_at(text, lines, offsets, index, content)
                    if matched is not None:
                        close(index)
                        found.append(matched[1])
                        index = matched[0] + 1
                        continue
                if block is None:
                    block = index
                index += 1
                continue
        if fence is not None:
            char, width, quoted, indent = fence
            blank = not line.strip()
            if (quoted and (blank or not _QUOTE.match(line))) or (
                indent and not blank and len(line) - len(line.lstrip()) < indent
            ):
                fence = None  # the quote or list item holding the fence has ended
            else:
                run = line.lstrip(" \t>").strip()
                if run.startswith(char * width) and not run.strip(char):
                    fence = None
                index += 1
                continue
        opened = _FENCE.match(line)
        if opened is not None and not (opened.group(1)[0] == "`" and "`" in opened.group(2)):
            close(index)
            listed = _LIST_ITEM.match(line) is not None
            quoted = _QUOTE.match(line) is not None
            fence = (opened.group(1)[0], len(opened.group(1)), quoted, opened.start(1) * listed)
            index += 1
            continue
        if not line.strip():
            close(index)
            index += 1
            continue
        if _BREAK.match(line):
            close(index)
            index += 1
            continue
        heading = _HEADING.match(line) is not None
        if block is not None and (
            heading
            or _LIST_ITEM.match(line)
            or (_QUOTE.match(line) and not _QUOTE.match(lines[block]))
        ):
            close(index)
        content = len(_PREFIX.match(line).group())  # type: ignore[union-attr]
        if line.startswith("$$", content) and not heading:
            matched = _block_at(text, lines, offsets, index, content)
            if matched is not None:
                close(index)  # a paragraph open above it ends here (see the fast path)
                last, formula = matched
                found.append(formula)
                index = last + 1
                continue
        if block is None:
            block = index
        if heading:
            close(index + 1)
        index += 1
    close(len(lines))
    return found


# ------------------------------------------------------------------ preparing documents

#: A ``<`` that starts a tag, comment or declaration, and is not an autolink.
_TAG_START = re.compile(
    r"<(?![A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*>|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+>)"
    r"(?=[A-Za-z/!?])"
)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


def _code_ranges(text: str) -> list[tuple[int, int]]:
    """Where fenced code and code spans are, so that HTML in them is left alone."""
    ranges: list[tuple[int, int]] = []
    offset = 0
    fence: tuple[str, int] | None = None
    fence_start = 0
    for line in text.split("\n"):
        if fence is not None:
            run = line.strip()
            if run.startswith(fence[0] * fence[1]) and not run.strip(fence[0]):
                ranges.append((fence_start, offset + len(line)))
                fence = None
        else:
            opened = _FENCE.match(line)
            if opened is not None:
                fence = (opened.group(1)[0], len(opened.group(1)))
                fence_start = offset
        offset += len(line) + 1
    if fence is not None:
        ranges.append((fence_start, len(text)))
    if "`" in text:
        for match in _CODE_SPAN.finditer(text):
            if not any(s <= match.start() < e for s, e in ranges):
                ranges.append(match.span())
    return ranges


def _escape_tags(text: str) -> str:
    """``text`` with each ``<`` that would start raw HTML written ``&lt;``, outside code."""
    if "<" not in text:
        return text
    code = _code_ranges(text)
    return _TAG_START.sub(
        lambda match: match.group() if any(s <= match.start() < e for s, e in code) else "&lt;",
        text,
    )


@dataclass(frozen=True, slots=True)
class Prepared:
    """A text ready for a renderer: ``text`` with formula placeholders and raw HTML
    escaped, and the formulas the placeholders stand for."""

    text: str
    formulas: tuple[Formula, ...]


def without_placeholders(text: str) -> str:
    """``text`` with the characters placeholders are made of replaced (a card holding
    them would otherwise have a formula's or deletion's place taken by them)."""
    return _PRIVATE.sub("\ufffd", text) if _PRIVATE.search(text) else text


def prepare(markdown: str) -> Prepared:
    """Steps 1 and 2 of the module's docstring for one text (without placeholder
    characters of its own: :func:`without_placeholders`)."""
    formulas = find_formulas(markdown)
    if not formulas:
        return Prepared(_escape_tags(markdown), ())
    parts: list[str] = []
    cursor = 0
    for number, formula in enumerate(formulas):
        parts.append(_escape_tags(markdown[cursor : formula.start]))
        parts.append(f"{_F_OPEN}{number}{_F_CLOSE}")
        cursor = formula.end
    parts.append(_escape_tags(markdown[cursor:]))
    return Prepared("".join(parts), tuple(formulas))


_CODE_ELEMENT = re.compile(r"<code\b[^>]*>.*?</code>", re.DOTALL)


def mathjax(formula: Formula) -> str:
    """A formula as Anki's MathJax reads it in HTML: ``\\(…\\)`` or ``\\[…\\]``."""
    latex = html.escape(formula.latex.strip(), quote=False)
    return f"\\[{latex}\\]" if formula.display else f"\\({latex}\\)"


#: A link's or image's address in rendered HTML, and the schemes that would run code.
_URL_ATTRIBUTE = re.compile(r'(<(?:a|img)\s[^>]*?\b(?:href|src)=")([^"]*)"')
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "file:", "data:")
_DATA_IMAGE = re.compile(r"data:image/(?:gif|png|jpeg|webp);")
_URL_NOISE = re.compile(r"[\x00-\x20]")


def _safe_url(match: re.Match[str]) -> str:
    """A link or image whose address would run a script points nowhere instead (as
    markdown-it's ``validateLink`` refuses them); no entity, percent escape or tab
    hides the scheme."""
    address = _URL_NOISE.sub("", unquote(html.unescape(match.group(2)))).casefold()
    if address.startswith(_SCRIPT_SCHEMES) and not _DATA_IMAGE.match(address):
        return f'{match.group(1)}#"'
    return match.group()


def safe_links(rendered: str) -> str:
    """``rendered`` with every link or image address that would run a script replaced
    by ``#``: what lets Anki's renderer run without its (4 times slower) sanitiser, raw
    HTML being escaped before rendering."""
    if "href=" not in rendered and "src=" not in rendered:
        return rendered
    return _URL_ATTRIBUTE.sub(_safe_url, rendered)


def finish(rendered: str, formulas: Sequence[Formula]) -> str:
    """Step 4: the placeholders of ``rendered`` replaced by their formulas (as written
    inside code, as MathJax elsewhere), and no address that would run a script."""
    rendered = safe_links(rendered)
    if not formulas:
        return rendered

    def in_code(match: re.Match[str]) -> str:
        return _FORMULA_MARK.sub(
            lambda mark: html.escape(formulas[int(mark.group(1))].source, quote=False),
            match.group(),
        )

    if "<code" in rendered:
        rendered = _CODE_ELEMENT.sub(in_code, rendered)
    return _FORMULA_MARK.sub(lambda mark: mathjax(formulas[int(mark.group(1))]), rendered)


# ------------------------------------------------------------------------- rendering

#: Anything a Markdown renderer would read in a line of inline text: without any, the
#: text's HTML is the text escaped (entities, escapes, emphasis, code, links, math, HTML,
#: and a start that could open a block).
_MARKUP = re.compile(r"[\\`*_\[\]<>&$!~|{}=]|^\s*(?:[#+>-]|\d+[.)])|\n|  ")

#: A line that starts a block other than a paragraph (heading, quote, list, fence, rule,
#: indented code), so that inline text is kept one paragraph by escaping it.
_BLOCK_START = re.compile(r"^([ \t]*)(#|>|[-+*](?=[ \t]|$)|\d{1,9}(?=[.)])|`{3}|~{3}|=+[ \t]*$)")


def _inline_source(text: str) -> str:
    """``text`` written so that a renderer reads it as one paragraph of inline text."""
    lines = []
    for line in text.split("\n"):
        stripped = line.lstrip(" \t")
        match = _BLOCK_START.match(stripped)
        if match is not None:
            stripped = (
                "\\" + stripped
                if not match.group(2)[0].isdigit()
                else (re.sub(r"^(\d+)([.)])", r"\1\\\2", stripped))
            )
        lines.append(stripped)
    return "\n".join(lines)


def _heading_source(title: str) -> str:
    """A step title as the text of a Markdown heading line."""
    return _inline_source(title).replace("\n", " ") if _MARKUP.search(title) else title


def _unwrap(rendered: str) -> str:
    """One paragraph's HTML without its ``<p>`` (HTML of other shapes as it is)."""
    body = rendered.strip()
    if body.startswith("<p>") and body.endswith("</p>") and body.count("<p>") == 1:
        return body[3:-4]
    return body


@lru_cache(maxsize=1)
def _markdown_it() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def markdown_it_renderer(documents: Sequence[str]) -> list[str]:
    """CommonMark plus tables and strikethrough, raw HTML escaped: the renderer of
    texts no faster one reads (and of everything when no Anki collection is at hand)."""
    md = _markdown_it()
    return [md.render(document) for document in documents]


#: What Anki's renderer does not read: a table's delimiter row, or strikethrough.
_NEEDS_MARKDOWN_IT = re.compile(r"^[ \t>]*\|?[ \t]*:?-+:?[ \t]*\|[-:| \t]*$|~~", re.MULTILINE)
#: A link reference definition: it would reach the other documents of a batch.
_REFERENCE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:", re.MULTILINE)


def _needs_markdown_it(document: str) -> bool:
    """Whether ``document`` uses what Anki's renderer does not read. The substring tests
    first: a line-anchored search costs four times Anki's rendering of the document."""
    return "~~" in document or ("|" in document and _NEEDS_MARKDOWN_IT.search(document) is not None)


def _defines_reference(document: str) -> bool:
    """Whether ``document`` defines a link reference (which needs a ``]:``)."""
    return "]:" in document and _REFERENCE.search(document) is not None


def batched(render_one: Callable[[str], str], size: int = 128) -> MarkdownRenderer:
    """A renderer that sends ``size`` documents at a time to ``render_one`` (one call
    costs more than a short document's rendering), joined by a separator paragraph.

    A batch whose result does not hold every separator (a fence left open swallows the
    ones after it) is rendered one document at a time; documents that use tables or
    strikethrough, or define link references, go to :func:`markdown_it_renderer`.
    """
    separator = f"\n\n{_SEPARATOR}\n\n"
    split = f"<p>{_SEPARATOR}</p>\n"

    def render(documents: Sequence[str]) -> list[str]:
        results: list[str | None] = [None] * len(documents)
        fast: list[int] = []
        slow: list[int] = []
        for index, document in enumerate(documents):
            (slow if _needs_markdown_it(document) else fast).append(index)
        for index, rendered in zip(
            slow, markdown_it_renderer([documents[i] for i in slow]), strict=True
        ):
            results[index] = rendered
        alone: list[int] = []
        together: list[int] = []
        for index in fast:
            (alone if _defines_reference(documents[index]) else together).append(index)
        for start in range(0, len(together), size):
            chunk = together[start : start + size]
            parts = render_one(separator.join(documents[i] for i in chunk)).split(split)
            if len(parts) == len(chunk):
                for index, part in zip(chunk, parts, strict=True):
                    results[index] = part
            else:
                alone.extend(chunk)
        for index in alone:
            results[index] = render_one(documents[index])
        return [result or "" for result in results]

    return render


# ------------------------------------------------------------------------ field HTML


class Mode(Enum):
    """How a text becomes field HTML: ``BLOCK`` (a question, a step), ``INLINE`` (a
    title: one paragraph, no ``<p>``), ``CLOZE`` (a block holding Anki cloze markup),
    ``STEPS`` (an answer's steps, each a section under its heading: ``add_steps``)."""

    BLOCK = "block"
    INLINE = "inline"
    CLOZE = "cloze"
    STEPS = "steps"


#: How each step of an answer is wrapped (the note types' CSS styles ``qz-step``).
STEP_OPEN, STEP_CLOSE = '<section class="qz-step">', "</section>"


def _cloze_safe(rendered: str) -> str:
    """An answer's or hint's HTML written so that Anki's cloze parser does not end the
    deletion at a ``}}`` or start a hint at a ``::`` inside it (a formula such as
    ``e^{x^{2}}`` has one): in MathJax a space between the braces, elsewhere an entity."""
    if "}}" not in rendered and "::" not in rendered:
        return rendered
    parts = re.split(r"(\\\(.*?\\\)|\\\[.*?\\\])", rendered, flags=re.DOTALL)
    for index, part in enumerate(parts):
        if index % 2:
            while "}}" in part or "::" in part:
                part = part.replace("}}", "} }").replace("::", ": :")
        else:
            part = part.replace("}}", "}&#125;").replace("::", ":&#58;")
        parts[index] = part
    return "".join(parts)


class FieldBatch:
    """Texts collected for one rendering call: ``add`` each, ``render`` once, then read
    each result by the index ``add`` gave. One call for a whole export is what lets a
    batched renderer be fast."""

    def __init__(self) -> None:
        self._documents: list[str] = []
        self._formulas: list[tuple[Formula, ...]] = []
        #: Per text: its mode, its document, and for a cloze its deletions with the
        #: documents of their answer and hint (-1: no hint).
        self._jobs: list[tuple[Mode, int, tuple[tuple[int, int, int], ...]]] = []
        #: The HTML of inline documents that need no renderer, by document.
        self._plain: dict[int, str] = {}
        #: The steps of each ``STEPS`` text, by its index, should it need them one by one.
        self._steps: dict[int, tuple[tuple[str, str], ...]] = {}

    def _document(self, text: str, inline: bool) -> int:
        if inline and not _MARKUP.search(text):
            # Plain words (most titles): their HTML is known without a renderer.
            self._documents.append("")
            self._formulas.append(())
            self._plain[len(self._documents) - 1] = html.escape(" ".join(text.split()))
            return len(self._documents) - 1
        prepared = prepare(_inline_source(text) if inline and _MARKUP.search(text) else text)
        self._documents.append(prepared.text)
        self._formulas.append(prepared.formulas)
        return len(self._documents) - 1

    def add(self, text: str, mode: Mode = Mode.BLOCK) -> int:
        """Queue ``text``; the index of its result in :meth:`render`'s list."""
        text = without_placeholders(text)
        deletions: list[tuple[int, int, int]] = []
        if mode is Mode.CLOZE:
            try:
                found = cloze.deletions(text)
            except cloze.ClozeError:
                found = []  # stored text a format should have refused: shown as written
            parts: list[str] = []
            cursor = 0
            for number, deletion in enumerate(found):
                parts += [text[cursor : deletion.start], f"{_D_OPEN}{number}{_D_CLOSE}"]
                cursor = deletion.end
                answer = self._document(deletion.answer, True)
                hint = self._document(deletion.hint, True) if deletion.hint else -1
                deletions.append((deletion.ordinal, answer, hint))
            text = "".join(parts) + text[cursor:]
        document = self._document(text, mode is Mode.INLINE)
        self._jobs.append((mode, document, tuple(deletions)))
        return len(self._jobs) - 1

    def add_steps(self, steps: Sequence[tuple[str, str]]) -> int:
        """Queue an answer's steps, ``(heading, markdown)`` each (``""``: no heading); its
        result is each step in a ``<section class="qz-step">`` under an ``<h3>``.

        The steps go to the renderer as one document (a heading, the text, and a
        separator paragraph after each), which costs a fraction of one per step; an
        answer whose text swallows a separator (a fence left open) is rendered step by
        step instead."""
        steps = tuple(
            (without_placeholders(title), without_placeholders(body)) for title, body in steps
        )
        text = "".join(
            (f"### {_heading_source(title)}\n\n" if title.strip() else "")
            + f"{body}\n\n{_STEP_END}\n\n"
            for title, body in steps
        )
        document = self._document(text, False)
        self._jobs.append((Mode.STEPS, document, ()))
        self._steps[len(self._jobs) - 1] = steps
        return len(self._jobs) - 1

    def _steps_one_by_one(
        self, jobs: dict[int, tuple[tuple[str, str], ...]], renderer: MarkdownRenderer
    ) -> dict[int, str]:
        """The ``STEPS`` texts whose one document did not split, rendered per step."""
        if not jobs:
            return {}
        batch = FieldBatch()
        queued = {
            job: [
                (batch.add(title, Mode.INLINE) if title.strip() else -1, batch.add(body))
                for title, body in steps
            ]
            for job, steps in jobs.items()
        }
        rendered = batch.render(renderer)
        return {
            job: "".join(
                STEP_OPEN
                + (f"<h3>{rendered[title]}</h3>" if title >= 0 else "")
                + rendered[body]
                + STEP_CLOSE
                for title, body in items
            )
            for job, items in queued.items()
        }

    def render(self, renderer: MarkdownRenderer = markdown_it_renderer) -> list[str]:
        """Every queued text's HTML, in the order they were added."""
        wanted = [i for i in range(len(self._documents)) if i not in self._plain]
        rendered: list[str] = [""] * len(self._documents)
        if wanted:
            done = renderer([self._documents[i] for i in wanted])
            for index, html_text in zip(wanted, done, strict=True):
                rendered[index] = html_text
        for index, html_text in self._plain.items():
            rendered[index] = f"<p>{html_text}</p>"

        def html_of(document: int) -> str:
            return finish(rendered[document], self._formulas[document])

        def deletion(item: tuple[int, int, int]) -> str:
            ordinal, answer, hint = item
            text = f"{{{{c{ordinal}::{_cloze_safe(_unwrap(html_of(answer)))}"
            if hint >= 0:
                text += f"::{_cloze_safe(_unwrap(html_of(hint)))}"
            return text + "}}"

        results: list[str] = []
        unsplit: dict[int, tuple[tuple[str, str], ...]] = {}
        for job, (mode, document, deletions) in enumerate(self._jobs):
            if mode is Mode.INLINE:
                results.append(_unwrap(html_of(document)))
                continue
            if mode is Mode.STEPS:
                parts = html_of(document).split(f"<p>{_STEP_END}</p>")
                if len(parts) == len(self._steps[job]) + 1 and not parts[-1].strip():
                    results.append("".join(STEP_OPEN + p.strip() + STEP_CLOSE for p in parts[:-1]))
                else:
                    unsplit[job] = self._steps[job]
                    results.append("")
                continue
            body = html_of(document).strip()
            if deletions:
                body = _DELETION_MARK.sub(
                    lambda mark, items=deletions: deletion(items[int(mark.group(1))]),  # type: ignore[misc]
                    body,
                )
            results.append(body)
        for job, html_text in self._steps_one_by_one(unsplit, renderer).items():
            results[job] = html_text
        return results
