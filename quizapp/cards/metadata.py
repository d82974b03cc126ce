"""Normalising tags, difficulty and related questions.

These values come from two places, the body sections (``## Tags``) and YAML front matter,
written in many styles. Normalising them in one place means both sources agree: tags keep
their written case but match case-insensitively, ``difficulty/hard`` tags become the
difficulty, and ``[[wikilinks]]`` become their target text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

DIFFICULTIES = ("easy", "medium", "hard")

#: A hashtag: ``#`` at the start or after whitespace/comma, then anything up to a separator.
_HASHTAG = re.compile(r"(?:^|(?<=[\s,;]))#([^\s#,;]+)")
_WIKILINK = re.compile(r"\[\[([^\[\]]+?)\]\]")
#: An ATX heading line (a group label inside a Related Questions section).
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s+|$)")
_DIFFICULTY_TAG_PREFIX = "difficulty/"
#: Emphasis and other punctuation around a single word, e.g. ``**Hard**`` or ``Hard.``.
_DECORATION = "*_`~.,;:!\"' \t"


@dataclass(frozen=True)
class Tags:
    """Tags after normalisation, plus any difficulty they carried (``difficulty/hard``)."""

    tags: tuple[str, ...]
    difficulty: str | None = None


def clean_tag(raw: str) -> str:
    """One tag as it is stored: no leading ``#``, no surrounding punctuation, and inner
    whitespace written as ``-`` (a tag is one word, as in Obsidian)."""
    tag = raw.strip().lstrip("#/.,;: \t").rstrip("/.,;: \t")
    return "-".join(tag.split())


def split_tag_text(text: str) -> list[str]:
    """The tags written in a ``## Tags`` section.

    Hashtags (``#DeepLearning #ml/optimisation``) are used when there are any; otherwise
    each list item is one tag, and other lines are split at commas, or at spaces when the
    line has no comma.
    """
    hashtags = _HASHTAG.findall(text)
    if hashtags:
        return [str(tag) for tag in hashtags]
    entries: list[str] = []
    for line in text.split("\n"):
        item = _LIST_MARKER.sub("", line)
        if item != line:
            entries.append(item)
        else:
            entries.extend(split_tag_string(line))
    return entries


def split_tag_string(text: str) -> list[str]:
    """The tags of a front matter ``tags:`` string: comma-separated when it has commas,
    else space-separated; a leading ``#`` on each is allowed."""
    separator = "," if "," in text else None
    return [part for part in text.split(separator) if part.strip()]


def normalise_tags(raw_tags: Iterable[str]) -> Tags:
    """Clean tags, drop duplicates (compared case-insensitively, first spelling kept) and
    pull out a ``difficulty/<level>`` tag as the difficulty."""
    seen: set[str] = set()
    tags: list[str] = []
    difficulty: str | None = None
    for raw in raw_tags:
        tag = clean_tag(raw)
        if not tag:
            continue
        key = tag.casefold()
        if key.startswith(_DIFFICULTY_TAG_PREFIX):
            level = key[len(_DIFFICULTY_TAG_PREFIX) :]
            if level in DIFFICULTIES and difficulty is None:
                difficulty = level
                continue
        if key not in seen:
            seen.add(key)
            tags.append(tag)
    return Tags(tuple(tags), difficulty)


#: A numeric difficulty, 1 (easiest) to 5, as vault templates write it: 1-2, 3, 4-5.
NUMERIC_DIFFICULTIES = {"1": "easy", "2": "easy", "3": "medium", "4": "hard", "5": "hard"}


def normalise_difficulty(raw: str) -> str | None:
    """``Hard``, ``**hard**``, ``- Hard.`` or ``4`` → ``"hard"`` (1-2 easy, 3 medium, 4-5
    hard); None when it is none of these (the caller warns)."""
    for line in raw.split("\n"):
        value = _LIST_MARKER.sub("", line).strip(_DECORATION).casefold()
        if value:
            if value in NUMERIC_DIFFICULTIES:
                return NUMERIC_DIFFICULTIES[value]
            return value if value in DIFFICULTIES else None
    return None


def first_line(text: str) -> str:
    """The first non-blank line of a section, for messages."""
    for line in text.split("\n"):
        if line.strip():
            return line.strip()
    return ""


def link_target(inner: str) -> str:
    """The note a wikilink's inside names: ``Note#Heading|label`` → ``Note`` (a link to
    a heading of the same note, ``#Heading``, keeps the heading)."""
    target = inner.split("|", 1)[0]
    if "#" in target.lstrip("#"):
        target = target[: target.index("#", 1 if target.startswith("#") else 0)]
    return target.strip()


def unlink(text: str) -> str:
    """Replace each ``[[target]]``, ``[[target|label]]`` or ``[[target#heading]]`` by the
    target's name."""
    return _WIKILINK.sub(lambda match: link_target(match.group(1)), text)


def _linked(item: str) -> list[str]:
    """A related entry's links, when it is written as links with words around them
    (``[[Adam]] — why momentum helps``): each link is the entry, the words a comment.
    An entry without links, or only links, is kept whole."""
    targets = [link_target(match.group(1)) for match in _WIKILINK.finditer(item)]
    if not targets:
        return [item]
    return [target for target in targets if target]


def split_related(text: str) -> list[str]:
    """The entries of a ``## Related Questions`` section: one per list item (continuation
    lines indented under an item join it) or per plain line. An item with wikilinks gives
    their targets; ``### sub-headings`` in the section only group the entries and are
    not entries themselves."""
    items: list[str] = []
    continuing = False
    for line in text.split("\n"):
        if not line.strip():
            continuing = False
            continue
        if _HEADING.match(line):
            continuing = False
            continue
        marker = _LIST_MARKER.match(line)
        if marker is None and continuing and line[:1].isspace():
            items[-1] = f"{items[-1]} {line.strip()}"
            continue
        items.append(line[marker.end() :].strip() if marker else line.strip())
        continuing = marker is not None
    return normalise_related(entry for item in items for entry in _linked(item))


def normalise_related(raw: Iterable[str]) -> list[str]:
    """Unlink wikilinks, collapse whitespace and drop empty and repeated entries."""
    seen: set[str] = set()
    related: list[str] = []
    for item in raw:
        value = " ".join(unlink(item).split())
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            related.append(value)
    return related
