"""Markdown card files into :class:`~quizapp.cards.model.Card` objects.

The layout follows the real user's card: ``# Title``, ``## Question``, ``## Answer`` and the
sections after it as derivation steps, then ``## Tags``, ``## Difficulty`` and
``## Related Questions``. ``docs/card-format.md`` describes it with every accepted variant.

Structure comes from markdown-it's token stream (one parse per file), so a ``#`` inside fenced
code or display math never starts a section; each piece of text is then sliced from the
original source lines, so a step keeps its Markdown and LaTeX exactly as written.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from markdown_it.token import Token
from markdown_it.utils import EnvType

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.encoding import (
    DecodeError,
    decode,
    normalise_newlines,
    repair_mojibake,
)
from quizapp.cards.frontmatter import FrontMatter, read_front_matter
from quizapp.cards.identity import card_id, content_hash, deck_for, path_id, slugify
from quizapp.cards.limits import (
    MAX_BLOCK_NESTING,
    MAX_CARDS_PER_FILE,
    MAX_FILE_BYTES,
    MAX_FORMULA_CHARS,
    MAX_HEADINGS_PER_FILE,
)
from quizapp.cards.markdown_parser import (
    MATH_TOKEN_TYPES,
    heading_text,
    inline_children,
    parse_blocks,
)
from quizapp.cards.metadata import (
    first_line,
    normalise_difficulty,
    normalise_related,
    normalise_tags,
    split_related,
    split_tag_text,
)
from quizapp.cards.model import Card, ExerciseSource, ParsedFile, Problem, Step
from quizapp.cards.sections import Section, section_of

#: The path of an answer's own text, written before its first sub-heading.
ANSWER_STEP_PATH = ("Answer",)

_EXERCISE_INFO = "exercise"


@dataclass(slots=True)
class _Heading:
    """A top-level heading: its level, plain text and the source lines it spans."""

    level: int
    text: str
    start: int  # 0-based index of the heading's first line
    end: int  # 0-based index of the first line after it
    section: Section | None

    @property
    def line(self) -> int:
        return self.start + 1

    @property
    def is_title(self) -> bool:
        """An H1 that names no section: a card's title."""
        return self.level == 1 and self.section is None


@dataclass(frozen=True)
class _Exercise:
    """An ```` ```exercise ```` fence: the lines it spans and its YAML body."""

    start: int
    end: int
    yaml: str


@dataclass
class _Span:
    """One section of a card: which section, its heading and its content lines."""

    section: Section | None
    heading: _Heading
    end: int = 0

    @property
    def start(self) -> int:
        return self.heading.end


@dataclass
class _Document:
    """What one pass over the token stream found."""

    headings: list[_Heading]
    exercises: list[_Exercise]
    front_matter: Token | None


def _span_of(token: Token) -> tuple[int, int]:
    if token.map is None:  # pragma: no cover - block tokens always carry a map
        return 0, 0
    return token.map[0], token.map[1]


def _scan(
    tokens: list[Token], env: EnvType, lines: list[str], diagnostics: Diagnostics
) -> _Document | None:
    """Collect headings, exercise fences and front matter, and check the per-file limits.

    Only the inline content that matters is parsed: headings' text, and blocks long enough
    to hold a formula over the limit. Returns None when a limit is exceeded (the error is
    reported).
    """
    headings: list[_Heading] = []
    exercises: list[_Exercise] = []
    front_matter: Token | None = None
    heading_count = 0
    pending: Token | None = None
    failed = False
    for token in tokens:
        kind = token.type
        if kind == "inline":
            if pending is not None:
                start, end = pending.map or (0, 0)
                level = int(pending.tag[1])
                text = heading_text(token, env)
                headings.append(_Heading(level, text, start, end, _section(level, text)))
                pending = None
            if len(token.content) > MAX_FORMULA_CHARS and "$" in token.content:
                for child in inline_children(token, env):
                    if child.type in MATH_TOKEN_TYPES and _too_long(child.content):
                        failed = _formula_too_long(diagnostics, _span_of(token)[0], child)
        elif kind == "heading_open":
            heading_count += 1
            if heading_count > MAX_HEADINGS_PER_FILE:
                diagnostics.error(
                    _span_of(token)[0] + 1,
                    f"more than {MAX_HEADINGS_PER_FILE:,} headings in one file",
                )
                return None
            if token.level == 0:
                pending = token
        elif kind in MATH_TOKEN_TYPES:
            if _too_long(token.content):
                failed = _formula_too_long(diagnostics, _span_of(token)[0], token)
        elif kind == "fence":
            _check_fence(token, lines, exercises, diagnostics)
        elif kind == "front_matter":
            front_matter = token
        if token.nesting == 1 and token.level >= MAX_BLOCK_NESTING - 1:
            diagnostics.error(
                _span_of(token)[0] + 1,
                f"lists or quotes are nested more than {MAX_BLOCK_NESTING // 2} levels deep",
            )
            return None
    if failed:
        return None
    return _Document(headings, exercises, front_matter)


