"""Card text drawn the way Obsidian draws it, for every front end.

Notes written in Obsidian lean on what Obsidian shows rather than on plain Markdown: the
question set off as a quote (``> What is dropout?``), a ``---`` rule closing a section,
``==highlights==``, callouts, ``[[wikilinks]]``, embedded images, footnotes. Shown as
plain Markdown they come out as clutter: a grey bar beside every question, a setext
heading made of the last paragraph, brackets, ``==`` signs. This module decides how such
text is shown, once, for the TUI and for ``quizapp show``:

- :func:`tidy_question` and :func:`tidy` take off the quote around a question and the
  rules after a question or step; :func:`without_title` drops a question's first
  paragraph when it only repeats the card's title, so the title is not shown twice;
- :func:`obsidian_plugin` teaches a markdown-it parser the rest (for the TUI, which draws
  the tokens): wikilinks (``cards/wikilinks.py``), callouts (``cards/callouts.py``),
  ``==highlight==`` (``mark_open``/``mark_close`` tokens), images as placeholder text
  (:func:`image_placeholder`), and footnotes, whose references become ``[1]`` and whose
  definitions follow a rule at the end;
- :func:`plain` does what a front end that prints Markdown source can (the command
  line): wikilinks as their text, images as placeholders, callout headers as bold titles.
  Footnotes stay as written there, and highlights keep their ``==`` like ``**bold**``.
"""

from __future__ import annotations

import re
import unicodedata

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from quizapp.cards import callouts, wikilinks
from quizapp.cards.formulas import MATH_MARKDOWN, mask_code

#: A thematic break on its own line: three or more ``-``, ``*`` or ``_``.
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
#: One level of quote marker at the start of a line.
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
#: ``![alt](path)`` or ``![alt](<path> "title")``.
_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\(\s*<?(?P<src>[^)\s>]*)>?(?:\s+\"[^\"\n]*\")?\s*\)")
#: Block tokens whose lines are never tidied.
_CODE = frozenset({"fence", "code_block", "html_block"})


def image_placeholder(alt: str, path: str) -> str:
    """What stands for an image a terminal does not draw: ``[image: alt — path]``."""
    alt, path = " ".join(alt.split()), path.strip()
    if alt and path and alt != path:
        return f"[image: {alt} — {path}]"
    return f"[image: {alt or path}]"


# ------------------------------------------------------------------ source tidying


def _code_lines(markdown: str) -> set[int]:
    """The line numbers inside fenced, indented or HTML blocks."""
    if (
        "```" not in markdown
        and "~~~" not in markdown
        and "    " not in markdown
        and ("<" not in markdown)
    ):
        return set()
    lines: set[int] = set()
    for token in MATH_MARKDOWN.parse(markdown):
        if token.type in _CODE and token.map is not None:
            lines.update(range(*token.map))
    return lines


def tidy(markdown: str) -> str:
    """``markdown`` without the rules (``---``) and blank lines it ends with.

    A rule under a section is how a note separates it from the next one; shown, it is a
    stray line, and right under a paragraph Markdown even reads it as a heading's
    underline. A rule inside code is kept.
    """
    lines = markdown.rstrip().split("\n")
    if not _RULE.match(lines[-1]):
        return markdown
    code = _code_lines(markdown)
    while lines and (not lines[-1].strip() or _RULE.match(lines[-1])):
        if len(lines) - 1 in code:
            break
        lines.pop()
    return "\n".join(lines)


def tidy_question(markdown: str) -> str:
    """A question as shown: :func:`tidy`, then without the quote marker it is set off
    with when every line is quoted (``> What is dropout?``). A callout is no such
    quote: it is drawn as a panel."""
    text = tidy(markdown)
    lines = text.split("\n")
    quoted = [line for line in lines if line.strip()]
    if not quoted or not all(_QUOTE.match(line) for line in quoted):
        return text
    inside = [_QUOTE.sub("", line, count=1) for line in lines]
    if callouts.parse_header(inside[0].lstrip()) is not None:
        return text
    return tidy("\n".join(inside))


def _words(text: str) -> str:
    """Text compared for repetition: no Markdown marks, spaces or case, and no closing
    punctuation (a title often drops the question mark)."""
    text = wikilinks.plain(text)
    text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text)
    text = re.sub(r"[*_`~=]+", "", text)
    text = unicodedata.normalize("NFKC", " ".join(text.split())).casefold()
    return text.rstrip("?？.。:：!！ ")


def without_title(title: str, question: str) -> str:
    """``question`` without its first paragraph when that only repeats ``title`` (all of
    it, when the question is its title), so a card does not show the same line twice."""
    if not title.strip() or not question.strip():
        return question
    stripped = question.strip("\n")
    first, blank, rest = stripped.partition("\n\n")
    if _words(first) != _words(title):
        return question
    return rest.lstrip("\n") if blank else ""


