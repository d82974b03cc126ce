"""quizapp's own layout: Markdown files of ``# Title`` / ``## Question`` / ``## Answer``.

The layout follows the real user's card: ``# Title``, ``## Question``, ``## Answer`` and the
sections after it as derivation steps, then ``## Tags``, ``## Difficulty`` and
``## Related Questions``. ``docs/card-format.md`` describes it with every accepted variant.

Structure comes from markdown-it's token stream (one parse per file), so a ``#`` inside fenced
code or display math never starts a section; each piece of text is then sliced from the
original source lines, so a step keeps its Markdown and LaTeX exactly as written.

The format claims a file that has a ``Question`` or ``Answer`` heading at level 1 or 2
(:meth:`NativeFormat.sniff`); such a file that is not a valid card is an error, while a
Markdown note without either heading is not a card file at all and is skipped.
Identity: a card's id is its front matter ``id`` or its file's path, plus ``#<title slug>``
when the file holds several cards (:func:`quizapp.cards.formats.ids.native_id`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token
from markdown_it.utils import EnvType

from quizapp.cards.card_size import CardSizes
from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.ids import native_id
from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.frontmatter import FrontMatter, read_front_matter
from quizapp.cards.identity import hashed
from quizapp.cards.languages import Role, heading_role, is_language_label, split_marker
from quizapp.cards.limits import (
    MAX_BLOCK_NESTING,
    MAX_CARDS_PER_FILE,
    MAX_FORMULA_CHARS,
    MAX_HEADINGS_PER_FILE,
)
from quizapp.cards.markdown_parser import (
    MATH_TOKEN_TYPES,
    heading_text,
    inline_children,
    parse_blocks,
)
from quizapp.cards.merge import (
    BodyMetadata,
    merge_aliases,
    merge_base_id,
    merge_deck,
    merge_metadata,
    merge_title,
    warn_single_card_keys,
)
from quizapp.cards.metadata import (
    first_line,
    normalise_difficulty,
    normalise_related,
    normalise_tags,
    split_related,
    split_tag_text,
)
from quizapp.cards.model import Card, CardExtra, ExerciseSource, LanguageVersion, Step
from quizapp.cards.sections import Section, section_for, section_of
from quizapp.cards.vault import link_name, split_difficulty_suffix, title_from_name

#: The path of an answer's own text, written before its first sub-heading.
ANSWER_STEP_PATH = ("Answer",)

_EXERCISE_INFO = "exercise"


@dataclass(slots=True)
class _Heading:
    """A top-level heading: its level, plain text and the source lines it spans, and for
    a section heading the section, the language it names ("" when it names none) and
    its role (which "More" section an ``EXTRA`` one is)."""

    level: int
    text: str
    start: int  # 0-based index of the heading's first line
    end: int  # 0-based index of the first line after it
    section: Section | None
    language: str = ""
    role: Role | None = None

    @property
    def line(self) -> int:
        return self.start + 1

    @property
    def is_title(self) -> bool:
        """An H1 that names no section and is no bare language label (``# English``): a
        card's title."""
        return self.level == 1 and self.section is None and not is_language_label(self.text)


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


@dataclass
class _Sides:
    """A card's question and answer as shown, where they are, and its other languages."""

    question: str
    steps: list[Step]
    question_line: int
    answer_line: int
    shown: list[tuple[int, int]]
    language: str = ""
    alternates: tuple[LanguageVersion, ...] = ()


def _shown(question: _Span, answer: _Span) -> list[tuple[int, int]]:
    """The line ranges of the question and answer a card shows, for its size limits."""
    return [(question.start, question.end), (answer.start, answer.end)]


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
                headings.append(_heading(level, text, start, end))
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


def _heading(level: int, text: str, start: int, end: int) -> _Heading:
    """Only H1 and H2 headings can name a section; deeper headings are content."""
    found = heading_role(text) if level <= 2 else None
    if found is None:
        return _Heading(level, text, start, end, None)
    return _Heading(level, text, start, end, section_for(found.role), found.language, found.role)


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
        closed = (
            end - start >= 2
            and closing.startswith(token.markup)
            and (set(closing) == {token.markup[0]})
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
        sizes: CardSizes | None = None,
        front_ignored: bool = False,
    ) -> None:
        self.lines = lines
        #: The title the file's name gives (``title_from_name``), when it has one.
        self.name_title = title_from_name(source) if source and source != "<string>" else ""
        #: Set when broken front matter was reported and is read as body text: the text
        #: before the first card is then that front matter, already warned about.
        self.front_ignored = front_ignored
        self.sizes = sizes
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
            chunk = [line for index, line in enumerate(chunk, start) if index not in self.excluded]
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
        if not self.front_ignored and self.text(self.body_start, first_start):
            self.diagnostics.warn(
                self.first_text_line(self.body_start, first_start),
                "text before the first card is ignored",
            )
        multi = len(starts) > 1
        if multi:
            warn_single_card_keys(self.front, self.diagnostics)
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

        A file whose front matter has a ``title``, or a file with a name (a note in a
        vault), may have no title H1 at all; it is then one card that starts at the body.
        Reports why there is no card when there is none.
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
        named = self.name_title or (self.front is not None and self.front.title is not None)
        if named and has_question and not titles:
            # A vault note: titled by its front matter or its file name, as Obsidian does.
            return [(self.body_start, None)]
        if not self.text(self.body_start, len(self.lines)) and not self.headings:
            self.diagnostics.error(self.body_start + 1, "no card in this file (it is empty)")
        elif titles:
            self.diagnostics.error(
                self.headings[titles[0]].line,
                f'no "## Question" section after "# {self.headings[titles[0]].text}"',
            )
        elif self.front is not None and self.front.title is not None and not has_question:
            where = self.headings[0].line if self.headings else self.body_start + 1
            self.diagnostics.error(
                where,
                f'no "## Question" section (the front matter gives the title "{self.front.title}")',
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

    def spans(self, start: int, stop: int, title: _Heading | None) -> list[_Span]:
        """The card's sections in order. The answer runs on over unnamed H1/H2 headings
        (they are its steps) up to the next named section."""
        inside = [
            h for h in self.headings if start <= h.start < stop and h is not title and h.level <= 2
        ]
        spans: list[_Span] = []
        in_answer = False
        for heading in inside:
            if in_answer and heading.section is None:
                continue
            if spans:
                spans[-1].end = heading.start
            spans.append(_Span(heading.section, heading))
            in_answer = heading.section is Section.ANSWER
        if spans:
            spans[-1].end = stop
        return spans

    def read_card(self, start: int, stop: int, title: _Heading | None, multi: bool) -> Card | None:
        """One card from the lines ``[start, stop)``; None after reporting its errors."""
        diagnostics = self.diagnostics
        card_line = title.line if title is not None else self.first_text_line(start, stop)
        spans = self.spans(start, stop, title)
        content_start = title.end if title is not None else start
        first_section = spans[0].heading.start if spans else stop
        if self.text(content_start, first_section) and not (title is None and self.front_ignored):
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
        if not answer_spans:
            diagnostics.error(card_line, 'no "## Answer" section')
            return None
        sides = self.sides(question_spans, answer_spans)
        if sides is None:
            return None
        question, steps = sides.question, sides.steps
        if not question:
            diagnostics.error(sides.question_line, "the Question section is empty")
        if not steps:
            diagnostics.error(sides.answer_line, "the Answer section is empty")
        if not question or not steps:
            return None
        if self.sizes is not None:
            chars = len(question) + sum(len(step.text) for step in steps)
            too_big = self.sizes.problem(sides.shown, chars, len(steps))
            if too_big is not None:
                diagnostics.error(card_line, too_big)
                return None

        heading_title = title.text if title is not None else ""
        front = self.front
        fallback_title = heading_title or ("" if multi else self.name_title)
        card_title = merge_title(fallback_title, front, multi, diagnostics)
        if not card_title:
            diagnostics.error(card_line, "the card's title heading is empty")
            return None
        merged = merge_metadata(self.body_metadata(by_section), front, diagnostics)
        difficulty = merged.difficulty
        if difficulty is None and not multi:
            difficulty = split_difficulty_suffix(link_name(self.source))[1]
        base = merge_base_id(front, self.base_id)
        exercises = tuple(
            ExerciseSource(exercise.yaml, exercise.start + 2)
            for exercise in self.exercises
            if start <= exercise.start < stop
        )
        card = Card(
            id=native_id(base, heading_title, card_title, multi),
            title=card_title,
            question=question,
            steps=tuple(steps),
            tags=merged.tags,
            difficulty=difficulty,
            related=merged.related,
            deck=merge_deck(front, self.deck),
            aliases=merge_aliases(front, multi),
            exercises=exercises,
            source=self.source,
            line=card_line,
            format=NativeFormat.name,
            language=sides.language,
            alternates=sides.alternates,
            extras=self.extras(by_section.get(Section.EXTRA, [])),
            link_name=link_name(self.source) if self.name_title else "",
        )
        return hashed(card)

    def sides(self, questions: list[_Span], answers: list[_Span]) -> _Sides | None:
        """The card's question and answer in the language it is shown in, and its other
        languages as alternates; None after reporting a second section in one language.

        A card in one language (headings that name at most one) has one Question and one
        Answer section. A bilingual note has one of each per language, in any order: the
        card is shown in English when it has English, else in the first language it
        uses, and keeps the others as :class:`LanguageVersion` alternates, never steps.
        A section whose heading names no language (``## Question``) belongs to the
        shown language, or to the first language that lacks that side.
        """
        languages: list[str] = []
        for span in sorted((*questions, *answers), key=lambda span: span.heading.start):
            if span.heading.language and span.heading.language not in languages:
                languages.append(span.heading.language)
        primary = "en" if "en" in languages else (languages[0] if languages else "")
        by_question = self.by_language(questions, languages, primary)
        by_answer = self.by_language(answers, languages, primary)
        if by_question is None or by_answer is None:
            return None
        if len(languages) <= 1:
            question_span, answer_span = questions[0], answers[0]
            return _Sides(
                question=self.text(question_span.start, question_span.end),
                steps=self.steps(answer_span),
                question_line=question_span.heading.line,
                answer_line=answer_span.heading.line,
                shown=_shown(question_span, answer_span),
            )
        texts = {
            language: self.text(span.start, span.end) for language, span in by_question.items()
        }
        steps = {
            language: self.steps(span, (split_marker(span.heading.text)[0].strip(),))
            for language, span in by_answer.items()
        }
        question_span = by_question.get(primary) or questions[0]
        answer_span = by_answer.get(primary) or answers[0]
        alternates = tuple(
            LanguageVersion(language, texts.get(language, ""), tuple(steps.get(language, [])))
            for language in languages
            if language != primary
        )
        return _Sides(
            question=texts.get(primary) or next((t for t in texts.values() if t), ""),
            steps=steps.get(primary) or next((s for s in steps.values() if s), []),
            question_line=question_span.heading.line,
            answer_line=answer_span.heading.line,
            shown=_shown(question_span, answer_span),
            language=primary,
            alternates=alternates,
        )

    def by_language(
        self, spans: list[_Span], languages: list[str], primary: str
    ) -> dict[str, _Span] | None:
        """``spans`` (all Question or all Answer sections) by language; a second section
        in one language is an error, reported at its heading."""
        found: dict[str, _Span] = {}
        failed = False
        for span in spans:
            language = span.heading.language
            if len(languages) <= 1:
                language = ""
            elif not language:
                language = (
                    primary
                    if primary not in found
                    else next((code for code in languages if code not in found), primary)
                )
            if language in found:
                self.diagnostics.error(
                    span.heading.line,
                    f'a second "{span.heading.text}" section in one card; '
                    'start each card with its own "# Title"',
                )
                failed = True
                continue
            found[language] = span
        return None if failed else found

    def extras(self, spans: list[_Span]) -> tuple[CardExtra, ...]:
        """The "More" sections (Follow-ups, References, See also...), in file order; an
        empty one is left out."""
        extras: list[CardExtra] = []
        for span in spans:
            text = self.text(span.start, span.end)
            if text and span.heading.role is not None:
                extras.append(
                    CardExtra(
                        kind=span.heading.role.value,
                        heading=split_marker(span.heading.text)[0].strip() or span.heading.text,
                        text=text,
                        language=span.heading.language,
                        line=span.heading.line,
                    )
                )
        return tuple(extras)

    def steps(self, answer: _Span, intro_path: tuple[str, ...] = ANSWER_STEP_PATH) -> list[Step]:
        """Split the answer into derivation steps at every H1, H2 or H3 heading.

        A step's path is its chain of headings (H2 › H3). The answer's own text before its
        first sub-heading is a step with the path ``intro_path`` (``("Answer",)``, or the
        heading's own words in a bilingual note: ``("Ответ",)``); a heading with no text of
        its own before its first sub-heading gives no step, only its children's paths.
        """
        first, last = answer.start, answer.end
        boundaries = [h for h in self.headings if first <= h.start < last and h.level <= 3]
        steps: list[Step] = []
        intro_end = boundaries[0].start if boundaries else answer.end
        intro = self.text(answer.start, intro_end)
        if intro:
            steps.append(Step(intro_path, intro, self.first_text_line(answer.start, intro_end)))
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

    def body_metadata(self, by_section: dict[Section, list[_Span]]) -> BodyMetadata:
        """Tags, difficulty and related questions from the card's own sections (the front
        matter is merged in by :func:`~quizapp.cards.merge.merge_metadata`)."""
        diagnostics = self.diagnostics
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
        return BodyMetadata(body_tags.tags, body_difficulty, body_related)


def _read(text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
    lines = text.split("\n")
    tokens, env = parse_blocks(text)
    document = _scan(tokens, env, lines, diagnostics)
    if document is None:
        return []
    front: FrontMatter | None = None
    front_ignored = False
    if document.front_matter is not None:
        front, front_ignored = _front_matter(document.front_matter.content, diagnostics)
        if front is None and not front_ignored:
            return []
    elif lines[0].rstrip().startswith("---") and set(lines[0].rstrip()) == {"-"}:
        diagnostics.warn(1, 'the front matter opened here is never closed with "---"; read as text')
        front_ignored = True
    reader = _CardReader(
        lines,
        document,
        front,
        diagnostics,
        context.base_id,
        context.deck,
        context.path,
        CardSizes(tokens, env),
        front_ignored,
    )
    return reader.read()


#: How ``read_front_matter`` begins a message about YAML that does not parse.
_BROKEN_YAML = "broken YAML front matter"


def _is_syntax_error(message: str) -> bool:
    """A message about YAML that does not parse, not about YAML that is refused (a
    ``!!python`` tag, nesting beyond the limit): hostile front matter stays an error."""
    return message.startswith(_BROKEN_YAML) and not any(
        word in message for word in ("is not allowed", "nesting depth", "nested too deeply")
    )


def _front_matter(source: str, diagnostics: Diagnostics) -> tuple[FrontMatter | None, bool]:
    """The file's front matter, and whether it was set aside as broken.

    YAML that does not parse is not the note's fault in the way a wrong field is: the
    body is still a card (Obsidian shows it), so it is read without the front matter,
    with one warning naming the line. A field of the wrong type stays an error.
    """
    found = Diagnostics(diagnostics.file)
    front = read_front_matter(source, 1, found)
    broken = [problem for problem in found.errors if _is_syntax_error(problem.message)]
    if front is None and broken and len(broken) == len(found.errors):
        diagnostics.warn(broken[0].line, f"{broken[0].message}; the note is read without it")
        for problem in found.warnings:
            diagnostics.warn(problem.line, problem.message)
        return None, True
    for problem in found.errors:
        diagnostics.error(problem.line, problem.message)
    for problem in found.warnings:
        diagnostics.warn(problem.line, problem.message)
    return front, False


#: An ATX heading of level 1 or 2: its text, without a closing run of ``#``.
_ATX_HEADING = re.compile(r"^ {0,3}#{1,2}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
#: A setext heading: a line of text underlined with ``=`` (level 1) or ``-`` (level 2).
_SETEXT_HEADING = re.compile(r"^ {0,3}(\S[^\n]*?)[ \t]*\n {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)
_CARD_SECTIONS = (Section.QUESTION, Section.ANSWER)


def _names_a_card_section(heading: str) -> bool:
    return section_of(heading.strip("*_` \t")) in _CARD_SECTIONS


class NativeFormat:
    """quizapp's Markdown layout, read exactly as it always was."""

    name = "native"
    suffixes = (".md",)

    def sniff(self, text: str, context: FileContext) -> bool:
        """A file is a native card file when some H1 or H2 heading names a Question or
        Answer section (``## Question``, ``# Answer (EN)``, ``## **Question**:``).

        A line scan, not a parse: a heading inside fenced code also counts, which only
        means that such a file is read and its real faults reported."""
        for pattern in (_ATX_HEADING, _SETEXT_HEADING):
            for match in pattern.finditer(text):
                if _names_a_card_section(match.group(1)):
                    return True
        return False

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        """Every card of the file, or none with the errors reported."""
        if not text.strip():
            diagnostics.error(1, "empty file")
            return []
        return _read(text, context, diagnostics)
