"""The ORM row classes, mapped onto the Core tables of ``tables.py``.

ORM rows never leave ``quizapp/store``: the store converts them to the plain dataclasses
the rest of the code uses. Almost every query is Core on ``tables.py``; the classes here
serve the writes that go through a session (exercise attempts) and say what each table
and column holds. Importing this module declares the ORM mapping (~20-35 ms), so only
code that uses a row class imports it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from quizapp.store.tables import (
    CARD_STATES,
    CARD_TAGS,
    CARDS,
    DECKS,
    EXERCISE_ATTEMPTS,
    METADATA,
    PRACTICE_LOGS,
    RELATED,
    REVIEW_LOGS,
    SETTINGS,
    SOURCE_FILES,
    TAGS,
    UNIMPORTED_FILES,
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


class TagRow(Base):
    """A tag, matched case-insensitively through ``key`` and displayed as first written."""

    __table__ = TAGS

    id: Mapped[int]
    key: Mapped[str]
    name: Mapped[str]


class CardTagRow(Base):
    """The link between cards and tags."""

    __table__ = CARD_TAGS
    tag_id: Mapped[int]
    position: Mapped[int]


class RelatedRow(Base):
    """One related question of a card: linked to another card when it matched one."""

    __table__ = RELATED

    card_id: Mapped[int]
    position: Mapped[int]
    text: Mapped[str]
    target_id: Mapped[int | None]


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


class ReviewLogRow(Base):
    """One answer that changed the schedule, with the full state before and after.

    Keeping both states makes undo exact and lets the optimiser replay history.
    ``review_kind`` is derived from ``state_before`` by the database itself (a generated
    column: virtual on SQLite, stored on PostgreSQL; every writer gets it right):
    ``ix_review_logs_day`` then counts answers per day and kind without parsing a million
    JSON documents.
    """

    __table__ = REVIEW_LOGS

    id: Mapped[int]
    card_id: Mapped[int]
    rating: Mapped[int]
    reviewed_at: Mapped[datetime]
    duration_ms: Mapped[int]
    state_before: Mapped[dict[str, Any]]
    state_after: Mapped[dict[str, Any]]
    review_kind: Mapped[int | None]
    """``KIND_NEW``, ``KIND_REVIEW`` or ``KIND_LEARNING``: what the answer was to, as the
    daily limits and true retention count it."""


class PracticeLogRow(Base):
    """One answer given while cramming: recorded, but never touches the schedule."""

    __table__ = PRACTICE_LOGS

    id: Mapped[int]
    card_id: Mapped[int]
    rating: Mapped[int]
    reviewed_at: Mapped[datetime]
    duration_ms: Mapped[int]


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


class SettingRow(Base):
    """One setting, as a JSON value under its key."""

    __table__ = SETTINGS

    key: Mapped[str]
    value: Mapped[Any]


class SourceFileRow(Base):
    """What the importer last saw of one file, so an unchanged file is skipped cheaply.

    ``size`` and ``mtime_ns`` let a rescan skip even reading the file; ``sha256`` catches a
    touched but unchanged file; ``root`` keeps the card ids stable however the file is named
    on a later import.
    """

    __table__ = SOURCE_FILES

    path: Mapped[str]
    size: Mapped[int]
    mtime_ns: Mapped[int]
    sha256: Mapped[str]
    imported_at: Mapped[datetime]
    root: Mapped[str | None]
    """The absolute import root the file's ids and deck are relative to (migration 0003).

    Kept so that importing the file alone, or a subfolder holding it, re-imports it
    against the same root and its cards keep their ids and history. ``NULL`` when unknown
    (a row from before 0003 whose cards did not reveal it)."""


class UnimportedFileRow(Base):
    """A file the importer read and stored nothing from: not a card file, or a card file
    with errors (migration 0005).

    Remembered by size, mtime and hash, like ``source_files``, so that a rescan neither
    reads nor parses it again while it is unchanged; its problems are kept too, so that a
    failed file is still reported (the user sees the same errors) without the parse.
    ``reader`` fingerprints what decided the outcome (quizapp's version, the formats, a
    forced format): a file is read again when that changes, since a new format may claim
    it. A failed file's cards and ``source_files`` row, from an earlier good import, are
    left as they were: a failed file changes nothing else.
    """

    __table__ = UNIMPORTED_FILES

    path: Mapped[str]
    size: Mapped[int]
    mtime_ns: Mapped[int]
    sha256: Mapped[str]
    reader: Mapped[str]
    failed: Mapped[bool]
    problems: Mapped[list[Any]]
    """``[severity, line, message]`` of each problem, in the order they were reported."""
    recorded_at: Mapped[datetime]
