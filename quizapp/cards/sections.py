"""Which headings name a card's sections.

A card is divided by headings with known names: Question, Answer, Tags, Difficulty,
Related Questions, and the sections shown in a "More" panel (Follow-ups, References, See
also, Sources, Further reading, Links). Real collections spell them in many ways and
languages (``## answer``, ``# Question (EN)``, ``## Ответ (RU)``, ``## Tags:``); the
words are looked up in the one table of ``cards/languages.py``.
"""

from __future__ import annotations

from enum import StrEnum

from quizapp.cards.languages import Role, heading_role


class Section(StrEnum):
    """The sections a card may have."""

    QUESTION = "question"
    ANSWER = "answer"
    TAGS = "tags"
    DIFFICULTY = "difficulty"
    RELATED = "related"
    EXTRA = "extra"


def section_for(role: Role) -> Section:
    """The section a heading role opens (every "More" role opens an ``EXTRA`` one)."""
    return Section.EXTRA if role.is_extra else Section(role.value)


def section_of(heading_text: str) -> Section | None:
    """The section a heading names, or None for any other heading."""
    found = heading_role(heading_text)
    return None if found is None else section_for(found.role)
