"""Writing the review history that imported cards bring (issue 15).

A card imported from Anki brings its answers; the importer merges them with the answers
already stored (``interop/anki/history.py``) and this module stores the result: each
card's review logs replaced by the merged history, its memory state, its cram answers as
practice logs, and, for a card new to the database, whether it is suspended. Its
``HistoryWriter`` runs inside the transaction that writes the cards
(``ImportWriter.write_files(histories=)``), so a package's cards and their history are
stored together or not at all.

The merge is computed from the answers read before the write lock was taken. If answers
were added to one of the cards meanwhile (a review in the app during the import), the
write stops with :class:`HistoryChanged` rather than lose them; importing again merges
them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, func, select, update

from quizapp.scheduling.memory import MemoryState
from quizapp.store.db import Database
from quizapp.store.errors import HistoryChanged
from quizapp.store.records import ImportedCard, ReviewRecord, StoredHistory
from quizapp.store.sqlite.import_repo import _chunks, _insert_many
from quizapp.store.sqlite.time_text import sqlite_time_text
from quizapp.store.state_text import state_json
from quizapp.store.tables import (
    CARD_STATES,
    CARDS,
    PRACTICE_LOGS,
    REVIEW_LOGS,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _epoch_ms(moment: datetime) -> int:
    """Whole milliseconds since the epoch (how Anki times its answers)."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def load_histories(database: Database, pks: Iterable[int]) -> dict[int, StoredHistory]:
    """The stored answers of the cards ``pks``, by card key (cards without any absent)."""
    wanted = sorted(set(pks))
    found: dict[int, StoredHistory] = {}
    with database.begin() as conn:
        for chunk in _chunks(wanted, 500):
            for row in conn.execute(
                select(
                    REVIEW_LOGS.c.id,
                    REVIEW_LOGS.c.card_id,
                    REVIEW_LOGS.c.rating,
                    REVIEW_LOGS.c.reviewed_at,
                    REVIEW_LOGS.c.duration_ms,
                    REVIEW_LOGS.c.state_before,
                    REVIEW_LOGS.c.state_after,
                )
                .where(REVIEW_LOGS.c.card_id.in_(chunk))
                .order_by(REVIEW_LOGS.c.reviewed_at, REVIEW_LOGS.c.id)
            ):
                found.setdefault(row.card_id, StoredHistory()).reviews.append(
                    ReviewRecord(
                        row.id,
                        row.card_id,
                        row.rating,
                        row.reviewed_at,
                        row.duration_ms,
                        MemoryState.from_dict(row.state_before),
                        MemoryState.from_dict(row.state_after),
                    )
                )
            for card_id, rating, reviewed_at in conn.execute(
                select(
                    PRACTICE_LOGS.c.card_id, PRACTICE_LOGS.c.rating, PRACTICE_LOGS.c.reviewed_at
                ).where(PRACTICE_LOGS.c.card_id.in_(chunk))
            ):
                found.setdefault(card_id, StoredHistory()).practice.add(
                    (_epoch_ms(reviewed_at), rating)
                )
    return found


#: Review logs are many (100,000 for a well-used deck): they are inserted with their
#: values already in stored form (below), without SQLAlchemy's per-value conversion.
_INSERT_LOGS = (
    "INSERT INTO review_logs (card_id, rating, reviewed_at, duration_ms, state_before,"
    " state_after) VALUES (?, ?, ?, ?, ?, ?)"
)


def _stored_text(moment: datetime, iso: str) -> str:
    """``sqlite_time_text(moment)`` from ``moment.isoformat()`` when that is UTC's: the same
    text without a second ``isoformat`` (``+00:00`` dropped, microseconds always)."""
    if len(iso) == 32 and moment.tzinfo is UTC:
        return iso[:10] + " " + iso[11:26]
    if len(iso) == 25 and moment.tzinfo is UTC:
        return iso[:10] + " " + iso[11:19] + ".000000"
    return sqlite_time_text(moment)


