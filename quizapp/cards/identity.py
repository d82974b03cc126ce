"""Card ids, decks and content hashes.

A card's id must survive edits of its text, or the card would lose its review history when
its author fixes a typo. So the id never depends on the text: it comes from front matter, or
from the file's place under the import root (plus the card's title slug when one file holds
several cards). Changes are detected separately, by a hash over everything stored.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from quizapp.cards.model import Card

_NON_WORD = re.compile(r"[\W_]+")


def slugify(text: str) -> str:
    """A lower-case, dash-separated form of a title: "Bias & Variance" → "bias-variance".

    Letters of any script are kept, so non-Latin titles still give a readable slug.
    """
    return _NON_WORD.sub("-", text.casefold()).strip("-") or "card"


def path_id(relative_path: str) -> str:
    """The id of a single-card file: its posix path under the import root without ``.md``,
    e.g. ``deep-learning/backpropagation``."""
    path = PurePosixPath(relative_path)
    if path.suffix.casefold() == ".md":
        path = path.with_suffix("")
    return path.as_posix()


def card_id(base: str, title: str, multi_card: bool) -> str:
    """The id of one card in a file: the file's id, plus ``#<title slug>`` when the file
    holds several cards."""
    return f"{base}#{slugify(title)}" if multi_card else base


def deck_for(relative_path: str, root_name: str) -> str:
    """The deck of a file without a ``deck`` in its front matter: its folder under the
    import root (``ml/optim``), or the root folder's own name for files directly in it."""
    parent = PurePosixPath(relative_path).parent.as_posix()
    if parent not in ("", "."):
        return parent
    return root_name or "default"


def content_hash(card: Card) -> str:
    """A sha256 over everything the store keeps of a card, so that any edit is noticed.

    Positions (``line``, the exercises' lines) and the source path are left out: moving a
    card further down its file does not change what is stored about it.
    """
    payload = {
        "id": card.id,
        "title": card.title,
        "question": card.question,
        "steps": [[list(step.path), step.text] for step in card.steps],
        "tags": list(card.tags),
        "difficulty": card.difficulty,
        "related": list(card.related),
        "deck": card.deck,
        "aliases": list(card.aliases),
        "exercises": [exercise.yaml for exercise in card.exercises],
    }
    encoded = json.dumps(payload, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("ascii")).hexdigest()


def duplicates(values: Iterable[str]) -> list[str]:
    """Values that occur more than once, in order of their second occurrence."""
    seen: set[str] = set()
    repeated: list[str] = []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    return repeated
