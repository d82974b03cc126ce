"""Every query and transaction behind studying: the queue, answers, undo, cram, settings.

Statements are SQLAlchemy Core on the ORM tables (compiled once and cached), because the
queue is asked for a card after every answer and must answer in a millisecond or two on
a 100,000-card collection.

Concurrency: an answer is one short ``BEGIN IMMEDIATE`` transaction whose first
statement is a compare-and-set ``UPDATE`` of the card's state row, matching the
``reps`` and ``last_review`` the session last saw. If another process answered the same
card meanwhile, nothing matches, nothing is written, and ``StaleCardError`` tells the
session to reload the card: a second answer is refused, never silently applied on top of
a state it did not see. Undo works the same way against the state the answer produced.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    Table,
    and_,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError

from quizapp.cards.textfold import fold
from quizapp.scheduling.chart_series import CALIBRATION_ANSWERS, StabilityBin
from quizapp.scheduling.filters import StudyFilter
from quizapp.scheduling.queue import DayWindow, QueueKind
from quizapp.scheduling.settings import SETTING_KEYS, Settings
from quizapp.scheduling.stats import (
    ANSWER_SHIFT,
    NO_OFFSET,
    NO_RECALL,
    CardColumns,
    day_totals,
    summarise,
)
from quizapp.store.card_rows import tag_key
from quizapp.store.db import Database
from quizapp.store.errors import StoreError
from quizapp.store.models import (
    KIND_NEW,
    KIND_REVIEW,
    UNAVAILABLE_WHERE,
    PracticeLogRow,
    SettingRow,
)
from quizapp.store.records import LEARNING, RELEARNING, REVIEW, MemoryState, ReviewRecord
from quizapp.store.row_decode import (
    DECODE_ERRORS,
    UnreadableRowError,
    decode_settings,
    json_value,
    memory_from_json,
    memory_state,
    required_datetime,
    stored_rating,
    unreadable,
)
from quizapp.store.sibling_repo import BuriedSibling, bury_siblings_on
from quizapp.store.tables import CARD_STATES, CARD_TAGS, CARDS, DECKS, REVIEW_LOGS, TAGS

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

STATES = CARD_STATES
PRACTICE_LOGS = cast(Table, PracticeLogRow.__table__)
SETTINGS = cast(Table, SettingRow.__table__)

#: The memory-state columns, the times raw: ``memory_from_row`` decodes them row by row
#: so that one damaged row is reported and skipped instead of failing the whole queue.
_STATE_COLUMNS = (
    STATES.c.state,
    STATES.c.step,
    STATES.c.stability,
    STATES.c.difficulty,
    type_coerce(STATES.c.due, String).label("due"),
    type_coerce(STATES.c.last_review, String).label("last_review"),
    STATES.c.reps,
    STATES.c.lapses,
)


class StaleCardError(StoreError):
    """The card's state changed underneath this session (answered in another window)."""


class UnknownCardError(StoreError):
    """No card has this id."""


@dataclass(frozen=True)
class QueuedCard:
    """A card picked for study: enough to show its title and to answer it safely.

    ``memory`` is the state as read; the answer is applied only if it is still current.
    """

    pk: int
    uid: str
    title: str
    source: str
    kind: QueueKind
    memory: MemoryState


@dataclass(frozen=True)
class TodayCounts:
    """Answers already given in the current study day, as the daily limits count them."""

    new: int
    reviews: int
    learning: int


@dataclass(frozen=True)
class DueCounts:
    """How many cards of each kind a filtered queue holds right now (before limits)."""

    learning: int
    review: int
    new: int


def memory_from_row(row: Any) -> MemoryState:
    """A ``MemoryState`` from a row that has the ``card_states`` columns (raw or decoded).

    Raises one of ``DECODE_ERRORS`` when the stored values are not a usable state.
    """
    return memory_state(
        row.state,
        row.step,
        row.stability,
        row.difficulty,
        row.due,
        row.last_review,
        row.reps,
        row.lapses,
    )


def _queued_card(row: Any, kind: QueueKind) -> QueuedCard:
    """A ``QueuedCard`` from a row with the card's id, uid, title, source and state columns;
    ``UnreadableRowError`` when its state cannot be decoded."""
    try:
        memory = memory_from_row(row)
    except DECODE_ERRORS:
        raise UnreadableRowError(unreadable(f"card {row.uid}")) from None
    return QueuedCard(row.card_id, row.uid, row.title, row.source, kind, memory)


def _queued_cards(database: Database, rows: Iterable[Any], kind: QueueKind) -> list[QueuedCard]:
    """``_queued_card`` for each row; an unreadable one is reported and left out."""
    cards: list[QueuedCard] = []
    for row in rows:
        try:
            cards.append(_queued_card(row, kind))
        except UnreadableRowError as error:
            database.report(str(error))
    return cards


def _matches(memory: MemoryState) -> ColumnElement[bool]:
    """The compare-and-set condition: the state row is still the one ``memory`` was read as."""
    last = (
        STATES.c.last_review.is_(None)
        if memory.last_review is None
        else STATES.c.last_review == memory.last_review
    )
    return and_(STATES.c.reps == memory.reps, last)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


#: ``cards`` again, for subqueries that must not correlate with an outer ``cards``.
_CARD_IDS = CARDS.alias("filtered_cards")


def _card_ids(*where: ColumnElement[bool]) -> Select[Any]:
    return select(_CARD_IDS.c.id).where(*where)


def _card_has(
    column: ColumnElement[int], index: str, name: str, values: list[str] | Select[Any]
) -> ColumnElement[bool]:
    """``EXISTS`` a card with id ``column`` whose column ``name`` is one of ``values``.

    Read from ``index`` (on that column, plus the row id) by SQLite's ``INDEXED BY``:
    one index lookup per card, where SQLite would otherwise read the 2.5 kB card row.
    SQLAlchemy renders no table hints for SQLite, hence the textual FROM.
    """
    alias = f"card_{name}"
    return (
        select(literal_column("1"))
        .select_from(text(f"cards AS {alias} INDEXED BY {index}"))
        .where(
            literal_column(f"{alias}.id") == column,
            literal_column(f"{alias}.{name}").in_(values),
        )
        .exists()
    )


