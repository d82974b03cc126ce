"""YAML front matter: reading it safely and checking its fields.

Obsidian-style collections keep a card's metadata in front matter. It is read with PyYAML's
safe loader only (no ``!!python/object`` tags) and libyaml where available, which also bounds
nesting depth. Values are checked field by field without ever walking or printing an
unexpected structure, so an alias bomb ("billion laughs") stays harmless: it is rejected as
a wrong type long before anything expands it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.metadata import normalise_related, split_tag_string

try:  # libyaml is faster and refuses absurd nesting instead of recursing
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The safe loader, except that dates stay text: Obsidian notes carry ``created:``
    stamps of every quality, and an impossible date must not break a card."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def yaml_loader(source: str) -> yaml.SafeLoader:
    """A loader over ``source`` with the front matter's rules (safe tags only, dates kept
    as text), for a format that needs the YAML nodes' lines as well as their values
    (``formats/frontmatter_cards.py``)."""
    return _Loader(source)


_UNKNOWN_TAG = re.compile(r"could not determine a constructor for the tag '([^']*)'")
_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_MAX_ID_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

#: The front matter key that names the format a file is written in, overriding detection.
FORMAT_KEY = "quizapp-format"
_FORMAT_LINE = re.compile(r"quizapp-format[ \t]*:[ \t]*(.*?)[ \t]*(?:#.*)?$")


@dataclass(frozen=True)
class FrontMatter:
    """The understood fields of a card file's front matter, each None when absent."""

    id: str | None = None
    title: str | None = None
    tags: tuple[str, ...] | None = None
    difficulty: str | None = None
    #: Another name for the difficulty (``level: hard``, ``level: 4``); ``difficulty`` wins.
    level: str | None = None
    deck: str | None = None
    aliases: tuple[str, ...] | None = None
    related: tuple[str, ...] | None = None
    #: The 1-based file line of each key, for messages.
    lines: dict[str, int] = field(default_factory=dict)
    #: The line of the opening ``---``.
    line: int = 1

    def line_of(self, key: str) -> int:
        """Where ``key`` is written, or the opening line when it is not found."""
        return self.lines.get(key, self.line)


def declared_format(text: str) -> tuple[str, int] | None:
    """The format a file names in its front matter (``quizapp-format: NAME``) and the line
    it is named on, or None.

    Read before any format is chosen, so without YAML: the front matter is found the way
    markdown-it finds it (``---`` on the first line, up to a line of dashes or ``...``), and
    the key must be a plain ``key: value`` line of it. A quoted value loses its quotes.
    """
    if not text.startswith("---") or FORMAT_KEY not in text:
        return None
    lines = text.split("\n")
    if set(lines[0].rstrip()) != {"-"}:
        return None
    for number, line in enumerate(lines[1:], start=2):
        stripped = line.rstrip()
        if stripped == "..." or (len(stripped) >= 3 and set(stripped) == {"-"}):
            return None
        match = _FORMAT_LINE.match(line)
        if match is not None:
            return match.group(1).strip("'\"").strip(), number
    return None


def _key_lines(source: str, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for offset, text in enumerate(source.split("\n")):
        match = _KEY.match(text)
        if match and match.group(1) not in lines:
            lines[match.group(1)] = first_line + offset
    return lines


def _scalar(value: object) -> str | None:
    """A YAML scalar as text; None for mappings, lists and other structures."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _string_list(value: object) -> list[str] | None:
    """A YAML list of scalars as strings; None when any item is not a scalar."""
    if not isinstance(value, list):
        return None
    items: list[str] = []
    for item in value:
        if item is None:
            continue
        text = _scalar(item)
        if text is None:
            return None
        items.append(text)
    return items


def read_front_matter(source: str, line: int, diagnostics: Diagnostics) -> FrontMatter | None:
    """Parse the YAML between the ``---`` lines (opening ``---`` on file line ``line``).

    Returns None after reporting an error when the YAML is broken or a field has the wrong
    type; an empty front matter gives an empty :class:`FrontMatter`.
    """
    first_body_line = line + 1
    try:
        data = yaml.load(source, Loader=_Loader)  # a safe loader: no python tags
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = first_body_line + mark.line if mark is not None else line
        reason = " ".join((exc.problem or exc.context or "not valid YAML").split())
        tag = _UNKNOWN_TAG.search(reason)
        if tag is not None:
            name = tag.group(1).replace(_YAML_TAG_PREFIX, "!!")
            reason = f"the YAML tag {name} is not allowed (only plain values and lists)"
        diagnostics.error(where, f"broken YAML front matter: {reason}")
        return None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError) as exc:
        reason = " ".join(str(exc).split()) if not isinstance(exc, RecursionError) else ""
        diagnostics.error(line, f"broken YAML front matter: {reason or 'nested too deeply'}")
        return None
    if data is None:
        return FrontMatter(line=line)
    if not isinstance(data, dict):
        diagnostics.error(line, "front matter must be a mapping of keys to values")
        return None
    lines = _key_lines(source, first_body_line)
    ok = True

    def bad(key: str, expected: str) -> None:
        nonlocal ok
        ok = False
        diagnostics.error(lines.get(key, line), f'front matter "{key}" must be {expected}')

    def text_field(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        text = _scalar(value)
        if text is None:
            bad(key, "a single value")
            return None
        return text.strip() or None

    def list_field(key: str, split_string: bool) -> tuple[str, ...] | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            items = split_tag_string(value) if split_string else [value]
        else:
            listed = _string_list(value)
            if listed is None:
                bad(key, "a list of values or a single value")
                return None
            items = listed
        return tuple(item.strip() for item in items if item.strip())

    card_id = text_field("id")
    if card_id is not None and (len(card_id) > _MAX_ID_CHARS or _CONTROL.search(card_id)):
        bad("id", f"at most {_MAX_ID_CHARS} printable characters")
        card_id = None
    deck = text_field("deck")
    if deck is not None:
        deck = "/".join(part for part in deck.replace("\\", "/").split("/") if part.strip())
    related = list_field("related", split_string=False)
    front = FrontMatter(
        id=card_id,
        title=text_field("title"),
        tags=list_field("tags", split_string=True),
        difficulty=text_field("difficulty"),
        level=text_field("level"),
        deck=deck or None,
        aliases=list_field("aliases", split_string=False),
        related=tuple(normalise_related(related)) if related is not None else None,
        lines=lines,
        line=line,
    )
    return front if ok else None
