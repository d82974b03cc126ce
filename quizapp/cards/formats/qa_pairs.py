"""Question-and-answer notes: labelled pairs and bold questions, the way people write
study notes by hand.

::

    **Q: What is overfitting?**
    A: Fitting the noise of the training set.

    Question 2: Why does dropout help?
    Answer: It keeps units from co-adapting.

    **3. What does batch normalisation fix?**

    The scale of each layer's inputs drifting during training.

    - **What is weight decay?** An L2 penalty on the weights.

    1. Why clip gradients?
       - To bound each step when the loss surface is steep.

    > [!question]- Why warm up the learning rate?
    > Adam's first second-moment estimates are poor.

A **question** starts at a line (outside code) that is one of:

- a *labelled* question: ``Q:``, ``Q.``, ``Q1:``, ``Q3)``, ``Question:``, ``Question 4.``,
  bold or not (``**Q:** …``, ``**Q: …?**``), after a list marker or not;
- a *bold* question: a line (or list item) that opens with bold text ending with ``?``,
  ``**What is X?**``; the rest of the line, if any, begins the answer;
- a list item that ends with ``?`` and has text indented under it: that text is the answer;
- an Obsidian callout that asks in its title and hides its answer: foldable
  (``> [!question]- Why does dropout help?``, any type, ``-`` or ``+``), or of a question
  type (``question``, ``faq``, ``help``); the callout's body is the answer.

The **answer** is what follows the question, up to the next question, heading or
thematic break, without an answer label (``A:``, ``Ans:``, ``Answer:``, bold or not). A
labelled question runs over several lines until its answer label. Enclosing headings make
one hierarchical tag (not the file's title, its only H1), and question numbers and
difficulty markers are read as for questions written as headings
(``formats/questions.py``). A question with no answer is left out with a warning, or is a
question-only card when the file opts in. Ids follow the question (content identity).

**Which files it claims.** A Markdown file with at least two answered questions in these
forms, or one labelled question with an answer label or one question callout
(``Q:``/``A:`` pairs alone are hashcards', tried first).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.inline import front_block, read_opening
from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.formats.questions import (
    Found,
    HeadingPath,
    ends_with_question_mark,
    found_cards,
    question_only_wanted,
    question_text,
    strip_markers,
    topic_tag,
)
from quizapp.cards.model import Card

#: How many answered questions a file needs to be claimed (one labelled pair will do).
MIN_QUESTIONS = 2

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_BREAK = re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$")
_LIST = r"(?:[-*+]|\d{1,9}[.)])[ \t]+"
#: ``**Q:** text``, ``Q1. text``, ``Question 2: text``, ``**Q: text?**`` (bold around the
#: label, or around the whole question).
_QUESTION_LABEL = re.compile(
    rf"^(?P<indent>[ \t]*)(?:{_LIST})?(?P<open>\*\*|__)?(?:Q|Question)(?:[ \t]*\d{{1,4}})?"
    r"(?:(?P<shut>\*\*|__)[ \t]*[:.)]|[ \t]*[:.)](?P<close>\*\*|__)?)[ \t]*(?P<text>\S.*)$",
    re.IGNORECASE,
)
_ANSWER_LABEL = re.compile(
    r"^[ \t]*(?:\*\*|__)?(?:A|Ans|Answer)(?:[ \t]*\d{1,4})?(?:\*\*|__)?[ \t]*[:.)](?:\*\*|__)?"
    r"[ \t]*",
    re.IGNORECASE,
)
#: A line that opens with bold text ending with ``?`` (difficulty markers may follow the
#: mark inside the bold).
_BOLD_QUESTION = re.compile(
    rf"^(?P<indent>[ \t]*)(?:{_LIST})?(?P<mark>\*\*|__)(?P<text>(?:(?!\*\*|__).)+?)(?P=mark)"
    r"(?P<rest>.*)$"
)
_LIST_ITEM = re.compile(rf"^(?P<indent>[ \t]*){_LIST}(?P<text>\S.*)$")
#: An Obsidian callout's header line: ``> [!question]- Title``.
_CALLOUT = re.compile(r"^[ \t]{0,3}>[ \t]?\[!(?P<kind>[\w-]+)\](?P<fold>[+-]?)[ \t]*(?P<title>.*)$")
#: A line of a quote (the callout's body), and its marker.
_QUOTED = re.compile(r"^[ \t]{0,3}>[ \t]?")
#: Callout types that ask whatever their fold: Obsidian's question family.
QUESTION_CALLOUTS = frozenset({"question", "faq", "help"})
#: A callout title that only labels it ("Question 3", "FAQ"), which asks nothing.
_LABEL_ONLY = re.compile(r"^(?:q|question|faq|help|quiz|exercise)[ \t]*\d*[.:)]?$", re.IGNORECASE)


@dataclass
class _Open:
    """The question being read: its lines, where it started, where a list item's answer
    is indented from, the answer's lines so far, and whether a labelled question still
    waits for its answer label."""

    question: list[str]
    line: int
    nested_from: int  # a list item's answer is the text indented deeper than this; else -1
    answer: list[str]
    answer_line: int = 0
    waiting: bool = False
    callout: bool = False  # its answer is the callout's quoted body


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _bold_question(line: str) -> tuple[str, str] | None:
    """A bold question opening ``line``: (the question, the rest of the line), or None."""
    match = _BOLD_QUESTION.match(line)
    if match is None:
        return None
    text = match.group("text").strip()
    if not ends_with_question_mark(strip_markers(text).text):
        return None
    return text, match.group("rest").strip()


def _callout_question(line: str) -> str | None:
    """The question of a callout header that asks and hides (or is of a question type),
    or None: a tip or a warning in an answer stays part of the answer."""
    match = _CALLOUT.match(line)
    if match is None:
        return None
    title = match.group("title").strip()
    if not title:
        return None
    kind = match.group("kind").lower()
    asks = ends_with_question_mark(strip_markers(title).text)
    if asks and (match.group("fold") or kind in QUESTION_CALLOUTS):
        return title
    if kind in QUESTION_CALLOUTS and not _LABEL_ONLY.match(title):
        return title  # "Explain dropout." in a question callout
    return None


def _labelled(line: str) -> str | None:
    """The question of a labelled line, its label and bold removed, or None."""
    match = _QUESTION_LABEL.match(line)
    if match is None:
        return None
    text = match.group("text").strip()
    mark = match.group("open")
    if mark and not match.group("close") and not match.group("shut"):
        # **Q: the whole question in bold** (a difficulty marker may follow the bold)
        end = text.rfind(mark)
        if end >= 0:
            text = (text[:end] + text[end + len(mark) :]).strip()
    return text


class _Scanner:
    """Reads a file's lines into found questions (see the module docstring)."""

    def __init__(self, lines: list[str], start: int, title: bool) -> None:
        self.lines = lines
        self.start = start
        self.title = title
        self.found: list[Found] = []
        self.path = HeadingPath()
        self.current: _Open | None = None
        self.labelled_pairs = 0

    def run(self) -> list[Found]:
        for index, line, code in _lines(self.lines, self.start):
            if code:
                self._text(line, index)
                continue
            heading = _ATX.match(line)
            if heading is not None:
                self._close()
                level = len(heading.group(1))
                counts = not (level == 1 and self.title)
                self.path.push(level, heading.group(2) or "", counts=counts)
                continue
            if _BREAK.match(line):
                self._close()
                continue
            if self._question(line, index):
                continue
            self._text(line, index)
        self._close()
        return self.found

    def _question(self, line: str, index: int) -> bool:
        """Start a question at ``line`` if it opens one."""
        current = self.current
        if (
            current is not None
            and current.nested_from >= 0
            and line.strip()
            and _indent(line) > current.nested_from
        ):
            return False  # inside a list item's answer
        asked = _callout_question(line)
        if asked is not None:
            self._close()
            self.current = _Open([asked], index + 1, -1, [], callout=True)
            self.labelled_pairs += 1
            return True
        labelled = _labelled(line)
        if labelled is not None:
            self._close()
            self.current = _Open([labelled], index + 1, -1, [], waiting=True)
            return True
        bold = _bold_question(line)
        if bold is not None:
            self._close()
            question, rest = bold
            self.current = _Open([question], index + 1, -1, [])
            if rest:
                self.current.answer.append(rest)
                self.current.answer_line = index + 1
            return True
        item = _LIST_ITEM.match(line)
        if item is not None and ends_with_question_mark(strip_markers(item.group("text")).text):
            following = self._next_text(index)
            if following is not None and _indent(following) > _indent(line):
                self._close()
                self.current = _Open([item.group("text")], index + 1, _indent(line), [])
                return True
        return False

    def _next_text(self, index: int) -> str | None:
        for later in range(index + 1, min(len(self.lines), index + 50)):
            if self.lines[later].strip():
                return self.lines[later]
        return None

    def _text(self, line: str, index: int) -> None:
        """A line that opens no question: part of the open question or of its answer."""
        current = self.current
        if current is None:
            return
        if current.callout:
            quoted = _QUOTED.match(line)
            if quoted is None:
                self._close()  # the callout ends where its quote does
                return
            if not current.answer:
                current.answer_line = index + 1
            current.answer.append(line[quoted.end() :])
            return
        if current.nested_from >= 0:
            if line.strip() and _indent(line) <= current.nested_from:
                self._close()
                return
            if current.answer or line.strip():
                if not current.answer:
                    current.answer_line = index + 1
                current.answer.append(line)
            return
        if current.waiting:
            label = _ANSWER_LABEL.match(line)
            if label is not None:
                current.waiting = False
                self.labelled_pairs += 1
                rest = line[label.end() :].strip()
                if rest:
                    current.answer.append(rest)
                    current.answer_line = index + 1
                return
            if line.strip() and not current.answer:
                current.question.append(line.strip())
                return
            if not line.strip():
                current.waiting = False  # a blank line: what follows is the answer
                return
        if not current.answer:
            if not line.strip():
                return
            label = _ANSWER_LABEL.match(line)
            if label is not None:
                line = line[label.end() :]
                self.labelled_pairs += 1
                if not line.strip():
                    return
            current.answer_line = index + 1
        current.answer.append(line)

    def _close(self) -> None:
        current = self.current
        self.current = None
        if current is None:
            return
        marked = question_text(" ".join(part.strip() for part in current.question))
        question = marked.text
        for mark in ("**", "__"):
            if question.startswith(mark) and question.endswith(mark) and len(question) > 4:
                question = question[2:-2].strip()
        if not question:
            return
        answer = textwrap.dedent("\n".join(current.answer)).strip()
        single = _LIST_ITEM.match(answer) if "\n" not in answer else None
        if single is not None:
            answer = single.group("text")  # one bullet is just the answer
        self.found.append(
            Found(
                question,
                answer,
                current.line,
                current.answer_line or current.line,
                topic_tag(self.path.path()),
                marked.difficulty,
            )
        )