def filter_conditions(
    study_filter: StudyFilter, card_id: ColumnElement[int] | None = None
) -> list[ColumnElement[bool]]:
    """SQL conditions on a card-id column for a study filter (empty list: every card).

    Each condition reads an index (tags, difficulty, deck) by card id, so a query over
    ``card_states`` need not read the wide ``cards`` rows at all; only a text search
    scans card titles and questions. Difficulties are stored casefolded (the
    parser normalises them), so they are matched with the index, not ``lower()``.
    ``card_id`` defaults to ``card_states.card_id``.
    """
    column: ColumnElement[int] = STATES.c.card_id if card_id is None else card_id
    conditions: list[ColumnElement[bool]] = []
    tagged = select(CARD_TAGS.c.card_id).join(TAGS, TAGS.c.id == CARD_TAGS.c.tag_id)
    if study_filter.tags_any:
        keys = sorted({tag_key(tag) for tag in study_filter.tags_any})
        conditions.append(column.in_(tagged.where(TAGS.c.key.in_(keys))))
    for tag in sorted({tag_key(tag) for tag in study_filter.tags_all}):
        conditions.append(column.in_(tagged.where(TAGS.c.key == tag)))
    if study_filter.difficulties:
        wanted = sorted({d.strip().casefold() for d in study_filter.difficulties})
        conditions.append(_card_has(column, "ix_cards_difficulty", "difficulty", wanted))
    if study_filter.deck:
        deck = study_filter.deck.strip().strip("/")
        decks = select(DECKS.c.id).where(
            or_(
                func.lower(DECKS.c.name) == deck.casefold(),
                func.lower(DECKS.c.name).like(_like_escape(deck.casefold()) + "/%", escape="\\"),
            )
        )
        conditions.append(_card_has(column, "ix_cards_deck_id", "deck_id", decks))
    if study_filter.card_pks:
        # One JSON parameter, not one per card: "study these" may name 100,000 cards.
        chosen = func.json_each(json.dumps(sorted(set(study_filter.card_pks))))
        picked = chosen.table_valued("value").alias("picked")
        conditions.append(column.in_(select(picked.c.value)))
    if study_filter.text:
        # The same matching as browse and ``list --text``: the folded search column
        # (cards/textfold.py; SQLite's ilike folds only ASCII) or a tag.
        needle = fold(study_filter.text.strip())
        tagged_with = select(CARD_TAGS.c.card_id).join(TAGS, TAGS.c.id == CARD_TAGS.c.tag_id)
        conditions.append(
            or_(
                column.in_(_card_ids(func.instr(_CARD_IDS.c.search_text, needle) > 0)),
                column.in_(tagged_with.where(func.instr(TAGS.c.key, needle) > 0)),
            )
        )
    return conditions


#: ``cards`` in the subquery of unavailable cards (made once: the hot path reuses it).
_HIDDEN = CARDS.alias("hidden_cards")


def unavailable_ids(now: datetime) -> Select[Any]:
    """Ids of the cards that may not be shown at ``now``: suspended, missing or buried.

    Repeats ``UNAVAILABLE_WHERE`` word for word so SQLite reads the small partial index
    ``ix_cards_unavailable`` (usually empty) instead of every card row.
    """
    return select(_HIDDEN.c.id).where(
        text(f"({UNAVAILABLE_WHERE})"),
        or_(
            _HIDDEN.c.suspended.is_(True),
            _HIDDEN.c.missing.is_(True),
            _HIDDEN.c.buried_until > now,
        ),
    )


#: "The card is new", written with a literal 0: SQLite uses the partial index
#: ``ix_card_states_new`` (``WHERE reps = 0``) only for a term that repeats its condition.
_IS_NEW = STATES.c.reps == literal_column("0")


def _new_count(now: datetime) -> Select[Any]:
    """How many available cards are new: from the partial index of new cards alone.

    Without statistics SQLite rates a scan of ``(due, state, reps)`` as cheap as one of
    the (ten times smaller) partial index, so the index is named (``INDEXED BY``, which
    SQLAlchemy does not render for SQLite: hence the textual FROM).
    """
    card_id: ColumnElement[int] = literal_column("card_states.card_id")
    return (
        select(func.count())
        .select_from(text("card_states INDEXED BY ix_card_states_new"))
        .where(text("card_states.reps = 0"), *_available(now, card_id))
    )


def _available(
    now: datetime, card_id: ColumnElement[int] | None = None
) -> list[ColumnElement[bool]]:
    """Cards that may be shown at all: not suspended, not missing, not buried."""
    column: ColumnElement[int] = STATES.c.card_id if card_id is None else card_id
    return [column.not_in(unavailable_ids(now))]


def _shown(now: datetime) -> list[ColumnElement[bool]]:
    """The same test on a ``cards`` row already joined (one card: no subquery needed)."""
    return [
        CARDS.c.suspended.is_(False),
        CARDS.c.missing.is_(False),
        or_(CARDS.c.buried_until.is_(None), CARDS.c.buried_until <= now),
    ]


