"""Card ids, decks and content hashes.

A card's id must survive edits of its text, or the card would lose its review history when
its author fixes a typo. So the id never depends on the text: it comes from front matter, or
from the file's place under the import root (plus the card's title slug when one file holds
several cards). Changes are detected separately, by a hash over everything stored.
"""

from __future__ import annotations

import hashlib
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


def _is_plain(relative_path: str) -> bool:
    """A relative posix path that ``PurePosixPath`` would leave as it is (no empty, ``.``
    or hidden components, no leading or trailing slash), so string operations on it give
    the same results as the path operations, only faster."""
    return (
        bool(relative_path)
        and "//" not in relative_path
        and "/." not in relative_path
        and not relative_path.startswith(("/", "."))
        and not relative_path.endswith("/")
    )


def path_id(relative_path: str) -> str:
    """The id of a single-card file: its posix path under the import root without ``.md``,
    e.g. ``deep-learning/backpropagation``."""
    if _is_plain(relative_path):
        name = relative_path.rsplit("/", 1)[-1]
        if len(name) > 3 and name[-3:].casefold() == ".md":
            return relative_path[:-3]
        return relative_path
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
    if _is_plain(relative_path):
        parent = relative_path.rpartition("/")[0] or "."
    else:
        parent = PurePosixPath(relative_path).parent.as_posix()
    if parent not in ("", "."):
        return parent
    return root_name or "default"


def content_hash(card: Card) -> str:
    """A sha256 over everything the store keeps of a card, so that any edit is noticed.

    Positions (``line``, the exercises' lines) and the source path are left out: moving a
    card further down its file does not change what is stored about it. Each value is
    length-prefixed, so no two different cards can serialise to the same bytes.
    """
    parts: list[str] = [card.id, card.title, card.question, card.difficulty or "", card.deck]
    for name, values in (
        ("steps", [value for step in card.steps for value in (*step.path, "\x00", step.text)]),
        ("tags", list(card.tags)),
        ("related", list(card.related)),
        ("aliases", list(card.aliases)),
        ("exercises", [exercise.yaml for exercise in card.exercises]),
    ):
        parts.append(f"{name}={len(values)}")
        parts.extend(values)
    if card.difficulty is None:
        parts.append("no-difficulty")
    encoded = "".join([f"{len(part)}:{part}" for part in parts])
    return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()


def duplicates(values: Iterable[str]) -> list[str]:
    """Values that occur more than once, in order of their second occurrence."""
    seen: set[str] = set()
    repeated: list[str] = []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    return repeated