def _section(level: int, text: str) -> Section | None:
    """Only H1 and H2 headings can name a section; deeper headings are content."""
    return section_of(text) if level <= 2 else None


def _too_long(formula: str) -> bool:
    return len(formula) > MAX_FORMULA_CHARS and len(formula.strip()) > MAX_FORMULA_CHARS


def _formula_too_long(diagnostics: Diagnostics, start: int, token: Token) -> bool:
    diagnostics.error(
        start + 1,
        f"a formula of {len(token.content.strip()):,} characters is longer than the limit of "
        f"{MAX_FORMULA_CHARS:,}",
    )
    return True


def _check_fence(
    token: Token, lines: list[str], exercises: list[_Exercise], diagnostics: Diagnostics
) -> None:
    """Record ```` ```exercise ```` fences and warn about a fence that is never closed."""
    start, end = _span_of(token)
    info = token.info.split(maxsplit=1)
    if info and info[0].casefold() == _EXERCISE_INFO:
        exercises.append(_Exercise(start, end, token.content))
    if token.level == 0 and token.markup:
        closing = lines[end - 1].strip() if end - 1 < len(lines) else ""
        closed = end - start >= 2 and closing.startswith(token.markup) and (
            set(closing) == {token.markup[0]}
        )
        if not closed:
            diagnostics.warn(
                start + 1, "this code block is never closed; it runs to the end of the file"
            )