class StudyRepository:
    """The study queries over one open ``Database``."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # --- the queue -------------------------------------------------------------------

    def candidates(
        self,
        kind: QueueKind,
        study_filter: StudyFilter,
        now: datetime,
        window: DayWindow,
        *,
        limit: int,
        exclude: Sequence[int] = (),
        until: datetime | None = None,
    ) -> list[QueuedCard]:
        """Up to ``limit`` available cards of one queue kind, in the order they are due.

        Learning cards are those due by ``until`` (default: now). ``INTERVIEW`` is not
        served here (see ``interview_candidates``).
        """
        conditions = _available(now) + filter_conditions(study_filter)
        order: list[Any] = [STATES.c.due, STATES.c.card_id]
        if kind is QueueKind.LEARNING:
            conditions += [
                STATES.c.state.in_((LEARNING, RELEARNING)),
                STATES.c.reps > 0,
                STATES.c.due <= (until or now),
            ]
        elif kind is QueueKind.LEARN_AHEAD:
            from quizapp.scheduling.queue import LEARN_AHEAD

            conditions += [
                STATES.c.state.in_((LEARNING, RELEARNING)),
                STATES.c.reps > 0,
                STATES.c.due <= now + LEARN_AHEAD,
            ]
        elif kind is QueueKind.REVIEW:
            conditions += [STATES.c.state == REVIEW, STATES.c.reps > 0, STATES.c.due < window.end]
        elif kind is QueueKind.NEW:
            conditions += [_IS_NEW]
        else:
            raise ValueError(f"candidates() does not serve {kind}")
        if exclude:
            conditions.append(STATES.c.card_id.not_in(list(exclude)))
        # Pick from card_states alone, then join the few picked cards' titles: joined
        # first, SQLite may walk a filter's ids through the wide cards rows instead.
        picked = (
            select(STATES.c.card_id, *_STATE_COLUMNS)
            .where(*conditions)
            .order_by(*order)
            .limit(limit)
            .subquery("picked")
        )
        query = (
            select(picked, CARDS.c.uid, CARDS.c.title, CARDS.c.source)
            .join(CARDS, CARDS.c.id == picked.c.card_id)
            .order_by(picked.c.due, picked.c.card_id)
        )
        with self.database.begin() as conn:
            rows = conn.execute(query).all()
        return _queued_cards(self.database, rows, kind)

    def interview_candidates(
        self,
        study_filter: StudyFilter,
        now: datetime,
        window: DayWindow,
        interview_at: datetime,
        threshold: float,
        *,
        limit: int,
    ) -> list[int]:
        """Review cards not due today whose recall at ``interview_at`` falls below target.

        Recall is below desired retention exactly when whole elapsed days exceed
        ``threshold`` x stability (see ``Scheduler.recall_threshold``); weakest first means
        the largest elapsed/stability ratio first.
        """
        elapsed = func.cast(
            func.julianday(literal(interview_at, STATES.c.due.type))
            - func.julianday(STATES.c.last_review),
            STATES.c.reps.type,
        )
        query = (
            select(STATES.c.card_id)
            .join(CARDS, CARDS.c.id == STATES.c.card_id)
            .where(
                *_available(now),
                *filter_conditions(study_filter),
                STATES.c.state == REVIEW,
                STATES.c.reps > 0,
                STATES.c.due >= window.end,
                STATES.c.stability > 0,
                elapsed > STATES.c.stability * threshold,
            )
            .order_by((elapsed / STATES.c.stability).desc(), STATES.c.card_id)
            .limit(limit)
        )
        with self.database.begin() as conn:
            return [int(row[0]) for row in conn.execute(query)]

    def queued_card(self, pk: int, kind: QueueKind) -> QueuedCard:
        """One card by id with its current state, as a queue entry of ``kind``."""
        query = (
            select(STATES.c.card_id, CARDS.c.uid, CARDS.c.title, CARDS.c.source, *_STATE_COLUMNS)
            .join(CARDS, CARDS.c.id == STATES.c.card_id)
            .where(STATES.c.card_id == pk)
        )
        with self.database.begin() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise UnknownCardError(f"no card with id {pk}")
        return _queued_card(row, kind)

    def available_card(self, pk: int, kind: QueueKind, now: datetime) -> QueuedCard | None:
        """One card with its current state, or None if it is gone, suspended or buried."""
        query = (
            select(STATES.c.card_id, CARDS.c.uid, CARDS.c.title, CARDS.c.source, *_STATE_COLUMNS)
            .join(CARDS, CARDS.c.id == STATES.c.card_id)
            .where(STATES.c.card_id == pk, *_shown(now))
        )
        with self.database.begin() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return _queued_card(row, kind)

    def cram_cards(self, study_filter: StudyFilter, now: datetime) -> list[QueuedCard]:
        """Every available card matching the filter, for a cram session (schedule ignored)."""
        query = (
            select(STATES.c.card_id, CARDS.c.uid, CARDS.c.title, CARDS.c.source, *_STATE_COLUMNS)
            .join(CARDS, CARDS.c.id == STATES.c.card_id)
            .where(*_available(now), *filter_conditions(study_filter))
            .order_by(CARDS.c.source, CARDS.c.line, CARDS.c.id)
        )
        with self.database.begin() as conn:
            rows = conn.execute(query).all()
        return _queued_cards(self.database, rows, QueueKind.REVIEW)

    def matching_ids(self, study_filter: StudyFilter, now: datetime) -> list[int]:
        """Ids of the available cards a filter selects, in id order."""
        query = (
            select(CARDS.c.id)
            .where(*_available(now, CARDS.c.id), *filter_conditions(study_filter, CARDS.c.id))
            .order_by(CARDS.c.id)
        )
        with self.database.begin() as conn:
            return [int(row[0]) for row in conn.execute(query)]

    def today_counts(self, window: DayWindow) -> TodayCounts:
        """Answers given in the study day ``window``, split as the daily limits count them.

        New: the card had never been answered. Review: it was in the review state.
        Learning: the rest (learning steps are not limited, as in Anki).
        """
        kind = REVIEW_LOGS.c.review_kind
        number = STATES.c.reps.type
        query = select(
            func.count(),
            func.coalesce(func.sum((kind == KIND_NEW).cast(number)), 0),
            func.coalesce(func.sum((kind == KIND_REVIEW).cast(number)), 0),
        ).where(REVIEW_LOGS.c.reviewed_at >= window.start, REVIEW_LOGS.c.reviewed_at < window.end)
        with self.database.begin() as conn:
            total, new, reviews = conn.execute(query).one()
        return TodayCounts(new=int(new), reviews=int(reviews), learning=int(total - new - reviews))

    def due_counts(self, study_filter: StudyFilter, now: datetime, window: DayWindow) -> DueCounts:
        """How many learning, review and new cards the filtered queue holds (no limits).

        Without a filter: two index-only counts, learning and review cards through
        ``(due, state, reps)`` (only cards due today are visited) and new cards through
        ``(reps, due)``. With one: a single pass over the filter's cards (read by id from
        the tag or difficulty index), which beats building the filter's id lists twice.
        Unavailable cards are excluded by id either way.
        """
        filters = filter_conditions(study_filter)
        where = [*_available(now), *filters]
        number = STATES.c.reps.type
        answered = STATES.c.reps > 0
        is_learning = and_(
            answered, STATES.c.state.in_((LEARNING, RELEARNING)), STATES.c.due <= now
        )
        is_review = and_(answered, STATES.c.state == REVIEW, STATES.c.due < window.end)
        with self.database.begin() as conn:
            if filters:
                learning, review, fresh = conn.execute(
                    select(
                        *(
                            func.coalesce(func.sum(flag.cast(number)), 0)
                            for flag in (is_learning, is_review, _IS_NEW)
                        )
                    ).where(or_(STATES.c.due < window.end, _IS_NEW), *where)
                ).one()
            else:
                learning, review = conn.execute(
                    select(
                        func.coalesce(func.sum(is_learning.cast(number)), 0),
                        func.coalesce(func.sum((STATES.c.state == REVIEW).cast(number)), 0),
                    ).where(STATES.c.due < window.end, answered, *where)
                ).one()
                fresh = conn.execute(_new_count(now)).scalar_one()
        return DueCounts(int(learning), int(review), int(fresh))

    # --- answers ---------------------------------------------------------------------

    def record_answer(
        self,
        pk: int,
        before: MemoryState,
        after: MemoryState,
        rating: int,
        reviewed_at: datetime,
        duration_ms: int,
    ) -> int:
        """Store one answer: the card's new state and its review log, in one transaction.

        Returns the review log's id. Raises ``StaleCardError`` (writing nothing) when the
        card's stored state is no longer ``before``.
        """
        with self.database.begin(write=True) as conn:
            return _write_answer(conn, pk, before, after, rating, reviewed_at, duration_ms)

    def record_answer_burying(
        self,
        pk: int,
        before: MemoryState,
        after: MemoryState,
        rating: int,
        reviewed_at: datetime,
        duration_ms: int,
        *,
        until: datetime,
        buries: Callable[[MemoryState, datetime], bool],
    ) -> tuple[int, tuple[BuriedSibling, ...]]:
        """``record_answer``, and in the same transaction bury until ``until`` the card's
        siblings that ``buries`` picks (``sibling_repo.bury_siblings_on``): the review log's
        id and the siblings buried, for undo. One transaction, so an answer never stands
        without its burial; a card without a note costs one indexed read more."""
        with self.database.begin(write=True) as conn:
            log_id = _write_answer(conn, pk, before, after, rating, reviewed_at, duration_ms)
            return log_id, bury_siblings_on(conn, pk, until, buries)

    def undo_answer(self, log_id: int) -> ReviewRecord:
        """Reverse one answer exactly: restore the state before it and delete its log.

        Raises ``StaleCardError`` when the card was answered again since (by another
        window), and ``UnknownCardError`` when the log no longer exists.
        """
        with self.database.begin(write=True) as conn:
            row = conn.execute(_log_select().where(REVIEW_LOGS.c.id == log_id)).first()
            if row is None:
                raise UnknownCardError(f"review {log_id} no longer exists; nothing to undo")
            record = _record(row)
            changed = conn.execute(
                update(STATES)
                .where(STATES.c.card_id == record.card_pk, _matches(record.after))
                .values(**record.before.columns())
            ).rowcount
            if changed != 1:
                raise StaleCardError(
                    f"card {record.card_pk} was answered again elsewhere; cannot undo"
                )
            conn.execute(delete(REVIEW_LOGS).where(REVIEW_LOGS.c.id == log_id))
            conn.execute(
                delete(SETTINGS).where(
                    SETTINGS.c.key == STATS_CACHE_KEY,
                    func.json_extract(SETTINGS.c.value, "$.boundary") > _stored(record.reviewed_at),
                )
            )
        return record

    def record_practice(self, pk: int, rating: int, reviewed_at: datetime, duration_ms: int) -> int:
        """Store one cram answer in ``practice_logs`` only; the schedule is not touched."""
        with self.database.begin(write=True) as conn:
            log_id = conn.execute(
                insert(PRACTICE_LOGS)
                .values(card_id=pk, rating=rating, reviewed_at=reviewed_at, duration_ms=duration_ms)
                .returning(PRACTICE_LOGS.c.id)
            ).scalar_one()
        return int(log_id)

    def undo_practice(self, log_id: int) -> None:
        """Delete one cram answer."""
        with self.database.begin(write=True) as conn:
            conn.execute(delete(PRACTICE_LOGS).where(PRACTICE_LOGS.c.id == log_id))

    def review_log(self, log_id: int) -> ReviewRecord | None:
        """One review-log entry, or None."""
        with self.database.begin() as conn:
            row = conn.execute(_log_select().where(REVIEW_LOGS.c.id == log_id)).first()
        return None if row is None else _record(row)

    def reviews_of(self, pk: int) -> list[ReviewRecord]:
        """A card's review log, oldest first."""
        query = (
            _log_select()
            .where(REVIEW_LOGS.c.card_id == pk)
            .order_by(REVIEW_LOGS.c.reviewed_at, REVIEW_LOGS.c.id)
        )
        with self.database.begin() as conn:
            rows = conn.execute(query).all()
        records: list[ReviewRecord] = []
        for row in rows:
            try:
                records.append(_record(row))
            except UnreadableRowError as error:
                self.database.report(str(error))
        return records

    def memory(self, pk: int) -> MemoryState:
        """A card's current stored state."""
        with self.database.begin() as conn:
            row = conn.execute(select(*_STATE_COLUMNS).where(STATES.c.card_id == pk)).first()
        if row is None:
            raise UnknownCardError(f"no card with id {pk}")
        try:
            return memory_from_row(row)
        except DECODE_ERRORS:
            raise UnreadableRowError(unreadable(f"card {pk}")) from None

    # --- suspend and bury ------------------------------------------------------------

    def set_suspended(self, pks: Iterable[int], suspended: bool) -> int:
        """Suspend (or unsuspend) cards; returns how many exist."""
        ids = list(pks)
        with self.database.begin(write=True) as conn:
            result = conn.execute(
                update(CARDS).where(CARDS.c.id.in_(ids)).values(suspended=suspended)
            )
        return int(result.rowcount)

    def reset_cards(self, pks: Iterable[int], now: datetime) -> int:
        """Make cards new again (queued after the other new cards, from ``now``), keeping
        their review history; returns how many were reset. The logs stay, so statistics,
        retention and parameter fitting still see every past answer."""
        ids = list(pks)
        with self.database.begin(write=True) as conn:
            result = conn.execute(
                update(STATES)
                .where(STATES.c.card_id.in_(ids))
                .values(**MemoryState.new(now).columns())
            )
        return int(result.rowcount)

    def next_due(self, now: datetime) -> datetime | None:
        """When the next answered card falls due (``now`` if one already is), leaving out
        suspended and missing cards; None when no card was ever answered. One indexed
        read, for a session summary's "next card due"."""
        query = (
            select(func.min(STATES.c.due))
            .select_from(STATES.join(CARDS, CARDS.c.id == STATES.c.card_id))
            .where(STATES.c.reps > 0, CARDS.c.suspended.is_(False), CARDS.c.missing.is_(False))
        )
        with self.database.begin() as conn:
            earliest: datetime | None = conn.execute(query).scalar()
        return None if earliest is None else max(earliest, now)

    def bury(self, pks: Iterable[int], until: datetime | None) -> int:
        """Hide cards until ``until`` (the next day rollover); None unburies them."""
        ids = list(pks)
        with self.database.begin(write=True) as conn:
            result = conn.execute(
                update(CARDS).where(CARDS.c.id.in_(ids)).values(buried_until=until)
            )
        return int(result.rowcount)

    # --- settings ----------------------------------------------------------------------

    def load_settings(self) -> Settings:
        """The stored settings (defaults for anything never set).

        A stored value that does not decode or validate is reported (``Database.report``)
        and its default used: a bad setting must not stop ``stats`` or the app.
        """
        query = select(SETTINGS.c.key, type_coerce(SETTINGS.c.value, String)).where(
            SETTINGS.c.key.in_(SETTING_KEYS)
        )
        with self.database.begin() as conn:
            stored, problems = decode_settings(conn.execute(query))
        settings, invalid = Settings.from_storage_reporting(stored)
        for problem in [*problems, *invalid]:
            self.database.report(problem)
        return settings

    def save_settings(self, settings: Settings, keys: Iterable[str] | None = None) -> None:
        """Store ``settings`` (only ``keys`` when given) in one transaction."""
        values = settings.to_storage()
        chosen = list(values) if keys is None else list(keys)
        with self.database.begin(write=True) as conn:
            for key in chosen:
                statement = sqlite_insert(SETTINGS).values(key=key, value=values[key])
                conn.execute(
                    statement.on_conflict_do_update(
                        index_elements=[SETTINGS.c.key], set_={"value": statement.excluded.value}
                    )
                )

    # --- history for the optimiser ---------------------------------------------------

    def review_history(self) -> dict[int, list[tuple[datetime, int]]]:
        """Every card's answers as (time, rating), oldest first, keyed by card id."""
        query = select(
            REVIEW_LOGS.c.id,
            REVIEW_LOGS.c.card_id,
            type_coerce(REVIEW_LOGS.c.reviewed_at, String),
            REVIEW_LOGS.c.rating,
        ).order_by(REVIEW_LOGS.c.card_id, REVIEW_LOGS.c.reviewed_at, REVIEW_LOGS.c.id)
        history: dict[int, list[tuple[datetime, int]]] = {}
        with self.database.begin() as conn:
            for log_id, card_id, reviewed_at, rating in conn.execute(query):
                try:
                    answer = (required_datetime(reviewed_at), stored_rating(rating))
                except DECODE_ERRORS:
                    self.database.report(unreadable(f"review log {log_id} of card {card_id}"))
                    continue
                history.setdefault(card_id, []).append(answer)
        return history


