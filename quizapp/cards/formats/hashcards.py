"""hashcards decks (eudoxia0/hashcards): ``Q:``/``A:`` pairs and ``C:`` cloze cards.

hashcards reads Markdown files in which a line that starts with ``Q:`` opens a question,
``A:`` its answer and ``C:`` a cloze card whose ``[bracketed]`` parts are deletions (one card
each; an image's ``![…]`` is not one). Every other line continues the side it follows, blank
lines included, so an answer runs on to the next ``Q:`` or ``C:`` line or the end of the
file; text before the first card is not part of any card. A TOML front matter ``name`` names
the deck, which is otherwise the file's name without ``.md``.

quizapp reads exactly that, with three differences it makes on purpose: ``Q:``/``A:``/``C:``
lines inside fenced code continue the card instead of starting one, brackets inside code or
math are not deletions, and a card's id follows the question (``formats/ids.py``) instead of
a hash of the whole card, so that fixing an answer keeps the card's progress (in hashcards
it resets it). Identical cards, which hashcards keeps once, are kept once here too, with a
warning. A YAML front matter with quizapp's keys (``deck``, ``tags``, ``difficulty``,
``id``, ``quizapp-format``) works as in every format.

The format claims a Markdown file with a ``Q:`` line followed later by an ``A:`` line, or a
``C:`` line followed by a ``[``. Malformed cards (an answer with no question, a question
with no answer, a cloze with no deletion) are errors, as in hashcards.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from quizapp.cards import cloze
from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.inline import Malformed, Note, deletion, front_block, make_cards
from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.formulas import normalise_math_delimiters
from quizapp.cards.frontmatter import FrontMatter, read_front_matter
from quizapp.cards.merge import merge_base_id, merge_deck
from quizapp.cards.metadata import normalise_difficulty, normalise_tags
from quizapp.cards.model import Card, CardKind

QUESTION, ANSWER, CLOZE = "Q:", "A:", "C:"

_FIRST_QUESTION = re.compile(r"^Q:", re.MULTILINE)
_ANSWER = re.compile(r"^A:", re.MULTILINE)
_FIRST_CLOZE = re.compile(r"^C:", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TOML_KEY = re.compile(r"^\s*[\w.\"'-]+\s*=")
#: Code spans and dollar math, where a bracket is no deletion.
_CODE_OR_MATH = re.compile(
    r"(`+)(?!`).+?(?<!`)\1(?!`)|\$\$.+?\$\$|\$[^$\s](?:[^$]*?[^$\s])?\$", re.DOTALL
)


@dataclass
class _Open:
    """The card being read: its prefix, its lines, and where each side starts."""

    prefix: str
    line: int
    question: list[str]
    answer: list[str] | None = None
    answer_line: int = 0


def _text(lines: list[str]) -> str:
    return "\n".join(lines).strip()


def _deletion_spans(text: str) -> list[tuple[int, int]]:
    """The ``[…]`` deletions of a cloze text as (start, end) offsets of their brackets.

    An image's ``![…]`` is not a deletion, nor is a bracket inside code or math; a
    deletion may not hold another or run on unclosed (:class:`Malformed`, lines within
    ``text``)."""
    masked = list(text)
    for match in _CODE_OR_MATH.finditer(text):
        masked[match.start() : match.end()] = [c if c == "\n" else " " for c in match.group()]
    spans: list[tuple[int, int]] = []
    start = -1
    image = False
    for index, char in enumerate(masked):
        if char == "[":
            if index > 0 and masked[index - 1] == "!" and start < 0:
                image = True
            elif image:
                continue
            elif start >= 0:
                raise Malformed(
                    text.count("\n", 0, index) + 1,
                    "a [deletion] inside another: deletions cannot be nested",
                )
            else:
                start = index
        elif char == "]":
            if image:
                image = False
            elif start >= 0:
                spans.append((start, index + 1))
                start = -1
    if start >= 0:
        raise Malformed(
            text.count("\n", 0, start) + 1, 'this "[" is never closed: end the deletion with "]"'
        )
    return spans


def _cloze_note(text: str, line: int) -> str:
    """A ``C:`` card's text with each ``[deletion]`` written ``{{cN::deletion}}``."""
    if cloze.has_deletions(text):
        raise Malformed(
            line,
            'this cloze card holds "{{c1::", which is cloze markup, not a hashcards '
            "deletion: write its deletions in [brackets] only",
        )
    try:
        spans = _deletion_spans(text)
    except Malformed as exc:
        raise Malformed(line + exc.line - 1, exc.message) from None
    if not spans:
        raise Malformed(
            line, "a cloze card (C:) with no [deletion]: put the hidden text in square brackets"
        )
    parts: list[str] = []
    cursor = 0
    for ordinal, (start, end) in enumerate(spans, start=1):
        parts.append(text[cursor:start])
        parts.append(
            deletion(
                ordinal,
                text[start + 1 : end - 1],
                "",
                text[start:end],
                line + text.count("\n", 0, start),
            )
        )
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


