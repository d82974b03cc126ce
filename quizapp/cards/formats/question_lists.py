"""Question lists: list items and table rows that are questions, often with no answer.

A book's exercise list (``1. [E] What is the rank of …?``), an interviewer's list of
questions, or a Markdown table with a ``Question`` column holds questions one per item or
row. A list item that asks something and has nothing written under it becomes a
**question-only** card: the learner answers aloud and rates themselves. A table row with an
``Answer`` cell becomes a basic card.

What is read (``docs/formats.md``, "question lists"):

- **List items** (bulleted or numbered, at any depth) of a list that holds questions (at
  least half of its items end with ``?`` or carry a difficulty marker). An item with
  anything under it but a list of further questions has an answer of some kind and is left
  alone.
- **Table rows** of a table whose header has a ``Question`` column (also ``Q``,
  ``Prompt``, ``Front``): an ``Answer`` column (``A``, ``Solution``, ``Back``) is the
  answer, a ``Level`` or ``Difficulty`` column the difficulty (``Fundamental`` is medium,
  ``Advanced`` hard), a ``Tags``, ``Topic`` or ``Category`` column tags.
- The headings above a question make one hierarchical tag (the file's only H1 is its
  title, not a tag).

Which files it claims (:meth:`QuestionListsFormat.sniff`): question-only cards are opt-in
(``--question-only``, or front matter ``quizapp-question-only: true``) except where a file
holds nothing else. So without the opt-in a Markdown file is claimed only when it is
clearly a question list: it has a table with a Question column, or at least
:data:`MIN_ITEMS` question items that take at least as many lines as the rest of its text
(headings aside). With the opt-in, one question item is enough. A file that opts out
(``quizapp-question-only: false``) is never claimed for its list items.

Files that hold other cards (questions as headings) read their question lists only with
the opt-in; ``formats/heading_questions.py`` calls :func:`scan` for that.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it.token import Token
from markdown_it.utils import EnvType

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.formats.questions import (
    Found,
    HeadingPath,
    difficulty_word,
    ends_with_question_mark,
    found_cards,
    lists_cards_in_front_matter,
    question_only_refused,
    question_only_wanted,
    question_text,
    strip_markers,
    topic_tag,
)
from quizapp.cards.frontmatter import FrontMatter, read_front_matter
from quizapp.cards.limits import MAX_BLOCK_NESTING, MAX_HEADINGS_PER_FILE
from quizapp.cards.markdown_parser import heading_text, parse_blocks
from quizapp.cards.metadata import split_tag_string
from quizapp.cards.model import Card

#: Without the opt-in, a file needs at least this many question items to be a question list.
MIN_ITEMS = 3

_QUESTION_COLUMNS = frozenset({"question", "questions", "q", "prompt", "front"})
_ANSWER_COLUMNS = frozenset({"answer", "answers", "a", "solution", "back"})
_LEVEL_COLUMNS = frozenset({"level", "difficulty"})
_TAG_COLUMNS = frozenset({"tags", "tag", "topic", "category"})
_LIST_OPEN = frozenset({"bullet_list_open", "ordered_list_open"})
_LIST_CLOSE = frozenset({"bullet_list_close", "ordered_list_close"})
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
#: A line that may end a question item or carry a difficulty marker: the cheap first test.
_CANDIDATE_LINE = re.compile(
    r"(?:\?[ \t*_)\]]*$|\[[EMH]\]|\((?:easy|medium|hard)\))", re.MULTILINE | re.IGNORECASE
)
#: A table header row that names a question column, for the cheap first test.
_QUESTION_HEADER = re.compile(
    r"^[ \t]*\|?(?:[^|\n]*\|)*[ \t*_]*(?:questions?|q|prompt|front)[ \t*_]*(?:\|[^\n]*)?$",
    re.MULTILINE | re.IGNORECASE,
)


@dataclass(slots=True)
class _Item:
    """A list item being read: where it starts, its first paragraph's text, and whether
    anything else (an answer of some kind) is written under it."""

    level: int
    line: int
    text: str | None = None
    other: bool = False
    lines: int = 1


@dataclass(slots=True)
class _List:
    level: int
    items: list[_Item] = field(default_factory=list)
    questions: list[_Item] = field(default_factory=list)


@dataclass
class Scan:
    """What :func:`scan` found: question items (no answer) and table rows (with their
    answers, if any), each in file order, and how many lines of the file they and the
    rest of its text take."""

    items: list[Found] = field(default_factory=list)
    rows: list[Found] = field(default_factory=list)
    item_lines: int = 0
    other_lines: int = 0
    front_matter: Token | None = None

    @property
    def found(self) -> list[Found]:
        """Items and rows together, in file order."""
        return sorted((*self.items, *self.rows), key=lambda found: found.line)


def _is_question_item(text: str) -> bool:
    marked = strip_markers(text)
    return marked.difficulty is not None or ends_with_question_mark(marked.text)


def _cell_name(text: str) -> str:
    return " ".join(text.strip(" \t*_`").split()).casefold()


def _column(names: list[str], wanted: frozenset[str]) -> int:
    return next((index for index, name in enumerate(names) if name in wanted), -1)


class _Scanner:
    """One pass over a file's block tokens, collecting question items and table rows."""

    def __init__(
        self,
        env: EnvType,
        diagnostics: Diagnostics,
        skip_heading: Callable[[int], bool],
        single_title: bool,
    ) -> None:
        self.env = env
        self.diagnostics = diagnostics
        self.skip_heading = skip_heading
        self.single_title = single_title
        self.result = Scan()
        self.headings = HeadingPath()
        self.covered: set[int] = set()

    def tags(self) -> tuple[str, ...]:
        return topic_tag(self.headings.path())

    def run(self, tokens: list[Token]) -> Scan:
        lists: list[_List] = []
        items: list[_Item] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "front_matter":
                self.result.front_matter = token
            elif kind == "heading_open" and token.level == 0:
                start = token.map[0] if token.map else 0
                self.covered.add(start)
                level = int(token.tag[1])
                inline = tokens[index + 1]
                counts = not self.skip_heading(start + 1) and not (level == 1 and self.single_title)
                self.headings.push(level, functools.partial(heading_text, inline, self.env), counts)
            elif kind == "table_open" and token.level == 0:
                index = self.table(tokens, index)
                continue
            elif kind in _LIST_OPEN:
                lists.append(_List(token.level))
            elif kind == "list_item_open":
                start = token.map[0] if token.map else 0
                end = token.map[1] if token.map else start + 1
                items.append(_Item(token.level, start + 1, lines=end - start))
            elif kind == "inline" and items and token.level == items[-1].level + 2:
                item = items[-1]
                if item.text is None:
                    item.text = token.content
                else:
                    item.other = True
            elif token.nesting >= 0 and items and token.level == items[-1].level + 1:
                # A block directly under the item: its text (the first paragraph), a list
                # (judged when it closes), or anything else, which is an answer.
                if kind != "paragraph_open" or items[-1].text is not None:
                    items[-1].other = items[-1].other or kind not in _LIST_OPEN
            elif kind == "list_item_close" and items:
                item = items.pop()
                if lists:
                    lists[-1].items.append(item)
                    if item.text is not None and _is_question_item(item.text):
                        lists[-1].questions.append(item)
            elif kind in _LIST_CLOSE and lists:
                closed = lists.pop()
                self.close_list(closed, items[-1] if items else None)
            index += 1
        return self.result

    def close_list(self, closed: _List, parent: _Item | None) -> None:
        """Keep the question items of a list that holds questions; a list that does not
        is an answer written under its parent item."""
        holds = bool(closed.questions) and 2 * len(closed.questions) >= len(closed.items)
        if not holds:
            if parent is not None:
                parent.other = True
            return
        tags = self.tags()
        for item in closed.questions:
            if item.other or item.text is None:
                continue
            marked = question_text(item.text)
            if not marked.text:
                continue
            self.result.items.append(
                Found(marked.text, "", item.line, item.line, tags, marked.difficulty)
            )
            self.result.item_lines += item.lines
            self.covered.update(range(item.line - 1, item.line - 1 + item.lines))

    def table(self, tokens: list[Token], start: int) -> int:
        """Read the table opening at ``start``; return the index after it."""
        end = start
        while end < len(tokens) and tokens[end].type != "table_close":
            end += 1
        rows: list[tuple[int, list[str]]] = []
        for token in tokens[start:end]:
            if token.type == "tr_open":
                rows.append((token.map[0] + 1 if token.map else 1, []))
            elif token.type == "inline" and rows:
                rows[-1][1].append(token.content)
        if rows:
            self.table_rows(rows, tokens[start])
        return end + 1

    def table_rows(self, rows: list[tuple[int, list[str]]], table: Token) -> None:
        names = [_cell_name(cell) for cell in rows[0][1]]
        question = _column(names, _QUESTION_COLUMNS)
        if question < 0:
            return
        answer = _column(names, _ANSWER_COLUMNS)
        level = _column(names, _LEVEL_COLUMNS)
        topic = _column(names, _TAG_COLUMNS)
        if table.map:
            self.covered.update(range(table.map[0], table.map[1]))
            self.result.item_lines += table.map[1] - table.map[0]
        tags = self.tags()

        def cell(cells: list[str], column: int) -> str:
            if column < 0 or column >= len(cells):
                return ""
            return _BREAK.sub("\n", cells[column]).strip()

        for line, cells in rows[1:]:
            marked = question_text(cell(cells, question))
            if not marked.text:
                self.diagnostics.warn(line, "this table row has no question; skipped")
                continue
            difficulty = marked.difficulty
            written = cell(cells, level)
            if written:
                difficulty = difficulty_word(written)
                if difficulty is None:
                    self.diagnostics.warn(
                        line,
                        f'unknown level "{written}" (expected Easy, Medium, Hard, '
                        "Fundamental, Advanced or 1-5); left unset",
                    )
            own = tuple(split_tag_string(cell(cells, topic).replace("\n", " ")))
            self.result.rows.append(
                Found(
                    marked.text,
                    cell(cells, answer),
                    line,
                    line,
                    (*tags, *own),
                    difficulty,
                )
            )