def _write_answer(
    conn: Connection,
    pk: int,
    before: MemoryState,
    after: MemoryState,
    rating: int,
    reviewed_at: datetime,
    duration_ms: int,
) -> int:
    """The answer's compare-and-set state update and its review log, on ``conn``."""
    changed = conn.execute(
        update(STATES).where(STATES.c.card_id == pk, _matches(before)).values(**after.columns())
    ).rowcount
    if changed != 1:
        raise StaleCardError(_stale_message(conn, pk))
    log_id = conn.execute(
        insert(REVIEW_LOGS)
        .values(
            card_id=pk,
            rating=rating,
            reviewed_at=reviewed_at,
            duration_ms=duration_ms,
            state_before=before.to_dict(),
            state_after=after.to_dict(),
        )
        .returning(REVIEW_LOGS.c.id)
    ).scalar_one()
    return int(log_id)


def _log_select() -> Select[Any]:
    """Whole review-log rows, the JSON and time columns raw (``_record`` decodes them)."""
    return select(
        REVIEW_LOGS.c.id,
        REVIEW_LOGS.c.card_id,
        REVIEW_LOGS.c.rating,
        type_coerce(REVIEW_LOGS.c.reviewed_at, String).label("reviewed_at"),
        REVIEW_LOGS.c.duration_ms,
        type_coerce(REVIEW_LOGS.c.state_before, String).label("state_before"),
        type_coerce(REVIEW_LOGS.c.state_after, String).label("state_after"),
    )