class _Reader:
    """hashcards' line-by-line reading: each prefix line opens or continues a card."""

    def __init__(self, lines: list[str], start: int, diagnostics: Diagnostics) -> None:
        self.lines = lines
        self.start = start
        self.diagnostics = diagnostics
        self.found: list[tuple[CardKind, str, str, int, int]] = []

    def read(self) -> list[tuple[CardKind, str, str, int, int]]:
        """``(kind, question, answer, line, answer line)`` of every card, in file order."""
        card: _Open | None = None
        fence = ""
        ignored = 0
        for index in range(self.start, len(self.lines)):
            text = self.lines[index]
            number = index + 1
            opening = _FENCE.match(text)
            if fence:
                if opening is not None and opening.group(1).startswith(fence):
                    fence = ""
            elif opening is not None:
                fence = opening.group(1)
            elif text.startswith((QUESTION, ANSWER, CLOZE)):
                card = self.prefixed(card, text[:2], text[2:].strip(), number)
                continue
            if card is None:
                if text.strip() and not ignored:
                    ignored = number
                continue
            if card.answer is not None:
                card.answer.append(text)
            else:
                card.question.append(text)
        if card is not None:
            self.close(card, len(self.lines))
        if ignored:
            self.diagnostics.warn(ignored, "text before the first card is ignored")
        return self.found

    def prefixed(self, card: _Open | None, prefix: str, rest: str, number: int) -> _Open | None:
        """A line that starts with ``Q:``, ``A:`` or ``C:``."""
        if prefix == ANSWER:
            if card is None:
                raise Malformed(
                    number, 'an answer (A:) with no question before it: write "Q: …" above it'
                )
            if card.prefix == CLOZE:
                raise Malformed(
                    number,
                    "an answer (A:) after a cloze card (C:): a cloze card has no answer; "
                    'start a question with "Q:" above it',
                )
            if card.answer is not None:
                raise Malformed(
                    number,
                    f"a second answer (A:) to the question of line {card.line}: "
                    'merge them, or start a question with "Q:" above it',
                )
            card.answer = [rest]
            card.answer_line = number
            return card
        if card is not None:
            if card.prefix == QUESTION and card.answer is None:
                what = "question (Q:)" if prefix == QUESTION else "cloze card (C:)"
                raise Malformed(
                    number,
                    f"a new {what} before the question of line {card.line} has its answer: "
                    'write "A: …" for it',
                )
            self.close(card, number - 1)
        return _Open(prefix, number, [rest])

    def close(self, card: _Open, last: int) -> None:
        """Finish a card at the line ``last``."""
        question = _text(card.question)
        if card.prefix == CLOZE:
            text = normalise_math_delimiters(question)
            self.found.append(
                (CardKind.CLOZE, _cloze_note(text, card.line), "", card.line, card.line)
            )
            return
        if card.answer is None:
            raise Malformed(
                last, f'the question of line {card.line} has no answer: write "A: …" after it'
            )
        answer = _text(card.answer)
        if not question:
            raise Malformed(card.line, 'this question (Q:) is empty: write it after "Q:"')
        if not answer:
            raise Malformed(card.answer_line, 'this answer (A:) is empty: write it after "A:"')
        self.found.append((CardKind.BASIC, question, answer, card.line, card.answer_line))


def _toml_deck(text: str, diagnostics: Diagnostics) -> tuple[bool, str | None]:
    """Whether a TOML front matter reads, and the deck it names (``name = "…"``) if any;
    a fault is reported."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        diagnostics.error(1, f"broken TOML front matter: {exc}")
        return False, None
    name = data.get("name")
    if name is None:
        return True, None
    if not isinstance(name, str) or not name.strip():
        diagnostics.error(1, 'front matter "name" must be the deck\'s name, as text')
        return False, None
    return True, name.strip()


def _stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.casefold().endswith(".md") and len(name) > 3 else ""


class HashcardsFormat:
    """hashcards' ``Q:``/``A:`` and ``C:`` cards."""

    name = "hashcards"
    suffixes = (".md",)

    def sniff(self, text: str, context: FileContext) -> bool:
        """A file with a ``Q:`` line and, after it, an ``A:`` line, or a ``C:`` line with
        a ``[`` after it."""
        question = _FIRST_QUESTION.search(text) if "Q:" in text else None
        if question is not None and _ANSWER.search(text, question.end()) is not None:
            return True
        card = _FIRST_CLOZE.search(text) if "C:" in text else None
        return card is not None and "[" in text[card.end() :]

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        """Every card of the deck, or none with the errors reported."""
        lines = text.split("\n")
        block = front_block(lines)
        front: FrontMatter | None = None
        deck = _stem(context.path) or context.deck
        start = 0
        if block is not None:
            if not block.closed:
                diagnostics.error(1, 'the front matter opened here is never closed with "---"')
                return []
            start = block.body_start
            first = next((line for line in block.text.split("\n") if line.strip()), "")
            if _TOML_KEY.match(first):
                readable, named = _toml_deck(block.text, diagnostics)
                if not readable:
                    return []
                deck = named or deck
            else:
                front = read_front_matter(block.text, 1, diagnostics)
                if front is None:
                    return []
        try:
            found = _Reader(lines, start, diagnostics).read()
        except Malformed as exc:
            diagnostics.error(exc.line, exc.message)
            return []
        if not found:
            diagnostics.error(
                start + 1,
                'no card in this file: start a question with "Q:" and its answer with "A:", '
                'or a cloze card with "C:"',
            )
            return []
        tags: tuple[str, ...] = ()
        difficulty: str | None = None
        if front is not None:
            parsed = normalise_tags(front.tags or ())
            tags, difficulty = parsed.tags, parsed.difficulty
            if front.difficulty is not None:
                difficulty = normalise_difficulty(front.difficulty)
        deck = merge_deck(front, deck)
        notes: list[Note] = []
        seen: dict[tuple[CardKind, str, str], int] = {}
        for kind, question, answer, line, answer_line in found:
            first_line = seen.setdefault((kind, question, answer), line)
            if first_line != line:
                diagnostics.warn(line, f"the same card as line {first_line}; kept once")
                continue
            notes.append(Note(kind, question, answer, line, answer_line, deck, tags, difficulty))
        cards, _schedules = make_cards(
            notes, context, merge_base_id(front, context.base_id), self.name, diagnostics
        )
        return cards
