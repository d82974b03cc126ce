"""What makes a line of Markdown a question, for the formats that find questions in prose.

README-style question lists (``formats/heading_questions.py``) and exercise lists and
tables (``formats/question_lists.py``) have no markup that says "this is a card": a
heading or a list item is a question because of how it reads. Both formats decide it the
same way, here:

- a question **ends with** ``?`` (after any difficulty marker, source link or footnote
  that follows it), or, for a heading, **starts with a question number** (``1)``,
  ``2.``, ``1.2``, ``Q3.``, ``Question 4:``);
- a **difficulty marker** at its start or end (``[E]``, ``[M]``, ``[H]``, ``(Easy)``,
  ``(Medium)``, ``(Hard)``, any case) sets the card's difficulty and is removed from its
  text; in the middle of a sentence it is just text ("what is (hard) negative mining?");
- the headings that enclose a question (not the file's own title, its only H1) make one
  hierarchical tag, ``Linear-Algebra/Vectors``.

It also says whether a file opts in to question-only cards (questions with no written
answer): front matter ``quizapp-question-only: true`` (or ``false`` to opt out), else the
import's ``--question-only``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.inline import Note, make_cards
from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.frontmatter import FrontMatter
from quizapp.cards.identity import hashed
from quizapp.cards.merge import merge_base_id, merge_deck
from quizapp.cards.metadata import DIFFICULTIES, clean_tag, normalise_difficulty, normalise_tags
from quizapp.cards.model import Card, CardKind

#: The front matter key by which a file opts in to (or out of) question-only cards.
QUESTION_ONLY_KEY = "quizapp-question-only"

#: How far from its end a question's trailing markers, links and emphasis are looked for:
#: enough for any real citation, and it keeps the end-anchored searches linear.
_TAIL = 400
_LEVELS = {"e": "easy", "m": "medium", "h": "hard"} | {level: level for level in DIFFICULTIES}
#: A difficulty marker: ``[E]``, ``[Hard]``, ``(medium)``, also in bold (``**[M]**``).
_MARKER = r"(?:\*\*|__)?(?:\[(?:[EMH]|easy|medium|hard)\]|\((?:easy|medium|hard)\))(?:\*\*|__)?"
#: The longest marker, ``**(medium)**``: a trailing one lies within this many characters.
_MARKER_CHARS = 12
#: The characters a marker starts or ends with: a text without one at either end has none.
_MARKER_EDGES = frozenset("[]()*_")
_LEADING_MARKER = re.compile(rf"^\s*({_MARKER})\s*", re.IGNORECASE)
_TRAILING_MARKER = re.compile(rf"\s*({_MARKER})\s*$", re.IGNORECASE)
_LETTER = re.compile(r"[A-Za-z]+")

#: What may follow a question's ``?`` without making it something else: source links
#: (``[[src](url)]``, ``[src](url)``), footnotes (``[^1]``), closing emphasis and spaces.
_TRAILING_NOISE = re.compile(
    r"(?:\s*+(?:\[\[[^\]\n]*+\]\([^)\n]*+\)\]|\[[^\]\n]*+\]\([^)\n]*+\)|\[\^[^\]\n]*+\]"
    r"|[*_`]++))++\s*$"
)
_TRAILING_LINKS = re.compile(
    r"(?:\s*+(?:\[\[[^\]\n]*+\]\([^)\n]*+\)\]|\[[^\]\n]*+\]\([^)\n]*+\)))++\s*$"
)
#: A question number at the start of a heading: ``1)``, ``2.``, ``1.2``, ``Q3.``,
#: ``Question 4:``, with emphasis around it allowed (``**Q1.**``).
_NUMBER = re.compile(
    r"^\s*(?:\*\*|__)?(?:(?:Q|Question)[ \t]*\d+(?:\.\d+)*[ \t]*[.):\-–]?|\d+(?:\.\d+)*[.)]"
    r"|\d+(?:\.\d+)+)(?:\*\*|__)?(?:[ \t]+|$)",
    re.IGNORECASE,
)
_QUESTION_ONLY_LINE = re.compile(
    rf"^{QUESTION_ONLY_KEY}[ \t]*:[ \t]*['\"]?(\w+)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE
)
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


@dataclass(frozen=True, slots=True)
class Marked:
    """A question's text without its difficulty markers, and the difficulty they set."""

    text: str
    difficulty: str | None


#: Words for a difficulty in tables and card lists, beyond the three levels themselves.
_DIFFICULTY_WORDS = {
    "e": "easy",
    "beginner": "easy",
    "basic": "easy",
    "m": "medium",
    "intermediate": "medium",
    "fundamental": "medium",
    "h": "hard",
    "advanced": "hard",
    "expert": "hard",
} | {level: level for level in DIFFICULTIES}
#: A numeric difficulty on a 1–5 scale.
_NUMERIC_DIFFICULTY = {1: "easy", 2: "easy", 3: "medium", 4: "hard", 5: "hard"}


