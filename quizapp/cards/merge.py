"""Front matter and a card's own text: which wins, and the warning when they disagree.

A card's title, tags, difficulty and related questions can be written twice: in the file's
YAML front matter and in the card itself (a ``# Title``, a ``## Tags`` section, a ``#tag``
on a flashcard line). Every format settles that the same way, here: the front matter wins,
and a disagreement is a warning on the front matter's line, never an error. Front matter
that names one card (``title``, ``aliases``) is ignored, with a warning, in a file that
holds several.
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
    """The card's title: the front matter's wins over the card's own in a single-card file
    (with a warning when they differ other than in case)."""
    if multi or front is None or front.title is None:
        return heading_title
    if heading_title and heading_title.casefold() != front.title.casefold():
        diagnostics.warn(
            front.line_of("title"),
            f'front matter title "{front.title}" differs from the heading '
            f'"# {heading_title}"; using the front matter',
        )
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


def _differ(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    return {item.casefold() for item in first} != {item.casefold() for item in second}


def merge_metadata(
    body: BodyMetadata, front: FrontMatter | None, diagnostics: Diagnostics
) -> Metadata:
    """Tags, difficulty and related questions: each from the front matter when it has them,
    else from the card's text. A ``difficulty/hard`` front matter tag sets the difficulty
    as the ``difficulty`` key does; the key wins over it."""
    if front is None:
        return Metadata(body.tags, body.difficulty, body.related)
    tags = body.tags
    front_difficulty: str | None = None
    if front.tags is not None:
        front_tags = normalise_tags(front.tags)
        if body.tags and _differ(body.tags, front_tags.tags):
            diagnostics.warn(
                front.line_of("tags"),
                "front matter tags differ from the Tags section; using the front matter",
            )
        tags = front_tags.tags
        front_difficulty = front_tags.difficulty
    if front.difficulty is not None:
        front_difficulty = normalise_difficulty(front.difficulty)
        if front_difficulty is None:
            diagnostics.warn(
                front.line_of("difficulty"),
                f'unknown difficulty "{front.difficulty}" (expected Easy, Medium or Hard)',
            )
    difficulty = body.difficulty
    if front_difficulty is not None:
        if body.difficulty is not None and body.difficulty != front_difficulty:
            diagnostics.warn(
                front.line_of("difficulty"),
                f'front matter difficulty "{front_difficulty}" differs from the body '
                f'("{body.difficulty}"); using the front matter',
            )
        difficulty = front_difficulty
    related = body.related
    if front.related is not None:
        if body.related and _differ(body.related, front.related):
            diagnostics.warn(
                front.line_of("related"),
                "front matter related questions differ from the Related Questions "
                "section; using the front matter",
            )
        related = front.related
    return Metadata(tags, difficulty, related)
