"""Card ids, decks and content hashes.

A card's id must survive edits of its text, or the card would lose its review history when
its author fixes a typo. So the id never depends on the text: it comes from front matter, or
from the file's place under the import root (plus the card's title slug when one file holds
several cards). Changes are detected separately, by a hash over everything stored.

An id is also what a user types (``quizapp show <id>``), so it must read the way it is
stored: ids are NFKC-normalised (a full-width or ligature letter becomes the plain one) and
may hold no invisible format character (zero-width spaces and joiners, bidi overrides, tag
characters), which would make two different ids look the same.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from pathlib import PurePosixPath

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.invisible import escape
from quizapp.cards.model import Card, Step

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


class InvalidId(ValueError):
    """An id that cannot be stored; the message is one line fit for ``file:line: message``."""


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def normalise_id(raw: str) -> str:
    """``raw`` in NFKC form, or :class:`InvalidId` if it holds invisible format characters.

    NFKC, not NFC: a title typed with a ligature or full-width letters gives the id a user
    would type. Format characters (Unicode category Cf) are refused rather than dropped, so
    two files can never quietly end up with ids that differ only by something unseen.
    """
    identity = raw if raw.isascii() else unicodedata.normalize("NFKC", raw)
    if identity.isascii():
        return identity
    hidden = list(dict.fromkeys(char for char in identity if unicodedata.category(char) == "Cf"))
    if hidden:
        shown = "".join(escape(char) if char in hidden else char for char in identity)
        names = ", ".join(_describe(char) for char in hidden[:3])
        more = f" and {len(hidden) - 3} more" if len(hidden) > 3 else ""
        raise InvalidId(
            f'the card id "{shown}" contains invisible format characters ({names}{more})'
        )
    return identity


def typed_id_forms(typed: str) -> tuple[str, ...]:
    """The stored ids a typed id may name, most exact first: the text as typed, then in
    the form ids are stored (:func:`normalise_id`), with format characters left out.

    A typed id goes through the same NFKC rule as an imported one, so an id typed with a
    full-width letter, or pasted with decomposed accents from a macOS file name, finds its
    card. The text as typed comes first, so a card stored before ids were normalised is
    still found by its own spelling. Format characters are dropped, not refused: no id
    stored under the rule holds one, so dropping them can only find the card meant.
    """
    stored = unicodedata.normalize("NFKC", typed)
    stored = "".join(char for char in stored if unicodedata.category(char) != "Cf").strip()
    return (typed,) if stored in ("", typed) else (typed, stored)


def normalise_card_ids(cards: list[Card], diagnostics: Diagnostics) -> list[Card]:
    """``cards`` with their ids normalised (:func:`normalise_id`); a card whose id holds a
    format character is reported as an error at its line and left out.

    Applied to what every format reads, so no format can store an id a user could not
    type. A changed id changes the content hash too, since the hash covers the id.
    """
    kept: list[Card] = []
    for card in cards:
        try:
            identity = normalise_id(card.id)
        except InvalidId as exc:
            diagnostics.error(
                card.line, f'{exc}; remove them from the file name or the front matter "id"'
            )
            continue
        if identity != card.id:
            card = replace(card, id=identity)
            card = hashed(card)
        kept.append(card)
    return kept


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


def _step_parts(step: Step) -> tuple[str, ...]:
    return (*step.path, "\x00", step.text)


def hashed(card: Card) -> Card:
    """``card`` with its :func:`content_hash` set: a copy, the card given is left alone.

    Cards are built by the thousand in an import, so the copy is made by copying the
    instance's attributes (a frozen dataclass keeps them in its ``__dict__``), not
    through ``dataclasses.replace``, which looks the fields up and runs ``__init__``
    again for every card.
    """
    copy = object.__new__(Card)
    copy.__dict__.update(card.__dict__)
    copy.__dict__["content_hash"] = content_hash(card)
    return copy


def content_hash(card: Card) -> str:
    """A sha256 over everything the store keeps of a card, so that any edit is noticed.

    Positions (``line``, the exercises' lines) and the source path are left out: moving a
    card further down its file does not change what is stored about it. Each value is
    length-prefixed, so no two different cards can serialise to the same bytes. A card's
    kind and sibling group count only when they are not the default (a basic card alone),
    so that every native card keeps the hash it had before cards had kinds; so do its
    language, alternates and extras. The format that read it is for display and does not
    count, and ``link_name`` follows the path, as ``source`` does.
    """
    parts: list[str] = [card.id, card.title, card.question, card.difficulty or "", card.deck]
    for name, values in (
        ("steps", [value for step in card.steps for value in _step_parts(step)]),
        ("tags", list(card.tags)),
        ("related", list(card.related)),
        ("aliases", list(card.aliases)),
        ("exercises", [exercise.yaml for exercise in card.exercises]),
    ):
        parts.append(f"{name}={len(values)}")
        parts.extend(values)
    if card.difficulty is None:
        parts.append("no-difficulty")
    if card.kind != "basic" or card.note:
        parts.extend(("kind", str(card.kind), "note", card.note))
    if card.language or card.alternates:
        parts.extend(("language", card.language, f"alternates={len(card.alternates)}"))
        for alternate in card.alternates:
            parts.extend((alternate.language, alternate.question, f"{len(alternate.steps)}"))
            parts.extend(value for step in alternate.steps for value in _step_parts(step))
    if card.extras:
        parts.append(f"extras={len(card.extras)}")
        for extra in card.extras:
            parts.extend((extra.kind, extra.heading, extra.text, extra.language))
    encoded = "".join([f"{len(part)}:{part}" for part in parts])
    return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()
