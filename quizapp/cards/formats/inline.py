"""Notes into cards, for the formats that write many short cards in one file.

The Obsidian plugin's ``Question::Answer`` lines and hashcards' ``Q:``/``A:`` pairs are
*inline* formats: a file holds many notes, each a question with its answer, a pair to be
asked both ways, or a text with cloze deletions. One note can make several cards (a
reversed pair two, a cloze one per deletion group). Each format finds its notes; this
module turns notes into cards the same way for all of them, so that they agree on
identity (``formats/ids.py``'s inline policy: the question, with a positional fallback),
sibling groups, titles, MathJax delimiters, the per-file and per-card limits and the
content hash. It also reads the ``---`` front matter block such files may open with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quizapp.cards import cloze
from quizapp.cards.card_size import text_problem
from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.ids import inline_ids, question_key
from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.formulas import normalise_math_delimiters
from quizapp.cards.frontmatter import FrontMatter, read_front_matter
from quizapp.cards.identity import hashed
from quizapp.cards.limits import MAX_INLINE_CARDS_PER_FILE
from quizapp.cards.model import Card, CardKind, ImportedSchedule, Step

#: The heading path of an inline card's answer, as native cards name their answer's text.
ANSWER_PATH = ("Answer",)
#: Sibling discriminator of the back-to-front card of a reversed pair.
REVERSE = "reverse"
#: A card whose sides are single lines cannot hold more Markdown blocks than the limit
#: (markdown-it stops nesting lists and quotes first), nor, under this many characters,
#: more formulas (each takes three, ``$x$``): such cards are not measured.
_MEASURE_LINES_FROM_CHARS = 900
#: Below this many characters no card reaches the block limit, however many lines it has
#: (an empty list item, ``-`` and its newline, is three blocks in two characters).
_MEASURE_FROM_CHARS = 64
#: What a deletion written in another syntax may not hold once it is cloze markup: it
#: would end the deletion or start a hint.
_CLOZE_SYNTAX = ("::", "{{", "}}")


class Malformed(ValueError):
    """A fault in a card, raised while a format reads it: the 1-based ``line`` (of the file,
    or of a text, as the raiser says) and a message that says what to do."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def deletion(ordinal: int, answer: str, hint: str, written: str, line: int) -> str:
    """A deletion of another syntax (``written``, as the user wrote it, for messages) in
    :mod:`quizapp.cards.cloze`'s markup: ``{{cN::answer}}`` or ``{{cN::answer::hint}}``.

    Raises :class:`Malformed` at ``line`` when the deletion cannot be written so (it holds
    ``::``, ``{{`` or ``}}``, unbalanced braces or a trailing backslash), or hides nothing.
    """
    if not answer.strip():
        raise Malformed(line, f'the deletion "{written}" hides nothing: write the hidden text')
    if any(syntax in value for value in (answer, hint) for syntax in _CLOZE_SYNTAX):
        raise Malformed(line, f'the deletion "{written}" holds "::", "{{{{" or "}}}}": reword it')
    markup = f"{{{{c{ordinal}::{answer}::{hint}}}}}" if hint else f"{{{{c{ordinal}::{answer}}}}}"
    try:
        found = cloze.deletions(markup)
    except cloze.ClozeError:
        found = []
    if len(found) != 1 or found[0].end != len(markup):
        raise Malformed(
            line,
            f'the deletion "{written}" has unbalanced braces or ends with a backslash: reword it',
        )
    return markup


@dataclass(frozen=True, slots=True)
class Note:
    """One note of an inline file, before it becomes cards.

    ``kind`` is ``BASIC`` (one card), ``REVERSED`` (a pair: the card as written and its
    reverse) or ``CLOZE`` (``question`` holds the deletions in
    :mod:`quizapp.cards.cloze`'s markup; one card per ordinal; ``answer`` is extra text
    shown after the reveal, usually empty). ``line`` and ``answer_line`` are 1-based file
    lines. ``schedules`` holds the progress each of the note's cards brings, in card order
    (the forward card first, cloze cards by ordinal); it may be shorter than the cards.
    """

    kind: CardKind
    question: str
    answer: str
    line: int
    answer_line: int
    deck: str
    tags: tuple[str, ...] = ()
    difficulty: str | None = None
    schedules: tuple[ImportedSchedule | None, ...] = ()


@dataclass(frozen=True, slots=True)
class _Entry:
    """One card to be made: its note (and the note's index in the file), the text its id
    is made of, and its sides."""

    note: Note
    index: int
    key_text: str
    sibling: str
    question: str
    steps: tuple[Step, ...]
    kind: CardKind
    position: int  # index among its note's cards


def _title(question: str) -> str:
    """A one-line name for a card: its question's first paragraph joined into one line,
    up to a blank line, fenced code or display math."""
    words: list[str] = []
    for line in question.split("\n"):
        stripped = line.strip()
        if not stripped:
            if words:
                break
            continue
        if stripped.startswith(("```", "~~~", "$$")):
            if words:
                break
            return stripped
        words.append(stripped)
    return " ".join(words)