def difficulty_word(value: object) -> str | None:
    """A written difficulty as a level: ``Easy``/``Medium``/``Hard`` (or ``E``, ``M``,
    ``H``), ``Beginner``/``Basic``, ``Intermediate``/``Fundamental``, ``Advanced``/
    ``Expert``, or a number from 1 to 5 (1–2 easy, 3 medium, 4–5 hard); None for anything
    else (the caller warns)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _NUMERIC_DIFFICULTY.get(value)
    if isinstance(value, float):
        return _NUMERIC_DIFFICULTY.get(int(value)) if value.is_integer() else None
    if not isinstance(value, str):
        return None
    word = value.strip(" \t*_`.[]()").casefold()
    if word.isascii() and word.isdigit() and len(word) <= 2:
        return _NUMERIC_DIFFICULTY.get(int(word))
    return _DIFFICULTY_WORDS.get(word)


def _level(marker: str) -> str:
    word = _LETTER.search(marker)
    return _LEVELS[word.group().casefold()] if word is not None else "medium"


@functools.lru_cache(maxsize=4096)
def strip_markers(text: str) -> Marked:
    """``text`` without the difficulty markers at its start and end; the last one read
    sets the difficulty (a title carries one at most). Remembered: a heading is looked at
    by the format's sniff, again by its read, and again for the card's question."""
    difficulty: str | None = None
    ends = text.strip()[-1:] + text.lstrip()[:1]
    if not any(char in _MARKER_EDGES for char in ends):
        return Marked(text.strip(), None)  # no marker can start or end it
    while (match := _LEADING_MARKER.match(text)) is not None and match.end() > 0:
        difficulty = _level(match.group(1))
        text = text[match.end() :]
    text = text.rstrip()
    while (match := _TRAILING_MARKER.search(text, max(0, len(text) - _MARKER_CHARS))) is not None:
        difficulty = _level(match.group(1))
        text = text[: match.start()].rstrip()
    return Marked(text.strip(), difficulty)


def ends_with_question_mark(text: str) -> bool:
    """Whether ``text`` (Markdown source, difficulty markers removed) asks something: it
    ends with ``?``, allowing source links, footnotes and closing emphasis after it."""
    tail = text.rstrip()[-_TAIL:]
    return _TRAILING_NOISE.sub("", tail).endswith("?")


def split_sources(text: str) -> tuple[str, str]:
    """A question and the source links that follow its ``?`` (``What is X? [[src](url)]``),
    apart: the links cite where an answer is, which is no part of the question."""
    match = _TRAILING_LINKS.search(text, max(0, len(text) - _TAIL))
    if match is None or not text[: match.start()].rstrip().endswith("?"):
        return text, ""
    return text[: match.start()].rstrip(), match.group().strip()


def question_number(text: str) -> int:
    """The length of the question number that opens ``text`` (with the space after it),
    or 0 when it has none."""
    match = _NUMBER.match(text)
    return match.end() if match is not None else 0


def without_number(text: str) -> str:
    """``text`` without its opening question number: the number is where the question
    stands in its list, which is no part of what it asks (and would make every card
    after an inserted one a new card)."""
    cut = question_number(text)
    return text[cut:].strip() if cut and text[cut:].strip() else text.strip()


def question_text(source: str) -> Marked:
    """A question as written in a heading or a list item, without its difficulty markers
    and its question number (``### Q3. [M] What is X?`` asks "What is X?", medium)."""
    first = strip_markers(source)
    second = strip_markers(without_number(first.text))
    return Marked(second.text, second.difficulty or first.difficulty)


def topic_tag(path: Sequence[str]) -> tuple[str, ...]:
    """The tag that enclosing headings give a question: one hierarchical tag of their
    texts (numbers and markers removed, spaces and a ``/`` inside a heading written
    ``-``), or none."""
    parts = []
    for heading in path:
        name = strip_markers(without_number(heading)).text.replace("/", " ")
        name = clean_tag(name)
        if name:
            parts.append(name)
    return ("/".join(parts),) if parts else ()


_CARDS_KEY_LINE = re.compile(r"^cards[ \t]*:", re.MULTILINE)


def lists_cards_in_front_matter(text: str) -> bool:
    """Whether the file opens with front matter that has a ``cards:`` key: its cards are
    there (``formats/frontmatter_cards.py``), whatever its body looks like."""
    if not text.startswith("---"):
        return False
    lines = text.split("\n", 4000)
    for line in lines[1:4000]:
        stripped = line.rstrip()
        if stripped == "..." or (len(stripped) >= 3 and set(stripped) == {"-"}):
            return False
        if _CARDS_KEY_LINE.match(line):
            return True
    return False


def front_matter_opt_in(text: str) -> bool | None:
    """What the file's front matter says about question-only cards (``true``/``false``),
    or None when it says nothing. Read without YAML, like ``quizapp-format``."""
    if not text.startswith("---") or QUESTION_ONLY_KEY not in text:
        return None
    lines = text.split("\n")
    if set(lines[0].rstrip()) != {"-"}:
        return None
    for line in lines[1:]:
        stripped = line.rstrip()
        if stripped == "..." or (len(stripped) >= 3 and set(stripped) == {"-"}):
            return None
        match = _QUESTION_ONLY_LINE.match(line)
        if match is not None:
            value = match.group(1).casefold()
            if value in _TRUE:
                return True
            if value in _FALSE:
                return False
    return None


def question_only_wanted(text: str, context: FileContext) -> bool:
    """Whether question-only cards are wanted in this file whatever else it holds: its
    front matter's word, else the import's ``--question-only``."""
    declared = front_matter_opt_in(text)
    return context.question_only if declared is None else declared


def question_only_refused(text: str) -> bool:
    """Whether the file's front matter turns question-only cards off."""
    return front_matter_opt_in(text) is False


@dataclass(slots=True)
class HeadingPath:
    """The headings that enclose the current point of a document, outermost first.

    ``push`` a heading as it is met; those of the same or a deeper level end there.
    A heading pushed with ``counts=False`` (a question, the file's title) ends others
    but is no part of :meth:`path`. A heading's text may be given as a function, called
    only if the text is ever needed (reading a heading's plain text costs a parse)."""

    _stack: list[tuple[int, str | Callable[[], str], bool]] = field(default_factory=list)

    def push(self, level: int, text: str | Callable[[], str], counts: bool = True) -> None:
        """Enter a heading of ``level`` (1–6)."""
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, text, counts))

    def path(self) -> list[str]:
        """The texts of the enclosing headings that count."""
        texts: list[str] = []
        for index, (level, text, counts) in enumerate(self._stack):
            if not counts:
                continue
            if not isinstance(text, str):
                text = text()
                self._stack[index] = (level, text, counts)
            texts.append(text)
        return texts