class _CardReader:
    """Turns one scanned file into cards: finds where each card starts, splits it into
    sections and steps, and applies front matter and identity rules."""

    def __init__(
        self,
        lines: list[str],
        document: _Document,
        front: FrontMatter | None,
        diagnostics: Diagnostics,
        base_id: str,
        deck: str,
        source: str,
    ) -> None:
        self.lines = lines
        self.headings = document.headings
        self.exercises = document.exercises
        self.front = front
        self.diagnostics = diagnostics
        self.base_id = base_id
        self.deck = deck
        self.source = source
        self.body_start = _span_of(document.front_matter)[1] if document.front_matter else 0
        self.excluded: set[int] = set()
        for exercise in self.exercises:
            self.excluded.update(range(exercise.start, exercise.end))

    # -- text slicing ------------------------------------------------------------------

    def text(self, start: int, end: int) -> str:
        """The source lines ``[start, end)`` without exercise fences, blank lines trimmed."""
        chunk = self.lines[start:end]
        if self.excluded and any(index in self.excluded for index in range(start, end)):
            chunk = [
                line for index, line in enumerate(chunk, start) if index not in self.excluded
            ]
        first = 0
        while first < len(chunk) and not chunk[first].strip():
            first += 1
        return "\n".join(chunk[first:]).rstrip()

    def first_text_line(self, start: int, end: int) -> int:
        """The 1-based line of the first non-blank, non-exercise line in ``[start, end)``."""
        for index in range(start, end):
            if index not in self.excluded and self.lines[index].strip():
                return index + 1
        return start + 1

    # -- cards -------------------------------------------------------------------------

    def read(self) -> list[Card]:
        """Every card in the file, or an empty list with errors reported."""
        starts = self.card_starts()
        if starts is None:
            return []
        if len(starts) > MAX_CARDS_PER_FILE:
            self.diagnostics.error(
                starts[MAX_CARDS_PER_FILE][0] + 1,
                f"more than {MAX_CARDS_PER_FILE} cards in one file",
            )
            return []
        first_start = starts[0][0]
        if self.text(self.body_start, first_start):
            self.diagnostics.warn(
                self.first_text_line(self.body_start, first_start),
                "text before the first card is ignored",
            )
        multi = len(starts) > 1
        if multi and self.front is not None:
            for key in ("title", "aliases"):
                if getattr(self.front, key) is not None:
                    self.diagnostics.warn(
                        self.front.line_of(key),
                        f'front matter "{key}" is ignored in a file with several cards',
                    )
        cards: list[Card] = []
        seen_ids: set[str] = set()
        for index, (start, title) in enumerate(starts):
            stop = starts[index + 1][0] if index + 1 < len(starts) else len(self.lines)
            card = self.read_card(start, stop, title, multi)
            if card is None:
                continue
            if card.id in seen_ids:
                self.diagnostics.error(
                    card.line,
                    f'two cards in this file have the id "{card.id}"; give them different titles',
                )
                continue
            seen_ids.add(card.id)
            cards.append(card)
        return cards

    def card_starts(self) -> list[tuple[int, _Heading | None]] | None:
        """Where each card starts: every title H1 followed by its own Question section.

        A file whose front matter has a ``title`` may have no title H1 at all; it is then
        one card that starts at the body. Reports why there is no card when there is none.
        """
        starts: list[tuple[int, _Heading | None]] = []
        titles = [index for index, heading in enumerate(self.headings) if heading.is_title]
        for position, index in enumerate(titles):
            stop = titles[position + 1] if position + 1 < len(titles) else len(self.headings)
            if any(h.section is Section.QUESTION for h in self.headings[index + 1 : stop]):
                starts.append((self.headings[index].start, self.headings[index]))
        if starts:
            return starts
        has_question = any(h.section is Section.QUESTION for h in self.headings)
        if self.front is not None and self.front.title is not None and has_question:
            return [(self.body_start, None)]
        if not self.text(self.body_start, len(self.lines)) and not self.headings:
            self.diagnostics.error(self.body_start + 1, "no card in this file (it is empty)")
        elif titles:
            self.diagnostics.error(
                self.headings[titles[0]].line,
                f'no "## Question" section after "# {self.headings[titles[0]].text}"',
            )
        elif has_question:
            question = next(h for h in self.headings if h.section is Section.QUESTION)
            self.diagnostics.error(
                question.line, 'no "# Title" heading before this Question section'
            )
        else:
            self.diagnostics.error(
                self.first_text_line(self.body_start, len(self.lines)),
                'no "# Title" heading (a card starts with "# Title" and "## Question")',
            )
        return None

    def spans(self, start: int, stop: int, title: _Heading | None) -> list[_Span] | None:
        """The card's sections in order. The answer runs on over unnamed H1/H2 headings
        (they are its steps) up to the next named section."""
        inside = [
            h for h in self.headings if start <= h.start < stop and h is not title and h.level <= 2
        ]
        spans: list[_Span] = []
        in_answer = False
        failed = False
        for heading in inside:
            if in_answer and heading.section is None:
                continue
            if spans:
                spans[-1].end = heading.start
            if heading.section in (Section.QUESTION, Section.ANSWER) and any(
                span.section is heading.section for span in spans
            ):
                self.diagnostics.error(
                    heading.line,
                    f'a second "{heading.text}" section in one card; '
                    'start each card with its own "# Title"',
                )
                failed = True
            spans.append(_Span(heading.section, heading))
            in_answer = heading.section is Section.ANSWER
        if spans:
            spans[-1].end = stop
        return None if failed else spans

    def read_card(self, start: int, stop: int, title: _Heading | None, multi: bool) -> Card | None:
        """One card from the lines ``[start, stop)``; None after reporting its errors."""
        diagnostics = self.diagnostics
        card_line = title.line if title is not None else self.first_text_line(start, stop)
        spans = self.spans(start, stop, title)
        if spans is None:
            return None
        content_start = title.end if title is not None else start
        first_section = spans[0].heading.start if spans else stop
        if self.text(content_start, first_section):
            diagnostics.warn(
                self.first_text_line(content_start, first_section),
                "text between the title and the first section is ignored",
            )
        by_section: dict[Section, list[_Span]] = {}
        answer_seen = False
        for span in spans:
            if span.section is None:
                where = "after the metadata sections" if answer_seen else "before the answer"
                diagnostics.warn(
                    span.heading.line,
                    f'section "{span.heading.text}" {where} is not part of the card; ignored',
                )
                continue
            answer_seen = answer_seen or span.section is Section.ANSWER
            by_section.setdefault(span.section, []).append(span)

        question_spans = by_section.get(Section.QUESTION, [])
        answer_spans = by_section.get(Section.ANSWER, [])
        if not question_spans:
            diagnostics.error(card_line, 'no "## Question" section')
            return None
        question = self.text(question_spans[0].start, question_spans[0].end)
        if not question:
            diagnostics.error(question_spans[0].heading.line, "the Question section is empty")
        if not answer_spans:
            diagnostics.error(card_line, 'no "## Answer" section')
            return None
        steps = self.steps(answer_spans[0])
        if not steps:
            diagnostics.error(answer_spans[0].heading.line, "the Answer section is empty")
        if not question or not steps:
            return None

        heading_title = title.text if title is not None else ""
        card_title = self.resolve_title(heading_title, multi)
        if not card_title:
            diagnostics.error(card_line, "the card's title heading is empty")
            return None
        tags, difficulty, related = self.metadata(by_section)
        front = self.front
        aliases: tuple[str, ...] = ()
        if front is not None and front.aliases is not None and not multi:
            aliases = tuple(normalise_related(front.aliases))
        deck = front.deck if front is not None and front.deck else self.deck
        base = front.id if front is not None and front.id else self.base_id
        if not base:
            identity = slugify(card_title)
        else:
            identity = card_id(base, heading_title or card_title, multi)
        exercises = tuple(
            ExerciseSource(exercise.yaml, exercise.start + 2)
            for exercise in self.exercises
            if start <= exercise.start < stop
        )
        card = Card(
            id=identity,
            title=card_title,
            question=question,
            steps=tuple(steps),
            tags=tags,
            difficulty=difficulty,
            related=related,
            deck=deck,
            aliases=aliases,
            exercises=exercises,
            source=self.source,
            line=card_line,
        )
        return replace(card, content_hash=content_hash(card))

    def resolve_title(self, heading_title: str, multi: bool) -> str:
        """The card's title: front matter wins over the H1 in a single-card file."""
        front = self.front
        if multi or front is None or front.title is None:
            return heading_title
        if heading_title and heading_title.casefold() != front.title.casefold():
            self.diagnostics.warn(
                front.line_of("title"),
                f'front matter title "{front.title}" differs from the heading '
                f'"# {heading_title}"; using the front matter',
            )
        return front.title

    def steps(self, answer: _Span) -> list[Step]:
        """Split the answer into derivation steps at every H1, H2 or H3 heading.

        A step's path is its chain of headings (H2 › H3). The answer's own text before its
        first sub-heading is a step with the path ``("Answer",)``; a heading with no text of
        its own before its first sub-heading gives no step, only its children's paths.
        """
        first, last = answer.start, answer.end
        boundaries = [h for h in self.headings if first <= h.start < last and h.level <= 3]
        steps: list[Step] = []
        intro_end = boundaries[0].start if boundaries else answer.end
        intro = self.text(answer.start, intro_end)
        if intro:
            steps.append(
                Step(ANSWER_STEP_PATH, intro, self.first_text_line(answer.start, intro_end))
            )
        stack: list[tuple[int, str]] = []
        for index, heading in enumerate(boundaries):
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            stack.append((heading.level, heading.text))
            following = boundaries[index + 1] if index + 1 < len(boundaries) else None
            end = following.start if following is not None else answer.end
            text = self.text(heading.end, end)
            if text:
                steps.append(Step(tuple(name for _, name in stack), text, heading.line))
                continue
            is_parent = following is not None and following.level > heading.level
            has_exercise = any(line in self.excluded for line in range(heading.end, end))
            if not is_parent and not has_exercise:
                self.diagnostics.warn(
                    heading.line, f'section "{heading.text}" is empty; no step for it'
                )
        return steps

    def metadata(
        self, by_section: dict[Section, list[_Span]]
    ) -> tuple[tuple[str, ...], str | None, tuple[str, ...]]:
        """Tags, difficulty and related questions, from the body and the front matter."""
        diagnostics = self.diagnostics
        front = self.front
        body_tag_text = "\n".join(
            self.text(span.start, span.end) for span in by_section.get(Section.TAGS, [])
        )
        body_tags = normalise_tags(split_tag_text(body_tag_text))

        body_difficulty: str | None = body_tags.difficulty
        difficulty_spans = by_section.get(Section.DIFFICULTY, [])
        if difficulty_spans:
            span = difficulty_spans[0]
            raw = self.text(span.start, span.end)
            if not raw:
                diagnostics.warn(span.heading.line, "the Difficulty section is empty")
            else:
                body_difficulty = normalise_difficulty(raw)
                if body_difficulty is None:
                    diagnostics.warn(
                        self.first_text_line(span.start, span.end),
                        f'unknown difficulty "{first_line(raw)}" '
                        "(expected Easy, Medium or Hard); left unset",
                    )
            for extra in difficulty_spans[1:]:
                diagnostics.warn(extra.heading.line, "a second Difficulty section is ignored")

        body_related = tuple(
            item
            for span in by_section.get(Section.RELATED, [])
            for item in split_related(self.text(span.start, span.end))
        )
        body_related = tuple(normalise_related(body_related))

        tags = body_tags.tags
        difficulty = body_difficulty
        related = body_related
        if front is None:
            return tags, difficulty, related

        if front.tags is not None:
            front_tags = normalise_tags(front.tags)
            if body_tags.tags and {t.casefold() for t in body_tags.tags} != {
                t.casefold() for t in front_tags.tags
            }:
                diagnostics.warn(
                    front.line_of("tags"),
                    "front matter tags differ from the Tags section; using the front matter",
                )
            tags = front_tags.tags
            front_difficulty = front_tags.difficulty
        else:
            front_difficulty = None
        if front.difficulty is not None:
            front_difficulty = normalise_difficulty(front.difficulty)
            if front_difficulty is None:
                diagnostics.warn(
                    front.line_of("difficulty"),
                    f'unknown difficulty "{front.difficulty}" (expected Easy, Medium or Hard)',
                )
        if front_difficulty is not None:
            if body_difficulty is not None and body_difficulty != front_difficulty:
                diagnostics.warn(
                    front.line_of("difficulty"),
                    f'front matter difficulty "{front_difficulty}" differs from the body '
                    f'("{body_difficulty}"); using the front matter',
                )
            difficulty = front_difficulty
        if front.related is not None:
            if body_related and {r.casefold() for r in body_related} != {
                r.casefold() for r in front.related
            }:
                diagnostics.warn(
                    front.line_of("related"),
                    "front matter related questions differ from the Related Questions "
                    "section; using the front matter",
                )
            related = front.related
        return tags, difficulty, related


