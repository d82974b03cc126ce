"""Front-matter card lists: the cards of a Markdown file written in its YAML front matter.

::

    ---
    tags: [linear-algebra]
    cards:
      - front: What is the rank of a matrix?
        back: The dimension of its column space.
        difficulty: 2
      - question: Is $A^\\top A$ always positive semi-definite?
        answer: Yes: $x^\\top A^\\top A x = \\lVert Ax \\rVert^2 \\ge 0$.
        tags: [psd]
    ---

Each item of ``cards:`` is one note: ``front`` and ``back`` (or ``question`` and
``answer``), optional ``tags`` (a list, or a string split at commas or spaces) and
``difficulty`` (or ``level``: ``easy``/``medium``/``hard``, or 1–5: 1–2 easy, 3 medium,
4–5 hard). An
optional ``type`` says how it is asked: ``basic`` (the default), ``reversed`` (also
``reverse``, ``bidirectional``, ``basic-reversed``: a card each way, siblings) or ``cloze``
(``front``, or ``text``, holds ``{{c1::…}}`` deletions, ``back`` is extra text shown after
the reveal). Another ``type`` is read as front/back, with a warning.

The front matter's own ``tags`` are added to every card's, its ``difficulty`` is the
difficulty of the cards that set none, its ``deck`` and ``id`` apply as in every format;
``title`` and ``aliases`` name one card and are ignored here, with a warning. The Markdown
body under the front matter is the file's own text, not part of any card. An item with no
``back`` is a question-only card where the file opts in (``quizapp-question-only: true``,
or ``--question-only``) or none of its items has one; otherwise it is left out, with a
warning. Ids follow the inline identity policy: the file's id plus the front's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from quizapp.cards import cloze
from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.inline import Note, front_block, make_cards
from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.formats.questions import (
    QUESTION_ONLY_KEY,
    difficulty_word,
    file_difficulty,
    lists_cards_in_front_matter,
    question_only_refused,
    question_only_wanted,
    unanswered_as_question_only,
)
from quizapp.cards.frontmatter import read_front_matter, yaml_loader
from quizapp.cards.merge import merge_base_id, merge_deck, warn_single_card_keys
from quizapp.cards.metadata import normalise_tags, split_tag_string
from quizapp.cards.model import Card, CardKind

#: The front matter key that holds the cards.
CARDS_KEY = "cards"
_CARDS_LINE = re.compile(rf"^{CARDS_KEY}[ \t]*:", re.MULTILINE)
_FRONT_KEYS = ("front", "question", "text")
_BACK_KEYS = ("back", "answer", "extra")
_LEVEL_KEYS = ("difficulty", "level")
_KINDS = {
    "basic": CardKind.BASIC,
    "reversed": CardKind.REVERSED,
    "reverse": CardKind.REVERSED,
    "bidirectional": CardKind.REVERSED,
    "basic-reversed": CardKind.REVERSED,
    "cloze": CardKind.CLOZE,
}


@dataclass(frozen=True, slots=True)
class _Item:
    """One item of ``cards:`` as read: its text, where it is, what it says of itself."""

    kind: CardKind
    front: str
    back: str
    line: int
    back_line: int
    tags: tuple[str, ...]
    difficulty: str | None


def _mapping_value(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    """The value node of ``key`` in a mapping node, or None."""
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found: yaml.Node = value_node
            return found
    return None


def _text(value: object) -> str | None:
    """A YAML scalar as card text (numbers and booleans as written); None for a
    structure."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str | int | float):
        return str(value).strip()
    return None


