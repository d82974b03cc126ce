"""The flashcards of the Obsidian Spaced Repetition plugin (st3v3nmw/obsidian-spaced-repetition).

The plugin reads cards out of ordinary notes, line by line, with its default separators:

- ``Question::Answer`` on one line; ``Question:::Answer`` makes two cards, the pair asked
  both ways (siblings);
- question lines, a line ``?``, answer lines (``??`` for both ways); a blank line ends the
  card, and fenced code inside it does not;
- a paragraph with cloze deletions: ``==highlight==``, ``**bold**`` or ``{{curly}}``,
  each with an optional ``^[hint]`` and ``[^N]`` group number, or Anki's
  ``{{c1::text::hint}}``; each deletion (or group) is a card, and they are siblings.

Decks come from tags (``#flashcards``, ``#flashcards/sub/deck``): a tag applies to the cards
after it, tags in the front matter to the cards before any tag in the text, and tags at the
start of a card's first line to that card only; a card that no tag line above it scopes
takes the file's first tag (as the plugin does), else the front matter's ``deck``, else
the file's folder.
Several tags on one line put a card in several decks: the first is its deck, the others
become its tags.

A ``<!--SR:!2024-08-16,51,230-->`` comment after a card is the plugin's schedule (due date,
interval, ease; one ``!`` entry per card of the note, ``2000-01-01`` for one not yet
reviewed). It is handed on as an :class:`~quizapp.cards.model.ImportedSchedule`, so that a
card keeps its progress when first imported; quizapp never writes into the file. Other
HTML comments hide what they enclose, as in the plugin.

The format claims a Markdown file that has a ``#flashcards`` tag (in the text or the front
matter's ``tags``) and something a card is written with, or any ``<!--SR:`` comment. Custom
separators, custom cloze patterns and other flashcard tags set in the plugin's settings are
not read. ``docs/formats.md`` says what is kept and what is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from quizapp.cards import cloze
from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.inline import (
    Malformed,
    Note,
    deletion,
    front_block,
    make_cards,
    read_opening,
)
from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.formulas import normalise_math_delimiters
from quizapp.cards.frontmatter import FrontMatter, read_front_matter
from quizapp.cards.merge import merge_base_id
from quizapp.cards.metadata import clean_tag, normalise_difficulty, normalise_tags
from quizapp.cards.model import Card, CardKind, ImportedSchedule

#: The plugin's default flashcard tag; ``#flashcards/a/b`` names the sub-deck ``a/b`` of it.
FLASHCARD_TAG = "flashcards"
#: The due date the plugin writes for a sibling card it has not reviewed yet.
NOT_YET_REVIEWED = date(2000, 1, 1)

_SINGLE = "::"
_SINGLE_REVERSED = ":::"
_MULTI = "?"
_MULTI_REVERSED = "??"

#: An Obsidian tag: ``#`` at the start of a line or after a space, then letters, digits,
#: ``_``, ``-`` and ``/``.
_TAG = re.compile(r"(?<!\S)#([\w/-]+)")
_LEADING_TAG = re.compile(r"[ \t]*#([\w/-]+)(?=\s|$)")
_FLASHCARD_TAG = re.compile(r"(?<!\S)#flashcards(?![\w-])", re.IGNORECASE)
_SR = re.compile(r"<!--SR:(.*?)-->")
_SR_ENTRIES = re.compile(r"(?:!?\d{4}-\d{2}-\d{2},\d+,\d+)+")
_SR_ENTRY = re.compile(r"!?(\d{4}-\d{2}-\d{2}),(\d+),(\d+)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
#: What a card may be written with, for the sniff: a separator, a ``?`` line, a deletion.
_CARD_MARK = re.compile(
    r"::|^[ \t]*\?\??[ \t]*$|==[^=\n]+==|\*\*[^*\n]+\*\*|\{\{[^\n]+?\}\}", re.MULTILINE
)
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
#: Text where no separator or deletion is looked for: code spans, dollar math, and (for
#: separators) ``{{…}}``: an Anki-style deletion's ``::`` is no separator, even in one
#: left unclosed, which is then reported as such.
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\s](?:[^$\n]*?[^$\s])?\$")
_BRACES = re.compile(r"\{\{c\d+::.*?(?:\}\}|$)|\{\{.*?\}\}")
#: A deletion in the plugin's simplified syntax, with its optional hint and group number.
_DELETION = re.compile(
    r"(?:==(?P<high>[^\n]+?)==|\*\*(?P<bold>[^\n]+?)\*\*|\{\{(?P<curly>[^\n]+?)\}\})"
    r"(?:\^\[(?P<hint>[^\]\n]*)\])?(?:\[\^(?P<group>\d+)\])?"
)


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of the file: its 1-based number, its text, and whether it lies inside
    fenced code (where nothing is a separator)."""

    number: int
    text: str
    fenced: bool = False


