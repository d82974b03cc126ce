"""Cloze deletions: how a format writes them into a card, and how they are shown.

Every format that makes cloze cards (Obsidian's ``==highlight==``, ``**bold**`` and
``{{curly}}``, hashcards' ``[brackets]``, Anki's ``{{c1::…}}``, a CSV row of Anki's cloze
note type) writes its deletions in one canonical markup, so that the store, the scheduler
and both front ends know a single convention. This module is that convention.

The convention
==============

* A deletion is written ``{{cN::answer}}`` or ``{{cN::answer::hint}}``, Anki's syntax:
  ``N`` is the deletion's ordinal (1, 2, …; the deletions that share an ordinal are asked
  together, as an Anki ``cN`` group), ``answer`` the hidden text (Markdown, math
  included: ``{{c1::$\\sigma(x)$}}``), ``hint`` what the gap shows instead of ``…``.
  Braces inside the answer must balance (``{{c1::$e^{x^{2}}$}}`` is fine: the deletion ends
  at the first ``}}`` outside braces); a backslash escapes the next character
  (``\\{``), and ``::`` outside braces starts the hint. A deletion cannot hold another.
* **One card per ordinal.** A note with deletions ``c1``, ``c2`` and ``c3`` becomes three
  cards of ``kind=CardKind.CLOZE``, siblings sharing one ``note`` key, with ids told
  apart by :data:`~quizapp.cards.formats.ids.SIBLING_SEPARATOR` ``cN`` (``inline_ids(...,
  siblings=["c1", "c2", "c3"])``).
* **A card's text marks only its own deletions.** In the card for ordinal ``N``, the
  deletions of ``N`` keep their ``{{cN::…}}`` markup and every other deletion of the note
  is written as its plain answer, because the learner sees the other deletions filled in
  (as Anki shows them). :func:`card_text` turns a note's text into the text of the card for
  one ordinal, and :func:`ordinals` lists the ordinals a note's text holds, so a format
  writes::

      for n in ordinals(note_text):
          Card(..., question=card_text(note_text, n), kind=CardKind.CLOZE, note=key)

  The markup may stand in the ``question`` and in the ``title``; the front ends mask both
  (a title is usually the question's first line, and must not give the answer away). The
  card's ``steps`` are extra notes shown after the reveal (Anki's "Back Extra"), often
  none.
* A card is self-contained: its active ordinal is the one its text marks, so nothing else
  (no extra field, no column) has to travel with it, and the content hash covers it.

Showing a card
==============

:func:`masked` gives the question as asked: each active deletion becomes ``[…]``, or
``[hint]``. :func:`revealed` fills it in, set in bold so the eye finds it. Both return
Markdown, so math inside a deletion or a hint is drawn like any other formula.
:func:`plain` gives the text filled in without emphasis, for lists and titles.

Parsing raises :class:`ClozeError` with the 1-based line (within the text given) and a
message that says what to do; formats report it as ``file:line: message``. Text without
any ``{{cN::`` is returned unchanged by every function here, so they are safe to call on
any card.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: What stands for a hidden deletion that has no hint.
GAP = "…"

_OPEN = re.compile(r"\{\{c(\d+)::")
_EMPHASIS = "**"


class ClozeError(ValueError):
    """A malformed deletion: ``line`` is 1-based within the text that was parsed."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Deletion:
    """One ``{{cN::answer::hint}}`` in a text: ``start`` and ``end`` are the offsets of
    its opening ``{{`` and just past its closing ``}}``."""

    ordinal: int
    answer: str
    hint: str
    start: int
    end: int


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _close(text: str, start: int) -> tuple[int, int]:
    """The offsets of the ``::`` that starts the hint (-1 if none) and of the closing
    ``}}`` of the deletion whose body starts at ``start`` (-1 if it is never closed)."""
    depth = 0
    hint = -1
    index = start
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and text.startswith("}}", index):
                return hint, index
            depth = max(0, depth - 1)
        elif char == ":" and depth == 0 and hint < 0 and text.startswith("::", index):
            hint = index
            index += 2
            continue
        index += 1
    return hint, -1