def _record(row: Any) -> ReviewRecord:
    """A ``ReviewRecord`` from a ``_log_select`` row; ``UnreadableRowError`` if damaged."""
    try:
        return ReviewRecord(
            id=row.id,
            card_pk=row.card_id,
            rating=stored_rating(row.rating),
            reviewed_at=required_datetime(row.reviewed_at),
            duration_ms=row.duration_ms,
            before=memory_from_json(row.state_before),
            after=memory_from_json(row.state_after),
        )
    except DECODE_ERRORS:
        raise UnreadableRowError(unreadable(f"review log {row.id} of card {row.card_id}")) from None


def _stale_message(conn: Connection, pk: int) -> str:
    row = conn.execute(select(STATES.c.reps).where(STATES.c.card_id == pk)).first()
    if row is None:
        return f"card {pk} no longer exists"
    return (
        f"card {pk} was answered elsewhere (another window?) since it was shown; "
        "its new state has been kept and this answer was not stored"
    )


def utc_now() -> datetime:
    """The current time, aware UTC (the default clock)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class StatsAggregates:
    """The raw counts statistics are computed from.

    ``days`` maps a study day (ISO date) to ``[answers, review-state answers, of those
    passed, again, hard, good, easy]``, for every day with answers in the last
    ``DAYS_KEPT`` days; ``older`` sums the same totals over every earlier day (only the
    rating counts need them). ``due_by_offset``
    counts due cards by days from today (negative: overdue), ``due_by_state`` the same per
    state, ``stability`` bins the answered cards' stability and ``recall_answers`` holds
    the latest review-state answers for calibration (the charts' inputs). A day is taken
    as exactly 24 hours from today's rollover, so a daylight-saving change may move
    answers given within an hour of the rollover to the neighbouring day.
    """

    days: dict[str, list[int]]
    older: list[int]
    states: dict[str, int]
    due_by_offset: dict[int, int]
    due_by_state: dict[str, dict[int, int]]
    stability: tuple[StabilityBin, ...]
    recall_answers: RecallAnswers
    tags: list[tuple[str, int, int, float | None, float | None]]
    difficulties: list[tuple[str, int, int, float | None, float | None]]
    interview_recall: float | None


@dataclass(frozen=True)
class RecallAnswers:
    """The latest review-state answers as the card stood before each (calibration's input).

    Parallel arrays: the stability before the answer, whole days since the card's
    previous review, and whether the answer passed (not "again").
    """

    stability: NDArray[np.float64]
    elapsed: NDArray[np.int64]
    passed: NDArray[np.bool_]


#: Settings-table key of the per-day answer totals of past (closed) study days.
#: Closed days never change (answers are stamped "now"), so ``stats`` re-reads only the
#: review log since the cache's boundary instead of scanning a million rows each time.
#: Undoing an answer from before the boundary drops the cache (see ``undo_answer``).
STATS_CACHE_KEY = "cache.stats_days"
_STATS_CACHE_VERSION = 2
#: Days kept one by one (the heatmap and true retention look back a year at most); older
#: days are folded into one total so that a 15-year history stays a small cache.
DAYS_KEPT = 400


def _stored(moment: datetime) -> str:
    """A datetime in the exact text form SQLAlchemy stores it in SQLite (naive UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


#: Every answer since ``:since`` packed into one integer (see ``day_totals``), all in one
#: string: read from the ``(reviewed_at, review_kind, rating)`` index, a million answers
#: take a third of the time a SQL ``GROUP BY`` (which sorts them) would. The time is
#: exact unix milliseconds (``julianday`` holds whole milliseconds; ``round`` undoes the
#: float), using only SQLite's core functions.
_PACKED_ANSWERS = f"""
SELECT group_concat(
    (CAST(round((julianday(reviewed_at) - 2440587.5) * 86400000.0) AS INTEGER)
        << {ANSWER_SHIFT})
    | (CASE WHEN rating BETWEEN 1 AND 4 THEN rating WHEN rating > 4 THEN 5 ELSE 0 END << 1)
    | (review_kind = {KIND_REVIEW}), ',')
FROM review_logs WHERE reviewed_at >= :since
"""

#: Whole days since the last review at julian day ``{at}``, or ``NO_RECALL``.
_ELAPSED = f"""CASE WHEN reps > 0 AND stability > 0 AND last_review IS NOT NULL
    THEN CAST(max(floor({{at}} - julianday(last_review)), 0) AS INTEGER)
    ELSE {NO_RECALL} END"""


def _card_columns_sql(interview: bool, *, readable_only: bool = False) -> str:
    """Every present card's facts, one ``group_concat`` string per column.

    One row back instead of 100,000: NumPy parses the strings (``np.fromstring``) many
    times faster than Python builds a row tuple per card. All aggregates of one query walk
    the rows in the same order, so their entries line up. ``readable_only`` leaves out
    the rows ``READABLE_STATE`` rejects (which costs a third more, so only after the plain
    query failed on one).
    """
    columns = [
        "coalesce(stability, 0)",
        "card_id",
        "CASE WHEN reps = 0 THEN 0 WHEN state IN (1, 2) THEN state ELSE 3 END",
        "reps > 0 AND due < :end",
        f"""CASE WHEN reps > 0 AND due < :horizon
            THEN CAST(floor(julianday(due) - :start_jd) AS INTEGER) ELSE {NO_OFFSET} END""",
        _ELAPSED.format(at=":now_jd"),
    ]
    if interview:
        columns.append(_ELAPSED.format(at=":interview_jd"))
    packed = ",\n       ".join(f"group_concat({column}, ',')" for column in columns)
    where = f"WHERE {READABLE_STATE}" if readable_only else ""
    return f"""
SELECT {packed}
FROM card_states
{where}
"""


#: The ``card_states`` rows statistics can use: as far as SQL can tell, those
#: ``row_decode.memory_state`` accepts (numbers that are numbers, times SQLite can read).
#: A time SQLite cannot read makes ``floor`` fail (or gives a NULL that ``group_concat``
#: skips, misaligning the columns), so after such a failure the rows are read again
#: without the unreadable ones, which are reported (``_report_unreadable_states``).
READABLE_STATE = """state IN (1, 2, 3) AND typeof(reps) = 'integer' AND reps >= 0
  AND typeof(stability) IN ('real', 'integer', 'null')
  AND julianday(due) IS NOT NULL
  AND (last_review IS NULL OR julianday(last_review) IS NOT NULL)"""


def _report_unreadable_states(database: Database, conn: Connection) -> None:
    """Report each state row ``READABLE_STATE`` leaves out."""
    for (uid,) in conn.exec_driver_sql(
        "SELECT coalesce(cards.uid, card_states.card_id) FROM card_states"
        f" LEFT JOIN cards ON cards.id = card_states.card_id WHERE NOT ({READABLE_STATE})"
        " ORDER BY card_states.card_id"
    ):
        database.report(unreadable(f"card {uid}"))


#: Suspended and missing cards, from the partial index of unavailable cards.
_HIDDEN_SQL = f"""SELECT id, missing FROM cards
WHERE ({UNAVAILABLE_WHERE}) AND (suspended = 1 OR missing = 1)"""

#: Card ids per tag, from the ``(tag_id, card_id)`` index in one ordered pass.
_TAG_IDS_SQL = """
SELECT t.name, g.ids FROM (
    SELECT tag_id, group_concat(card_id, ',') AS ids FROM card_tags GROUP BY tag_id
) AS g JOIN tags t ON t.id = g.tag_id ORDER BY t.key
"""

#: Card ids per difficulty, from the difficulty index in one ordered pass.
_DIFFICULTY_IDS_SQL = """
SELECT coalesce(difficulty, 'none'), group_concat(id, ',') FROM cards GROUP BY difficulty
"""


def _stats_cache(conn: Connection) -> Any:
    """The stored per-day totals, or None when absent or unreadable (it is rebuilt)."""
    raw = conn.execute(
        select(type_coerce(SETTINGS.c.value, String)).where(SETTINGS.c.key == STATS_CACHE_KEY)
    ).scalar()
    try:
        return json_value(raw)
    except DECODE_ERRORS:
        return None


def _well_formed_totals(cache: dict[str, Any]) -> bool:
    """True when the cache's totals have the shape ``stats_aggregates`` adds up."""

    def totals(row: Any) -> bool:
        return isinstance(row, list) and len(row) == 7 and all(type(n) is int for n in row)

    days = cache.get("days", {})
    return (
        isinstance(days, dict)
        and all(isinstance(day, str) and totals(row) for day, row in days.items())
        and totals(cache.get("older", [0] * 7))
    )


def _ids(packed: str | None) -> NDArray[np.int64]:
    """Integers from a ``group_concat`` string (None: no rows)."""
    import numpy as np

    return np.fromstring(packed or "", dtype=np.int64, sep=",")


def _card_columns(
    database: Database, conn: Connection, params: dict[str, Any], interview: bool
) -> CardColumns:
    """``CardColumns`` for every present card (missing ones left out), from packed strings.

    Unreadable state rows are left out and reported (see ``READABLE_STATE``).
    """
    import numpy as np

    try:
        stability, ids, kind, due_today, offset, elapsed_now, *later = _packed_columns(
            conn.execute(text(_card_columns_sql(interview)), params).one()
        )
    except (OperationalError, ValueError):
        query = _card_columns_sql(interview, readable_only=True)
        stability, ids, kind, due_today, offset, elapsed_now, *later = _packed_columns(
            conn.execute(text(query), params).one()
        )
        _report_unreadable_states(database, conn)
    hidden = conn.exec_driver_sql(_HIDDEN_SQL).all()
    missing = np.isin(ids, [int(pk) for pk, is_missing in hidden if is_missing])
    suspended = np.isin(ids, [int(pk) for pk, is_missing in hidden if not is_missing])
    columns = CardColumns(
        ids=ids,
        kind=kind,
        suspended=suspended,
        due_today=due_today.astype(bool),
        due_offset=offset,
        elapsed_now=elapsed_now,
        elapsed_interview=later[0] if later else np.full_like(ids, NO_RECALL),
        stability=stability,
    )
    return columns.without(missing) if missing.any() else columns


def _packed_columns(row: Sequence[Any]) -> list[NDArray[Any]]:
    """The arrays of one ``_card_columns_sql`` row: stability as floats, the rest integers.

    Raises ``ValueError`` unless every entry parses and all columns have one entry per
    card: a value SQL could not compute is skipped by ``group_concat`` and would shift
    every later entry onto the wrong card.
    """
    import warnings

    import numpy as np

    with warnings.catch_warnings():
        # NumPy warns (and stops) at text it cannot parse: that is a misaligned column.
        warnings.simplefilter("error", DeprecationWarning)
        try:
            arrays: list[NDArray[Any]] = [
                np.fromstring(row[0] or "", dtype=np.float64, sep=","),
                *(_ids(column) for column in row[1:]),
            ]
        except DeprecationWarning:
            raise ValueError("a packed column holds text that is not a number") from None
    if len({len(array) for array in arrays}) != 1:
        raise ValueError("packed columns of different lengths")
    return arrays


def _id_groups(conn: Connection, sql: str) -> list[tuple[str, NDArray[np.int64]]]:
    """(name, card ids) pairs; rows sharing a name (``none`` and NULL) are merged."""
    import numpy as np

    groups: dict[str, list[NDArray[np.int64]]] = {}
    for name, packed in conn.exec_driver_sql(sql):
        groups.setdefault(str(name), []).append(_ids(packed))
    return [(name, np.concatenate(parts)) for name, parts in groups.items()]


def stats_aggregates(
    database: Database,
    *,
    now: datetime,
    window: DayWindow,
    decay: float,
    factor: float,
    interview_at: datetime | None,
) -> StatsAggregates:
    """Every aggregate ``quizapp stats`` needs, read in one transaction.

    Per-card facts come back as NumPy arrays (``CardColumns``) and the card ids of each
    tag and difficulty as arrays too; ``scheduling.stats.summarise`` does the arithmetic.
    Per-day answer totals of closed days come from a cache kept in the settings table,
    refreshed (one short write) when a new day has closed since it was written; the rest
    are counted from the ``(reviewed_at, review_kind, rating)`` index.
    """
    start = _stored(window.start)
    shift = [window.start.hour, window.start.minute]
    params: dict[str, Any] = {
        "end": _stored(window.end),
        "horizon": _stored(window.start + timedelta(days=30)),
    }
    interview = interview_at is not None
    with database.begin() as conn:
        jd = conn.exec_driver_sql(
            "SELECT julianday(?), julianday(?), julianday(?)",
            (start, _stored(now), _stored(interview_at or now)),
        ).one()
        params.update(start_jd=jd[0], now_jd=jd[1], interview_jd=jd[2])
        cached = _stats_cache(conn)
        usable = (
            isinstance(cached, dict)
            and cached.get("version") == _STATS_CACHE_VERSION
            and cached.get("shift") == shift
            and str(cached.get("boundary", "")) <= start
            and _well_formed_totals(cached)
        )
        cache: dict[str, Any] = cached if usable and isinstance(cached, dict) else {}
        days: dict[str, list[int]] = {day: list(row) for day, row in cache.get("days", {}).items()}
        older = list(cache.get("older", [0] * 7))
        params["since"] = cache.get("boundary", "")
        packed = conn.execute(text(_PACKED_ANSWERS), params).scalar()
        start_ms = round(window.start.timestamp() * 1000)
        for ago, totals in day_totals(_ids(packed), start_ms).items():
            day = (window.day - timedelta(days=ago)).isoformat()
            row = days.setdefault(day, [0] * 7)
            days[day] = [a + b for a, b in zip(row, totals, strict=True)]
        cutoff = (window.day - timedelta(days=DAYS_KEPT)).isoformat()
        for day in [day for day in days if day < cutoff]:
            older = [a + b for a, b in zip(older, days.pop(day), strict=True)]
        columns = _card_columns(database, conn, params, interview)
        recall_answers = _recall_answers(database, conn)
        tags = _id_groups(conn, _TAG_IDS_SQL)
        difficulties = _id_groups(conn, _DIFFICULTY_IDS_SQL)
    if cache.get("boundary") != start:
        closed = {day: row for day, row in days.items() if day < window.day.isoformat()}
        value = {
            "version": _STATS_CACHE_VERSION,
            "shift": shift,
            "boundary": start,
            "days": closed,
            "older": older,
        }
        with database.begin(write=True) as conn:
            statement = sqlite_insert(SETTINGS).values(key=STATS_CACHE_KEY, value=value)
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=[SETTINGS.c.key], set_={"value": statement.excluded.value}
                )
            )
    summary = summarise(
        columns,
        tags,
        sorted(difficulties),
        decay=decay,
        factor=factor,
        interview=interview,
    )
    return StatsAggregates(
        days=days,
        older=older,
        states=summary.states,
        due_by_offset=summary.due_by_offset,
        due_by_state=summary.due_by_state,
        stability=summary.stability,
        recall_answers=recall_answers,
        tags=summary.tags,
        difficulties=summary.difficulties,
        interview_recall=summary.interview_recall,
    )


#: The latest ``CALIBRATION_ANSWERS`` answers to cards in the review state, newest first
#: from the ``(reviewed_at, review_kind, rating)`` index: stability before, whole days
#: since the previous review, passed. Rows whose state cannot give a prediction (no
#: stability, no previous review, JSON that is not JSON) are left out, so the packed
#: columns line up.
_RECALL_ANSWERS_SQL = f"""
SELECT group_concat(stability, ','),
       group_concat(CAST(max(floor(days), 0) AS INTEGER), ','),
       group_concat(passed, ',')
FROM (
    SELECT json_extract(state_before, '$.stability') AS stability,
           julianday(reviewed_at)
               - julianday(json_extract(state_before, '$.last_review')) AS days,
           rating > 1 AS passed
    FROM (
        SELECT reviewed_at, rating, CASE WHEN json_valid(state_before)
            THEN state_before ELSE '{{}}' END AS state_before
        FROM review_logs WHERE review_kind = {KIND_REVIEW}
        ORDER BY reviewed_at DESC LIMIT {CALIBRATION_ANSWERS}
    )
) WHERE typeof(stability) IN ('real', 'integer') AND stability > 0 AND days IS NOT NULL
"""


def _recall_answers(database: Database, conn: Connection) -> RecallAnswers:
    """``RecallAnswers`` of the latest review-state answers; none if they cannot be read.

    A log that does not decode is left out by the query; should the packed columns still
    not line up, calibration is skipped (and said so) rather than drawn from wrong pairs.
    """
    import numpy as np

    row = conn.exec_driver_sql(_RECALL_ANSWERS_SQL).one()
    try:
        stability, elapsed, passed = _packed_columns(row)
    except ValueError:
        database.report(unreadable("review logs for the calibration chart"))
        stability, elapsed, passed = np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return RecallAnswers(stability, elapsed, passed.astype(bool))


@dataclass(frozen=True)
class GroupDue:
    """One deck, tag or difficulty: its present cards, and its due cards by kind.

    ``cards`` counts cards whose file is present (suspended ones included); ``due``
    counts as ``StudyRepository.due_counts`` does for the matching filter (before the
    daily limits).
    """

    name: str
    cards: int
    due: DueCounts


@dataclass(frozen=True)
class DueByGroup:
    """Due counts of every deck (sub-decks counted in their parents), tag and difficulty."""

    decks: tuple[GroupDue, ...]
    tags: tuple[GroupDue, ...]
    difficulties: tuple[GroupDue, ...]


_UNAVAILABLE_NOW_SQL = f"""SELECT id FROM cards WHERE ({UNAVAILABLE_WHERE})
AND (suspended = 1 OR missing = 1 OR buried_until > :now)"""

#: Learning cards due now (kind 0) and review cards due today (kind 1), available ones.
_DUE_ANSWERED_SQL = f"""
SELECT group_concat(card_id, ','), group_concat(state = {REVIEW}, ',') FROM card_states
WHERE due < :end AND reps > 0
  AND (state = {REVIEW} OR (state IN ({LEARNING}, {RELEARNING}) AND due <= :now))
  AND card_id NOT IN ({_UNAVAILABLE_NOW_SQL})
"""

_NEW_IDS_SQL = f"""
SELECT group_concat(card_id, ',') FROM card_states INDEXED BY ix_card_states_new
WHERE reps = 0 AND card_id NOT IN ({_UNAVAILABLE_NOW_SQL})
"""

#: Card ids per deck, from the deck index in one ordered pass.
_DECK_IDS_SQL = """
SELECT d.name, g.ids FROM (
    SELECT deck_id, group_concat(id, ',') AS ids FROM cards GROUP BY deck_id
) AS g JOIN decks d ON d.id = g.deck_id ORDER BY d.name
"""


def due_by_group(database: Database, now: datetime, window: DayWindow) -> DueByGroup:
    """Every deck's, tag's and difficulty's due counts, in one read of a few indexes.

    The same numbers as ``due_counts`` with ``StudyFilter(deck=...)``,
    ``StudyFilter(tags_any=(tag,))`` or ``StudyFilter(difficulties=(level,))`` for each
    group, at the cost of about one such call instead of one per group: the due cards'
    ids and kinds, and each group's card ids, come back as ``group_concat`` strings and
    are tallied with NumPy.
    """
    import numpy as np

    params = {"now": _stored(now), "end": _stored(window.end)}
    with database.begin() as conn:
        answered, is_review = conn.execute(text(_DUE_ANSWERED_SQL), params).one()
        new = conn.execute(text(_NEW_IDS_SQL), params).scalar()
        missing = [int(pk) for pk, gone in conn.exec_driver_sql(_HIDDEN_SQL) if gone]
        decks = _id_groups(conn, _DECK_IDS_SQL)
        tags = _id_groups(conn, _TAG_IDS_SQL)
        difficulties = sorted(_id_groups(conn, _DIFFICULTY_IDS_SQL))
    due_ids = np.concatenate([_ids(answered), _ids(new)])
    kinds = np.concatenate([_ids(is_review), np.full(len(_ids(new)), 2, dtype=np.int64)])
    top = int(max([due_ids.max(initial=0), *(ids.max(initial=0) for _, ids in decks)]))
    kind_of = np.full(top + 1, -1, dtype=np.int64)
    kind_of[due_ids] = kinds
    gone = np.zeros(top + 1, dtype=bool)
    gone[[pk for pk in missing if pk <= top]] = True

    def tally(ids: NDArray[np.int64]) -> tuple[int, NDArray[np.int64]]:
        ids = ids[(ids >= 0) & (ids <= top)]
        ids = ids[~gone[ids]]
        kind = kind_of[ids]
        return len(ids), np.bincount(kind[kind >= 0], minlength=3)

    def groups(members: list[tuple[str, NDArray[np.int64]]]) -> tuple[GroupDue, ...]:
        result = []
        for name, ids in members:
            cards, counts = tally(ids)
            if cards:
                due = DueCounts(int(counts[0]), int(counts[1]), int(counts[2]))
                result.append(GroupDue(name, cards, due))
        return tuple(result)

    own = groups(decks)
    rolled = []
    for deck in own:
        key = deck.name.casefold()
        inside = [
            g for g in own if g.name.casefold() == key or g.name.casefold().startswith(key + "/")
        ]
        due = DueCounts(
            sum(g.due.learning for g in inside),
            sum(g.due.review for g in inside),
            sum(g.due.new for g in inside),
        )
        rolled.append(GroupDue(deck.name, sum(g.cards for g in inside), due))
    return DueByGroup(decks=tuple(rolled), tags=groups(tags), difficulties=groups(difficulties))
