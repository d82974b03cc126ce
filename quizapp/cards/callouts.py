"""Obsidian's callouts: a quote whose first line is ``[!type] Title`` is a titled panel.

::

    > [!warning] Not for small batches
    > Batch norm's statistics are noisy below about 16 examples.

Obsidian draws that as a box titled "Not for small batches" in the warning colour; a
viewer that knows only Markdown shows a quote that starts with ``[!warning]``. A ``+`` or
``-`` after the type makes the callout foldable (open or closed); a callout with no title
is titled by its type ("Warning"). Types Obsidian does not know are drawn as notes.

:func:`callouts_plugin` marks each callout's ``blockquote_open`` token for a front end
(``token.meta["callout"]``, a :class:`Callout`) and takes the ``[!type] Title`` line out
of the quote's text; :func:`plain` rewrites that line as a bold title in Markdown source,
for the command line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from quizapp.cards.formulas import mask_code

#: The callout types Obsidian knows, with their aliases, by the colour each is drawn in.
TONES: dict[str, tuple[str, ...]] = {
    "note": ("note", "abstract", "summary", "tldr", "info", "todo"),
    "tip": ("tip", "hint", "important", "success", "check", "done"),
    "warning": ("warning", "caution", "attention", "question", "help", "faq"),
    "danger": ("danger", "error", "failure", "fail", "missing", "bug"),
    "quote": ("example", "quote", "cite"),
}
_TONE_OF = {kind: tone for tone, kinds in TONES.items() for kind in kinds}

#: ``[!type]`` and an optional fold sign at the start of a quote's text.
_MARKER = re.compile(r"^\[!([\w-]+)\]([+-]?)[ \t]*")
#: The same as a source line, after its quote markers.
_HEADER_LINE = re.compile(
    r"^(?P<quote>[ \t]{0,3}>[ \t]?(?:>[ \t]?)*)\[!(?P<kind>[\w-]+)\]"
    r"[+-]?[ \t]*(?P<title>[^\n]*?)[ \t]*$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Callout:
    """One callout's header: ``kind`` as written, lower-cased (``"warning"``), ``title``
    (the type's name when none is written) and ``fold`` (``""``, ``"+"`` or ``"-"``)."""

    kind: str
    title: str
    fold: str = ""

    @property
    def tone(self) -> str:
        """The colour family it is drawn in: a key of :data:`TONES` (unknown types are
        notes, as in Obsidian)."""
        return _TONE_OF.get(self.kind, "note")


def _default_title(kind: str) -> str:
    return kind.replace("-", " ").replace("_", " ").capitalize()


def parse_header(text: str) -> Callout | None:
    """The callout whose header line opens a quote's ``text``; None when the quote is
    not a callout."""
    match = _MARKER.match(text)
    if match is None:
        return None
    kind = match.group(1).casefold()
    title = text[match.end() :].partition("\n")[0].strip() or _default_title(kind)
    return Callout(kind, title, match.group(2))


def _plain_title(children: list[Token]) -> str:
    """The text of a header's inline tokens (emphasis dropped, code and math kept)."""
    return "".join(child.content for child in children if child.content).strip()


def _mark_callouts(state: StateCore) -> None:
    """markdown-it core rule: find each quote whose text opens with ``[!type]``, mark its
    ``blockquote_open`` and take the header line out of its first paragraph."""
    tokens = state.tokens
    drop: list[int] = []
    for index, token in enumerate(tokens[:-2]):
        if token.type != "blockquote_open" or tokens[index + 1].type != "paragraph_open":
            continue
        inline = tokens[index + 2]
        children = inline.children or []
        if inline.type != "inline" or not children or children[0].type != "text":
            continue
        first = children[0]
        marker = _MARKER.match(first.content)
        if marker is None:
            continue
        kind = marker.group(1).casefold()
        first.content = first.content[marker.end() :]
        breaks = [i for i, child in enumerate(children) if child.type in ("softbreak", "hardbreak")]
        cut = breaks[0] if breaks else len(children)
        title = _plain_title(children[:cut]) or _default_title(kind)
        callout = Callout(kind, title, marker.group(2))
        inline.children = children[cut + 1 :]
        inline.content = inline.content.partition("\n")[2]
        token.meta = {**token.meta, "callout": callout}
        if not inline.children:
            drop.extend((index + 1, index + 2, index + 3))
    for index in reversed(drop):
        del tokens[index]


def callouts_plugin(md: MarkdownIt) -> None:
    """Teach a markdown-it parser callouts (see the module's docstring)."""
    md.core.ruler.push("callouts", _mark_callouts)


def plain(markdown: str) -> str:
    """``markdown`` with each callout header line, outside code, as its title in bold
    (``> [!tip] Why`` becomes ``> **Tip: Why**``; ``> [!tip]`` becomes ``> **Tip**``)."""
    if "[!" not in markdown:
        return markdown
    masked = mask_code(markdown)
    parts: list[str] = []
    cursor = 0
    for match in _HEADER_LINE.finditer(masked):
        kind = match.group("kind").casefold()
        name = _default_title(kind)
        title = markdown[match.start("title") : match.end("title")].strip()
        shown = f"{name}: {title}" if title and title.casefold() != kind else name
        parts.append(markdown[cursor : match.start()])
        parts.append(f"{markdown[match.start('quote') : match.end('quote')]}**{shown}**")
        cursor = match.end()
    parts.append(markdown[cursor:])
    return "".join(parts)