@dataclass
class _Found:
    """A note found in the file, before its deck is settled."""

    kind: CardKind
    question: str
    answer: str
    line: int
    answer_line: int
    own_decks: list[str]
    schedules: tuple[ImportedSchedule | None, ...] = ()


@dataclass
class _Scan:
    """What one pass over the file found: notes, and the deck tags outside them."""

    notes: list[_Found] = field(default_factory=list)
    #: ``(line, decks)`` for each line outside every card that holds flashcard tags.
    scopes: list[tuple[int, list[str]]] = field(default_factory=list)


def _is_flashcard_tag(tag: str) -> bool:
    key = clean_tag(tag).casefold()
    return key == FLASHCARD_TAG or key.startswith(FLASHCARD_TAG + "/")


def _deck_of(tag: str) -> str:
    """The deck a flashcard tag names: ``#flashcards/ml/optim`` is ``flashcards/ml/optim``."""
    return "/".join(part for part in clean_tag(tag).split("/") if part)


def _flashcard_decks(text: str) -> list[str]:
    decks: list[str] = []
    for match in _TAG.finditer(text):
        if _is_flashcard_tag(match.group(1)):
            deck = _deck_of(match.group(1))
            if deck not in decks:
                decks.append(deck)
    return decks


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda match: " " * len(match.group()), text)


def _masked(text: str, braces: bool) -> str:
    """``text`` with code spans and math (and ``{{…}}`` when ``braces``) blanked out."""
    masked = _blank(_blank(text, _CODE_SPAN), _MATH)
    return _blank(masked, _BRACES) if braces else masked


def _separator(text: str) -> tuple[str, int] | None:
    """The single-line separator of ``text`` and where it is, or None."""
    masked = _masked(text, braces=True)
    if _SINGLE not in masked:
        return None
    reversed_at = masked.find(_SINGLE_REVERSED)
    if reversed_at >= 0:
        return _SINGLE_REVERSED, reversed_at
    return _SINGLE, masked.find(_SINGLE)


def _schedules(comment: str, line: int) -> tuple[ImportedSchedule | None, ...]:
    """The entries of one ``<!--SR:…-->`` comment, None for a card not yet reviewed."""
    body = comment[len("<!--SR:") : -len("-->")]
    if _SR_ENTRIES.fullmatch(body) is None:
        raise Malformed(line, _bad_comment(comment))
    entries: list[ImportedSchedule | None] = []
    for due_text, interval, ease in _SR_ENTRY.findall(body):
        try:
            due = date.fromisoformat(due_text)
        except ValueError:
            raise Malformed(line, _bad_comment(comment)) from None
        if due == NOT_YET_REVIEWED:
            entries.append(None)
        else:
            entries.append(ImportedSchedule(due, int(interval), int(ease)))
    return tuple(entries)


def _bad_comment(comment: str) -> str:
    return (
        f'the scheduling comment "{comment}" is not "<!--SR:!YYYY-MM-DD,interval,ease-->": '
        "fix it or delete it (the card then starts new)"
    )


def _take_comment(lines: list[_Line]) -> tuple[list[_Line], tuple[ImportedSchedule | None, ...]]:
    """``lines`` without their scheduling comments (a line left empty goes), and the
    schedule of the last comment."""
    found: tuple[ImportedSchedule | None, ...] = ()
    kept: list[_Line] = []
    for line in lines:
        if line.fenced or "<!--SR:" not in line.text:
            kept.append(line)
            continue
        for match in _SR.finditer(line.text):
            found = _schedules(match.group(), line.number)
        rest = _SR.sub("", line.text).rstrip()
        if rest.strip():
            kept.append(_Line(line.number, rest, line.fenced))
    return kept, found


