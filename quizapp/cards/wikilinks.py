"""Obsidian's wikilinks in card text, and what they look like on a screen.

A note in a vault links to another by its name: ``[[Bias-Variance Tradeoff]]``, with a
label ``[[Bias-Variance Tradeoff|the tradeoff]]``, to a heading ``[[Adam#Bias
correction]]`` or a block ``[[Adam#^a1b2]]``, or to a heading of the same note
``[[#Proof]]``. ``![[...]]`` embeds the target: an image file is drawn in its place, any
other note is transcluded. None of this is Markdown, so a viewer that knows only Markdown
shows the brackets raw.

This module is the one reader of that syntax for display. :func:`parse` reads what is
between the brackets; :class:`WikiLink` says what a link is drawn as (:attr:`WikiLink.
text`: its label, else its target, "Adam › Bias correction" for a heading); the TUI's
Markdown parser gets :func:`wikilinks_plugin`, which makes each link a Markdown link token
(drawn styled as a link) and each embedded image an image token (drawn as a placeholder,
``cards/display_markdown.py``); and :func:`plain` replaces links by their text in
Markdown source for the command line, leaving code alone. Resolving a link to a card is
the store's business (``store/sqlite/import_repo.py``), by the same target name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from quizapp.cards.formulas import mask_code
from quizapp.cards.model import PATH_SEPARATOR

#: ``[[inside]]`` or ``![[inside]]`` on one line, with no brackets inside.
_LINK = re.compile(r"(!?)\[\[([^\[\]\n]+)\]\]")

#: File suffixes Obsidian draws as an image when embedded (``![[diagram.png]]``).
IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".svg", ".webp", ".avif", ".tif", ".tiff"}
)

#: An embed's ``|…`` that sets the image's size (``|300``, ``|300x200``), not a label.
_SIZE = re.compile(r"^\s*\d+(?:\s*x\s*\d+)?\s*$")


@dataclass(frozen=True)
class WikiLink:
    """One ``[[target#heading|label]]``: ``target`` the note's name ("" for a heading of
    the same note), ``heading`` what follows ``#`` (a block reference starts with ``^``),
    ``label`` what follows ``|``, ``embed`` True for ``![[...]]``."""

    target: str
    heading: str = ""
    label: str = ""
    embed: bool = False

    @property
    def is_image(self) -> bool:
        """An embedded image file, drawn as a picture rather than as a link."""
        if not self.embed:
            return False
        name = self.target.casefold()
        return any(name.endswith(suffix) for suffix in IMAGE_SUFFIXES)

    @property
    def text(self) -> str:
        """What the link is drawn as: its label, else its target and heading as Obsidian
        shows them ("Adam › Bias correction"; a block reference shows the note only)."""
        if self.label:
            return self.label
        if not self.heading or self.heading.startswith("^"):
            return self.target or self.heading
        if not self.target:
            return self.heading
        return f"{self.target}{PATH_SEPARATOR}{self.heading}"

    @property
    def href(self) -> str:
        """The link as a Markdown link's destination: ``target#heading``."""
        return f"{self.target}#{self.heading}" if self.heading else self.target


def parse(inside: str, *, embed: bool = False) -> WikiLink | None:
    """The link written between ``[[`` and ``]]``, or None when it names nothing.

    An embedded image's ``|300`` or ``|300x200`` is its size, not a label, so it is
    dropped; its other ``|text`` is its alt text, kept as the label.
    """
    target, _, label = inside.partition("|")
    target, _, heading = target.partition("#")
    link = WikiLink(target.strip(), heading.strip(), label.strip(), embed)
    if not link.target and not link.heading:
        return None
    if link.is_image and _SIZE.match(link.label):
        link = WikiLink(link.target, link.heading, "", embed)
    return link


def find(markdown: str) -> Iterator[tuple[int, int, WikiLink]]:
    """Every wikilink in ``markdown`` outside code, as ``(start, end, link)``."""
    if "[[" not in markdown:
        return
    for match in _LINK.finditer(mask_code(markdown)):
        link = parse(markdown[match.start(2) : match.end(2)], embed=bool(match.group(1)))
        if link is not None:
            yield match.start(), match.end(), link


def replace(markdown: str, draw: Callable[[WikiLink], str]) -> str:
    """``markdown`` with each wikilink outside code replaced by ``draw(link)``."""
    parts: list[str] = []
    cursor = 0
    for start, end, link in find(markdown):
        parts.append(markdown[cursor:start])
        parts.append(draw(link))
        cursor = end
    if not parts:
        return markdown
    parts.append(markdown[cursor:])
    return "".join(parts)


def plain(markdown: str) -> str:
    """``markdown`` with each wikilink replaced by its text (:attr:`WikiLink.text`), for
    output that cannot style a link. An embedded image is left as an embed, for the
    image placeholders of ``cards/display_markdown.py`` to draw."""
    return replace(markdown, lambda link: _source(link) if link.is_image else link.text)


def _source(link: WikiLink) -> str:
    label = f"|{link.label}" if link.label else ""
    return f"![[{link.href}{label}]]"


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: ``[[...]]`` becomes a link to ``target#heading`` whose
    text is the link's :attr:`~WikiLink.text`; ``![[image.png]]`` becomes an image."""
    match = _LINK.match(state.src, state.pos)
    if match is None:
        return False
    link = parse(match.group(2), embed=bool(match.group(1)))
    if link is None:
        return False
    if not silent:
        if link.is_image:
            image = state.push("image", "img", 0)
            image.attrs = {"src": link.target, "alt": ""}
            image.content = link.label
            image.meta = {"wikilink": link}
        else:
            opening = state.push("link_open", "a", 1)
            opening.attrs = {"href": link.href}
            opening.meta = {"wikilink": link}
            text = state.push("text", "", 0)
            text.content = link.text
            state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


def wikilinks_plugin(md: MarkdownIt) -> None:
    """Teach a markdown-it parser wikilinks (before its own links, which would otherwise
    read ``[[a]]`` as brackets around a reference)."""
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
