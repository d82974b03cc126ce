"""The schema (SQLite and PostgreSQL alike), as SQLAlchemy 2.0 typed ORM rows.

ORM rows never leave ``quizapp/store``: the store converts them to the plain dataclasses
the rest of the code uses. The schema itself is owned by the Alembic migrations in
``quizapp/store/migrations``; these classes must stay identical to the migrated schema
(a test compares them).

Times are stored as naive UTC and handed out as aware UTC datetimes (``UTCDateTime``), so
that SQLite's text comparison of timestamps orders them correctly and nothing in the
program ever sees a naive datetime.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from quizapp.store.portable_schema import POSTGRESQL_WHERE, WIDE_INTEGER, DialectComputed
from quizapp.store.sqlite.availability import INDEX_WHERE


class UTCDateTime(TypeDecorator[datetime]):
    """An aware-UTC datetime stored as naive UTC.

    Refuses naive datetimes on the way in: a naive value is ambiguous, and a wrong time
    zone silently shifts every due date.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: quizapp stores aware UTC datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


#: What an answer was to, as ``review_logs.review_kind`` records it.
KIND_NEW, KIND_LEARNING, KIND_REVIEW = 0, 1, 2

#: ``review_kind`` from the state before the answer: new (never answered), review (in the
#: review state), else learning. A state without ``reps`` counts as learning.
REVIEW_KIND_SQL = (
    "CASE WHEN json_extract(state_before, '$.reps') = 0 THEN 0"
    " WHEN json_extract(state_before, '$.reps') > 0"
    " AND json_extract(state_before, '$.state') = 2 THEN 2 ELSE 1 END"
)
#: The same on PostgreSQL, from its JSON operators (a stored generated column there, which
#: must not fail on a value that is not a number).
REVIEW_KIND_POSTGRESQL_SQL = (
    "CASE WHEN json_typeof(state_before->'reps') <> 'number' THEN 1"
    " WHEN (state_before->>'reps')::numeric = 0 THEN 0"
    " WHEN (state_before->>'reps')::numeric > 0"
    " AND json_typeof(state_before->'state') = 'number'"
    " AND (state_before->>'state')::numeric = 2 THEN 2 ELSE 1 END"
)


#: The cards that have siblings (a cloze deletion, one side of a reversed pair), kept in
#: a partial index: burying siblings looks a note up there, and native cards (no note)
#: cost the index nothing. A query repeats this condition word for word to use it.
HAS_NOTE_WHERE = "note != ''"

#: ``ix_cards_unavailable``'s condition on PostgreSQL, where booleans are not integers.
INDEX_WHERE_POSTGRESQL = "suspended OR missing OR buried_until IS NOT NULL"


class Base(DeclarativeBase):
    """Declarative base for every quizapp table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON}


class DeckRow(Base):
    """A deck: by default the folder a card file sits in."""

    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)


class CardRow(Base):
    """A card's content as last imported.

    ``id`` is the integer key handed to FSRS as ``card_id``; ``uid`` is the stable text id
    from the card file (front matter or path) that users and the CLI see.
    ``steps``, ``aliases`` and ``exercises`` are JSON lists: they are always read whole with
    the card and never queried into.
    """

    __tablename__ = "cards"
    __table_args__ = (
        Index(
            "ix_cards_unavailable",
            "suspended",
            "missing",
            "buried_until",
            # The cards that cannot be studied at some time (suspended, missing, or buried
            # at all): a query that repeats this condition (``availability.py``) reads
            # this small index instead of 100,000 card rows of 2.5 kB each.
            sqlite_where=text(INDEX_WHERE),
            info={POSTGRESQL_WHERE: INDEX_WHERE_POSTGRESQL},
        ),
        Index(
            "ix_cards_note",
            "note",
            sqlite_where=text(HAS_NOTE_WHERE),
            info={POSTGRESQL_WHERE: HAS_NOTE_WHERE},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String, unique=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    steps: Mapped[list[Any]] = mapped_column(JSON)
    difficulty: Mapped[str | None] = mapped_column(String, index=True)
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    exercises: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(Text)
    """The file's path relative to its import root, as shown in messages."""
    source_path: Mapped[str] = mapped_column(Text, index=True)
    """The file's absolute path, to open it in an editor and to notice when it disappears."""
    line: Mapped[int] = mapped_column(Integer, default=1)
    content_hash: Mapped[str] = mapped_column(String)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    buried_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    missing: Mapped[bool] = mapped_column(Boolean, default=False)
    """Set when the card's file (or the card inside it) was not found by the last import."""
    kind: Mapped[str] = mapped_column(String, index=True, default="basic", server_default="basic")
    """How the card is asked: ``CardKind``'s value (basic, cloze, reversed, question_only);
    indexed for ``list --kind`` and ``kind:`` in browse (migration 0004)."""
    note: Mapped[str] = mapped_column(String, default="", server_default="")
    """The sibling group of cards made from one note (``Card.note``), empty for a card
    alone: siblings are buried for the day when one of them is answered (0004)."""
    language: Mapped[str] = mapped_column(String, default="", server_default="")
    """The language the question and steps are written in (``Card.language``), or ""."""
    alternates: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    """The card in its other languages: ``[{language, question, steps}]`` (0006)."""
    extras: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    """The sections shown in a "More" panel: ``[{kind, heading, text, language, line}]``."""
    link_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The note's file name without ``.md``: related questions resolve by it (0006)."""
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The card's text folded by ``cards/textfold.py``, which free-text search reads:
    SQLite's ``lower()`` folds only ASCII (0006)."""

    deck: Mapped[DeckRow] = relationship(lazy="joined")
    state: Mapped[CardStateRow] = relationship(
        back_populates="card", uselist=False, cascade="all, delete-orphan"
    )