def _check_text(text: str, diagnostics: Diagnostics) -> bool:
    """The whole-file checks that come before parsing: size, NUL bytes, valid Unicode."""
    if len(text) > MAX_FILE_BYTES:
        diagnostics.error(1, f"file is larger than the limit of {MAX_FILE_BYTES:,} bytes")
        return False
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        diagnostics.error(line, "not valid Unicode text (it contains a lone surrogate)")
        return False
    if size > MAX_FILE_BYTES:
        diagnostics.error(1, f"file is larger than the limit of {MAX_FILE_BYTES:,} bytes")
        return False
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        diagnostics.error(line, "not a text file (it contains NUL bytes)")
        return False
    return True


def _parse(text: str, result: ParsedFile, base_id: str, deck: str) -> ParsedFile:
    diagnostics = Diagnostics(result.path)
    if _check_text(text, diagnostics):
        text, result.repaired = repair_mojibake(normalise_newlines(text))
        if not text.strip():
            diagnostics.error(1, "empty file")
        else:
            result.cards = _read(text, diagnostics, base_id, deck, result.path)
    result.warnings = diagnostics.warnings
    result.errors = diagnostics.errors
    if result.errors:
        result.cards = []
    return result


def _read(text: str, diagnostics: Diagnostics, base_id: str, deck: str, source: str) -> list[Card]:
    lines = text.split("\n")
    tokens, env = parse_blocks(text)
    document = _scan(tokens, env, lines, diagnostics)
    if document is None:
        return []
    front: FrontMatter | None = None
    if document.front_matter is not None:
        front = read_front_matter(document.front_matter.content, 1, diagnostics)
        if front is None:
            return []
    elif lines[0].rstrip().startswith("---") and set(lines[0].rstrip()) == {"-"}:
        diagnostics.error(1, 'the front matter opened here is never closed with "---"')
        return []
    reader = _CardReader(lines, document, front, diagnostics, base_id, deck, source)
    return reader.read()


