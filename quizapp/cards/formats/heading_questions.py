"""Questions as headings: README-style lists of interview questions, answered below each.

::

    ## Linear models

    #### 1) What is the bias-variance trade-off? [M]
    A model's expected error splits into bias², variance and noise …

Every heading at level 2 to 4 that asks a question (it ends with ``?``, or opens with a
question number: ``1)``, ``2.``, ``Q3.``; ``formats/questions.py``) is a card. Its answer
is the text below it up to the next heading of the same or a higher level, or the next
question heading of any level; deeper headings inside it are part of the answer. The
question loses its number and its difficulty marker (which sets the difficulty). The
headings above it (not the file's title, its only H1) make one hierarchical tag,
``Linear-models``. A numbered heading that has question headings under it is a topic, not
a question (``## 1. Linear algebra`` over ``### 1.1 What is a norm?``).

A question heading with no text under it is a question-only card when the file opts in
(``--question-only``, front matter ``quizapp-question-only: true``) or holds no answered
question at all; otherwise it is left out with a warning. With the opt-in, the question
lists of the file's other sections are read too (``formats/question_lists.py``), and a
table with a Question column is read in any case.

**Which files it claims.** A prose note may well have a heading that asks something, and a
numbered document has numbered headings, so a file is claimed only when it is clearly a
question list: at least two question headings, at least half of them ending with ``?`` (or
numbered ``Q1.``/``Question 1``), and no fewer question headings than other H2–H4 sections
(headings with no deeper heading under them). ``--format heading_questions`` or front
matter ``quizapp-format: heading_questions`` reads any file this way. Native files never
get here: ``native`` is tried first and claims every file with a Question or Answer
section.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown_it.token import Token
from markdown_it.utils import EnvType

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.details import unfold_answers
from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.formats.question_lists import parse_checked, read_front, scan, single_title
from quizapp.cards.formats.questions import (
    Found,
    HeadingPath,
    ends_with_question_mark,
    found_cards,
    lists_cards_in_front_matter,
    question_number,
    question_only_refused,
    question_only_wanted,
    question_text,
    split_sources,
    strip_markers,
    topic_tag,
)
from quizapp.cards.markdown_parser import heading_text
from quizapp.cards.model import Card

#: Headings at these levels may be questions.
QUESTION_LEVELS = range(2, 5)
#: A file needs at least this many question headings to be claimed.
MIN_QUESTIONS = 2

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*)|[ \t]*)$")
_CLOSING = re.compile(r"[ \t]#+$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_Q_NUMBER = re.compile(r"^\s*(?:\*\*|__)?(?:Q|Question)[ \t]*\d", re.IGNORECASE)
#: An answer's own label at its start (``**Answer:**``, ``Ans.``), which the card's
#: "Answer" heading already says. A bare ``A.`` is left: it may start a sentence.
_ANSWER_LABEL = re.compile(
    r"^(?:\*\*|__)?(?:Answer|Ans)(?:\*\*|__)?[ \t]*[:.](?:\*\*|__)?[ \t]*", re.IGNORECASE
)
#: Lines that end an answer without being part of it: thematic breaks, and the
#: "back to top" links of README question lists.
_TRAILER = re.compile(
    r"^\s*(?:(?:[-*_][ \t]*){3,}|(?:\*\*|__)?\[[^\]\n]*\]\(#[^)\n]*\)(?:\*\*|__)?)\s*$"
)


@dataclass(slots=True)
class _Heading:
    """A top-level heading: level, Markdown source, plain text and the lines it spans
    (0-based, end exclusive); ``question`` once decided."""

    level: int
    source: str
    text: str | Callable[[], str]  # its plain text, read when it is first needed
    start: int
    end: int
    question: bool = False


def _decide(levels: Sequence[int], sources: Sequence[str]) -> tuple[list[bool], list[bool]]:
    """Which headings are questions: H2–H4 that ask (see the module's docstring), less
    the numbered ones that have question headings under them (topics); and which of
    the headings end with ``?``."""
    asks: list[bool] = []
    ends: list[bool] = []
    for level, source in zip(levels, sources, strict=True):
        if level not in QUESTION_LEVELS:
            asks.append(False)
            ends.append(False)
            continue
        text = strip_markers(source).text
        ends.append(ends_with_question_mark(text))
        number = question_number(text)
        asks.append(ends[-1] or (number > 0 and bool(text[number:].strip())))
    decided = list(asks)
    for index, level in enumerate(levels):
        if not asks[index] or ends[index]:
            continue
        for later in range(index + 1, len(levels)):
            if levels[later] <= level:
                break
            if asks[later]:
                decided[index] = False
                break
    return decided, ends


def _outline(text: str) -> list[tuple[int, str]]:
    """The file's ATX and setext headings (level, source), outside fenced code and front
    matter: a line scan, cheap enough for a sniff."""
    found: list[tuple[int, str]] = []
    lines = text.split("\n")
    index = 0
    if lines and lines[0].rstrip() == "---":
        index = next(
            (n + 1 for n in range(1, len(lines)) if lines[n].rstrip() in ("---", "...")), 0
        )
    fence = ""
    previous = ""
    for line in lines[index:]:
        if fence:
            if line.lstrip().startswith(fence):
                fence = ""
            previous = ""
            continue
        opened = _FENCE.match(line)
        if opened is not None:
            fence = opened.group(1)
            previous = ""
            continue
        heading = _ATX.match(line)
        if heading is not None:
            content = (heading.group(2) or "").rstrip()
            closing = _CLOSING.search(content, max(0, len(content) - 64))
            content = content[: closing.start()] if closing is not None else content
            found.append((len(heading.group(1)), content.strip()))
            previous = ""
            continue
        underline = _SETEXT.match(line)
        if underline is not None and previous:
            found.append((1 if underline.group(1)[0] == "=" else 2, previous.strip()))
            previous = ""
            continue
        is_text = bool(line.strip()) and _LIST_ITEM.match(line) is None
        previous = line if is_text and not line.startswith(("    ", "\t", ">")) else ""
    return found


def _claims(outline: list[tuple[int, str]]) -> bool:
    """The detection rule of the module's docstring."""
    levels = [level for level, _ in outline]
    sources = [source for _, source in outline]
    questions, ends = _decide(levels, sources)
    count = sum(questions)
    if count < MIN_QUESTIONS:
        return False
    clear = sum(
        1
        for source, question, end in zip(sources, questions, ends, strict=True)
        if question and (end or _Q_NUMBER.match(source) is not None)
    )
    if 2 * clear < count:
        return False
    sections = 0
    for index, level in enumerate(levels):
        if questions[index] or level not in QUESTION_LEVELS:
            continue
        deeper = index + 1 < len(levels) and levels[index + 1] > level
        sections += 0 if deeper else 1
    return count >= sections


def _headings(tokens: list[Token], env: EnvType) -> list[_Heading]:
    """The file's top-level headings, questions decided. Only the other headings need
    their plain text (they may become tags), which costs an inline parse."""
    headings: list[_Heading] = []
    inlines: list[Token] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map:
            inline = tokens[index + 1]
            inlines.append(inline)
            source = inline.content.strip()
            start, end = token.map
            headings.append(_Heading(int(token.tag[1]), source, source, start, end))
    decided, _ = _decide([h.level for h in headings], [h.source for h in headings])
    for heading, question, inline in zip(headings, decided, inlines, strict=True):
        heading.question = question
        if not question:
            heading.text = functools.partial(heading_text, inline, env)
    return headings


def _answer(lines: list[str], start: int, stop: int) -> tuple[str, int]:
    """The answer in lines ``[start, stop)``, without the blank lines, rules and
    back-to-top links around it, unfolded from a ``<details>`` block that hides it and
    without an ``Answer:`` label; and its 1-based first line (0 when empty)."""
    while stop > start and (not lines[stop - 1].strip() or _TRAILER.match(lines[stop - 1])):
        stop -= 1
    while start < stop and not lines[start].strip():
        start += 1
    if start >= stop:
        return "", 0
    answer = unfold_answers("\n".join(lines[start:stop]).rstrip())
    return _ANSWER_LABEL.sub("", answer, count=1), start + 1


class HeadingQuestionsFormat:
    """README-style question lists: each question heading is a card."""

    name = "heading_questions"
    suffixes = (".md",)

    def sniff(self, text: str, context: FileContext) -> bool:
        """Whether the file is clearly a list of question headings (module docstring)."""
        if "#" not in text and "\n--" not in text and "\n==" not in text:
            return False
        return not lists_cards_in_front_matter(text) and _claims(_outline(text))

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        """Every question heading of the file as a card, in file order (with the file's
        question lists too when it opts in to question-only cards)."""
        lines = text.split("\n")
        parsed = parse_checked(text, diagnostics)
        if parsed is None:
            return []
        tokens, env = parsed
        ok, front = read_front(tokens, lines, diagnostics)
        if not ok:
            return []
        headings = _headings(tokens, env)
        questions = [heading for heading in headings if heading.question]
        if not questions:
            line = headings[0].start + 1 if headings else 1
            diagnostics.error(
                line,
                'no question headings: a question is an H2-H4 heading that ends with "?" '
                'or starts with a number ("### 3. ...")',
            )
            return []
        found = self.heading_cards(headings, lines, single_title(tokens))
        taken: set[int] = set()
        for card in found:
            taken.update(range(card.found.line - 1, card.answer_end))
        wanted = question_only_wanted(text, context)
        others: list[Found] = []
        if wanted or "|" in text:  # question lists, or a table that may be a question table
            question_lines = {heading.start + 1 for heading in questions}
            extra = scan(tokens, env, lines, diagnostics, lambda line: line in question_lines)
            others = [
                item
                for item in (*extra.rows, *(extra.items if wanted else ()))
                if item.line - 1 not in taken
            ]
        cards_found = sorted((*(card.found for card in found), *others), key=lambda f: f.line)
        answered = any(item.answer.strip() for item in cards_found)
        question_only = not question_only_refused(text) and (wanted or not answered)
        return found_cards(
            cards_found, context, front, self.name, diagnostics, question_only=question_only
        )

    @staticmethod
    def heading_cards(
        headings: list[_Heading], lines: list[str], title_only: bool
    ) -> list[_HeadingCard]:
        """The question headings as found questions, with the lines their cards take."""
        path = HeadingPath()
        found: list[_HeadingCard] = []
        for index, heading in enumerate(headings):
            counts = not heading.question and not (heading.level == 1 and title_only)
            path.push(heading.level, heading.text, counts)
            if not heading.question:
                continue
            stop = len(lines)
            for later in range(index + 1, len(headings)):
                if headings[later].level <= heading.level or headings[later].question:
                    stop = headings[later].start
                    break
            answer, answer_line = _answer(lines, heading.end, stop)
            marked = question_text(heading.source)
            question, sources = split_sources(marked.text or heading.source)
            if sources and answer:
                answer = f"{answer}\n\n{sources}"
            elif sources:
                question = marked.text  # no answer to cite: the links stay where written
            found.append(
                _HeadingCard(
                    Found(
                        question,
                        answer,
                        heading.start + 1,
                        answer_line or heading.start + 1,
                        topic_tag(path.path()),
                        marked.difficulty,
                    ),
                    stop,
                )
            )
        return found


@dataclass(frozen=True, slots=True)
class _HeadingCard:
    """A question heading's card and the (0-based, exclusive) line where its text ends."""

    found: Found
    answer_end: int