#: The last text :meth:`QuestionListsFormat.sniff` parsed, with its block tokens: the
#: registry asks ``read`` about the very same text object next, which then needs no
#: second parse. One entry, replaced whole; a miss only costs the parse again.
_last_parse: tuple[str, list[Token], EnvType] | None = None


def _blocks(text: str) -> tuple[list[Token], EnvType]:
    """The text's block tokens, from the sniff's parse when it was of this very text."""
    global _last_parse
    last = _last_parse
    if last is not None and last[0] is text:
        _last_parse = None
        return last[1], last[2]
    return parse_blocks(text)


def parse_checked(text: str, diagnostics: Diagnostics) -> tuple[list[Token], EnvType] | None:
    """The file's block tokens, or None after reporting a limit it exceeds (too many
    headings, lists nested too deep: markdown-it would silently drop what lies deeper)."""
    tokens, env = _blocks(text)
    headings = 0
    for token in tokens:
        if token.type == "heading_open":
            headings += 1
            if headings > MAX_HEADINGS_PER_FILE:
                line = token.map[0] + 1 if token.map else 1
                diagnostics.error(line, f"more than {MAX_HEADINGS_PER_FILE:,} headings in one file")
                return None
        if token.nesting == 1 and token.level >= MAX_BLOCK_NESTING - 1:
            line = token.map[0] + 1 if token.map else 1
            diagnostics.error(
                line, f"lists or quotes are nested more than {MAX_BLOCK_NESTING // 2} levels deep"
            )
            return None
    return tokens, env


