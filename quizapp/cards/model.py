"""The plain data a card file turns into.

Everything outside ``quizapp/cards`` sees a parsed card only through these frozen
dataclasses: the importer stores them, the front ends display them. Keeping them free of
parsing and storage details is what lets the parser, the store and the UI change apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
class Card:
    """A question card as written in Markdown, after normalisation.

    ``id`` is stable across edits of the card's text (it comes from front matter or the
    file's path), so a card keeps its review history when its author fixes a typo.
    ``content_hash`` changes whenever anything that is stored changes.

    ``kind`` says how the card is asked; ``note`` groups the siblings made from one note
    (the deletions of one cloze, the two sides of a reversed pair), so that a session can
    keep them apart, and is empty for a card that stands alone. ``format`` names the format
    that read the card, for display only: it is not stored and not part of the hash.
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


@dataclass
class ParsedFile:
    """Everything the parser learned from one file.

    A file with any error yields no cards at all: files are imported whole or not at all.
    ``repaired`` counts the mojibake sequences that ftfy fixed. ``format`` names the format
    that read the file; ``skipped`` says why no format did (a file that is not a card file
    is skipped, not an error), and is empty otherwise.
    """

    path: str
    cards: list[Card] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    repaired: int = 0
    format: str = ""
    skipped: str = ""

    @property
    def ok(self) -> bool:
        """True when the file can be imported."""
        return not self.errors
