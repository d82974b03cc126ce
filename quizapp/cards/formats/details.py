"""Collapsible answers: questions answered inside HTML ``<details>`` blocks.

GitHub hides nothing in Markdown, so question lists that want a reader to think before
reading the answer fold each answer into a ``<details>`` block. Two layouts are common::

    <details>
    <summary>What is the bias-variance trade-off?</summary><br><b>

    Expected error splits into bias², variance and noise.
    </b></details>

    **Q3.** Why divide attention logits by $\\sqrt{d_k}$?

    <details><summary>Answer</summary>

    Dot products of unit-variance vectors have variance $d_k$.
    </details>

- A block whose summary **asks** (it ends with ``?``, or opens with a question word such
  as *what*, *explain* or *derive*) is a card: the summary is the question, the block's
  body the answer.
- A block whose summary is a **reveal label** (*Answer*, *Solution 3*, *Show answer*,
  *Hint*, *Click here to see the answer* …) answers the text above it: the question is
  what was written since the previous heading or ``<details>`` block, back to the
  paragraph that asks (ends with ``?``, or opens with a bold label or number such as
  ``**Q3.**``), with the code and lists that follow that paragraph; failing that, the
  last paragraph when it sets a task (a list, "Write …"). With nothing written since a
  heading, the heading is the question; a heading that asks comes first in any case.
- A block that holds reveal blocks (``<summary>Question 1</summary>`` around the question
  text and an inner ``Answer`` block) is only their container.
- Any other block (a table of contents, a long log) is no card.

The headings that enclose a card (not the file's title, its only H1) make one
hierarchical tag, as for questions written as headings; question numbers and difficulty
markers (``[M]``, ``(Hard)``) are read the same way (``formats/questions.py``). The
body's wrappers (a leading ``<br>``, ``<b>`` around the whole answer) are dropped; the
rest is Markdown, as GitHub renders it. Ids follow the question (content identity).

**Which files it claims.** A file with a ``<details>`` block that makes a card, unless it
has more question headings answered in plain text than such blocks (a question list that
folds an odd long answer is still read as headings). An unclosed ``<details>`` or
``<summary>`` is an error on its line.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.inline import Malformed, front_block, read_opening
from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.formats.questions import (
    Found,
    HeadingPath,
    ends_with_question_mark,
    found_cards,
    question_number,
    question_text,
    strip_markers,
    topic_tag,
)
from quizapp.cards.model import Card

_OPEN = re.compile(r"<details\b[^<>]*>", re.IGNORECASE)
_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)
_SUMMARY = re.compile(r"<summary\b[^<>]*>(?P<text>.*?)</summary\s*>", re.IGNORECASE | re.DOTALL)
_SUMMARY_OPEN = re.compile(r"<summary\b", re.IGNORECASE)
_TAG_EVENT = re.compile(r"<details\b[^<>]*>|</details\s*>", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_BREAK = re.compile(r"^ {0,3}(?:(?:[-*_])[ \t]*){3,}$")
_CODE = re.compile(r"<code>(.*?)</code>", re.IGNORECASE | re.DOTALL)
_ANY_TAG = re.compile(r"<[^<>]+>")
#: A summary that only says "open me": the question is the text above the block.
_WORD = re.compile(r"[^\W\d_]+")
#: The words of a summary that only says "open me" ("Answer", "Show the solution",
#: "Click here to see the answer", "Solution 3"): the question is the text above the
#: block. Any other word makes the summary something else (a question, a table of contents).
_REVEAL_WORDS = frozenset([
    "show", "see", "view", "reveal", "click", "tap", "here", "to", "expand", "toggle", "check",
    "display", "open", "the", "an", "a", "my", "your", "answer", "answers", "solution",
    "solutions", "hint", "hints", "explanation", "explanations", "result", "results", "output",
    "outputs", "response", "responses", "key", "sample", "suggested", "model", "worked", "more",
    "details", "spoiler", "spoilers", "me",
])  # fmt: skip
#: Words that open an interview question written without ``?`` ("Explain dropout.").
_ASKING = re.compile(
    r"^(?:what|why|how|when|where|which|who|whose|whom|is|are|was|were|can|could|does|do|did|"
    r"should|would|will|explain|describe|define|compare|contrast|name|list|give|write|"
    r"implement|derive|prove|show|calculate|compute|estimate|design|discuss|state|outline|"
    r"identify|differentiate|distinguish|sketch|summari[sz]e)\b",
    re.IGNORECASE,
)
#: A paragraph that opens with a question's label: ``**Q3.**``, ``**Drill 26.**``, ``Q1:``,
#: ``1.``.
_LABEL = re.compile(
    r"^(?:\*\*|__)?(?:(?:Q|Question|Exercise|Problem|Drill|Task)[ \t]*\d+|\d+[.)])",
    re.IGNORECASE,
)
_LIST_MARKER = re.compile(r"^(?:[-*+]|\d{1,9}[.)])[ \t]+")
#: A question written all in bold, ``**What is X?**``: the bold says "question", no more.
_BOLD = re.compile(r"\*\*((?:(?!\*\*)[^\n])+)\*\*|__((?:(?!__)[^\n])+)__")
_WRAPPER_START = re.compile(r"^(?:\s*<br\s*/?>|\s*<(?:b|strong|p)>)+", re.IGNORECASE)
_WRAPPER_END = re.compile(r"(?:</(?:b|strong|p)>\s*|<br\s*/?>\s*)+$", re.IGNORECASE)


@dataclass
class _Block:
    """One ``<details>`` block: offsets in the text of its opening tag, its summary (the
    text between the tags, and where the body starts) and its closing tag; its line."""

    start: int
    line: int
    body_start: int = -1
    summary: str = ""
    end: int = -1
    close_end: int = -1
    children: list[_Block] = field(default_factory=list)


def _masked(text: str) -> str:
    """``text`` with code blanked (offsets and newlines kept): fenced code and code spans,
    where a tag or a heading is only code."""
    lines = text.split("\n")
    fence = ""
    for index, line in enumerate(lines):
        if fence:
            if line.lstrip().startswith(fence):
                fence = ""
            lines[index] = " " * len(line)
            continue
        opened = _FENCE.match(line)
        if opened is not None:
            fence = opened.group(1)
            lines[index] = " " * len(line)
        elif "`" in line:
            lines[index] = _CODE_SPAN.sub(lambda match: " " * len(match.group()), line)
    return "\n".join(lines)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _blocks(text: str, masked: str) -> list[_Block]:
    """The file's ``<details>`` blocks as a tree (top-level blocks, each with the blocks
    nested in its body); :class:`Malformed` for an unclosed block or summary."""
    roots: list[_Block] = []
    stack: list[_Block] = []
    for match in _TAG_EVENT.finditer(masked):
        if match.group().startswith("</"):
            if not stack:
                continue  # a stray closing tag is HTML's business, not a card
            block = stack.pop()
            block.end = match.start()
            block.close_end = match.end()
            continue
        block = _Block(match.start(), _line_of(text, match.start()))
        summary = _SUMMARY.match(masked, _skip_space(masked, match.end()))
        if summary is not None:
            block.summary = text[summary.start("text") : summary.end("text")]
            block.body_start = summary.end()
        elif _SUMMARY_OPEN.match(masked, _skip_space(masked, match.end())):
            raise Malformed(block.line, "the <summary> opened here is never closed with </summary>")
        else:
            block.body_start = match.end()
        (stack[-1].children if stack else roots).append(block)
        stack.append(block)
    if stack:
        raise Malformed(stack[0].line, "the <details> opened here is never closed with </details>")
    return roots


def _skip_space(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in " \t\r\n":
        offset += 1
    return offset


def _plain(summary: str) -> str:
    """A summary's text: ``<code>`` as backticks, other tags dropped, entities decoded,
    on one line."""
    summary = _CODE.sub(lambda match: f"`{match.group(1)}`", summary)
    return " ".join(html.unescape(_ANY_TAG.sub(" ", summary)).split())


def _asks(text: str) -> bool:
    marked = question_text(text).text
    return bool(marked) and (ends_with_question_mark(marked) or bool(_ASKING.match(marked)))


def _reveals(summary: str) -> bool:
    """Whether a summary only reveals (its words are all :data:`_REVEAL_WORDS`; numbers
    and symbols aside). An empty summary reveals too."""
    return all(word in _REVEAL_WORDS for word in _WORD.findall(summary.casefold()))


def _body(text: str) -> str:
    """A block's body as Markdown: indentation shared by its lines removed, the wrappers
    around the whole answer (``<br>``, ``<b>``) dropped."""
    body = textwrap.dedent(text.replace("\r\n", "\n")).strip()
    body = _WRAPPER_START.sub("", body)
    body = _WRAPPER_END.sub("", body)
    return textwrap.dedent(body).strip()


def _paragraphs(span: str) -> list[str]:
    """A stretch of Markdown split at blank lines, fenced code kept whole and apart."""
    parts: list[list[str]] = [[]]
    fence = ""
    for line in span.split("\n"):
        if fence:
            parts[-1].append(line)
            if line.lstrip().startswith(fence):
                fence = ""
                parts.append([])
            continue
        opened = _FENCE.match(line)
        if opened is not None:
            if parts[-1]:
                parts.append([])
            fence = opened.group(1)
            parts[-1].append(line)
            continue
        if not line.strip():
            if parts[-1]:
                parts.append([])
            continue
        parts[-1].append(line)
    return ["\n".join(part) for part in parts if part]


def _is_code(paragraph: str) -> bool:
    return bool(_FENCE.match(paragraph))


def _asking_paragraph(paragraph: str) -> bool:
    first = paragraph.strip()
    if _LABEL.match(first):
        return True
    return ends_with_question_mark(strip_markers(first).text)


def _question(span: str) -> str:
    """The question a reveal block answers, from the text written above it: back to the
    paragraph that asks, with what follows it; else the last paragraph (with the code
    after it) when it is a task (an exercise list, "Write …", "Implement …"). Anything
    else above a folded block ("Here is the log:") asks nothing: ""."""
    paragraphs = _paragraphs(textwrap.dedent(span).strip())
    if not paragraphs:
        return ""
    taken: list[str] = []
    for paragraph in reversed(paragraphs):
        taken.insert(0, paragraph)
        if _asking_paragraph(paragraph):
            break
    else:
        taken = []
        for paragraph in reversed(paragraphs):
            taken.insert(0, paragraph)
            if not _is_code(paragraph):
                break
        first = taken[0].lstrip()
        if not (_LIST_MARKER.match(first) or _ASKING.match(first)):
            return ""
    text = "\n\n".join(taken)
    if len(taken) == 1 and "\n" not in text:
        text = _LIST_MARKER.sub("", text, count=1)
    return text


@dataclass
class _Heading:
    level: int
    text: str
    end: int  # offset just past the heading's line


def _headings(text: str, masked: str) -> list[tuple[int, _Heading]]:
    """The ATX headings outside code: (offset of the line, heading)."""
    found: list[tuple[int, _Heading]] = []
    offset = 0
    for line in masked.split("\n"):
        match = _ATX.match(line)
        if match is not None:
            found.append(
                (offset, _Heading(len(match.group(1)), match.group(2) or "", offset + len(line)))
            )
        elif _BREAK.match(line) and line.strip():
            found.append((offset, _Heading(0, "", offset + len(line))))
        offset += len(line) + 1
    return found


class _Reader:
    """Finds the cards of one file (see the module docstring)."""

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.masked = _masked(text)
        self.start = start
        self.headings = [h for h in _headings(text, self.masked) if h[0] >= start]
        self.title = sum(1 for _offset, h in self.headings if h.level == 1) == 1
        self.found: list[Found] = []
        #: Headings that are a card's question, which tag nothing.
        self.heading_answered: set[int] = set()
        #: Where each block read so far ends: the text above a later block starts there.
        self.ends: list[int] = []

    def read(self) -> list[Found]:
        for block in _blocks(self.text, self.masked):
            self._visit(block, self.start)
        self.found.sort(key=lambda item: item.line)
        return self.found

    def _visit(self, block: _Block, floor: int) -> None:
        """Make ``block``'s card (or its children's); ``floor`` is where the text that may
        ask its question begins (the body of a block that contains it)."""
        summary = _plain(block.summary)
        if block.children and any(_reveals(_plain(c.summary)) for c in block.children):
            inner = block.body_start
            for child in block.children:
                self._visit(child, inner)
                inner = child.close_end
            self.ends.append(block.close_end)
            return
        body = _body(self.text[block.body_start : block.end])
        if _reveals(summary):
            self._answering(block, floor, body)
        elif _asks(summary):
            marked = question_text(summary)
            self._add(marked.text, marked.difficulty, body, block, block.line, block.start)
        self.ends.append(block.close_end)

    def _answering(self, block: _Block, floor: int, body: str) -> None:
        """A reveal block: its question is the text above it."""
        since = floor
        heading: tuple[int, _Heading] | None = None
        for offset, found in self.headings:
            if offset >= block.start:
                break
            if offset >= since:
                heading = (offset, found)
                since = found.end
        for previous in self.ends:
            if since <= previous <= block.start:
                since = previous
                heading = None
        span = self.text[since : block.start]
        question = _question(span)
        difficulty = None
        first = question.split("\n", 1)[0].strip()
        at = span.rfind(first) if first else -1
        line = _line_of(self.text, since + max(at, 0))
        if heading is not None and heading[1].level:
            marked = question_text(heading[1].text)
            asks = ends_with_question_mark(marked.text) or not question
            if asks and marked.text:
                question = f"{marked.text}\n\n{question}".strip() if question else marked.text
                difficulty = marked.difficulty
                line = _line_of(self.text, heading[0])
            if asks or question_number(heading[1].text):
                self.heading_answered.add(heading[0])  # the question's own heading: no tag
        if question:
            marked = strip_markers(question)
            bold = _BOLD.fullmatch(marked.text)
            text = (bold.group(1) or bold.group(2)) if bold is not None else marked.text
            self._add(text, difficulty or marked.difficulty, body, block, line, block.start)

    def _add(
        self, question: str, difficulty: str | None, body: str, block: _Block, line: int, at: int
    ) -> None:
        path = HeadingPath()
        for offset, heading in self.headings:
            if offset >= at:
                break
            if heading.level == 0:
                continue
            counts = not (heading.level == 1 and self.title) and offset not in self.heading_answered
            path.push(heading.level, heading.text, counts=counts)
        self.found.append(
            Found(
                question,
                body,
                line,
                _line_of(self.text, block.body_start),
                topic_tag(path.path()),
                difficulty,
            )
        )


def unfold_answers(text: str) -> str:
    """``text`` with each reveal block (``<summary>Answer</summary>``) replaced by its body:
    for an answer written under a question heading and folded, which would otherwise show
    its tags. Text with an unclosed block is returned as it is."""
    if not _has_details(text):
        return text
    try:
        blocks = _blocks(text, _masked(text))
    except Malformed:
        return text
    pieces: list[str] = []
    last = 0
    for block in blocks:
        if _reveals(_plain(block.summary)) and not block.children:
            pieces.extend((text[last : block.start], _body(text[block.body_start : block.end])))
            last = block.close_end
    pieces.append(text[last:])
    return "".join(pieces)


def _has_details(text: str) -> bool:
    return "<details" in text or "<DETAILS" in text or "<Details" in text


def _question_headings_without_details(text: str, masked: str) -> int:
    """H2–H4 headings that ask and whose section holds no ``<details>`` block."""
    headings = _headings(text, masked)
    count = 0
    for index, (offset, heading) in enumerate(headings):
        if heading.level not in (2, 3, 4):
            continue
        marked = question_text(heading.text).text
        if not ends_with_question_mark(marked):
            continue
        end = headings[index + 1][0] if index + 1 < len(headings) else len(masked)
        if _OPEN.search(masked, offset, end) is None:
            count += 1
    return count


class DetailsFormat:
    """Question lists that fold their answers into ``<details>`` blocks."""

    name = "details"
    suffixes = (".md",)

    def sniff(self, text: str, context: FileContext) -> bool:
        """A ``<details>`` block that makes a card, in a file not mostly answered in plain
        text under question headings."""
        if not _has_details(text):
            return False
        lines = text.split("\n")
        block = front_block(lines)
        start = len("\n".join(lines[: block.body_start])) if block is not None else 0
        try:
            found = _scan(text, start)
        except Malformed:
            # A collapsible section left open is clearly meant, and reading it reports
            # the fault; a bare "<details>" in prose is no card file.
            return _SUMMARY_OPEN.search(_masked(text)) is not None
        if not found:
            return False
        return _question_headings_without_details(text, _masked(text)) <= len(found)

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        """Every card of the file, or none with the errors reported."""
        lines = text.split("\n")
        opening = read_opening(lines, diagnostics)
        if opening is None:
            return []
        front = opening.front
        start = len("\n".join(lines[: opening.body_start]))
        try:
            found = _scan(text, start)
        except Malformed as exc:
            diagnostics.error(exc.line, exc.message)
            return []
        if not found:
            diagnostics.error(
                1,
                "no question with a folded answer: write <details><summary>the question?"
                "</summary> answer </details>, or a question above <details><summary>Answer"
                "</summary>",
            )
            return []
        return found_cards(found, context, front, self.name, diagnostics, question_only=False)


def _scan(text: str, start: int) -> list[Found]:
    """The questions of a file whose body starts at offset ``start``."""
    return _Reader(text, start).read()
