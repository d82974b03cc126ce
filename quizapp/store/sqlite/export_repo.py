"""Reading what an export to another app needs: the chosen cards, and their answers.

``quizapp export`` reads 10,000 cards and 100,000 answers at once, and must not take
much longer than Anki takes to write them. So this reads only what an Anki note holds
(content, deck, tags, memory state, suspension: no aliases, languages, related
questions or sources), and answers' states through the database's JSON functions
(SQLite's ``json_extract``; PostgreSQL's ``->``, in ``store/postgres/export_repo.py``),
never by parsing whole JSON documents in Python. Rows that do not decode are reported by id and
left out, as ``card_repo`` does; ``quizapp doctor`` repairs them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, String, case, func, select, type_coerce

from quizapp.cards.model import Card, CardKind
from quizapp.scheduling.memory import LEARNING, RELEARNING, REVIEW, MemoryState
from quizapp.store.card_rows import exercises_from_json, extras_from_json, steps_from_json
from quizapp.store.db import Database
from quizapp.store.records import CardFilter, ReviewRecord, StoredCard
from quizapp.store.row_decode import (
    DECODE_ERRORS,
    json_list,
    json_value,
    memory_state,
    required_datetime,
    stored_rating,
    unreadable,
    utc_datetime,
)
from quizapp.store.sqlite.card_repo import filter_clause, filtered_from
from quizapp.store.tables import CARD_STATES, CARD_TAGS, CARDS, DECKS, REVIEW_LOGS, TAGS

#: The state fields an export reads from a review log's JSON, in ``memory_state`` order.
STATE_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")


def _raw(column: Any, name: str | None = None) -> Any:
    return type_coerce(column, String).label(name or column.name)


def _time(raw: Any) -> datetime:
    value = datetime.fromisoformat(raw)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


#: In :func:`_decoded_all`'s answer, a value left to be decoded on its own.
_ON_ITS_OWN = object()


def _decoded_all(raws: list[Any]) -> list[Any]:
    """The JSON arrays ``state_fields`` gave, the texts decoded by one ``json.loads``
    (200,000 calls cost more than the parsing). Anything else (PostgreSQL's come
    decoded, a damaged row's is NULL), and every value when the texts do not decode
    together, is :data:`_ON_ITS_OWN`: :func:`_state` decodes it, or reports it."""
    batched = [isinstance(raw, str) and raw.startswith("[") for raw in raws]
    try:
        values = json.loads(
            "["
            + ",".join(raw if ok else "null" for raw, ok in zip(raws, batched, strict=True))
            + "]"
        )
    except ValueError:
        return [_ON_ITS_OWN] * len(raws)
    if len(values) != len(raws):
        return [_ON_ITS_OWN] * len(raws)
    return [value if ok else _ON_ITS_OWN for value, ok in zip(values, batched, strict=True)]


def _state(raw: Any, decoded: Any = _ON_ITS_OWN) -> MemoryState:
    """A review log's state from its ``state_fields`` array (``decoded`` already, where
    :func:`_decoded_all` could). Checked for what an export reads (a known state,
    times, counts), more cheaply than ``row_decode.memory_state``: an export decodes
    200,000 of them."""
    values = json_value(raw) if decoded is _ON_ITS_OWN else decoded
    if not isinstance(values, list) or len(values) != len(STATE_FIELDS):
        raise ValueError("a stored state must be a JSON object")
    state, step, stability, difficulty, due, last_review, reps, lapses = values
    if state not in (LEARNING, REVIEW, RELEARNING) or isinstance(state, bool):
        raise ValueError(f"state {state!r} is not 1, 2 or 3")
    for number in (stability, difficulty):
        if number is not None and not isinstance(number, int | float):
            raise TypeError(f"{number!r} is not a number")
    return MemoryState(
        state=state,
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=_time(due),
        last_review=_time(last_review) if last_review is not None else None,
        reps=int(reps or 0),  # a state written before reps were stored has none
        lapses=int(lapses or 0),
    )


class ExportRepository:
    """The reads behind an export, answering with the store's dataclasses. A backend's
    repository overrides ``state_fields``, the one expression in SQLite's own SQL, and
    ``by_code_point``, so that cards come in the same order everywhere."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @staticmethod
    def by_code_point(column: Any) -> Any:
        """``column`` sorted by code point (SQLite's binary collation already does)."""
        return column

    @staticmethod
    def state_fields(column: Any, label: str) -> Any:
        """A state's fields as one JSON array, in ``STATE_FIELDS`` order
        (``json_extract`` with several paths parses the document once; a call per field
        would parse it eight times), NULL where the column is not valid JSON:
        ``json_extract`` would fail the whole query, where a NULL fails only its row's
        decoding."""
        valid = case((func.json_valid(column) == 1, column), else_=None)
        paths = [f"$.{name}" for name in STATE_FIELDS]
        return func.json_extract(valid, *paths).label(label)

    def cards(self, card_filter: CardFilter | None = None) -> list[StoredCard]:
        """The cards ``card_filter`` picks (missing ones left out unless it says
        otherwise), by deck and id, with their tags, memory state, suspension and last
        edit. Each ``Card`` holds what an export writes: title, question, steps, tags,
        difficulty, deck, exercises, kind, note and extras."""
        where = filter_clause(card_filter or CardFilter())
        query = (
            select(
                CARDS.c.id,
                CARDS.c.uid,
                CARDS.c.title,
                CARDS.c.question,
                _raw(CARDS.c.steps),
                CARDS.c.difficulty,
                _raw(CARDS.c.exercises),
                CARDS.c.kind,
                CARDS.c.note,
                _raw(CARDS.c.extras),
                CARDS.c.suspended,
                CARDS.c.source,
                _raw(CARDS.c.updated_at),
                DECKS.c.name.label("deck_name"),
                CARD_STATES.c.state,
                CARD_STATES.c.step,
                CARD_STATES.c.stability,
                CARD_STATES.c.difficulty.label("fsrs_difficulty"),
                _raw(CARD_STATES.c.due),
                _raw(CARD_STATES.c.last_review),
                CARD_STATES.c.reps,
                CARD_STATES.c.lapses,
            )
            .select_from(filtered_from())
            .where(where)
            .order_by(self.by_code_point(DECKS.c.name), self.by_code_point(CARDS.c.uid))
        )
        with self.database.begin() as conn:
            rows = conn.execute(query).all()
            tags = self._tags(conn, where) if rows else {}
        cards: list[StoredCard] = []
        for row in rows:
            try:
                cards.append(self._stored(row, tags.get(row.id, ())))
            except DECODE_ERRORS:
                self.database.report(unreadable(f"card {row.uid}"))
        return cards

    @staticmethod
    def _tags(conn: Any, where: ColumnElement[bool]) -> dict[int, tuple[str, ...]]:
        ids = select(CARDS.c.id).select_from(filtered_from()).where(where)
        found: dict[int, list[str]] = {}
        for card_id, name in conn.execute(
            select(CARD_TAGS.c.card_id, TAGS.c.name)
            .select_from(CARD_TAGS.join(TAGS, TAGS.c.id == CARD_TAGS.c.tag_id))
            .where(CARD_TAGS.c.card_id.in_(ids))
            .order_by(CARD_TAGS.c.card_id, CARD_TAGS.c.position)
        ):
            found.setdefault(card_id, []).append(name)
        return {card_id: tuple(names) for card_id, names in found.items()}

    @staticmethod
    def _stored(row: Any, tags: tuple[str, ...]) -> StoredCard:
        card = Card(
            id=row.uid,
            title=row.title,
            question=row.question,
            steps=steps_from_json(json_list(row.steps)),
            tags=tags,
            difficulty=row.difficulty,
            deck=row.deck_name,
            exercises=exercises_from_json(json_list(row.exercises)),
            source=row.source,
            kind=CardKind(row.kind),
            note=row.note,
            extras=extras_from_json(row.extras),
        )
        memory = memory_state(
            row.state,
            row.step,
            row.stability,
            row.fsrs_difficulty,
            row.due,
            row.last_review,
            row.reps,
            row.lapses,
        )
        return StoredCard(
            pk=row.id,
            card=card,
            memory=memory,
            suspended=bool(row.suspended),
            updated_at=utc_datetime(row.updated_at),
        )

    def reviews(self, card_filter: CardFilter | None = None) -> dict[int, list[ReviewRecord]]:
        """The review log of every card ``card_filter`` picks, by card pk, oldest first."""
        where = filter_clause(card_filter or CardFilter())
        ids = select(CARDS.c.id).select_from(filtered_from()).where(where)
        query = (
            select(
                REVIEW_LOGS.c.id,
                REVIEW_LOGS.c.card_id,
                REVIEW_LOGS.c.rating,
                _raw(REVIEW_LOGS.c.reviewed_at),
                REVIEW_LOGS.c.duration_ms,
                self.state_fields(REVIEW_LOGS.c.state_before, "before"),
                self.state_fields(REVIEW_LOGS.c.state_after, "after"),
            )
            .where(REVIEW_LOGS.c.card_id.in_(ids))
            .order_by(REVIEW_LOGS.c.card_id, REVIEW_LOGS.c.reviewed_at, REVIEW_LOGS.c.id)
        )
        history: dict[int, list[ReviewRecord]] = {}
        with self.database.begin() as conn:
            rows = conn.execute(query).all()
        befores = _decoded_all([row.before for row in rows])
        afters = _decoded_all([row.after for row in rows])
        for index, row in enumerate(rows):
            try:
                record = ReviewRecord(
                    id=row.id,
                    card_pk=row.card_id,
                    rating=stored_rating(row.rating),
                    reviewed_at=required_datetime(row.reviewed_at),
                    duration_ms=int(row.duration_ms or 0),
                    before=_state(row.before, befores[index]),
                    after=_state(row.after, afters[index]),
                )
            except DECODE_ERRORS:
                self.database.report(unreadable(f"review log {row.id} of card {row.card_id}"))
                continue
            history.setdefault(row.card_id, []).append(record)
        return history
