"""The ORM row classes, mapped onto the Core tables of ``tables.py``.

ORM rows never leave ``quizapp/store``: the store converts them to the plain dataclasses
the rest of the code uses. Almost every query is Core on ``tables.py``; the classes here
serve what goes through a session (exercise attempts; a card with its deck and state) and
say what their tables and columns hold. Importing this module declares the ORM mapping
(~20-35 ms), so only code that uses a row class imports it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from quizapp.store.tables import (
    CARD_STATES,
    CARDS,
    DECKS,
    EXERCISE_ATTEMPTS,
    METADATA,
)


class Base(DeclarativeBase):
    """Declarative base for every quizapp table: the tables of ``tables.py``."""

    metadata = METADATA


class DeckRow(Base):
    """A deck: by default the folder a card file sits in."""

    __table__ = DECKS

    id: Mapped[int]
    name: Mapped[str]


class CardRow(Base):
    """A card's content as last imported.

    ``id`` is the integer key handed to FSRS as ``card_id``; ``uid`` is the stable text id
    from the card file (front matter or path) that users and the CLI see.
    ``steps``, ``aliases`` and ``exercises`` are JSON lists: they are always read whole with
    the card and never queried into.
    """

    __table__ = CARDS

    id: Mapped[int]
    uid: Mapped[str]
    deck_id: Mapped[int]
    title: Mapped[str]
    question: Mapped[str]
    steps: Mapped[list[Any]]
    difficulty: Mapped[str | None]
    aliases: Mapped[list[Any]]
    exercises: Mapped[list[Any]]
    source: Mapped[str]
    """The file's path relative to its import root, as shown in messages."""
    source_path: Mapped[str]
    """The file's absolute path, to open it in an editor and to notice when it disappears."""
    line: Mapped[int]
    content_hash: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    suspended: Mapped[bool]
    buried_until: Mapped[datetime | None]
    missing: Mapped[bool]
    """Set when the card's file (or the card inside it) was not found by the last import."""
    kind: Mapped[str]
    """How the card is asked: ``CardKind``'s value (basic, cloze, reversed, question_only);
    indexed for ``list --kind`` and ``kind:`` in browse (migration 0004)."""
    note: Mapped[str]
    """The sibling group of cards made from one note (``Card.note``), empty for a card
    alone: siblings are buried for the day when one of them is answered (0004)."""
    language: Mapped[str]
    """The language the question and steps are written in (``Card.language``), or ""."""
    alternates: Mapped[list[Any]]
    """The card in its other languages: ``[{language, question, steps}]`` (0006)."""
    extras: Mapped[list[Any]]
    """The sections shown in a "More" panel: ``[{kind, heading, text, language, line}]``."""
    link_name: Mapped[str]
    """The note's file name without ``.md``: related questions resolve by it (0006)."""
    search_text: Mapped[str]
    """The card's text folded by ``cards/textfold.py``, which free-text search reads:
    SQLite's ``lower()`` folds only ASCII (0006)."""

    deck: Mapped[DeckRow] = relationship(lazy="joined")
    state: Mapped[CardStateRow] = relationship(
        back_populates="card", uselist=False, cascade="all, delete-orphan"
    )


class CardStateRow(Base):
    """A card's FSRS memory state and due date.

    ``state`` uses py-fsrs's numbering (1 learning, 2 review, 3 relearning); a card with
    ``reps == 0`` is new. Kept in its own narrow table so the due queue scans little data:
    ``ix_card_states_due_state`` answers "how many learning/review cards are due by T"
    from the index alone, and ``ix_card_states_new`` counts new cards (``reps = 0``) and
    lists them in due order. It is partial so that answering a card already studied
    leaves it untouched: every page an answer writes brings the next WAL checkpoint (a
    10 ms pause) closer.
    """

    __table__ = CARD_STATES

    card_id: Mapped[int]
    state: Mapped[int]
    step: Mapped[int | None]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime]
    last_review: Mapped[datetime | None]
    reps: Mapped[int]
    lapses: Mapped[int]

    card: Mapped[CardRow] = relationship(back_populates="state")


class ExerciseAttemptRow(Base):
    """One attempt at a live exercise: seed, answers, verdicts and time, as JSON."""

    __table__ = EXERCISE_ATTEMPTS

    id: Mapped[int]
    card_id: Mapped[int | None]
    exercise_id: Mapped[str]
    seed: Mapped[int]
    attempt: Mapped[dict[str, Any]]
    suggested_rating: Mapped[int]
    created_at: Mapped[datetime]
