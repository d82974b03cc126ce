"""The plain data a card file turns into.

Everything outside ``quizapp/cards`` sees a parsed card only through these frozen
dataclasses: the importer stores them, the front ends display them. Keeping them free of
parsing and storage details is what lets the parser, the store and the UI change apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

#: Joins the parts of a step's heading path for display, e.g. "Backward Pass › Output Layer".
PATH_SEPARATOR = " › "


class CardKind(StrEnum):
    """How a card is asked and revealed.

    Native cards are all ``basic``. The other kinds come from formats that write several
    cards per note: a cloze deletion, the reverse side of a pair, or a question with no
    written answer that the learner grades after answering aloud.
    """

    BASIC = "basic"
    CLOZE = "cloze"
    REVERSED = "reversed"
    QUESTION_ONLY = "question_only"


class Severity(StrEnum):
    """How bad a problem found in a card file is."""

    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Problem:
    """One diagnostic about one place in one file, printed as ``file:line: message``."""

    file: str
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """The JSON shape documented in docs/cli.md: ``{file, line, message}``."""
        return {"file": self.file, "line": self.line, "message": self.message}


@dataclass(frozen=True)
class Step:
    """One derivation step of an answer, revealed on its own.

    ``path`` is the chain of headings above the step, outermost first, for example
    ``("Backward Pass", "Output Layer")``. ``text`` is the step's Markdown source, math
    left as LaTeX so that each front end can render it for its own width.
    """

    path: tuple[str, ...]
    text: str
    line: int = 0

    @property
    def title(self) -> str:
        """The heading path joined for display."""
        return PATH_SEPARATOR.join(self.path)


@dataclass(frozen=True)
class ExerciseSource:
    """The raw YAML of an ```` ```exercise ```` block and the line where its body starts.

    The cards package only finds the block; ``quizapp.exercises`` parses and verifies it.
    """

    yaml: str
    line: int


@dataclass(frozen=True)
class LanguageVersion:
    """The card's question and answer in another language than the one it is shown in.

    A bilingual note (``## Question (EN)`` / ``## Вопрос (RU)`` / ``## Answer (EN)`` /
    ``## Ответ (RU)``) is one card: the preferred language (the ``language`` setting) is
    its ``question`` and ``steps``, every other language is kept here so that the review
    screen can toggle to it. It is never a derivation step and never dropped.
    ``language`` is a lower-case code such as ``"ru"`` (see ``cards/languages.py``);
    ``question`` or ``steps`` may be empty when the note gives only one side in it.
    """

    language: str
    question: str
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class CardExtra:
    """A section of a note that is about the card rather than its answer.

    Follow-ups, References, See also, Related, Sources, Further reading and Links (and
    their equivalents in ``cards/languages.py``) are shown in a "More" panel, never
    revealed as derivation steps. ``kind`` is the section's canonical name (one of
    ``cards.languages.EXTRA_KINDS``, e.g. ``"follow_ups"``), ``heading`` the heading as
    written (``"Follow-ups"``, ``"Дополнительные вопросы"``), ``text`` its Markdown, and
    ``language`` the language its heading named, or ``""``.
    """

    kind: str
    heading: str
    text: str
    language: str = ""
    line: int = 0


@dataclass(frozen=True)
class Card:
    """A question card as written in Markdown, after normalisation.

    ``id`` is stable across edits of the card's text (it comes from front matter or the
    file's path), so a card keeps its review history when its author fixes a typo.
    ``content_hash`` changes whenever anything that is stored changes.

    ``kind`` says how the card is asked; ``note`` groups the siblings made from one note
    (the deletions of one cloze, the two sides of a reversed pair), so that a session can
    keep them apart, and is empty for a card that stands alone. ``format`` names the format
    that read the card, for display only: it is not stored and not part of the hash.

    ``language`` is the language ``question`` and ``steps`` are written in (``""`` when
    the note does not say), ``alternates`` the same card in its other languages
    (:class:`LanguageVersion`) and ``extras`` the sections shown in a "More" panel
    (:class:`CardExtra`). ``link_name`` is the name of the file the card was written in,
    without ``.md`` (``"Bias-Variance Tradeoff"``): Obsidian links by it
    (``[[Bias-Variance Tradeoff]]``), so related questions resolve by it as they do by
    title, alias and id. All four are stored. The first three count in the content hash
    only when they are not empty, so a card that has none keeps the hash it always had;
    ``link_name`` follows the file's path as ``source`` does, and a moved file is
    rewritten anyway.
    """

    id: str
    title: str
    question: str
    steps: tuple[Step, ...]
    tags: tuple[str, ...] = ()
    difficulty: str | None = None
    related: tuple[str, ...] = ()
    deck: str = "default"
    aliases: tuple[str, ...] = ()
    exercises: tuple[ExerciseSource, ...] = ()
    source: str = ""
    line: int = 1
    content_hash: str = ""
    kind: CardKind = CardKind.BASIC
    note: str = ""
    format: str = ""
    language: str = ""
    alternates: tuple[LanguageVersion, ...] = ()
    extras: tuple[CardExtra, ...] = ()
    link_name: str = ""

    def in_language(self, language: str) -> Card:
        """The card shown in ``language``: its alternate in that language swapped with
        what it shows now, or the card itself when it has no such alternate. A side the
        alternate lacks (a note with a Russian answer but no Russian question) is taken
        from the card as it is, so the card never shows an empty question."""
        for index, alternate in enumerate(self.alternates):
            if alternate.language == language:
                if not self.language:
                    return self
                current = LanguageVersion(self.language, self.question, self.steps)
                others = (*self.alternates[:index], current, *self.alternates[index + 1 :])
                return replace(
                    self,
                    language=language,
                    question=alternate.question or self.question,
                    steps=alternate.steps or self.steps,
                    alternates=others,
                )
        return self


@dataclass(frozen=True, slots=True)
class ImportedSchedule:
    """Progress a card brings from another spaced-repetition app, as that app wrote it.

    The Obsidian plugin writes ``<!--SR:!2024-08-16,51,230-->`` after a card it has
    scheduled: the card is next due on ``due``, the last interval was ``interval_days``
    days, and its SM-2 ease is ``ease`` in percent (230 means a factor of 2.3). A format
    reports it so that a user moving to quizapp keeps their progress: the store turns it
    into the card's starting FSRS memory state (``quizapp/scheduling/imported.py``), and
    only for a card it has never stored. It is not part of the card, nor of its content
    hash: the app rewrites it after every review, which is no edit of the card.
    """

    due: date
    interval_days: int
    ease: int


@dataclass
class ParsedFile:
    """Everything the parser learned from one file.

    A file with any error yields no cards at all: files are imported whole or not at all.
    ``repaired`` counts the mojibake sequences that ftfy fixed. ``format`` names the format
    that read the file; ``skipped`` says why no format did (a file that is not a card file
    is skipped, not an error), and is empty otherwise. ``schedules`` holds, by card id,
    the progress that cards bring from another app (:class:`ImportedSchedule`), for the
    cards that have any.
    """

    path: str
    cards: list[Card] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    repaired: int = 0
    format: str = ""
    skipped: str = ""
    schedules: dict[str, ImportedSchedule] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the file can be imported."""
        return not self.errors