def single_title(tokens: list[Token]) -> bool:
    """Whether the file has exactly one H1: its title, which tags nothing."""
    titles = (t for t in tokens if t.type == "heading_open" and t.tag == "h1" and t.level == 0)
    return sum(1 for _ in titles) == 1


def scan(
    tokens: list[Token],
    env: EnvType,
    lines: list[str],
    diagnostics: Diagnostics,
    skip_heading: Callable[[int], bool] = lambda line: False,
) -> Scan:
    """The question items and table rows of a file's block tokens. Headings at the lines
    for which ``skip_heading`` is true (questions themselves) give no tag."""
    scanner = _Scanner(env, diagnostics, skip_heading, single_title(tokens))
    result = scanner.run(tokens)
    body_start = 0
    if result.front_matter is not None and result.front_matter.map:
        body_start = result.front_matter.map[1]
    result.other_lines = sum(
        1
        for number in range(body_start, len(lines))
        if number not in scanner.covered and lines[number].strip()
    )
    return result


def read_front(
    tokens: list[Token], lines: list[str], diagnostics: Diagnostics
) -> tuple[bool, FrontMatter | None]:
    """The file's front matter (None when it has none), and False after reporting that
    it is broken."""
    token = next((t for t in tokens if t.type == "front_matter"), None)
    if token is not None:
        front = read_front_matter(token.content, 1, diagnostics)
        if front is None and not diagnostics.errors:
            diagnostics.error(1, "the front matter cannot be read; fix its YAML")
        return front is not None, front
    if lines and len(lines[0].rstrip()) >= 3 and set(lines[0].rstrip()) == {"-"}:
        diagnostics.error(1, 'the front matter opened here is never closed with "---"')
        return False, None
    return True, None