def _own_decks(text: str) -> tuple[list[str], str]:
    """The flashcard tags at the very start of a card's first line (they apply to that
    card only) and the text after them."""
    decks: list[str] = []
    position = 0
    while (match := _LEADING_TAG.match(text, position)) is not None:
        if not _is_flashcard_tag(match.group(1)):
            break
        decks.append(_deck_of(match.group(1)))
        position = match.end()
    return decks, (text[position:].lstrip() if decks else text)


def _joined(lines: list[_Line]) -> str:
    return "\n".join(line.text for line in lines).strip("\n")


class _Reader:
    """One pass over a note's lines: every card, and the deck tags between them."""

    def __init__(self, lines: list[str], start: int) -> None:
        self.lines = lines
        self.start = start
        self.scan = _Scan()

    def read(self) -> _Scan:
        lines = self.lines
        run: list[_Line] = []
        fence = ""
        index = self.start
        while index < len(lines):
            text = lines[index]
            number = index + 1
            index += 1
            if fence:
                run.append(_Line(number, text, fenced=True))
                closing = _FENCE.match(text)
                if (
                    closing is not None
                    and closing.group(1).startswith(fence)
                    and (not text[closing.end() :].strip())
                ):
                    fence = ""
                continue
            opening = _FENCE.match(text)
            if opening is not None:
                fence = opening.group(1)
                run.append(_Line(number, text))
                continue
            if text.startswith("<!--") and not text.startswith("<!--SR:"):
                if "-->" not in text[4:]:  # hidden up to the line that closes it
                    while index < len(lines) and "-->" not in lines[index]:
                        index += 1
                    index += 1
                continue
            if not text.strip():
                self.flush(run)
                run = []
                continue
            separator = _separator(_SR.sub("", text))
            if separator is None:
                run.append(_Line(number, text))
                continue
            self.flush(run)
            run = []
            card = [_Line(number, text)]
            if index < len(lines) and lines[index].lstrip().startswith("<!--SR:"):
                card.append(_Line(index + 1, lines[index]))
                index += 1
            self.single(card)
        self.flush(run)
        return self.scan

    def single(self, card: list[_Line]) -> None:
        """A ``Question::Answer`` (or ``:::``) line, with the comment after it."""
        kept, schedules = _take_comment(card)
        first = kept[0]
        decks, text = _own_decks(first.text)
        found = _separator(text)
        assert found is not None
        separator, at = found
        question = _LIST_MARKER.sub("", text[:at]).strip()
        answer = text[at + len(separator) :].strip()
        if not question:
            raise Malformed(
                first.number, f'nothing before "{separator}": write the question before it'
            )
        if not answer:
            raise Malformed(first.number, f'nothing after "{separator}": write the answer after it')
        kind = CardKind.REVERSED if separator == _SINGLE_REVERSED else CardKind.BASIC
        self.scan.notes.append(
            _Found(kind, question, answer, first.number, first.number, decks, schedules)
        )

    def flush(self, run: list[_Line]) -> None:
        """A paragraph: a multi-line card, a cloze, or text whose tags set the deck."""
        if not run:
            return
        for position, line in enumerate(run):
            if not line.fenced and line.text.strip() in (_MULTI, _MULTI_REVERSED):
                self.multi(run, position)
                return
        if self.cloze(run):
            return
        for line in run:
            decks = [] if line.fenced else _flashcard_decks(line.text)
            if decks:
                self.scan.scopes.append((line.number, decks))

    def multi(self, run: list[_Line], position: int) -> None:
        """Question lines, a ``?`` (or ``??``) line, answer lines."""
        separator = run[position]
        marker = separator.text.strip()
        decks, question_lines = self.own_decks(run[:position])
        if not _joined(question_lines).strip():
            raise Malformed(
                separator.number,
                f'a "{marker}" separator with no question above it: '
                "write the question on the lines just above it",
            )
        answer_lines, schedules = _take_comment(run[position + 1 :])
        answer = _joined(answer_lines)
        if not answer.strip():
            raise Malformed(
                separator.number,
                f'nothing after the "{marker}" separator: write the answer on the lines just '
                "below it (a blank line ends a card)",
            )
        kind = CardKind.REVERSED if marker == _MULTI_REVERSED else CardKind.BASIC
        self.scan.notes.append(
            _Found(
                kind,
                _joined(question_lines),
                answer,
                question_lines[0].number,
                answer_lines[0].number,
                decks,
                schedules,
            )
        )

    @staticmethod
    def own_decks(lines: list[_Line]) -> tuple[list[str], list[_Line]]:
        """The card's own deck tags (at the start of its first line) and its lines without
        them; a first line of nothing but such tags goes."""
        if not lines:
            return [], lines
        decks, rest = _own_decks(lines[0].text)
        if not decks:
            return [], lines
        if rest.strip():
            return decks, [_Line(lines[0].number, rest), *lines[1:]]
        return decks, lines[1:]

    def cloze(self, run: list[_Line]) -> bool:
        """A paragraph with deletions: one card per deletion, or per group. False when
        the paragraph has none (outside code)."""
        text = "\n".join(line.text for line in run if not line.fenced)
        if not cloze.has_deletions(text) and _DELETION.search(_masked(text, False)) is None:
            return False
        lines, schedules = _take_comment(run)
        decks, lines = self.own_decks(lines)
        if not lines:
            return False
        numbers = [line.number for line in lines]
        fenced = {index for index, line in enumerate(lines) if line.fenced}
        text = normalise_math_delimiters(_joined(lines))
        try:
            note = _cloze_note(text, fenced)
            if not cloze.ordinals(note):
                return False
        except (cloze.ClozeError, Malformed) as exc:
            raise Malformed(numbers[min(exc.line, len(numbers)) - 1], exc.message) from None
        self.scan.notes.append(
            _Found(CardKind.CLOZE, note, "", numbers[0], numbers[0], decks, schedules)
        )
        return True