def _body_start(lines: list[str]) -> int:
    block = front_block(lines)
    return block.body_start if block is not None else 0


def _lines(lines: list[str], start: int) -> Iterator[tuple[int, str, bool]]:
    """Each line from ``start`` with its index and whether it is fenced code (the fences
    included), where nothing opens a question or a section."""
    fence = ""
    for index in range(start, len(lines)):
        line = lines[index].rstrip("\r")
        if fence:
            if line.lstrip().startswith(fence):
                fence = ""
            yield index, line, True
            continue
        opened = _FENCE.match(line)
        if opened is not None:
            fence = opened.group(1)
        yield index, line, opened is not None


def _has_title(lines: list[str], start: int) -> bool:
    """Whether the file has exactly one H1: its title, which tags nothing."""
    titles = sum(
        1
        for _index, line, code in _lines(lines, start)
        if not code and (heading := _ATX.match(line)) is not None and len(heading.group(1)) == 1
    )
    return titles == 1


def _scan(lines: list[str], start: int) -> tuple[list[Found], int]:
    scanner = _Scanner(lines, start, _has_title(lines, start))
    return scanner.run(), scanner.labelled_pairs


#: A line that may open a question, for the sniff's first, cheap look.
_CANDIDATE = re.compile(
    r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:(?:\*\*|__)?(?:Q|Question)\b|\*\*|__|.*\?[ \t]*$)",
    re.IGNORECASE | re.MULTILINE,
)


class QaPairsFormat:
    """Notes of labelled or bold questions with their answers below them."""

    name = "qa_pairs"
    suffixes = (".md",)

    def sniff(self, text: str, context: FileContext) -> bool:
        """Two answered questions, or one labelled pair (module docstring)."""
        if "?" not in text and "Q" not in text and "q" not in text:
            return False
        if _CANDIDATE.search(text, 0, 200_000) is None:
            return False
        lines = text.split("\n")
        found, pairs = _scan(lines, _body_start(lines))
        answered = sum(1 for item in found if item.answer)
        return answered >= MIN_QUESTIONS or (pairs >= 1 and answered >= 1)

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        """Every question of the file as a card, in file order."""
        lines = text.split("\n")
        opening = read_opening(lines, diagnostics)
        if opening is None:
            return []
        front = opening.front
        found, _pairs = _scan(lines, opening.body_start)
        if not found:
            diagnostics.error(
                1,
                'no question: write "Q: question" with "A: answer" below it, or a bold '
                'question ("**What is X?**") with its answer below',
            )
            return []
        wanted = question_only_wanted(text, context)
        return found_cards(found, context, front, self.name, diagnostics, question_only=wanted)