class QuestionListsFormat:
    """Question lists and question tables in Markdown files."""

    name = "question_lists"
    suffixes = (".md",)

    def sniff(self, text: str, context: FileContext) -> bool:
        """Whether the file is clearly a question list (see the module's docstring): a
        cheap line test first, then one block parse for the files that pass it."""
        if lists_cards_in_front_matter(text):
            return False
        if question_only_refused(text) and _QUESTION_HEADER.search(text) is None:
            return False
        wanted = question_only_wanted(text, context)
        needed = 1 if wanted else MIN_ITEMS
        has_table = _QUESTION_HEADER.search(text) is not None and "|" in text
        if not has_table and len(_CANDIDATE_LINE.findall(text, 0, 200_000)) < needed:
            return False
        global _last_parse
        lines = text.split("\n")
        tokens, env = parse_blocks(text)
        _last_parse = (text, tokens, env)
        found = scan(tokens, env, lines, Diagnostics(context.path))
        if found.rows:
            return True
        if question_only_refused(text):
            return False
        if wanted:
            return bool(found.items)
        return len(found.items) >= MIN_ITEMS and found.item_lines >= found.other_lines

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        """Every question item and table row of the file, in file order."""
        lines = text.split("\n")
        parsed = parse_checked(text, diagnostics)
        if parsed is None:
            return []
        tokens, env = parsed
        ok, front = read_front(tokens, lines, diagnostics)
        if not ok:
            return []
        found = scan(tokens, env, lines, diagnostics)
        if not found.items and not found.rows:
            diagnostics.error(
                1,
                'no questions found: a question list has list items that end with "?" '
                "or a table with a Question column",
            )
            return []
        answered = any(row.answer.strip() for row in found.rows)
        question_only = not question_only_refused(text) and (
            question_only_wanted(text, context) or not answered
        )
        return found_cards(
            found.found, context, front, self.name, diagnostics, question_only=question_only
        )
