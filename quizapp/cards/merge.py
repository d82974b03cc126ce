"""Front matter and a card's own text: which wins, and when that is worth a warning.

A card's title, tags, difficulty and related questions can be written twice: in the file's
YAML front matter and in the card itself (a ``# Title``, a ``## Tags`` section, a ``#tag``
on a flashcard line). Every format settles that the same way, here: the front matter is
the authority, as it is in a notes vault, where the body's heading is often a display
title or a language label and the front matter is what Obsidian's properties show. So a
body that says something different is overruled silently; only a body that has something
the front matter lacks (a tag or related question it does not list) is worth a warning,
on the front matter's line, since that text is dropped. Front matter that names one card
(``title``, ``aliases``) is ignored, with a warning, in a file that holds several.

The difficulty comes from the front matter's ``difficulty`` (Easy/Medium/Hard, or 1..5),
else its ``level``, else a ``difficulty/<level>`` tag, else the body.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.frontmatter import FrontMatter
from quizapp.cards.metadata import normalise_difficulty, normalise_related, normalise_tags

#: Front matter keys that describe a single card, meaningless in a file of many cards.
SINGLE_CARD_KEYS = ("title", "aliases")


@dataclass(frozen=True, slots=True)
class BodyMetadata:
    """What a card's own text says about it, already normalised; empty when it says nothing.

    ``difficulty`` is ``easy``, ``medium``, ``hard`` or None.
    """

    tags: tuple[str, ...] = ()
    difficulty: str | None = None
    related: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Metadata:
    """A card's tags, difficulty and related questions after merging."""

    tags: tuple[str, ...]
    difficulty: str | None
    related: tuple[str, ...]


def warn_single_card_keys(front: FrontMatter | None, diagnostics: Diagnostics) -> None:
    """Warn that ``title`` and ``aliases`` are ignored: the file holds several cards."""
    if front is None:
        return
    for key in SINGLE_CARD_KEYS:
        if getattr(front, key) is not None:
            diagnostics.warn(
                front.line_of(key), f'front matter "{key}" is ignored in a file with several cards'
            )


def merge_title(
    heading_title: str, front: FrontMatter | None, multi: bool, diagnostics: Diagnostics
) -> str:
    """The card's title: the front matter's wins over the card's own in a single-card file,
    silently (a heading is often a display form of the same title)."""
    if multi or front is None or front.title is None:
        return heading_title
    return front.title


def merge_aliases(front: FrontMatter | None, multi: bool) -> tuple[str, ...]:
    """Other names of the card, from front matter; none in a file with several cards."""
    if front is None or front.aliases is None or multi:
        return ()
    return tuple(normalise_related(front.aliases))


def merge_deck(front: FrontMatter | None, default: str) -> str:
    """The front matter's deck, else the file's (from its folder)."""
    return front.deck if front is not None and front.deck else default


def merge_base_id(front: FrontMatter | None, default: str) -> str:
    """The id the file's cards are named from: the front matter's, else the file's path id."""
    return front.id if front is not None and front.id else default


def _lacking(body: tuple[str, ...], front: tuple[str, ...]) -> list[str]:
    """The body's items that the front matter does not list (compared case-folded)."""
    listed = {item.casefold() for item in front}
    return [item for item in body if item.casefold() not in listed]


def _quoted(items: list[str]) -> str:
    shown = ", ".join(f'"{item}"' for item in items[:3])
    return shown + (f" and {len(items) - 3} more" if len(items) > 3 else "")


def merge_metadata(
    body: BodyMetadata, front: FrontMatter | None, diagnostics: Diagnostics
) -> Metadata:
    """Tags, difficulty and related questions: each from the front matter when it has them,
    else from the card's text (see the module for the difficulty's sources). A warning
    only when the body lists tags or related questions the front matter lacks."""
    if front is None:
        return Metadata(body.tags, body.difficulty, body.related)
    tags = body.tags
    front_difficulty: str | None = None
    if front.tags is not None:
        front_tags = normalise_tags(front.tags)
        lacking = _lacking(body.tags, front_tags.tags)
        if lacking:
            diagnostics.warn(
                front.line_of("tags"),
                f"front matter tags lack {_quoted(lacking)} from the Tags section; "
                "using the front matter",
            )
        tags = front_tags.tags
        front_difficulty = front_tags.difficulty
    for key in ("level", "difficulty"):
        value = getattr(front, key)
        if value is None:
            continue
        level = normalise_difficulty(value)
        if level is None:
            diagnostics.warn(
                front.line_of(key),
                f'unknown {key} "{value}" (expected Easy, Medium or Hard, or 1 to 5)',
            )
        else:
            front_difficulty = level
    difficulty = front_difficulty if front_difficulty is not None else body.difficulty
    related = body.related
    if front.related is not None:
        lacking = _lacking(body.related, front.related)
        if lacking:
            diagnostics.warn(
                front.line_of("related"),
                f"front matter related questions lack {_quoted(lacking)} from the Related "
                "Questions section; using the front matter",
            )
        related = front.related
    return Metadata(tags, difficulty, related)
