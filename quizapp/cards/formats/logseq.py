"""Logseq graphs: outline blocks tagged ``#card``, with their children as the answer.

Logseq keeps each page as a Markdown outline: every block is a ``- `` bullet, nested by
indentation (a tab per level by default), and a block's properties follow its first line
as ``key:: value`` lines. Its built-in flashcards are blocks that reference the page
``card``: ``#card``, ``#[[card]]``, ``[[card]]`` or ``tags:: card``. Reviewing one shows
the block without its children, then the children (the answer), then fills in the block's
``{{cloze …}}`` deletions, all of them at once. After each review Logseq writes its SM-5
schedule into the block as properties (``card-last-interval:: 4.1``, ``card-repeats:: 2``,
``card-ease-factor:: 2.6``, ``card-next-schedule:: 2026-11-20T10:00:00.000Z`` …).

quizapp reads that as follows (``docs/formats.md`` says it for users):

- A card block's own text, without its properties and its ``#card`` tag, is the question;
  its children, as a Markdown list (a single child as its text), are the answer. A card
  with no children and no deletion has no written answer: it is a question-only card.
- A block with ``{{cloze …}}`` is one cloze card that hides all its deletions together, as
  Logseq does (they form one deletion group); its children are shown after the reveal.
- The block's other tags (``#attention``, ``#[[deep learning]]``) and the page's
  ``tags::`` become the card's tags; a tag run that ends a line is taken out of the text.
- The deck is the page's name (its ``title::``, else its file name, where ``___`` stands
  for the ``/`` of a namespace: ``ML___Transformers.md`` is deck ``ML/Transformers``); a
  journal's cards (files in a ``journals`` folder) go to the folder's deck. A page
  property ``deck::``, or YAML front matter, names another.
- Logseq's schedule becomes the card's starting memory state in the first import, as the
  Obsidian plugin's does (:class:`~quizapp.cards.model.ImportedSchedule`: due date,
  interval and ease). A card whose last answer was forgotten (interval ``-1``) or never
  reviewed starts new.
- Block references ``((uuid))`` to a block of the same page show that block's text; others
  show ``(block reference)``. Task markers (``TODO``, ``DONE`` …), ``:LOGBOOK:`` drawers
  and a heading's ``#`` marks are dropped. Template blocks (``template::``) are not cards.

Identity is the inline formats' (``formats/ids.py``): the question, with a positional
fallback. A block's ``id::`` is not used, since Logseq adds one only once the block is
referenced, which must not start the card over.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field, replace
from datetime import date

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.inline import Malformed, Note, deletion, make_cards, read_opening
from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.frontmatter import FrontMatter
from quizapp.cards.identity import hashed
from quizapp.cards.merge import merge_base_id
from quizapp.cards.metadata import normalise_difficulty, normalise_tags
from quizapp.cards.model import Card, CardKind, ImportedSchedule

#: The page whose references make a block a card.
CARD_PAGE = "card"

#: A bullet: its indentation and its text (``-`` alone is an empty block).
_BULLET = re.compile(r"^(?P<indent>[\t ]*)-(?: (?P<text>.*)|$)")
#: A property line: ``key:: value`` (keys are words with ``-`` and ``_``).
_PROPERTY = re.compile(r"^(?P<key>[A-Za-z0-9_][\w\-/.]*):: ?(?P<value>.*)$")
#: A tag: ``#word`` or ``#[[several words]]``, not inside a word (``C#``, ``a#b``) nor a
#: heading's ``##``.
_TAG = re.compile(
    r"(?<![\w#&/])#(?:\[\[(?P<long>[^\[\]\n]+)\]\]|(?P<short>[^\s#,!?;:\"'()\[\]{}]+))"
)
#: A run of tags (and ``[[card]]``) that ends a line: taken out of the text.
_TRAILING_TAGS = re.compile(
    r"(?:(?:^|[ \t]+)(?:#\[\[[^\[\]\n]+\]\]|#[^\s#,!?;:\"'()\[\]{}]+|\[\[card\]\]))+[ \t]*$",
    re.IGNORECASE,
)
#: ``[[card]]`` written as a page reference.
_CARD_REF = re.compile(r"\[\[card\]\]", re.IGNORECASE)
#: Code spans and dollar math, where a ``#`` is no tag.
_CODE_OR_MATH = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)|\$\$.+?\$\$|\$[^$\n]+?\$")
#: A Logseq cloze: ``{{cloze text}}`` (also ``{{cloze: text}}``).
_CLOZE = re.compile(r"\{\{cloze:?[ \t]*(?P<text>.*?)\}\}", re.DOTALL)
_CLOZE_OPEN = re.compile(r"\{\{cloze\b")
#: A block reference and an embed of one.
_BLOCK_REF = re.compile(
    r"\{\{embed \(\((?P<embedded>[0-9a-f-]{36})\)\)\}\}|\(\((?P<ref>[0-9a-f-]{36})\)\)"
)
_TASK = re.compile(r"^(?:TODO|DOING|DONE|LATER|NOW|WAITING|WAIT|CANCELED|CANCELLED|IN-PROGRESS) ")
_HEADING = re.compile(r"^#{1,6} ")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
#: Whether a file may hold a card at all: a bullet whose text references the card page, or
#: a ``tags::`` property that lists it.
_SNIFF = re.compile(
    r"^[\t ]*(?:- .*?(?<![\w#&/])(?:#card(?![^\s#,!?;:\"'()\[\]{}])|#?\[\[card\]\])"
    r"|[\t ]+tags:: (?:.*[\s,#\[])?card(?:\]\])?(?:[\s,]|$))",
    re.IGNORECASE | re.MULTILINE,
)

#: Logseq's schedule properties.
_INTERVAL, _REPEATS, _EASE, _NEXT = (
    "card-last-interval",
    "card-repeats",
    "card-ease-factor",
    "card-next-schedule",
)


@dataclass
class _Block:
    """One outline block: where it starts, its text lines (indentation removed, the
    first line's bullet too), its properties and its children."""

    line: int
    width: int
    lines: list[str]
    properties: dict[str, str] = field(default_factory=dict)
    property_lines: dict[str, int] = field(default_factory=dict)
    children: list[_Block] = field(default_factory=list)


def _width(indent: str) -> int:
    """An indentation's width: a tab counts as a level of its own."""
    return indent.count("\t") * 8 + indent.count(" ")


def _dedent(line: str, width: int) -> str:
    """``line`` without up to ``width`` columns of leading whitespace."""
    taken = 0
    index = 0
    while index < len(line) and taken < width and line[index] in " \t":
        taken += 8 if line[index] == "\t" else 1
        index += 1
    return line[index:]


def _outline(lines: list[str], start: int) -> tuple[dict[str, str], list[_Block]]:
    """The page properties (``key:: value`` lines before the first bullet) and the top
    blocks of the outline, each with its children."""
    page: dict[str, str] = {}
    roots: list[_Block] = []
    stack: list[_Block] = []
    fence = ""
    for index in range(start, len(lines)):
        raw = lines[index].rstrip("\r")
        if fence:
            stack[-1].lines.append(_dedent(raw, stack[-1].width + 2))
            if raw.strip().startswith(fence):
                fence = ""
            continue
        bullet = _BULLET.match(raw)
        if bullet is not None:
            width = _width(bullet.group("indent"))
            block = _Block(index + 1, width, [bullet.group("text") or ""])
            while stack and stack[-1].width >= width:
                stack.pop()
            (stack[-1].children if stack else roots).append(block)
            stack.append(block)
        elif stack and (
            not raw.strip() or _width(raw[: len(raw) - len(raw.lstrip())]) > stack[-1].width
        ):
            stack[-1].lines.append(_dedent(raw, stack[-1].width + 2))
        elif not roots:
            found = _PROPERTY.match(raw.strip())
            if found is not None:
                page.setdefault(found.group("key").lower(), found.group("value").strip())
            continue
        else:
            stack.clear()  # prose outside the outline ends every block
            continue
        opened = _FENCE.match(stack[-1].lines[-1])
        if opened is not None:
            fence = opened.group(1)
    for block in _walk(roots):
        _take_properties(block)
    return page, roots


def _walk(blocks: list[_Block]) -> list[_Block]:
    """Every block, parents before their children, in file order."""
    found: list[_Block] = []
    pending = list(reversed(blocks))
    while pending:
        block = pending.pop()
        found.append(block)
        pending.extend(reversed(block.children))
    return found


def _take_properties(block: _Block) -> None:
    """Move a block's property lines (those after its first line, or every line of a
    block that holds only properties) and its ``:LOGBOOK:`` drawer out of its text."""
    kept: list[str] = []
    drawer = False
    only_properties = _all_properties(block)
    for offset, text in enumerate(block.lines):
        stripped = text.strip()
        if drawer:
            drawer = stripped != ":END:"
            continue
        if stripped in (":LOGBOOK:", ":PROPERTIES:"):
            drawer = True
            continue
        found = _PROPERTY.match(stripped)
        if found is not None and (offset > 0 or only_properties):
            key = found.group("key").lower()
            block.properties.setdefault(key, found.group("value").strip())
            block.property_lines.setdefault(key, block.line + offset)
            continue
        kept.append(text)
    while kept and not kept[-1].strip():
        kept.pop()
    block.lines = kept


def _all_properties(block: _Block) -> bool:
    return all(_PROPERTY.match(line.strip()) for line in block.lines if line.strip())


def _masked(text: str) -> str:
    """``text`` with code spans and math blanked, where a ``#`` is no tag."""
    return _CODE_OR_MATH.sub(lambda match: " " * len(match.group()), text)


def _tag_names(text: str) -> list[str]:
    """The tags written in ``text``: ``#word`` and ``#[[several words]]``."""
    names: list[str] = []
    for match in _TAG.finditer(_masked(text)):
        name = match.group("long") or match.group("short").rstrip(".")
        if name:
            names.append(name)
    return names


def _listed(value: str) -> list[str]:
    """A property's list of pages: ``card, [[deep learning]], #ml``."""
    names: list[str] = []
    for item in re.findall(r"\[\[([^\[\]]+)\]\]|([^,\[\]]+)", value):
        name = (item[0] or item[1]).strip().lstrip("#").strip()
        if name:
            names.append(name)
    return names


def _is_card(block: _Block) -> bool:
    text = "\n".join(block.lines)
    if any(name.casefold() == CARD_PAGE for name in _tag_names(text)):
        return True
    if _CARD_REF.search(_masked(text)):
        return True
    return any(name.casefold() == CARD_PAGE for name in _listed(block.properties.get("tags", "")))


def _without_tags(line: str) -> str:
    """A line with the tag run that ends it taken out, and other ``#card`` marks too."""
    line = _TRAILING_TAGS.sub("", line)
    line = re.sub(r"(?<![\w#&/])#(?:\[\[card\]\]|card\b)[ \t]?", "", line, flags=re.IGNORECASE)
    return _CARD_REF.sub("", line).rstrip()


def _question_lines(block: _Block) -> list[str]:
    lines = [_without_tags(line) for line in block.lines]
    if lines:
        first = _HEADING.sub("", _TASK.sub("", lines[0].lstrip()))
        lines[0] = first
    return lines


def _text(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n").strip()


def _resolved(text: str, refs: dict[str, str]) -> str:
    """Block references replaced by the referenced block's text, when it is on this page."""
    if "((" not in text:
        return text

    def ref(match: re.Match[str]) -> str:
        found = refs.get(match.group("embedded") or match.group("ref") or "")
        return found if found is not None else "(block reference)"

    return _BLOCK_REF.sub(ref, text)


def _item(block: _Block, depth: int) -> list[str]:
    """A child block and its own children as a Markdown list item."""
    lines = _question_lines(block)
    pad = "  " * depth
    if not any(line.strip() for line in lines):
        lines = [""]
    out = [f"{pad}- {lines[0]}".rstrip()]
    out.extend(f"{pad}  {line}".rstrip() for line in lines[1:])
    for child in block.children:
        out.extend(_item(child, depth + 1))
    return out


def _answer(block: _Block) -> str:
    """A card's children as its answer: one child as its text, several as a list."""
    children = [child for child in block.children if "template" not in child.properties]
    if len(children) == 1 and not children[0].children:
        return _text(_question_lines(children[0]))
    lines: list[str] = []
    for child in children:
        lines.extend(_item(child, 0))
    return "\n".join(lines).strip("\n")


def _cloze_markup(question: str, line: int) -> str:
    """A question's ``{{cloze …}}`` deletions in quizapp's markup, all in group 1: Logseq
    hides and reveals them together. ``line`` is the question's first file line."""
    masked = _masked(question)
    pieces: list[str] = []
    last = 0
    for match in _CLOZE.finditer(masked):
        inner = question[match.start("text") : match.end("text")]
        written = question[match.start() : match.end()]
        at = line + question.count("\n", 0, match.start())
        pieces.extend((question[last : match.start()], deletion(1, inner.strip(), "", written, at)))
        last = match.end()
    unclosed = _CLOZE_OPEN.search(masked, last)
    if unclosed is not None:
        raise Malformed(
            line + question.count("\n", 0, unclosed.start()),
            'the deletion "{{cloze" is never closed with "}}"',
        )
    pieces.append(question[last:])
    return "".join(pieces)


def _number(properties: dict[str, str], key: str) -> float | None:
    try:
        return float(properties[key])
    except (KeyError, ValueError):
        return None


def _schedule(block: _Block, diagnostics: Diagnostics) -> ImportedSchedule | None:
    """Logseq's schedule of a card block as progress to start from, or None for a card that
    Logseq has not scheduled (or last marked forgotten). A value that cannot be read is a
    warning, and the card starts new."""
    properties = block.properties
    if _NEXT not in properties and _REPEATS not in properties:
        return None
    for key in (_INTERVAL, _REPEATS, _EASE):
        if key in properties and _number(properties, key) is None:
            diagnostics.warn(
                block.property_lines[key],
                f'{key} "{properties[key]}" is not a number: the card starts new',
            )
            return None
    repeats = _number(properties, _REPEATS) or 0.0
    interval = _number(properties, _INTERVAL)
    if repeats < 1 or interval is None or interval <= 0:
        return None
    raw_due = properties.get(_NEXT, "")
    try:
        due = date.fromisoformat(raw_due[:10])
    except ValueError:
        diagnostics.warn(
            block.property_lines.get(_NEXT, block.line),
            f'{_NEXT} "{raw_due}" is not a date (2026-11-20T10:00:00.000Z): the card starts new',
        )
        return None
    ease = _number(properties, _EASE) or 2.5
    return ImportedSchedule(due, max(1, round(interval)), round(ease * 100))


def page_name(path: str) -> str:
    """The page a file holds, from its name: ``ML___Transformers.md`` is
    ``ML/Transformers`` (Logseq's namespaces), with ``%2F``-style escapes decoded."""
    name = path.rsplit("/", 1)[-1]
    if name.casefold().endswith(".md"):
        name = name[:-3]
    return urllib.parse.unquote(name.replace("___", "/")).strip()


def _in_journals(path: str) -> bool:
    parts = path.split("/")
    return len(parts) > 1 and parts[-2].casefold() == "journals"


@dataclass(frozen=True, slots=True)
class _Page:
    """What the page says for all its cards."""

    deck: str
    tags: tuple[str, ...]
    difficulty: str | None


class LogseqFormat:
    """Logseq pages and journals (see the module docstring)."""

    name = "logseq"
    suffixes = (".md",)

    def sniff(self, text: str, context: FileContext) -> bool:
        """An outline with a block that references the ``card`` page, outside templates
        (a page of card templates only, as graphs keep, is no card file)."""
        if "card" not in text and "Card" not in text and "CARD" not in text:
            return False
        if _SNIFF.search(text) is None:
            return False
        if "template::" not in text:
            return True
        roots = _outline(text.split("\n"), 0)[1]
        templates = _template_blocks(roots)
        return any(id(block) not in templates and _is_card(block) for block in _walk(roots))

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        """Every card of the page, or none with the errors reported."""
        return self.read_scheduled(text, context, diagnostics)[0]

    def read_scheduled(
        self, text: str, context: FileContext, diagnostics: Diagnostics
    ) -> tuple[list[Card], dict[str, ImportedSchedule]]:
        """Every card of the page and Logseq's schedule of each, by card id."""
        lines = text.split("\n")
        opening = read_opening(lines, diagnostics)
        if opening is None:
            return [], {}
        front, start = opening.front, opening.body_start
        page_properties, roots = _outline(lines, start)
        page = self._page(page_properties, front, context, diagnostics)
        blocks = _walk(roots)
        refs = {
            b.properties["id"]: _text(_question_lines(b)) for b in blocks if "id" in b.properties
        }
        notes: list[Note] = []
        templates = _template_blocks(roots)
        try:
            for found in blocks:
                if id(found) in templates or not _is_card(found):
                    continue
                notes.append(self._note(found, page, refs, diagnostics))
        except Malformed as exc:
            diagnostics.error(exc.line, exc.message)
            return [], {}
        if not notes:
            diagnostics.error(
                start + 1,
                "no card in this page: a card is a block tagged #card (outline bullets, "
                "the answer in its child blocks)",
            )
            return [], {}
        cards, schedules = make_cards(
            notes, context, merge_base_id(front, context.base_id), self.name, diagnostics
        )
        return [_question_only(card) for card in cards], schedules

    @staticmethod
    def _page(
        properties: dict[str, str],
        front: FrontMatter | None,
        context: FileContext,
        diagnostics: Diagnostics,
    ) -> _Page:
        if front is not None and front.deck:
            deck = front.deck
        elif properties.get("deck"):
            deck = properties["deck"]
        elif _in_journals(context.path) or not context.base_id:
            deck = context.deck
        else:
            deck = properties.get("title") or page_name(context.path) or context.deck
        tags = [*_listed(properties.get("tags", "")), *(front.tags or () if front else ())]
        difficulty = None
        raw = (front.difficulty if front is not None else None) or properties.get("difficulty")
        if raw:
            difficulty = normalise_difficulty(raw)
            if difficulty is None:
                diagnostics.warn(
                    1, f'unknown difficulty "{raw}" (expected Easy, Medium or Hard); left unset'
                )
        return _Page(deck.strip("/ ") or context.deck, tuple(tags), difficulty)

    @staticmethod
    def _note(block: _Block, page: _Page, refs: dict[str, str], diagnostics: Diagnostics) -> Note:
        names = (
            *page.tags,
            *_tag_names("\n".join(block.lines)),
            *_listed(block.properties.get("tags", "")),
        )
        tags = normalise_tags([name for name in names if name.casefold() != CARD_PAGE])
        difficulty = tags.difficulty or page.difficulty
        if block.properties.get("difficulty"):
            difficulty = normalise_difficulty(block.properties["difficulty"])
            if difficulty is None:
                diagnostics.warn(
                    block.property_lines["difficulty"],
                    f'unknown difficulty "{block.properties["difficulty"]}" '
                    "(expected Easy, Medium or Hard); left unset",
                )
        question = _resolved(_text(_question_lines(block)), refs)
        answer = _resolved(_answer(block), refs)
        if not question:
            raise Malformed(block.line, "this #card block has no question: write it before the tag")
        kind = CardKind.BASIC
        if _CLOZE_OPEN.search(_masked(question)):
            question = _cloze_markup(question, block.line)
            kind = CardKind.CLOZE
        schedule = _schedule(block, diagnostics)
        return Note(
            kind,
            question,
            answer,
            block.line,
            block.children[0].line if block.children else block.line,
            page.deck,
            tags.tags,
            difficulty,
            (schedule,) if schedule is not None else (),
        )


def _template_blocks(roots: list[_Block]) -> set[int]:
    """The blocks inside a template (a block with ``template::``), by ``id()``: a
    template's card is a pattern to copy, not a card."""
    inside: set[int] = set()
    for block in _walk(roots):
        if "template" in block.properties:
            inside.update(id(each) for each in _walk([block]))
    return inside


def _question_only(card: Card) -> Card:
    """A basic card with no written answer, asked as a question-only card."""
    if card.kind is CardKind.BASIC and not any(step.text for step in card.steps):
        return hashed(replace(card, kind=CardKind.QUESTION_ONLY, steps=()))
    return card
