"""Delimited text (CSV, TSV) as records with their lines: the dialect Anki reads and writes.

Python's ``csv`` module accepts anything without complaint and counts lines only
roughly, while a card needs the line it starts on and a malformed file needs one message
that says where. So records are read here, by the rules Anki's text import follows
(its manual, "Text Files"):

- fields are separated by one character (comma, semicolon, tab, space, pipe or colon);
- a field that starts with ``"`` is quoted: it may hold the separator and line breaks,
  and ``""`` inside it is one ``"``; a ``"`` inside an unquoted field is just a character;
- a line that starts with ``#`` where a record would start is a comment (Anki's file
  headers, ``#separator:Tab``, are such lines, read by :func:`headers`);
- blank lines hold no record.

Lines without a ``"`` are split directly, so a large export is read at the speed of
``str.split``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: Anki's names for the separators, and the character each stands for.
SEPARATORS = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
#: A separator's name for messages.
SEPARATOR_NAMES = {char: name for name, char in SEPARATORS.items()}

_HEADER = re.compile(r"^#([A-Za-z][A-Za-z ]*?)[ \t]*:(.*)$")
#: Anki's older tags line, allowed before the headers: ``tags:tag1 tag2``.
_TAGS_LINE = re.compile(r"^tags:(.*)$", re.IGNORECASE)


class RecordError(ValueError):
    """A malformed record: ``line`` is the 1-based file line, ``message`` says what to do."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Record:
    """One record: its fields, the file line each starts on (1-based), and the record's
    first line."""

    fields: tuple[str, ...]
    lines: tuple[int, ...]

    @property
    def line(self) -> int:
        """The line the record starts on."""
        return self.lines[0]


@dataclass(frozen=True, slots=True)
class Headers:
    """The ``#key:value`` header lines at the top of a file (keys lower case, spaces
    single; values as written, since ``#separator:`` may be a tab or a space) with their
    lines, and the index of the first line after them."""

    values: dict[str, str]
    lines: dict[str, int]
    body_start: int


def headers(lines: list[str]) -> Headers:
    """The file headers at the top of ``lines``: ``#key:value`` lines, any other ``#``
    comment between them, and Anki's older ``tags:…`` line (kept as ``tags``)."""
    values: dict[str, str] = {}
    where: dict[str, int] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        found = _HEADER.match(line)
        old_tags = _TAGS_LINE.match(line) if index == 0 else None
        if found is not None:
            key = " ".join(found.group(1).split()).casefold()
            values.setdefault(key, found.group(2).rstrip("\r"))  # "#separator:\t" is a tab
            where.setdefault(key, index + 1)
        elif old_tags is not None:
            values.setdefault("tags", old_tags.group(1).strip())
            where.setdefault("tags", index + 1)
        elif not line.startswith("#"):
            break
        index += 1
    return Headers(values, where, index)


def _quoted(lines: list[str], index: int, column: int, separator: str) -> tuple[str, int, int]:
    """A quoted field opening at ``lines[index][column]`` (the ``"``): its text, and the
    line index and column just after it (at the separator, or at the line's end)."""
    parts: list[str] = []
    row = index
    position = column + 1
    while row < len(lines):
        line = lines[row]
        quote = line.find('"', position)
        if quote < 0:
            parts.append(line[position:])
            parts.append("\n")
            row += 1
            position = 0
            continue
        parts.append(line[position:quote])
        if line.startswith('"', quote + 1):
            parts.append('"')
            position = quote + 2
            continue
        # The closing quote; anything up to the separator belongs to the field too.
        rest_end = line.find(separator, quote + 1)
        rest_end = len(line) if rest_end < 0 else rest_end
        parts.append(line[quote + 1 : rest_end])
        return "".join(parts), row, rest_end
    raise RecordError(
        index + 1, 'a quoted field opened on this line is never closed: end it with "'
    )


def records(lines: list[str], separator: str, start: int = 0) -> Iterator[Record]:
    """The records of ``lines[start:]``, in order (see the module's docstring); raises
    :class:`RecordError` for a quoted field that is never closed."""
    index = start
    while index < len(lines):
        line = lines[index]
        if not line.strip() or line.startswith("#"):
            index += 1
            continue
        if '"' not in line:
            fields = tuple(line.split(separator))
            yield Record(fields, (index + 1,) * len(fields))
            index += 1
            continue
        fields_list: list[str] = []
        starts: list[int] = []
        column = 0
        row = index
        while True:
            text = lines[row]
            starts.append(row + 1)
            if text.startswith('"', column):
                value, row, column = _quoted(lines, row, column, separator)
                text = lines[row]
            else:
                end = text.find(separator, column)
                end = len(text) if end < 0 else end
                value, column = text[column:end], end
            fields_list.append(value)
            if column >= len(text):
                break
            column += len(separator)
        yield Record(tuple(fields_list), tuple(starts))
        index = row + 1


def guess_separator(line: str) -> str:
    """The separator of a file that names none, from its first record's line: a tab if it
    has one, else a semicolon if it has one and no comma, else a comma."""
    if "\t" in line:
        return "\t"
    if ";" in line and "," not in line:
        return ";"
    return ","