def parse_text(
    text: str, *, path: str = "<string>", default_id: str = "", deck: str = "default"
) -> ParsedFile:
    """Parse the Markdown source of one card file.

    ``path`` names the file in messages and in ``Card.source``; ``default_id`` is the id of
    a card without one in its front matter (in a file with several cards, each gets
    ``<default_id>#<title slug>``); when empty, it is derived from ``path``, or from the
    title for ``"<string>"``. ``deck`` applies unless the front matter names one.
    Never raises for bad input: problems come back in the result.
    """
    base_id = default_id or ("" if path == "<string>" else path_id(path))
    return _parse(text, ParsedFile(path=path), base_id, deck)


def _relative(path: Path, root: Path) -> str:
    """The posix path of ``path`` under ``root``; the bare file name when it is not under
    it, so that an id never contains ``..``."""
    try:  # the common case, a path found under its root, without touching the disk
        parts = path.relative_to(root).parts
        if parts and ".." not in parts:
            return "/".join(parts)
    except ValueError:
        pass
    try:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:  # pragma: no cover - different drives on Windows
        return path.name
    posix = Path(relative).as_posix()
    if posix == ".." or posix.startswith("../") or os.path.isabs(relative):
        return path.name
    return posix


def parse_file(path: Path, root: Path) -> ParsedFile:
    """Read and parse one card file found under the import root ``root``.

    The file is refused before it is read whole when it is over the size limit, and reading
    stops at the limit should it grow meanwhile. Messages, ids and the deck use the path
    relative to ``root``: ``deep-learning/backprop.md`` gives the id
    ``deep-learning/backprop`` in the deck ``deep-learning``.
    """
    data = _read_limited(path)
    if isinstance(data, DecodeError):
        relative = _relative(path, root)
        return ParsedFile(relative, errors=[Problem(relative, data.line, data.message)])
    return parse_bytes(data, path, root)


