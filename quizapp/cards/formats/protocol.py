"""What a card format is: the contract between the registry and each format's module.

A format turns the text of one file into cards. It never sees bytes (``cards/source.py``
decodes and repairs them first), never touches the disk or the database, and reports every
problem to the file's :class:`~quizapp.cards.diagnostics.Diagnostics` instead of raising.
That keeps formats small, pure and testable on strings, and lets the registry try them in
turn on the same text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.model import Card, ImportedSchedule


@dataclass(frozen=True, slots=True)
class FileContext:
    """What a format knows about the file it reads, besides its text.

    ``path`` names the file in messages and in ``Card.source`` (its posix path under the
    import root). ``base_id`` is the file's id, from which its cards' ids are made when the
    front matter names none; it is empty for text that comes from no file, whose cards are
    then named after their titles. ``deck`` is the deck of a card whose file names none.
    ``previous_ids`` are the ids the file's cards had at its last import, in file order, so
    that an inline format can keep a card's id when its question is edited in place (see
    :func:`quizapp.cards.formats.ids.inline_ids`); empty for a new file.
    ``question_only`` is the import's ``--question-only``: read questions that have no
    written answer as question-only cards even in a file that holds other cards (a file's
    front matter ``quizapp-question-only`` overrides it; see ``formats/questions.py``).
    """

    path: str = "<string>"
    base_id: str = ""
    deck: str = "default"
    previous_ids: tuple[str, ...] = ()
    question_only: bool = False


class CardFormat(Protocol):
    """One way of writing cards in a file, such as quizapp's own Markdown layout.

    ``name`` is what ``--format NAME`` and front matter ``quizapp-format: NAME`` call it;
    ``suffixes`` are the file endings (``.md``) that discovery looks for on its behalf and
    for which it is tried.
    """

    @property
    def name(self) -> str:
        """The format's name: lower case, one word."""
        ...

    @property
    def suffixes(self) -> tuple[str, ...]:
        """File suffixes, lower case with the dot, that this format may read."""
        ...

    def sniff(self, text: str, context: FileContext) -> bool:
        """Whether ``text`` is written in this format. Cheap (no full parse): it runs for
        every file the format might read, and a file that no format claims is skipped.
        Once a format claims a file, problems in it are errors, so claim only what is
        clearly meant for this format."""
        ...

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        """Every card in ``text``, reporting problems to ``diagnostics``. A file with any
        error is imported without any of its cards, so a format may stop at the first."""
        ...


@runtime_checkable
class SchedulingFormat(CardFormat, Protocol):
    """A format whose files may also carry progress from another app (the Obsidian
    plugin's ``<!--SR:…-->`` comments).

    The registry calls :meth:`read_scheduled` instead of ``read`` for such a format, in the
    same single pass, and keeps the schedules beside the cards in
    :attr:`~quizapp.cards.model.ParsedFile.schedules`: they are not part of any card.
    """

    def read_scheduled(
        self, text: str, context: FileContext, diagnostics: Diagnostics
    ) -> tuple[list[Card], dict[str, ImportedSchedule]]:
        """What ``read`` returns, and the progress each card brings, by card id (only for
        the cards that bring any)."""
        ...