def _scan(text: str) -> Iterator[Deletion]:
    position = 0
    while (opening := _OPEN.search(text, position)) is not None:
        label = opening.group()[2:-2]
        ordinal = int(opening.group(1))
        line = _line(text, opening.start())
        if ordinal < 1:
            raise ClozeError(line, f'"{{{{{label}::" numbers a deletion 0: number them from c1')
        hint_at, closing = _close(text, opening.end())
        if closing < 0:
            raise ClozeError(line, f'"{{{{{label}::" is never closed: end the deletion with "}}}}"')
        inner = _OPEN.search(text, opening.end(), closing)
        if inner is not None:
            raise ClozeError(
                _line(text, inner.start()),
                f'a deletion inside "{{{{{label}::…}}}}": deletions cannot be nested',
            )
        answer_end = hint_at if hint_at >= 0 else closing
        answer = text[opening.end() : answer_end]
        hint = text[hint_at + 2 : closing] if hint_at >= 0 else ""
        if not answer.strip():
            raise ClozeError(line, f'"{{{{{label}::}}}}" hides nothing: write the hidden text')
        yield Deletion(ordinal, answer, hint.strip(), opening.start(), closing + 2)
        position = closing + 2


def deletions(text: str) -> list[Deletion]:
    """Every deletion in ``text``, in order; :class:`ClozeError` for a malformed one."""
    return list(_scan(text))


def has_deletions(text: str) -> bool:
    """Whether ``text`` holds a deletion marker at all (cheap: no parse)."""
    return _OPEN.search(text) is not None


def ordinals(text: str) -> list[int]:
    """The distinct ordinals of the deletions in ``text``, ascending: one card each."""
    return sorted({deletion.ordinal for deletion in _scan(text)})


def _rewrite(text: str, active: int | None, fill: str) -> str:
    """``text`` with each deletion replaced: active ones by ``fill`` ("mask", "reveal" or
    "keep"), the others by their plain answer."""
    parts: list[str] = []
    cursor = 0
    for deletion in _scan(text):
        parts.append(text[cursor : deletion.start])
        before = text[deletion.start - 1] if deletion.start > 0 else ""
        after = text[deletion.end] if deletion.end < len(text) else ""
        if active is not None and deletion.ordinal != active:
            parts.append(deletion.answer)
        elif fill == "keep":
            parts.append(text[deletion.start : deletion.end])
        elif fill == "mask":
            parts.append(_emphasise(f"[{deletion.hint or GAP}]", before, after))
        elif fill == "reveal":
            parts.append(_emphasise(deletion.answer, before, after))
        else:
            parts.append(deletion.answer)
        cursor = deletion.end
    parts.append(text[cursor:])
    return "".join(parts)


def _emphasise(inner: str, before: str, after: str) -> str:
    """``**inner**`` when Markdown will read it as bold there, else ``inner`` itself.

    Bold needs its markers to touch the text and, next to a letter, not to enclose
    punctuation (``photo**[…]**`` would print its asterisks), and cannot span lines.
    """
    if not inner or inner != inner.strip() or "\n" in inner or _EMPHASIS in inner:
        return inner
    if not inner[0].isalnum() and before.isalnum():
        return inner
    if not inner[-1].isalnum() and after.isalnum():
        return inner
    return f"{_EMPHASIS}{inner}{_EMPHASIS}"


def card_text(note_text: str, ordinal: int) -> str:
    """The text of the card that asks ``ordinal``: its deletions keep their markup, every
    other deletion of the note becomes its plain answer."""
    return _rewrite(note_text, ordinal, "keep")


def masked(text: str, ordinal: int | None = None) -> str:
    """``text`` as asked: each active deletion becomes ``[…]`` or ``[hint]`` in bold.

    The active deletions are those of ``ordinal``, or every marked one when it is None
    (a card's own text marks only its own); others are shown as their answer.
    """
    return _rewrite(text, ordinal, "mask")


def revealed(text: str, ordinal: int | None = None) -> str:
    """``text`` after the reveal: each active deletion filled in, in bold."""
    return _rewrite(text, ordinal, "reveal")


def plain(text: str) -> str:
    """``text`` with every deletion filled in and no emphasis: for titles and lists."""
    return _rewrite(text, None, "plain")
