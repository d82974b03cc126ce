"""Delimited text: CSV and TSV card lists, Anki's "Notes in Plain Text" export among them.

::

    #separator:tab
    #html:true
    #notetype column:1
    #deck column:2
    #tags column:5
    Basic	ML::Optimisation	What does <b>momentum</b> do?	Averages past gradients.	sgd
    Cloze	ML	The logit is {{c1::\\(\\log\\frac{p}{1-p}\\)}}		stats

One record is one note. Its first **regular** column (one that is not the note type, deck,
tags or GUID column) is the question, the second the answer; further columns are not
read. Anki's header lines are honoured: ``#separator:`` (a name or the character),
``#html:``, ``#tags:``, ``#deck:``, ``#notetype:``, ``#columns:`` and the ``#… column:``
lines (1-based). Without headers, a ``.tsv`` is tab-separated and a ``.csv`` separated by
what its first line holds (:func:`~quizapp.cards.formats.delimited_text.guess_separator`);
a first row that names a question and an answer column (``Question``/``Front``/``Term``,
``Answer``/``Back``/``Definition``; also ``Tags``, ``Deck``, ``Difficulty``) is read as
their names. Quizlet's and Mochi's two-column exports are read the same way.

HTML fields (``#html:true``, or fields that hold Anki's tags when the file does not say)
become Markdown (``formats/html_fields.py``); MathJax ``\\(…\\)`` and ``\\[…\\]`` become
``$…$`` and ``$$…$$``. A note type whose name holds "Cloze" makes cloze cards, one per
``{{cN::…}}`` group (the second column is extra text shown after the reveal); one that
holds "reverse" makes a pair (Anki's "Basic (and reversed card)"; "optional reversed" only
when its third column is filled). Anki's ``::`` in deck and tag names becomes ``/``.

**Which files it claims.** A CSV is as often data as cards, so a ``.csv`` or ``.tsv`` is
claimed only with Anki's headers, a first row that names a question and an answer
column, or two columns on its first row and mostly words (not numbers) in its first rows.
Anki names its export ``.txt``, so folders are searched for ``.txt`` too, but a ``.txt``
file is claimed only when it starts with Anki's header lines: any other text file is
prose, not a card list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from quizapp.cards import cloze
from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.delimited_text import (
    SEPARATOR_NAMES,
    SEPARATORS,
    Headers,
    Record,
    RecordError,
    guess_separator,
    headers,
    records,
)
from quizapp.cards.formats.html_fields import html_to_markdown, looks_like_html
from quizapp.cards.formats.inline import Note, make_cards
from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.formats.questions import difficulty_word, unanswered_as_question_only
from quizapp.cards.metadata import normalise_tags
from quizapp.cards.model import Card, CardKind

#: The header keys of Anki's text import that name a column (1-based).
_COLUMN_KEYS = {
    "notetype column": "notetype",
    "deck column": "deck",
    "tags column": "tags",
    "guid column": "guid",
}
#: Header keys that only an Anki text file has: one of them claims the file.
_ANKI_KEYS = frozenset({"separator", "html", "tags", "columns", "notetype", "deck", *_COLUMN_KEYS})
_QUESTION_NAMES = frozenset({"question", "questions", "front", "term", "prompt", "text"})
_ANSWER_NAMES = frozenset({"answer", "answers", "back", "definition", "back extra"})
_NAMED_ROLES = {
    "tags": "tags",
    "tag": "tags",
    "deck": "deck",
    "notetype": "notetype",
    "note type": "notetype",
    "guid": "guid",
    "difficulty": "difficulty",
    "level": "difficulty",
}
#: How many records the sniff looks at.
_SNIFF_RECORDS = 20
_NUMBERLIKE = re.compile(r"^[\s\d.,:;+\-eE%/$€£()]*$")
_TRUE = frozenset({"true", "yes", "1", "on"})


@dataclass(frozen=True, slots=True)
class _Layout:
    """How a file's records are read: separator, HTML or not, the column (0-based) of
    each role its headers name, the names ``#columns:`` gives, and the file-wide deck,
    note type and tags."""

    separator: str
    html: bool
    roles: dict[str, int]
    names: tuple[str, ...]
    deck: str
    notetype: str
    tags: tuple[str, ...]


def _separator(value: str) -> str | None:
    name = value.strip()
    if name.casefold() in SEPARATORS:
        return SEPARATORS[name.casefold()]
    if name == "" and value.startswith(("\t", " ")):
        return value[0]
    return name if len(name) == 1 else None


def _deck(name: str) -> str:
    """An Anki deck name (``A::B``) as a quizapp deck path (``A/B``)."""
    return "/".join(part.strip() for part in name.split("::") if part.strip())


def _tags(text: str) -> tuple[str, ...]:
    """Anki's space-separated tags, ``::`` hierarchies as ``/``."""
    return tuple(tag.replace("::", "/") for tag in text.split() if tag)


