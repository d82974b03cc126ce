"""Which headings name a card's sections.

A card is divided by headings with known names: Question, Answer, Tags, Difficulty and
Related Questions. Real collections spell them in many ways (``## answer``,
``# Question (EN)``, ``## Tags:``), so names are compared case-insensitively, after dropping
a trailing language marker and a trailing colon.
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum


class Section(StrEnum):
    """The sections a card may have."""

    QUESTION = "question"
    ANSWER = "answer"
    TAGS = "tags"
    DIFFICULTY = "difficulty"
    RELATED = "related"

    @property
    def is_metadata(self) -> bool:
        """Metadata sections end the answer: their content is not a derivation step."""
        return self in (Section.TAGS, Section.DIFFICULTY, Section.RELATED)


#: A trailing language marker such as "(EN)", "[de]" or "(pt-BR)".
_LANGUAGE_MARKER = re.compile(r"\s*[(\[]\s*[A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?\s*[)\]]\s*$")

_NAMES: dict[str, Section] = {
    "question": Section.QUESTION,
    "answer": Section.ANSWER,
    "tags": Section.TAGS,
    "difficulty": Section.DIFFICULTY,
    "related questions": Section.RELATED,
    "related": Section.RELATED,
}


@functools.lru_cache(maxsize=4096)
def section_of(heading_text: str) -> Section | None:
    """The section a heading names, or None for any other heading.

    Cached: a collection repeats the same few dozen headings in every file."""
    name = _LANGUAGE_MARKER.sub("", heading_text).strip().rstrip(":").strip()
    return _NAMES.get(" ".join(name.split()).casefold())