def _tags(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(split_tag_string(value))
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return tuple(str(item) for item in value)
    return None


class _Reader:
    """Reads the ``cards:`` list of one front matter block."""

    def __init__(self, diagnostics: Diagnostics, first_line: int) -> None:
        self.diagnostics = diagnostics
        self.first_line = first_line  # file line of the block's first YAML line

    def line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def items(self, source: str, key_line: int) -> list[_Item] | None:
        """Every item, or None after reporting the first malformed one."""
        loader = yaml_loader(source)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError):
            return None  # read_front_matter has reported it
        finally:
            loader.dispose()
        if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
            return None
        node = _mapping_value(root, CARDS_KEY)
        values = data.get(CARDS_KEY)
        if node is None or not isinstance(node, yaml.SequenceNode) or not isinstance(values, list):
            self.diagnostics.error(
                key_line,
                f'front matter "{CARDS_KEY}" must be a list of cards, each with "front" and "back"',
            )
            return None
        if not values:
            self.diagnostics.error(key_line, f'front matter "{CARDS_KEY}" holds no cards')
            return None
        items: list[_Item] = []
        for number, (item_node, value) in enumerate(zip(node.value, values, strict=True), 1):
            item = self.item(number, item_node, value)
            if item is None:
                return None
            items.append(item)
        return items

    def item(self, number: int, node: yaml.Node, value: object) -> _Item | None:
        line = self.line(node)
        error = self.diagnostics.error
        if not isinstance(node, yaml.MappingNode) or not isinstance(value, dict):
            error(line, f'card {number} must be a mapping with "front" and "back"')
            return None
        kind = CardKind.BASIC
        written = value.get("type")
        if written is not None:
            name = _text(written)
            shown = name if name is not None else written
            kind = _KINDS.get((name or "").casefold(), CardKind.BASIC)
            if name is None or name.casefold() not in _KINDS:
                self.diagnostics.warn(
                    line,
                    f'card {number}: unknown type "{shown}" (known: basic, '
                    "reversed, cloze); read as front and back",
                )
        front_key = next((key for key in _FRONT_KEYS if value.get(key) is not None), None)
        if front_key is None:
            error(line, f'card {number} has no "front" (or "question"): write what it asks')
            return None
        front = _text(value[front_key])
        if not front:
            error(
                self.key_line(node, front_key, line),
                f'card {number}: "{front_key}" must be text, and not empty',
            )
            return None
        back_key = next((key for key in _BACK_KEYS if value.get(key) is not None), None)
        back = _text(value[back_key]) if back_key is not None else ""
        back_line = self.key_line(node, back_key, line) if back_key is not None else line
        if back is None:
            error(back_line, f'card {number}: "{back_key}" must be text')
            return None
        tags = _tags(value.get("tags"))
        if tags is None:
            error(
                self.key_line(node, "tags", line),
                f'card {number}: "tags" must be a list of tags or a single string',
            )
            return None
        difficulty = None
        level_key = next((key for key in _LEVEL_KEYS if value.get(key) is not None), None)
        if level_key is not None:
            difficulty = difficulty_word(value[level_key])
            if difficulty is None:
                self.diagnostics.warn(
                    self.key_line(node, level_key, line),
                    f'card {number}: unknown difficulty "{value[level_key]}" (expected '
                    "easy, medium, hard or 1-5); left unset",
                )
        if kind is CardKind.CLOZE and not self.cloze_ok(number, front, line):
            return None
        return _Item(kind, front, back, line, back_line, tags, difficulty)

    def key_line(self, node: yaml.MappingNode, key: str, default: int) -> int:
        """The file line of ``key``'s value in an item, or ``default``."""
        value = _mapping_value(node, key)
        return self.line(value) if value is not None else default

    def cloze_ok(self, number: int, text: str, line: int) -> bool:
        try:
            ordinals = cloze.ordinals(text)
        except cloze.ClozeError as exc:
            self.diagnostics.error(line, f"card {number}: {exc.message}")
            return False
        if not ordinals:
            self.diagnostics.error(
                line, f'card {number} is a cloze with no deletion: mark one with "{{{{c1::…}}}}"'
            )
            return False
        return True


class FrontmatterCardsFormat:
    """Cards listed under ``cards:`` in a Markdown file's YAML front matter."""

    name = "frontmatter_cards"
    suffixes = (".md",)

    def sniff(self, text: str, context: FileContext) -> bool:
        """A file whose front matter has a top-level ``cards:`` key."""
        return CARDS_KEY in text and lists_cards_in_front_matter(text)

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        """Every card of the ``cards:`` list, in order."""
        lines = text.split("\n")
        block = front_block(lines)
        if block is None or not block.closed:
            diagnostics.error(1, 'the front matter opened here is never closed with "---"')
            return []
        front = read_front_matter(block.text, 1, diagnostics)
        if front is None:
            return []
        key = _CARDS_LINE.search(block.text)
        key_line = 2 + block.text.count("\n", 0, key.start()) if key is not None else 1
        items = _Reader(diagnostics, 2).items(block.text, key_line)
        if items is None:
            return []
        warn_single_card_keys(front, diagnostics)
        answered = any(item.back for item in items if item.kind is not CardKind.CLOZE)
        question_only = not question_only_refused(text) and (
            question_only_wanted(text, context) or not answered
        )
        file_tags = tuple(front.tags or ())
        default_difficulty = file_difficulty(front, diagnostics)
        deck = merge_deck(front, context.deck)
        notes: list[Note] = []
        for item in items:
            if not item.back and item.kind is not CardKind.CLOZE and not question_only:
                diagnostics.warn(
                    item.line,
                    'this card has no "back", so it is not imported; write one, or set '
                    f"{QUESTION_ONLY_KEY}: true to ask it as a question-only card",
                )
                continue
            tags = normalise_tags((*file_tags, *item.tags))
            notes.append(
                Note(
                    item.kind if item.back or item.kind is CardKind.CLOZE else CardKind.BASIC,
                    item.front,
                    item.back,
                    item.line,
                    item.back_line,
                    deck,
                    tags.tags,
                    item.difficulty or default_difficulty or tags.difficulty,
                )
            )
        cards, _ = make_cards(
            notes, context, merge_base_id(front, context.base_id), self.name, diagnostics
        )
        return unanswered_as_question_only(cards)