def _entries(index: int, note: Note) -> list[_Entry]:
    question = normalise_math_delimiters(note.question)
    answer = normalise_math_delimiters(note.answer)
    if note.kind is CardKind.CLOZE:
        extra = (Step(ANSWER_PATH, answer, note.answer_line),) if answer else ()
        key_text = cloze.plain(question)
        return [
            _Entry(
                note,
                index,
                key_text,
                f"c{ordinal}",
                cloze.card_text(question, ordinal),
                extra,
                CardKind.CLOZE,
                position,
            )
            for position, ordinal in enumerate(cloze.ordinals(question))
        ]
    forward = _Entry(
        note,
        index,
        question,
        "",
        question,
        (Step(ANSWER_PATH, answer, note.answer_line),),
        CardKind.BASIC,
        0,
    )
    if note.kind is not CardKind.REVERSED:
        return [forward]
    backward = _Entry(
        note,
        index,
        question,
        REVERSE,
        answer,
        (Step(ANSWER_PATH, question, note.line),),
        CardKind.REVERSED,
        1,
    )
    return [forward, backward]


def _too_big(entries: list[_Entry], diagnostics: Diagnostics) -> bool:
    """Report every card over a per-card limit (once per note); True if there was one."""
    failed = False
    measured: set[int] = set()
    for entry in entries:
        if entry.index in measured:
            continue
        measured.add(entry.index)
        sides = [entry.question, *(step.text for step in entry.steps)]
        text = "\n\n".join(sides)
        one_line = not any("\n" in side for side in sides)
        if len(text) < (_MEASURE_LINES_FROM_CHARS if one_line else _MEASURE_FROM_CHARS):
            continue
        problem = text_problem(text)
        if problem is not None:
            diagnostics.error(entry.note.line, problem)
            failed = True
    return failed


def make_cards(
    notes: Sequence[Note],
    context: FileContext,
    base_id: str,
    format_name: str,
    diagnostics: Diagnostics,
) -> tuple[list[Card], dict[str, ImportedSchedule]]:
    """The cards of an inline file's notes, in file order, and the progress they bring by
    card id; ``([], {})`` after reporting a limit that is exceeded.

    Ids are ``<base_id>#<question key>`` (``formats/ids.py``), ``/reverse`` for the back of
    a pair and ``/c<N>`` for a cloze deletion group; the cards of one note share the note
    key ``<base_id>#<question key>``. ``base_id`` is the front matter id or the file's;
    text from no file uses ``format_name``.
    """
    entries: list[_Entry] = []
    for index, note in enumerate(notes):
        try:
            entries.extend(_entries(index, note))
        except cloze.ClozeError as exc:
            diagnostics.error(note.line + exc.line - 1, exc.message)
            return [], {}
    if len(entries) > MAX_INLINE_CARDS_PER_FILE:
        diagnostics.error(
            entries[MAX_INLINE_CARDS_PER_FILE].note.line,
            f"more than {MAX_INLINE_CARDS_PER_FILE:,} cards in one file; "
            "split it into several files",
        )
        return [], {}
    if _too_big(entries, diagnostics):
        return [], {}
    file_id = base_id or format_name
    ids = inline_ids(
        file_id,
        [entry.key_text for entry in entries],
        context.previous_ids,
        siblings=[entry.sibling for entry in entries],
    )
    siblings: dict[int, int] = {}
    for entry in entries:
        siblings[entry.index] = siblings.get(entry.index, 0) + 1
    cards: list[Card] = []
    schedules: dict[str, ImportedSchedule] = {}
    for identity, entry in zip(ids, entries, strict=True):
        note = entry.note
        group = f"{file_id}#{question_key(entry.key_text)}" if siblings[entry.index] > 1 else ""
        card = Card(
            id=identity,
            title=_title(entry.question),
            question=entry.question,
            steps=entry.steps,
            tags=note.tags,
            difficulty=note.difficulty,
            deck=note.deck,
            source=context.path,
            line=note.line,
            kind=entry.kind,
            note=group,
            format=format_name,
        )
        cards.append(hashed(card))
        if entry.position < len(note.schedules):
            schedule = note.schedules[entry.position]
            if schedule is not None:
                schedules[identity] = schedule
    return cards, schedules


@dataclass(frozen=True, slots=True)
class FrontBlock:
    """A ``---`` front matter block: its text, the index of the first line after it, and
    whether it was closed at all."""

    text: str
    body_start: int
    closed: bool


@dataclass(frozen=True, slots=True)
class Opening:
    """What opens an inline file: its front matter (None when it has none) and the index
    of its first line after it."""

    front: FrontMatter | None
    body_start: int


def read_opening(lines: list[str], diagnostics: Diagnostics) -> Opening | None:
    """The file's ``---`` front matter, read for quizapp's keys; None after reporting a
    front matter that is never closed or cannot be read."""
    block = front_block(lines)
    if block is None:
        return Opening(None, 0)
    if not block.closed:
        diagnostics.error(1, 'the front matter opened here is never closed with "---"')
        return None
    front = read_front_matter(block.text, 1, diagnostics)
    if front is None:
        return None
    return Opening(front, block.body_start)


def _is_dashes(line: str) -> bool:
    stripped = line.rstrip()
    return len(stripped) >= 3 and set(stripped) == {"-"}


def front_block(lines: list[str]) -> FrontBlock | None:
    """The front matter block that opens the file (a ``---`` first line, up to a line of
    dashes or ``...``), or None when the file has none."""
    if not lines or not _is_dashes(lines[0]):
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "..." or _is_dashes(lines[index]):
            return FrontBlock("\n".join(lines[1:index]), index + 1, closed=True)
    return FrontBlock("", len(lines), closed=False)