@dataclass(frozen=True, slots=True)
class Found:
    """A question found in a document, before it becomes a card: its Markdown, the
    answer written for it (empty when none), their 1-based lines, the tags its place
    gives it and the difficulty its markers set."""

    question: str
    answer: str
    line: int
    answer_line: int
    tags: tuple[str, ...] = ()
    difficulty: str | None = None


def file_difficulty(front: FrontMatter | None, diagnostics: Diagnostics) -> str | None:
    """The difficulty a file's front matter gives its cards: ``difficulty`` (or ``level``)
    in any of :func:`difficulty_word`'s spellings, else a ``difficulty/<level>`` tag; an
    unknown value is a warning on its line."""
    if front is None:
        return None
    difficulty = normalise_tags(front.tags or ()).difficulty
    key = "difficulty" if front.difficulty is not None else "level"
    written = front.difficulty if front.difficulty is not None else front.level
    if written is not None:
        level = difficulty_word(written) or normalise_difficulty(written)
        if level is None:
            diagnostics.warn(
                front.line_of(key),
                f'unknown difficulty "{written}" (expected easy, medium, hard or 1-5); left unset',
            )
        difficulty = level or difficulty
    return difficulty


def found_cards(
    found: Sequence[Found],
    context: FileContext,
    front: FrontMatter | None,
    format_name: str,
    diagnostics: Diagnostics,
    *,
    question_only: bool,
) -> list[Card]:
    """The cards of the questions found in one file, in file order.

    A question with an answer is a basic card. One without is a question-only card when
    ``question_only`` allows it, else it is left out with a warning that says how to
    keep it. The front matter's ``tags`` are added to every card's own, its
    ``difficulty`` is the difficulty of the cards whose text sets none (a card's own
    marker is more specific), and its ``deck`` and ``id`` apply as in every format.
    Ids follow the inline identity policy (``formats/ids.py``).
    """
    file_tags = tuple(front.tags or ()) if front is not None else ()
    default_difficulty = file_difficulty(front, diagnostics)
    deck = merge_deck(front, context.deck)
    notes: list[Note] = []
    for item in found:
        if not item.answer.strip() and not question_only:
            diagnostics.warn(
                item.line,
                "no answer is written for this question, so it is not imported; import "
                f"with --question-only (or front matter {QUESTION_ONLY_KEY}: true) to "
                "ask it as a question-only card",
            )
            continue
        tags = normalise_tags((*file_tags, *item.tags))
        notes.append(
            Note(
                CardKind.BASIC,
                item.question,
                item.answer,
                item.line,
                item.answer_line,
                deck,
                tags.tags,
                item.difficulty or default_difficulty or tags.difficulty,
            )
        )
    cards, _ = make_cards(
        notes, context, merge_base_id(front, context.base_id), format_name, diagnostics
    )
    return unanswered_as_question_only(cards)


def unanswered_as_question_only(cards: list[Card]) -> list[Card]:
    """``cards`` with each basic card whose answer is empty made question-only (no steps):
    :func:`~quizapp.cards.formats.inline.make_cards` gives a note with no answer one empty
    answer step, and only a question-only note is let through without an answer."""
    result: list[Card] = []
    for card in cards:
        if card.kind is CardKind.BASIC and not any(step.text.strip() for step in card.steps):
            card = replace(card, kind=CardKind.QUESTION_ONLY, steps=())
            card = hashed(card)
        result.append(card)
    return result
