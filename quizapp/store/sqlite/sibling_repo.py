"""Finding a card's siblings and burying them for the day (see ``scheduling/siblings``).

Siblings are the other cards of one note: the same non-empty ``cards.note`` from the same
file, found through the partial index ``ix_cards_note``. A card without a note (every
native card) costs one indexed point read and no write. An answer buries its card's
siblings inside its own transaction (``AnswerRepository.record_answer_burying`` calls
:func:`bury_siblings_on`), so the two stand or fall together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, String, and_, bindparam, select, text, type_coerce, update

from quizapp.scheduling.memory import MemoryState
from quizapp.store.db import Database
from quizapp.store.records import BuriedSibling
from quizapp.store.tables import CARD_STATES, CARDS, HAS_NOTE_WHERE

#: What reading a damaged state row raises; such a sibling is left as it is.
_DAMAGED = (ValueError, TypeError, KeyError, OverflowError)


def _time(raw: Any) -> datetime | None:
    """A time column read raw (naive UTC text) as an aware UTC datetime."""
    if raw is None:
        return None
    return datetime.fromisoformat(str(raw)).replace(tzinfo=UTC)


def _memory(row: Any) -> MemoryState:
    due = _time(row.due)
    if due is None:
        raise ValueError("a state without a due time")
    return MemoryState(
        state=int(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=due,
        last_review=_time(row.last_review),
        reps=int(row.reps),
        lapses=int(row.lapses),
    )


def _raw(column: Any) -> Any:
    """``column`` as stored, so one damaged time spoils its own row, not the read."""
    return type_coerce(column, String).label(column.name)


class SiblingRepository:
    """Sibling queries over one open ``Database``."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def sibling_ids(self, pk: int) -> list[int]:
        """The keys of the other present cards of ``pk``'s note, in key order."""
        with self.database.begin() as conn:
            found = note_of_card(conn, pk)
            if found is None:
                return []
            note, source_path = found
            query = select(CARDS.c.id).where(*_of_note(note, source_path, pk)).order_by(CARDS.c.id)
            return [int(sibling) for sibling in conn.execute(query).scalars()]

    def bury_siblings(
        self, pk: int, until: datetime, buries: Callable[[MemoryState, datetime], bool]
    ) -> tuple[BuriedSibling, ...]:
        """:func:`bury_siblings_on` in a transaction of its own (answers use
        ``AnswerRepository.record_answer_burying``, which buries in the answer's)."""
        with self.database.begin() as conn:
            if note_of_card(conn, pk) is None:
                return ()
        with self.database.begin(write=True) as conn:
            return bury_siblings_on(conn, pk, until, buries)

    def unbury(self, buried: Sequence[BuriedSibling], until: datetime) -> int:
        """Undo ``bury_siblings``: each sibling still buried until ``until`` gets back the
        burial it had before; one buried or unburied since is left alone. Returns how
        many were put back."""
        if not buried:
            return 0
        restored = 0
        with self.database.begin(write=True) as conn:
            for sibling in buried:
                result = conn.execute(
                    update(CARDS)
                    .where(CARDS.c.id == sibling.pk, CARDS.c.buried_until == until)
                    .values(buried_until=sibling.previous)
                )
                restored += int(result.rowcount)
        return restored


def bury_siblings_on(
    conn: Connection, pk: int, until: datetime, buries: Callable[[MemoryState, datetime], bool]
) -> tuple[BuriedSibling, ...]:
    """On ``conn`` (a write transaction), bury until ``until`` the siblings of ``pk`` that
    ``buries`` picks, leaving out suspended cards and those already buried at least that
    long; returns those buried. A card without a note costs one indexed point read."""
    return bury_note_siblings(conn, pk, note_of_card(conn, pk), until, buries)


def bury_note_siblings(
    conn: Connection,
    pk: int,
    found: tuple[str, str] | None,
    until: datetime,
    buries: Callable[[MemoryState, datetime], bool],
) -> tuple[BuriedSibling, ...]:
    """``bury_siblings_on`` for a card whose note and file (``found``, None without a
    note) were read already, as PostgreSQL's answer reads them in its own statement."""
    if found is None:
        return ()
    note, source_path = found
    rows = conn.execute(
        select(
            CARDS.c.id,
            _raw(CARDS.c.buried_until),
            CARD_STATES.c.state,
            CARD_STATES.c.step,
            CARD_STATES.c.stability,
            CARD_STATES.c.difficulty,
            _raw(CARD_STATES.c.due),
            _raw(CARD_STATES.c.last_review),
            CARD_STATES.c.reps,
            CARD_STATES.c.lapses,
        )
        .select_from(CARDS.join(CARD_STATES, CARD_STATES.c.card_id == CARDS.c.id))
        .where(*_of_note(note, source_path, pk), CARDS.c.suspended.is_(False))
        .order_by(CARDS.c.id)
    ).all()
    chosen: list[BuriedSibling] = []
    for row in rows:
        try:
            previous = _time(row.buried_until)
            memory = _memory(row)
        except _DAMAGED:
            continue
        if previous is not None and previous >= until:
            continue
        if buries(memory, until):
            chosen.append(BuriedSibling(int(row.id), previous))
    if chosen:
        conn.execute(
            update(CARDS).where(CARDS.c.id == bindparam("pk")).values(buried_until=until),
            [{"pk": sibling.pk} for sibling in chosen],
        )
    return tuple(chosen)


def note_of_card(conn: Connection, pk: int) -> tuple[str, str] | None:
    """The note and file of card ``pk``, or None when it has no note (or is gone)."""
    row = conn.execute(select(CARDS.c.note, CARDS.c.source_path).where(CARDS.c.id == pk)).first()
    return None if row is None else note_of(row.note, row.source_path)


def note_of(note: str | None, source_path: str | None) -> tuple[str, str] | None:
    """A card's (note, file) as ``bury_note_siblings`` takes it: None without a note."""
    if not note:
        return None
    return str(note), str(source_path)


def _of_note(note: str, source_path: str, pk: int) -> list[Any]:
    """The other present cards of a note, in one file."""
    # The partial index's own condition, word for word, so SQLite may read it.
    return [
        text(HAS_NOTE_WHERE),
        and_(CARDS.c.note == note, CARDS.c.source_path == source_path),
        CARDS.c.id != pk,
        CARDS.c.missing.is_(False),
    ]
