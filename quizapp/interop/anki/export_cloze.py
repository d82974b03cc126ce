"""A cloze note's deletions, put back together from its cards.

quizapp stores one card per cloze ordinal, each marking only its own deletions and
showing the others filled in (``cards/cloze.py``): the note ``{{c1::Adam}} keeps
{{c2::two averages}}`` is stored as ``{{c1::Adam}} keeps two averages`` and ``Adam keeps
{{c2::two averages}}``. Anki keeps the note and makes the cards, one per ordinal, so an
export must write the note: :func:`merge` lays every card's deletions over the text they
share.
"""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.cards import cloze


def _spans(text: str) -> list[tuple[int, int, str]]:
    """A card text's deletions as ``(start, end, markup)`` in its filled-in text."""
    spans: list[tuple[int, int, str]] = []
    shift = 0
    for deletion in cloze.deletions(text):
        start = deletion.start - shift
        spans.append((start, start + len(deletion.answer), text[deletion.start : deletion.end]))
        shift += deletion.end - deletion.start - len(deletion.answer)
    return spans


def merge(texts: Sequence[str]) -> str | None:
    """The note text whose cards are ``texts`` (each one ordinal's card), or None when
    they do not come from one note: their filled-in texts differ, two cards ask the same
    ordinal, deletions overlap, or a text is malformed. The caller then writes each card
    as a note of its own, which loses nothing but the grouping."""
    if not texts:
        return None
    try:
        plain = {cloze.plain(text) for text in texts}
        if len(plain) != 1:
            return None
        ordinals = [set(cloze.ordinals(text)) for text in texts]
        spans = sorted(span for text in texts for span in _spans(text))
    except cloze.ClozeError:
        return None
    if any(len(found) != 1 for found in ordinals) or len(set.union(*ordinals)) != len(texts):
        return None
    (filled,) = plain
    parts: list[str] = []
    cursor = 0
    for start, end, markup in spans:
        if start < cursor:
            return None
        parts += [filled[cursor:start], markup]
        cursor = end
    parts.append(filled[cursor:])
    return "".join(parts)