def parse_bytes(data: bytes, path: Path, root: Path) -> ParsedFile:
    """Parse bytes already read from ``path``, exactly as :func:`parse_file` would.

    For an importer that reads each file once, hashes the bytes and parses the same bytes,
    so that what it stores always matches the hash even if the file changes meanwhile.
    """
    relative = _relative(path, root)
    if len(data) > MAX_FILE_BYTES:
        message = f"file is {len(data):,} bytes, larger than the limit of {MAX_FILE_BYTES:,} bytes"
        return ParsedFile(relative, errors=[Problem(relative, 1, message)])
    decoded = decode(data)
    if isinstance(decoded, DecodeError):
        return ParsedFile(relative, errors=[Problem(relative, decoded.line, decoded.message)])
    root_name = Path(os.path.abspath(root)).name
    return _parse(decoded, ParsedFile(relative), path_id(relative), deck_for(relative, root_name))


def _read_limited(path: Path) -> bytes | DecodeError:
    """The file's bytes, or why it cannot be read: it is not a regular file, it is over
    the size limit (checked before reading, and again while reading in case it grows), or
    the system refuses."""
    limit = f"the limit of {MAX_FILE_BYTES:,} bytes"
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                return DecodeError(1, "not a regular file")
            if info.st_size > MAX_FILE_BYTES:
                return DecodeError(1, f"file is {info.st_size:,} bytes, larger than {limit}")
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return DecodeError(1, f"cannot read the file: {exc.strerror or exc}")
    if len(data) > MAX_FILE_BYTES:
        return DecodeError(1, f"file is larger than {limit}")
    return data