def _cloze_note(text: str, fenced: set[int]) -> str:
    """``text`` with the plugin's deletions written in quizapp's cloze markup
    (:mod:`quizapp.cards.cloze`); nothing in code (its lines ``fenced``, 0-based, or code
    spans) or math is a deletion. Raises :class:`Malformed` (lines within ``text``) or
    :class:`~quizapp.cards.cloze.ClozeError`."""
    anki = cloze.deletions(text)
    masked_lines = _masked(text, braces=False).split("\n")
    for index in fenced:
        masked_lines[index] = " " * len(masked_lines[index])
    masked = "\n".join(masked_lines)
    for written in anki:
        blank = " " * (written.end - written.start)
        masked = masked[: written.start] + blank + masked[written.end :]
    simple = list(_DELETION.finditer(masked))
    if not simple:
        return text

    def line_of(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    if anki:
        raise Malformed(
            line_of(simple[0].start()),
            "this paragraph mixes {{c1::…}} deletions with ==…==, **…** or {{…}}: "
            "write all its deletions one way",
        )
    grouped = [match.group("group") is not None for match in simple]
    if any(grouped) and not all(grouped):
        raise Malformed(
            line_of(simple[grouped.index(False)].start()),
            "some deletions of this paragraph have a group number ([^1]) and this one has "
            "none: number every deletion or none",
        )
    parts: list[str] = []
    cursor = 0
    for position, match in enumerate(simple, start=1):
        name = next(group for group in ("high", "bold", "curly") if match.group(group))
        answer = text[match.start(name) : match.end(name)]
        group = match.group("group")
        ordinal = int(group) if group is not None else position
        if ordinal < 1:
            raise Malformed(line_of(match.start()), "deletion groups are numbered from [^1]")
        parts.append(text[cursor : match.start()])
        parts.append(
            deletion(
                ordinal,
                answer,
                (match.group("hint") or "").strip(),
                text[match.start() : match.end()],
                line_of(match.start()),
            )
        )
        cursor = match.end()
    parts.append(text[cursor:])
    return "".join(parts)


def _decks_for(scan: _Scan, found: _Found, front_decks: list[str]) -> list[str]:
    """The plugin's scoping: the card's own tags; else the last tag line above it; else
    the front matter's tags; else the file's first flashcard tag, on a line of its own or
    at the start of a card (the plugin's deck for the whole note: a ``#flashcards`` line
    right above the first of several multi-line cards is that card's own, and the
    cards after it still belong to the deck)."""
    if found.own_decks:
        return found.own_decks
    for line, scoped in reversed(scan.scopes):
        if line < found.line:
            return scoped
    if front_decks:
        return front_decks
    first = [scan.scopes[0]] if scan.scopes else []
    first.extend((note.line, note.own_decks) for note in scan.notes if note.own_decks)
    return min(first, key=lambda found_decks: found_decks[0])[1] if first else []


class ObsidianSrFormat:
    """Notes written for the Obsidian Spaced Repetition plugin, its progress included."""

    name = "obsidian_sr"
    suffixes = (".md",)

    def sniff(self, text: str, context: FileContext) -> bool:
        """A note the plugin would review: it holds a ``<!--SR:`` comment, or a
        ``#flashcards`` tag (in the text or the front matter) and something a card is
        written with (``::``, a ``?`` line, a deletion)."""
        if "<!--SR:" in text:
            return True
        if _CARD_MARK.search(text) is None:
            return False
        if _FLASHCARD_TAG.search(text) is not None:
            return True
        return bool(_front_decks_of(text))

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        """Every card of the note, or none with the errors reported."""
        return self.read_scheduled(text, context, diagnostics)[0]

    def read_scheduled(
        self, text: str, context: FileContext, diagnostics: Diagnostics
    ) -> tuple[list[Card], dict[str, ImportedSchedule]]:
        """Every card of the note and the plugin's progress on each, by card id."""
        lines = text.split("\n")
        opening = read_opening(lines, diagnostics)
        if opening is None:
            return [], {}
        front, start = opening.front, opening.body_start
        try:
            scan = _Reader(lines, start).read()
        except Malformed as exc:
            diagnostics.error(exc.line, exc.message)
            return [], {}
        if not scan.notes:
            diagnostics.error(
                start + 1,
                'no flashcard in this note: write "question::answer", a line "?" between '
                "question and answer lines, or ==deletions== (custom separators set in the "
                "plugin are not read)",
            )
            return [], {}
        return make_cards(
            self._notes(scan, front, context, diagnostics),
            context,
            merge_base_id(front, context.base_id),
            self.name,
            diagnostics,
        )

    @staticmethod
    def _notes(
        scan: _Scan, front: FrontMatter | None, context: FileContext, diagnostics: Diagnostics
    ) -> list[Note]:
        front_decks: list[str] = []
        other_tags: list[str] = []
        difficulty: str | None = None
        if front is not None:
            for tag in front.tags or ():
                if _is_flashcard_tag(tag):
                    front_decks.append(_deck_of(tag))
                else:
                    other_tags.append(tag)
            difficulty = normalise_tags(other_tags).difficulty
            if front.difficulty is not None:
                difficulty = normalise_difficulty(front.difficulty)
                if difficulty is None:
                    diagnostics.warn(
                        front.line_of("difficulty"),
                        f'unknown difficulty "{front.difficulty}" (expected Easy, Medium or '
                        "Hard); left unset",
                    )
        if front is not None and front.deck and (front_decks or scan.scopes):
            diagnostics.warn(
                front.line_of("deck"),
                f'front matter deck "{front.deck}" wins over the #flashcards deck tags',
            )
        notes: list[Note] = []
        for found in scan.notes:
            decks = _decks_for(scan, found, front_decks)
            if front is not None and front.deck:
                deck = front.deck
            else:
                deck = decks[0] if decks else context.deck
            tags = normalise_tags([*other_tags, *decks[1:]]).tags
            notes.append(
                Note(
                    found.kind,
                    found.question,
                    found.answer,
                    found.line,
                    found.answer_line,
                    deck,
                    tags,
                    difficulty,
                    found.schedules,
                )
            )
        return notes


def _front_decks_of(text: str) -> list[str]:
    """The flashcard tags of a file's front matter, read only when it mentions one."""
    block = front_block(text.split("\n", 200)[:200]) if text.startswith("-") else None
    if block is None or not block.closed or FLASHCARD_TAG not in block.text.casefold():
        return []
    front = read_front_matter(block.text, 1, Diagnostics("<sniff>"))
    if front is None:
        return []
    return [_deck_of(tag) for tag in front.tags or () if _is_flashcard_tag(tag)]
