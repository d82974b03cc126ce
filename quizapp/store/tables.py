"""The schema (SQLite and PostgreSQL alike), as SQLAlchemy Core tables.

Every query of the store is Core on these tables; ``models.py`` maps its ORM row classes
onto them for the few writes that use a session. They are defined here first, not taken
from the ORM classes, because declaring the ORM classes costs ~20-35 ms of every command
(a tenth of importing SQLAlchemy's ORM), and the read commands never use them.

The schema itself is owned by the Alembic migrations in ``quizapp/store/migrations``;
these tables must stay identical to the migrated schema (a test compares them). Times are
stored as naive UTC and handed out as aware UTC datetimes (``UTCDateTime``), so that
SQLite's text comparison of timestamps orders them correctly and nothing in the program
ever sees a naive datetime. What a table holds is said above it, or, for the tables that
also have an ORM row class, on that class in ``models.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect

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

#: Every table of a quizapp database (the ORM's ``Base.metadata`` too).
METADATA = MetaData()


DECKS = Table(
    "decks",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True, nullable=False),
)

CARDS = Table(
    "cards",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("uid", String, unique=True, nullable=False),
    Column("deck_id", Integer, ForeignKey("decks.id"), index=True, nullable=False),
    Column("title", Text, nullable=False),
    Column("question", Text, nullable=False),
    Column("steps", JSON, nullable=False),
    Column("difficulty", String, index=True, nullable=True),
    Column("aliases", JSON, default=list, nullable=False),
    Column("exercises", JSON, default=list, nullable=False),
    Column("source", Text, nullable=False),
    Column("source_path", Text, nullable=False),
    Column("line", Integer, default=1, nullable=False),
    Column("content_hash", String, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("suspended", Boolean, default=False, nullable=False),
    Column("buried_until", UTCDateTime, default=None, nullable=True),
    Column("missing", Boolean, default=False, nullable=False),
    Column("kind", String, index=True, default="basic", server_default="basic", nullable=False),
    Column("note", String, default="", server_default="", nullable=False),
    Column("language", String, default="", server_default="", nullable=False),
    Column("alternates", JSON, default=list, server_default=text("'[]'"), nullable=False),
    Column("extras", JSON, default=list, server_default=text("'[]'"), nullable=False),
    Column("link_name", Text, default="", server_default="", nullable=False),
    Column("search_text", Text, default="", server_default="", nullable=False),
    Index(
        "ix_cards_unavailable",
        "suspended",
        "missing",
        "buried_until",
        # The cards that cannot be studied at some time (suspended, missing, or buried
        # at all): a query that repeats this condition (``availability.py``) reads this
        # small index instead of 100,000 card rows of 2.5 kB each.
        sqlite_where=text(INDEX_WHERE),
        info={POSTGRESQL_WHERE: INDEX_WHERE_POSTGRESQL},
    ),
    Index(
        "ix_cards_source_keys",
        "source_path",
        "uid",
        "content_hash",
        "line",
        "missing",
        # Leads with the file (a file's cards are found by it) and holds all that an
        # import reads of every card (``ImportWriter.load``), so that read is a scan of
        # this index: those columns lie after a card's text in its row, and reading them
        # from the rows would read every card's text (a rescan of 7,000 cards: 17 -> 6 ms).
    ),
    Index(
        "ix_cards_note",
        "note",
        sqlite_where=text(HAS_NOTE_WHERE),
        info={POSTGRESQL_WHERE: HAS_NOTE_WHERE},
    ),
)

#: A tag, matched case-insensitively through ``key`` and displayed as first written.
TAGS = Table(
    "tags",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("key", String, unique=True, nullable=False),
    Column("name", String, nullable=False),
)

#: The link between cards and tags.
CARD_TAGS = Table(
    "card_tags",
    METADATA,
    Column("card_id", Integer, ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tags.id"), primary_key=True),
    Column("position", Integer, default=0, nullable=False),
    Index("ix_card_tags_tag_card", "tag_id", "card_id"),
)

#: One related question of a card: linked to another card when it matched one.
RELATED = Table(
    "related",
    METADATA,
    Column("card_id", Integer, ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column(
        "target_id",
        Integer,
        ForeignKey("cards.id", ondelete="SET NULL"),
        default=None,
        index=True,
        nullable=True,
    ),
)

CARD_STATES = Table(
    "card_states",
    METADATA,
    Column("card_id", Integer, ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True),
    Column("state", Integer, default=1, nullable=False),
    Column("step", Integer, default=0, nullable=True),
    Column("stability", Float, default=None, nullable=True),
    Column("difficulty", Float, default=None, nullable=True),
    Column("due", UTCDateTime, nullable=False),
    Column("last_review", UTCDateTime, default=None, nullable=True),
    Column("reps", Integer, default=0, nullable=False),
    Column("lapses", Integer, default=0, nullable=False),
    Index("ix_card_states_due_state", "due", "state", "reps"),
    Index(
        "ix_card_states_new",
        "due",
        sqlite_where=text("reps = 0"),
        info={POSTGRESQL_WHERE: "reps = 0"},
    ),
)

#: One answer that changed the schedule, with the full state before and after.
#:
#: Keeping both states makes undo exact and lets the optimiser replay history.
#: ``review_kind`` is derived from ``state_before`` by the database itself (a generated
#: column: virtual on SQLite, stored on PostgreSQL; every writer gets it right):
#: ``ix_review_logs_day`` then counts answers per day and kind without parsing a million
#: JSON documents.
#:
#: ``review_kind`` is ``KIND_NEW``, ``KIND_REVIEW`` or ``KIND_LEARNING``: what the answer
#: was to, as the daily limits and true retention count it.
REVIEW_LOGS = Table(
    "review_logs",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("card_id", Integer, ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
    Column("rating", Integer, nullable=False),
    Column("reviewed_at", UTCDateTime, nullable=False),
    Column("duration_ms", Integer, default=0, nullable=False),
    Column("state_before", JSON, nullable=False),
    Column("state_after", JSON, nullable=False),
    Column(
        "review_kind",
        Integer,
        DialectComputed(REVIEW_KIND_SQL, REVIEW_KIND_POSTGRESQL_SQL),
        nullable=True,
    ),
    Index("ix_review_logs_card_time", "card_id", "reviewed_at"),
    Index("ix_review_logs_day", "reviewed_at", "review_kind", "rating"),
)

#: One answer given while cramming: recorded, but never touches the schedule.
PRACTICE_LOGS = Table(
    "practice_logs",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column(
        "card_id", Integer, ForeignKey("cards.id", ondelete="CASCADE"), index=True, nullable=False
    ),
    Column("rating", Integer, nullable=False),
    Column("reviewed_at", UTCDateTime, nullable=False),
    Column("duration_ms", Integer, default=0, nullable=False),
)

EXERCISE_ATTEMPTS = Table(
    "exercise_attempts",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column(
        "card_id", Integer, ForeignKey("cards.id", ondelete="SET NULL"), index=True, nullable=True
    ),
    Column("exercise_id", String, nullable=False),
    Column("seed", Integer, nullable=False),
    Column("attempt", JSON, nullable=False),
    Column("suggested_rating", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

#: One setting, as a JSON value under its key.
SETTINGS = Table(
    "settings",
    METADATA,
    Column("key", String, primary_key=True),
    Column("value", JSON, nullable=False),
)

#: What the importer last saw of one file, so an unchanged file is skipped cheaply.
#:
#: ``size`` and ``mtime_ns`` let a rescan skip even reading the file; ``sha256`` catches a
#: touched but unchanged file; ``root`` keeps the card ids stable however the file is named
#: on a later import.
#:
#: ``root`` is the absolute import root the file's ids and deck are relative to (migration
#: 0003), kept so that importing the file alone, or a subfolder holding it, re-imports it
#: against the same root and its cards keep their ids and history. ``NULL`` when unknown
#: (a row from before 0003 whose cards did not reveal it).
SOURCE_FILES = Table(
    "source_files",
    METADATA,
    Column("path", Text, primary_key=True),
    Column("size", WIDE_INTEGER, nullable=False),
    Column("mtime_ns", WIDE_INTEGER, nullable=False),
    Column("sha256", String, nullable=False),
    Column("imported_at", UTCDateTime, nullable=False),
    Column("root", Text, default=None, nullable=True),
)

#: A file the importer read and stored nothing from: not a card file, or a card file
#: with errors (migration 0005).
#:
#: Remembered by size, mtime and hash, like ``source_files``, so that a rescan neither
#: reads nor parses it again while it is unchanged; its problems are kept too, so that a
#: failed file is still reported (the user sees the same errors) without the parse.
#: ``reader`` fingerprints what decided the outcome (quizapp's version, the formats, a
#: forced format): a file is read again when that changes, since a new format may claim
#: it. A failed file's cards and ``source_files`` row, from an earlier good import, are
#: left as they were: a failed file changes nothing else.
#:
#: ``problems`` holds ``[severity, line, message]`` of each problem, in the order they were
#: reported.
UNIMPORTED_FILES = Table(
    "unimported_files",
    METADATA,
    Column("path", Text, primary_key=True),
    Column("size", WIDE_INTEGER, nullable=False),
    Column("mtime_ns", WIDE_INTEGER, nullable=False),
    Column("sha256", String, nullable=False),
    Column("reader", String, nullable=False),
    Column("failed", Boolean, nullable=False),
    Column("problems", JSON, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
)