class HistoryWriter:
    """Writes merged histories inside an import's transaction (see the module's docstring).

    What differs between backends is in three small methods (``store/postgres/history_repo.py``
    overrides them): how a log's time is passed, how the logs are inserted in bulk, and how
    the cards are kept from being answered until the transaction ends.
    """

    def write(
        self,
        conn: Connection,
        keys: Mapping[str, int],
        cards: Sequence[ImportedCard],
        read_counts: Mapping[int, int],
        new_uids: set[str],
        now: datetime,
    ) -> None:
        """Store the history of ``cards``.

        ``keys`` maps card ids to card keys, ``read_counts`` gives how many review logs
        each stored card had when its history was merged, and ``new_uids`` are the cards
        this import stores for the first time.
        """
        changed = [item for item in cards if item.history_changed]
        pks = [keys[item.card.id] for item in changed]
        self._hold(conn, pks)
        counts: dict[int, int] = {}
        for chunk in _chunks(pks, 500):
            for card_id, count in conn.execute(
                select(REVIEW_LOGS.c.card_id, func.count())
                .where(REVIEW_LOGS.c.card_id.in_(chunk))
                .group_by(REVIEW_LOGS.c.card_id)
            ):
                counts[card_id] = count
        for pk in pks:
            if counts.get(pk, 0) != read_counts.get(pk, 0):
                raise HistoryChanged(
                    "cards of this package were reviewed while it was imported; import it again"
                )
        stored = [pk for pk in pks if counts.get(pk)]
        for chunk in _chunks(stored, 500):
            conn.execute(delete(REVIEW_LOGS).where(REVIEW_LOGS.c.card_id.in_(chunk)))
        logs: list[tuple[int, int, Any, int, str, str]] = []
        stored_time = self._stored_time
        practice: list[dict[str, Any]] = []
        states: list[dict[str, Any]] = []
        for item, pk in zip(changed, pks, strict=True):
            # A card stored for the first time was inserted with this very state
            # (``write_files(starting=)``): only a stored card's state is replaced.
            if item.card.id not in new_uids:
                states.append({"pk": pk, **(item.memory or MemoryState.new(now)).columns()})
            if item.stored_reviews is not None:  # already in stored form
                logs.extend(
                    [
                        (pk, rating, stored_time(moment, at_iso), millis, before_text, after_text)
                        for rating, moment, at_iso, millis, before_text, after_text in (
                            item.stored_reviews
                        )
                    ]
                )
            else:
                # an answer's state before is the one after the answer before it: its JSON
                # is the text just made; an answer's time is its state's last review (one
                # ISO text for both, and for the stored time)
                previous: MemoryState | None = None
                previous_text = ""
                for review in item.reviews:
                    before = review.before
                    after = review.after
                    moment = review.reviewed_at
                    iso = moment.isoformat()
                    before_text = previous_text if before is previous else state_json(before)
                    previous = after
                    previous_text = state_json(
                        after, '"' + iso + '"' if after.last_review is moment else None
                    )
                    logs.append(
                        (
                            pk,
                            review.rating,
                            stored_time(moment, iso),
                            review.duration_ms,
                            before_text,
                            previous_text,
                        )
                    )
            for answer in item.practice:
                practice.append(
                    {
                        "card_id": pk,
                        "rating": answer.rating,
                        "reviewed_at": answer.reviewed_at,
                        "duration_ms": answer.duration_ms,
                    }
                )
        if logs:
            self._insert_logs(conn, logs)
        self._insert_rows(conn, PRACTICE_LOGS, practice)
        if states:
            columns: dict[str, Any] = {name: bindparam(name) for name in states[0] if name != "pk"}
            conn.execute(
                update(CARD_STATES).where(CARD_STATES.c.card_id == bindparam("pk")).values(columns),
                states,
            )
        held = [keys[item.card.id] for item in cards if item.suspended and item.card.id in new_uids]
        for chunk in _chunks(held, 500):
            conn.execute(update(CARDS).where(CARDS.c.id.in_(chunk)).values(suspended=True))

    def _hold(self, conn: Connection, pks: Sequence[int]) -> None:
        """Keep the cards ``pks`` from being answered until the transaction ends, so that
        the count of their logs checked next stays true. On SQLite the import's write
        transaction already holds the database's write lock."""

    @staticmethod
    def _stored_time(moment: datetime, iso: str) -> Any:
        """A log's time as the bulk insert passes it (``UTCDateTime``'s stored text);
        ``iso`` is ``moment.isoformat()``."""
        return _stored_text(moment, iso)

    def _insert_logs(
        self, conn: Connection, logs: Sequence[tuple[int, int, Any, int, str, str]]
    ) -> None:
        """Insert review logs given in stored form: card key, rating, time
        (``_stored_time``), duration, and the states before and after as JSON text."""
        conn.exec_driver_sql(_INSERT_LOGS, list(logs))

    def _insert_rows(self, conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Insert many rows (all with the keys of the first) in bulk."""
        _insert_many(conn, table, rows)


class HistoryRepository:
    """Stored review histories over one open ``Database`` (``ports.HistoryStore``)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def load_histories(self, pks: Iterable[int]) -> dict[int, StoredHistory]:
        """The stored review and practice logs of these cards, by card key."""
        return load_histories(self.database, pks)
