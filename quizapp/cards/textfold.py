"""Case-insensitive matching in every script: one folding of text, used everywhere.

SQLite's ``lower()`` lowercases only ASCII, so comparing it with a needle that Python has
casefolded made ``Вопрос`` and ``вопрос`` different words. quizapp therefore folds text
once, in Python, and stores the folded form (``cards.search_text``, migration 0006), so
free-text search, ``--text`` and related-question links match alike in any script.

:func:`fold` is NFKC (a full-width or ligature letter becomes the plain one), then Unicode
case folding (``ß`` and ``SS`` both become ``ss``, final ``ς`` becomes ``σ``), then the
dotted capital I of Turkish, which folds to ``i`` plus a combining dot, is made a plain
``i`` so that ``İstanbul`` and ``istanbul`` match. Accents are kept: ``é`` is not ``e``.
"""

from __future__ import annotations

import unicodedata

from quizapp.cards.model import Card

#: What ``İ`` (U+0130) casefolds to; matched as a plain ``i``.
_DOTTED_I = "i\u0307"

#: Joins the folded fields of a card's search text; no needle can span two fields.
FIELD_SEPARATOR = "\n\x1f\n"


def fold(text: str) -> str:
    """``text`` folded for case-insensitive comparison in any script (see the module)."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKC", text).casefold()
    if _DOTTED_I in folded:
        folded = folded.replace(_DOTTED_I, "i")
    return folded


def search_fields(card: Card, link_name: str = "") -> list[str]:
    """What free-text search looks in, unfolded: the title, the question, the id, the
    name of its file (what a vault calls the note; ``link_name`` when the card does not
    carry it), every step, and the card in its other languages (a Russian word finds a
    bilingual card shown in English). Tags are matched separately, through their own
    folded keys."""
    fields = [card.title, card.question, card.id, *(step.text for step in card.steps)]
    if card.link_name or link_name:
        fields.append(card.link_name or link_name)
    for alternate in card.alternates:
        fields.append(alternate.question)
        fields.extend(step.text for step in alternate.steps)
    return fields


def search_text(card: Card, link_name: str = "") -> str:
    """The folded text stored beside a card for free-text search (``cards.search_text``);
    ``link_name`` as for :func:`search_fields`."""
    # One fold of the joined fields is the fields folded one by one and joined: folding
    # goes character by character (NFKC composes nothing across the separator's newlines,
    # and casefold, unlike lower, has no context), and is a sixth of the calls.
    return fold(FIELD_SEPARATOR.join(search_fields(card, link_name)))


def matches(needle: str, card: Card) -> bool:
    """True when the folded ``needle`` is in any of the card's search fields, folded."""
    wanted = fold(needle)
    return any(wanted in fold(field) for field in search_fields(card))
