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


def normalise_difficulty(raw: str) -> str | None:
    """``Hard``, ``**hard**`` or ``- Hard.`` → ``"hard"``; None when it is not one of the
    three levels (the caller warns)."""
    for line in raw.split("\n"):
        value = _LIST_MARKER.sub("", line).strip(_DECORATION).casefold()
        if value:
            return value if value in DIFFICULTIES else None
    return None


def first_line(text: str) -> str:
    """The first non-blank line of a section, for messages."""
    for line in text.split("\n"):
        if line.strip():
            return line.strip()
    return ""


def unlink(text: str) -> str:
    """Replace each ``[[target]]`` or ``[[target|label]]`` by its target text."""
    return _WIKILINK.sub(lambda match: match.group(1).split("|", 1)[0].strip(), text)


def split_related(text: str) -> list[str]:
    """The entries of a ``## Related Questions`` section: one per list item (continuation
    lines indented under an item join it) or per plain line, wikilinks unlinked."""
    items: list[str] = []
    continuing = False
    for line in text.split("\n"):
        if not line.strip():
            continuing = False
            continue
        marker = _LIST_MARKER.match(line)
        if marker is None and continuing and line[:1].isspace():
            items[-1] = f"{items[-1]} {line.strip()}"
            continue
        items.append(line[marker.end() :].strip() if marker else line.strip())
        continuing = marker is not None
    return normalise_related(items)


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