def _first_record(lines: list[str], start: int) -> str:
    for line in lines[start:]:
        if line.strip() and not line.startswith("#"):
            return line
    return ""


def _names_columns(names: Sequence[str]) -> bool:
    """Whether a row names a question column and an answer column: a header row."""
    return any(name in _QUESTION_NAMES for name in names) and any(
        name in _ANSWER_NAMES for name in names
    )


def _cell(name: str) -> str:
    return " ".join(name.strip(" \t\"'*_").split()).casefold()


class DelimitedFormat:
    """CSV and TSV files of notes, Anki's plain-text export among them."""

    name = "delimited"
    suffixes = (".csv", ".tsv", ".txt")

    def sniff(self, text: str, context: FileContext) -> bool:
        """Anki headers, a named question column, or two columns of mostly words (see
        the module's docstring); a ``.txt`` only with Anki's headers."""
        lines = text.split("\n", 400)[:400]
        found = headers(lines)
        if _ANKI_KEYS & found.values.keys():
            return True
        if context.path.lower().endswith(".txt"):
            return False
        separator = self._default_separator(context.path, _first_record(lines, found.body_start))
        rows = records(text.split("\n"), separator, found.body_start)
        try:
            sample = list(islice(rows, _SNIFF_RECORDS))
        except RecordError:
            return False
        if not sample:
            return False
        if _names_columns([_cell(field) for field in sample[0].fields]):
            return True
        if len(sample[0].fields) != 2:
            return False
        cells = [field for record in sample for field in record.fields if field.strip()]
        numbers = sum(1 for field in cells if _NUMBERLIKE.match(field))
        return bool(cells) and 2 * numbers < len(cells)

    @staticmethod
    def _default_separator(path: str, first: str) -> str:
        return "\t" if path.casefold().endswith(".tsv") else guess_separator(first)

    def _layout(
        self, text: str, lines: list[str], found: Headers, path: str, diagnostics: Diagnostics
    ) -> _Layout | None:
        values = found.values
        separator = self._default_separator(path, _first_record(lines, found.body_start))
        if "separator" in values:
            named = _separator(values["separator"])
            if named is None:
                diagnostics.error(
                    found.lines["separator"],
                    f'unknown separator "{values["separator"]}" (use Comma, Semicolon, Tab, '
                    "Space, Pipe, Colon or the character itself)",
                )
                return None
            separator = named
        html = looks_like_html(text)
        if "html" in values:
            html = values["html"].strip().casefold() in _TRUE
        roles: dict[str, int] = {}
        for key, role in _COLUMN_KEYS.items():
            if key not in values:
                continue
            written = values[key].strip()
            if not written.isdigit() or not 1 <= int(written) <= 1000:
                diagnostics.error(
                    found.lines[key],
                    f'"#{key}:" must be a column number (1, 2, 3, ...), not "{written}"',
                )
                return None
            roles[role] = int(written) - 1
        names = tuple(_cell(name) for name in values.get("columns", "").split(separator))
        return _Layout(
            separator,
            html,
            roles,
            names if "columns" in values else (),
            _deck(values.get("deck", "")),
            values.get("notetype", "").strip(),
            _tags(values.get("tags", "")),
        )

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        """Every record of the file as a note, in order."""
        lines = text.split("\n")
        found = headers(lines)
        layout = self._layout(text, lines, found, context.path, diagnostics)
        if layout is None:
            return []
        try:
            rows = list(records(lines, layout.separator, found.body_start))
        except RecordError as exc:
            diagnostics.error(exc.line, exc.message)
            return []
        roles = dict(layout.roles)
        names = layout.names
        if not names and not roles and rows:
            first = tuple(_cell(field) for field in rows[0].fields)
            if _names_columns(first):
                names, rows = first, rows[1:]  # a first row that names the columns
        if any(name in _QUESTION_NAMES for name in names):
            for index, name in enumerate(names):
                if name in _NAMED_ROLES:
                    roles.setdefault(_NAMED_ROLES[name], index)
                elif name in _QUESTION_NAMES:
                    roles.setdefault("question", index)
                elif name in _ANSWER_NAMES:
                    roles.setdefault("answer", index)
        notes = list(self._notes(rows, roles, layout, context, diagnostics))
        if diagnostics.errors:
            return []
        if not notes:
            diagnostics.error(
                found.body_start + 1, "no cards: the file has no records after its headers"
            )
            return []
        cards, _ = make_cards(notes, context, context.base_id, self.name, diagnostics)
        return unanswered_as_question_only(cards)

    def _notes(
        self,
        rows: list[Record],
        roles: dict[str, int],
        layout: _Layout,
        context: FileContext,
        diagnostics: Diagnostics,
    ) -> Iterator[Note]:
        special = {column for role, column in roles.items() if role not in ("question", "answer")}
        answered = False
        pending: list[tuple[Record, Note]] = []
        for record in rows:
            note = self._note(record, roles, special, layout, context, diagnostics)
            if note is None:
                continue
            answered = answered or bool(note.answer.strip()) or note.kind is CardKind.CLOZE
            pending.append((record, note))
        keep_unanswered = context.question_only or not answered
        for record, note in pending:
            if not note.answer.strip() and note.kind is CardKind.BASIC and not keep_unanswered:
                diagnostics.warn(
                    record.line,
                    "this row has no answer, so it is not imported; fill in its second "
                    "column, or import with --question-only to ask it as a question-only card",
                )
                continue
            yield note

    def _note(
        self,
        record: Record,
        roles: dict[str, int],
        special: set[int],
        layout: _Layout,
        context: FileContext,
        diagnostics: Diagnostics,
    ) -> Note | None:
        fields = record.fields
        if not any(field.strip() for field in fields):
            return None

        def value(role: str) -> str:
            column = roles.get(role, -1)
            return fields[column] if 0 <= column < len(fields) else ""

        regular = [
            (field, line)
            for column, (field, line) in enumerate(zip(fields, record.lines, strict=True))
            if column not in special
        ]
        if "question" in roles:
            named = [roles["question"], roles.get("answer", -1)]
            regular = [
                (fields[column], record.lines[column])
                for column in named
                if 0 <= column < len(fields)
            ]
        notetype = (value("notetype") or layout.notetype).casefold()
        kind = CardKind.BASIC
        if "cloze" in notetype:
            kind = CardKind.CLOZE
        elif "reverse" in notetype:
            optional = "optional" in notetype
            third = regular[2][0].strip() if len(regular) > 2 else ""
            kind = CardKind.REVERSED if (not optional or third) else CardKind.BASIC
        elif not notetype and cloze.has_deletions(regular[0][0] if regular else ""):
            kind = CardKind.CLOZE
        if len(regular) < 2 and (kind is not CardKind.CLOZE or not regular):
            name = SEPARATOR_NAMES.get(layout.separator, repr(layout.separator))
            diagnostics.error(
                record.line,
                f"this row has one column; a card needs a question and an answer separated "
                f"by a {name} (or name the separator with a #separator: line)",
            )
            return None
        convert = html_to_markdown if layout.html else str.strip
        question = convert(regular[0][0])
        answer = convert(regular[1][0]) if len(regular) > 1 else ""
        if not question:
            where = f"column {roles['question'] + 1}" if "question" in roles else "its first column"
            diagnostics.error(record.line, f"this row's question ({where}) is empty")
            return None
        if kind is CardKind.CLOZE:
            try:
                ordinals = cloze.ordinals(question)
            except cloze.ClozeError as exc:
                diagnostics.error(record.line + exc.line - 1, exc.message)
                return None
            if not ordinals:
                diagnostics.error(
                    record.line,
                    'this cloze row has no deletion: mark one with "{{c1::…}}"',
                )
                return None
        deck = _deck(value("deck")) or layout.deck or context.deck
        tags = normalise_tags((*layout.tags, *_tags(value("tags"))))
        difficulty = None
        written = value("difficulty").strip()
        if written:
            difficulty = difficulty_word(written)
            if difficulty is None:
                diagnostics.warn(
                    record.line,
                    f'unknown difficulty "{written}" (expected easy, medium, hard or 1-5); '
                    "left unset",
                )
        answer_line = regular[1][1] if len(regular) > 1 else record.line
        return Note(
            kind,
            question,
            answer,
            record.line,
            answer_line,
            deck,
            tags.tags,
            difficulty or tags.difficulty,
        )