class TagRow(Base):
    """A tag, matched case-insensitively through ``key`` and displayed as first written."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String, unique=True)
    name: Mapped[str] = mapped_column(String)


class CardTagRow(Base):
    """The link between cards and tags."""

    __tablename__ = "card_tags"
    __table_args__ = (Index("ix_card_tags_tag_card", "tag_id", "card_id"),)

    card_id: Mapped[int] = mapped_column(
        ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class RelatedRow(Base):
    """One related question of a card: linked to another card when it matched one."""

    __tablename__ = "related"

    card_id: Mapped[int] = mapped_column(
        ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("cards.id", ondelete="SET NULL"), default=None, index=True
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

    __tablename__ = "card_states"
    __table_args__ = (
        Index("ix_card_states_due_state", "due", "state", "reps"),
        Index(
            "ix_card_states_new",
            "due",
            sqlite_where=text("reps = 0"),
            info={POSTGRESQL_WHERE: "reps = 0"},
        ),
    )

    card_id: Mapped[int] = mapped_column(
        ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[int] = mapped_column(Integer, default=1)
    step: Mapped[int | None] = mapped_column(Integer, default=0)
    stability: Mapped[float | None] = mapped_column(Float, default=None)
    difficulty: Mapped[float | None] = mapped_column(Float, default=None)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)

    card: Mapped[CardRow] = relationship(back_populates="state")


class ReviewLogRow(Base):
    """One answer that changed the schedule, with the full state before and after.

    Keeping both states makes undo exact and lets the optimiser replay history.
    ``review_kind`` is derived from ``state_before`` by the database itself (a generated
    column: virtual on SQLite, stored on PostgreSQL; every writer gets it right):
    ``ix_review_logs_day`` then counts answers per day and kind without parsing a million
    JSON documents.
    """

    __tablename__ = "review_logs"
    __table_args__ = (
        Index("ix_review_logs_card_time", "card_id", "reviewed_at"),
        Index("ix_review_logs_day", "reviewed_at", "review_kind", "rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    state_before: Mapped[dict[str, Any]] = mapped_column(JSON)
    state_after: Mapped[dict[str, Any]] = mapped_column(JSON)
    review_kind: Mapped[int | None] = mapped_column(
        Integer, DialectComputed(REVIEW_KIND_SQL, REVIEW_KIND_POSTGRESQL_SQL)
    )
    """``KIND_NEW``, ``KIND_REVIEW`` or ``KIND_LEARNING``: what the answer was to, as the
    daily limits and true retention count it."""


class PracticeLogRow(Base):
    """One answer given while cramming: recorded, but never touches the schedule."""

    __tablename__ = "practice_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


class ExerciseAttemptRow(Base):
    """One attempt at a live exercise: seed, answers, verdicts and time, as JSON."""

    __tablename__ = "exercise_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int | None] = mapped_column(
        ForeignKey("cards.id", ondelete="SET NULL"), index=True
    )
    exercise_id: Mapped[str] = mapped_column(String)
    seed: Mapped[int] = mapped_column(Integer)
    attempt: Mapped[dict[str, Any]] = mapped_column(JSON)
    suggested_rating: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SettingRow(Base):
    """One setting, as a JSON value under its key."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class SourceFileRow(Base):
    """What the importer last saw of one file, so an unchanged file is skipped cheaply.

    ``size`` and ``mtime_ns`` let a rescan skip even reading the file; ``sha256`` catches a
    touched but unchanged file; ``root`` keeps the card ids stable however the file is named
    on a later import.
    """

    __tablename__ = "source_files"

    path: Mapped[str] = mapped_column(Text, primary_key=True)
    size: Mapped[int] = mapped_column(WIDE_INTEGER)
    mtime_ns: Mapped[int] = mapped_column(WIDE_INTEGER)
    sha256: Mapped[str] = mapped_column(String)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    root: Mapped[str | None] = mapped_column(Text, default=None)
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

    __tablename__ = "unimported_files"

    path: Mapped[str] = mapped_column(Text, primary_key=True)
    size: Mapped[int] = mapped_column(WIDE_INTEGER)
    mtime_ns: Mapped[int] = mapped_column(WIDE_INTEGER)
    sha256: Mapped[str] = mapped_column(String)
    reader: Mapped[str] = mapped_column(String)
    failed: Mapped[bool] = mapped_column(Boolean)
    problems: Mapped[list[Any]] = mapped_column(JSON)
    """``[severity, line, message]`` of each problem, in the order they were reported."""
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
