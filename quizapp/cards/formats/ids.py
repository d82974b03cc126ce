"""Identity policies: how each format names its cards, so that progress survives edits.

A card keeps its review history only as long as it keeps its id, so each format decides
what an id is made of, and ``docs/formats.md`` says which edits keep it.

- **Native** cards (one card per file, or a few under their own ``# Title``): the front
  matter ``id`` or the file's path under its import root, plus ``#<title slug>`` when the
  file holds several cards. Any edit of the text keeps the id; renaming or moving the file
  (without a front matter id) or retitling a card of a multi-card file does not.
- **Inline** cards (many short cards in one file: ``Q::A`` lines, question lists, CSV
  rows): the file's id plus the card's normalised question text, so that editing an answer,
  reordering cards or inserting new ones keeps every id. When a question itself is edited,
  the card keeps its id if it is still at the same position among the file's cards and the
  id it had there is gone (a positional fallback, as the Obsidian plugin matches by line).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from quizapp.cards.identity import card_id, slugify

#: Separates a note's key from the discriminator of one of its cards: ``f#q-slug/c2``.
SIBLING_SEPARATOR = "/"
#: A question slug longer than this is cut at a dash and given a short digest of the whole.
MAX_SLUG_CHARS = 48
_DIGEST_CHARS = 8
_SPACE = re.compile(r"\s+")
#: Markup that does not change what a question asks: emphasis, code ticks, cloze braces.
_MARKUP = re.compile(r"[*_`~=]+|\{\{c\d+::|\}\}")


def native_id(base: str, heading_title: str, title: str, multi: bool) -> str:
    """The id of a native card: ``base`` (front matter id or path id), plus the title's
    slug in a multi-card file; the title's slug alone for text from no file."""
    if not base:
        return slugify(title)
    return card_id(base, heading_title or title, multi)


def normalise_question(text: str) -> str:
    """The part of a question's text that identifies it: case, runs of whitespace and
    emphasis markup do not count, so fixing "what is  **dropout**" keeps the card."""
    return _SPACE.sub(" ", _MARKUP.sub("", text)).strip().casefold()


def question_key(text: str) -> str:
    """A short, readable key for a question: its slug, cut at a word boundary and given a
    digest of the whole normalised text when too long (so two long questions that start
    alike still differ)."""
    normalised = normalise_question(text)
    slug = slugify(normalised)
    if len(slug) <= MAX_SLUG_CHARS:
        return slug
    cut = slug[:MAX_SLUG_CHARS].rsplit("-", 1)[0] or slug[:MAX_SLUG_CHARS]
    digest = hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{cut}-{digest[:_DIGEST_CHARS]}"


def inline_ids(
    file_id: str,
    questions: Sequence[str],
    previous: Sequence[str] = (),
    siblings: Sequence[str] | None = None,
) -> list[str]:
    """The ids of the cards of one inline multi-card file, in file order.

    Each id is ``<file_id>#<question key>``, with ``/<sibling>`` for one card of a note
    that makes several (``c1`` for a cloze deletion, ``reverse`` for the back-to-front
    card; ``siblings`` holds one entry per card, empty for a card alone). The same question
    twice in a file gets ``~2``, ``~3``… in order of appearance (``~`` is never part of a
    slug, so these cannot meet another question's id).

    ``previous`` are the ids the file's cards had at its last import, in file order. A card
    whose content id is new takes the previous id at its own position when that id is no
    longer produced by any card: its question was edited in place, and it keeps its
    history. Otherwise (new text at a position whose old card still exists, or a file whose
    cards were also added or removed before it) it is a new card.
    """
    if siblings is not None and len(siblings) != len(questions):
        raise ValueError("one sibling discriminator per question is needed")
    ids: list[str] = []
    seen: dict[str, int] = {}
    for index, question in enumerate(questions):
        key = question_key(question)
        sibling = siblings[index] if siblings is not None else ""
        if sibling:
            key = f"{key}{SIBLING_SEPARATOR}{sibling}"
        count = seen.get(key, 0) + 1
        seen[key] = count
        ids.append(f"{file_id}#{key}" if count == 1 else f"{file_id}#{key}~{count}")
    if not previous:
        return ids
    produced = set(ids)
    old = set(previous)
    taken: set[str] = set()
    for index, identity in enumerate(ids):
        if identity in old or index >= len(previous):
            continue
        fallback = previous[index]
        if fallback not in produced and fallback not in taken:
            ids[index] = fallback
            taken.add(fallback)
    return ids
