"""How each kind of card is asked and revealed, for every front end.

A card's ``kind`` (:class:`~quizapp.cards.model.CardKind`) decides what the learner sees
before and after the reveal. The TUI's card view, ``quizapp show`` and anything else that
shows a card take it from :func:`present`, so that a cloze is masked and a question-only
card says what to do in the same words everywhere:

- **basic** and **reversed**: the question, then the answer's steps one at a time. A
  reversed card is the back-to-front sibling of a basic one (its format has already put
  the answer side in its question), so it is shown exactly like one, with its kind named.
- **cloze**: the question with the card's deletions hidden as ``[…]`` or ``[hint]``
  (:mod:`quizapp.cards.cloze`); the first reveal fills them in (:attr:`Presentation.
  filled`), then any steps follow as extra notes. The title is masked too, since a
  format may take it from the question's first line.
- **question_only**: no answer was written, so the one reveal says so
  (:data:`NO_WRITTEN_ANSWER`) and the learner rates how well they answered aloud.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.cards import cloze
from quizapp.cards.model import Card, CardKind, Step

#: What the reveal of a question-only card shows.
NO_WRITTEN_ANSWER = "No written answer: rate how well you answered aloud."

#: Each kind as a person reads it (badges, lists, help).
KIND_LABELS: dict[CardKind, str] = {
    CardKind.BASIC: "basic",
    CardKind.CLOZE: "cloze",
    CardKind.REVERSED: "reversed",
    CardKind.QUESTION_ONLY: "question only",
}
#: The same in at most eight characters, for a table column.
KIND_SHORT_LABELS: dict[CardKind, str] = {**KIND_LABELS, CardKind.QUESTION_ONLY: "q-only"}


@dataclass(frozen=True)
class Presentation:
    """A card as shown: ``title`` and ``question`` (Markdown) as asked; ``filled``, for a
    cloze, the question as the first reveal shows it (deletions filled in), else None;
    ``steps``, what the reveals after that show, in order."""

    kind: CardKind
    title: str
    question: str
    filled: str | None
    steps: tuple[Step, ...]

    @property
    def reveals(self) -> int:
        """How many reveals show everything: one per step, plus the cloze's filling in."""
        return len(self.steps) + (1 if self.filled is not None else 0)


def _masked(text: str) -> str:
    try:
        return cloze.masked(text)
    except cloze.ClozeError:
        return text  # a stored text the format should have refused: shown as written


def _revealed(text: str) -> str:
    try:
        return cloze.revealed(text)
    except cloze.ClozeError:
        return text


def display_title(card: Card) -> str:
    """The title for lists and headings outside a review: a cloze's deletions filled in
    without emphasis, any other title as written."""
    if card.kind is not CardKind.CLOZE:
        return card.title
    try:
        return cloze.plain(card.title)
    except cloze.ClozeError:
        return card.title


def present(card: Card) -> Presentation:
    """How ``card`` is asked and revealed (see the module's docstring)."""
    if card.kind is CardKind.CLOZE:
        return Presentation(
            card.kind,
            _masked(card.title),
            _masked(card.question),
            _revealed(card.question),
            card.steps,
        )
    if card.kind is CardKind.QUESTION_ONLY:
        return Presentation(
            card.kind,
            card.title,
            card.question,
            None,
            (Step((), NO_WRITTEN_ANSWER), *card.steps),
        )
    return Presentation(card.kind, card.title, card.question, None, card.steps)