# ------------------------------------------------------------- plain Markdown source


def plain(markdown: str) -> str:
    """``markdown`` as a front end that prints source shows it (see the module's
    docstring): wikilinks as their text, images and embedded images as placeholders,
    callout headers as bold titles. Code is left as written."""
    text = wikilinks.replace(
        markdown,
        lambda link: image_placeholder(link.label, link.target) if link.is_image else link.text,
    )
    if "![" in text:
        masked = mask_code(text)
        parts: list[str] = []
        cursor = 0
        for match in _IMAGE.finditer(masked):
            alt = text[match.start("alt") : match.end("alt")]
            src = text[match.start("src") : match.end("src")]
            parts.extend((text[cursor : match.start()], image_placeholder(alt, src)))
            cursor = match.end()
        text = "".join(parts) + text[cursor:]
    return callouts.plain(text)


# ------------------------------------------------------------------ markdown-it rules


def _highlight_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: ``==text==`` (no space just inside the signs) becomes
    ``mark_open``, the text's own tokens, ``mark_close``. Code spans and formulas inside
    are skipped over whole while the closing signs are looked for."""
    src, start = state.src, state.pos
    if not src.startswith("==", start) or src.startswith("===", start):
        return False
    if start and src[start - 1] == "=":
        return False
    inner = start + 2
    if inner >= state.posMax or src[inner].isspace():
        return False
    end = -1
    state.pos = inner
    while state.pos < state.posMax:
        if (
            state.pos > inner
            and src.startswith("==", state.pos)
            and not src[state.pos - 1].isspace()
        ):
            end = state.pos
            break
        state.md.inline.skipToken(state)
    state.pos = start
    if end < 0:
        return False
    if not silent:
        state.push("mark_open", "mark", 1)
        limit = state.posMax
        state.pos, state.posMax = inner, end
        state.md.inline.tokenize(state)
        state.posMax = limit
        state.push("mark_close", "mark", -1)
    state.pos = end + 2
    return True


def _images_as_placeholders(state: StateCore) -> None:
    """markdown-it core rule: each image becomes its placeholder text, in emphasis."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        if not any(child.type == "image" for child in token.children):
            continue
        children: list[Token] = []
        for child in token.children:
            if child.type != "image":
                children.append(child)
                continue
            text = Token("text", "", 0)
            text.content = image_placeholder(child.content, str(child.attrs.get("src", "")))
            children.extend((Token("em_open", "em", 1), text, Token("em_close", "em", -1)))
        token.children = children


def _footnote_mark(number: int) -> list[Token]:
    """A footnote reference as a link labelled ``[1]``."""
    opening = Token("link_open", "a", 1)
    opening.attrs = {"href": f"#fn{number}"}
    text = Token("text", "", 0)
    text.content = f"[{number}]"
    return [opening, text, Token("link_close", "a", -1)]


def _footnotes_as_text(state: StateCore) -> None:
    """markdown-it core rule: the footnote plugin's tokens as ones every Markdown viewer
    draws. A reference becomes ``[1]``; the footnotes, gathered at the end, follow a
    rule, each paragraph opening with its number. Nothing a footnote says is dropped."""
    tokens: list[Token] = []
    number = 0
    for token in state.tokens:
        if token.type == "inline" and token.children:
            children: list[Token] = []
            for child in token.children:
                if child.type == "footnote_ref":
                    children.extend(_footnote_mark(int(child.meta.get("id", 0)) + 1))
                else:
                    children.append(child)
            if number:
                lead = Token("text", "", 0)
                lead.content = f"[{number}] "
                children.insert(0, lead)
                number = 0
            token.children = children
        if token.type == "footnote_block_open":
            rule = Token("hr", "hr", 0)
            rule.markup = "---"
            rule.map = token.map
            tokens.append(rule)
        elif token.type == "footnote_open":
            number = int(token.meta.get("id", 0)) + 1
        elif not token.type.startswith("footnote_"):
            tokens.append(token)
    state.tokens = tokens


def obsidian_plugin(md: MarkdownIt) -> None:
    """Teach a markdown-it parser what Obsidian draws beyond Markdown (see the module's
    docstring). Its core rules run after the parser's own, so they see final tokens."""
    md.use(footnote_plugin)
    md.use(wikilinks.wikilinks_plugin)
    md.inline.ruler.before("emphasis", "highlight", _highlight_rule)
    md.core.ruler.push("images_as_placeholders", _images_as_placeholders)
    md.core.ruler.push("footnotes_as_text", _footnotes_as_text)
    md.use(callouts.callouts_plugin)
