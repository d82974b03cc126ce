"""``quizapp doctor``'s checks and repairs at the row level.

SQLite's ``integrity_check`` proves the file is a sound B-tree, not that quizapp can read
each row: JSON that does not decode, a ``due`` that is no time, an exercise without its
``line`` or a review log whose state lacks a key all pass it. Such rows are skipped and
reported by the commands that meet them (``row_decode``); this module looks for all of
them at once, with the very decoders those commands use, and for rows whose parent is
gone (``PRAGMA foreign_key_check``).

Repairs are made in one write transaction and touch only what cannot be read:

- a card's memory state (derived data) is rebuilt from its review log; the service
  (``services.doctor``) computes it with the scheduler and hands it here to write;
- a card's content that does not decode is cleared and its file's import record dropped,
  so the next ``quizapp import`` of its folder writes it again (its history is kept);
- an unreadable review log, practice log, exercise attempt or setting is deleted (the
  backup made before any repair keeps it), and rows whose parent is gone are deleted or
  unlinked as their foreign key says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, String, delete, insert, select, text, type_coerce, update

from quizapp.scheduling.settings import SETTING_KEYS, Settings
from quizapp.store.checkup import (
    NO_STATE,
    ORPHAN,
    UNREADABLE_CONTENT,
    UNREADABLE_ROW,
    UNREADABLE_STATE,
    Checkup,
    Finding,
    LogEntry,
    Repairs,
)
from quizapp.store.db import Database
from quizapp.store.row_decode import (
    DECODE_ERRORS,
    decode_settings,
    json_value,
    memory_from_json,
    memory_state,
    required_datetime,
    stored_rating,
    utc_datetime,
)
from quizapp.store.sqlite.card_repo import card_columns, card_from_row
from quizapp.store.tables import (
    CARD_STATES,
    CARDS,
    DECKS,
    EXERCISE_ATTEMPTS,
    PRACTICE_LOGS,
    REVIEW_LOGS,
    SETTINGS,
    SOURCE_FILES,
)

#: Lines of ``PRAGMA integrity_check`` output kept (SQLite stops at 100 by default too).
INTEGRITY_LINES = 100

#: Where a deck is made for cards whose deck row is gone.
RECOVERED_DECK = "recovered"


def _detail(error: BaseException) -> str:
    line = " ".join(str(error).split()) or type(error).__name__
    return line if len(line) <= 120 else line[:117] + "..."


class DoctorSql:
    """The doctor's statements that are SQLite's own: the file's integrity check, the
    foreign-key check, and rows addressed by ``rowid``. The rest of this module is
    portable Core; PostgreSQL's subclass (``store/postgres/doctor.py``) has its own."""

    def integrity(self, conn: Connection) -> tuple[str, ...]:
        """``PRAGMA integrity_check``'s lines; empty when it says ``ok``."""
        rows = conn.exec_driver_sql(f"PRAGMA integrity_check({INTEGRITY_LINES})").all()
        lines = tuple(str(row[0]) for row in rows)
        return () if lines == ("ok",) else lines

    def integrity_note(self, conn: Connection) -> str:
        """Why the backend has no integrity check of its own to run ("" when it has)."""
        return ""

    def orphans(self, conn: Connection, uids: Mapping[int, str]) -> list[Finding]:
        """Rows whose parent row is gone (``PRAGMA foreign_key_check``), by ``rowid``."""
        found: list[Finding] = []
        for table, rowid, parent, _fkid in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            card = uids.get(int(rowid)) if table == "cards" and rowid is not None else None
            found.append(
                Finding(str(table), str(rowid), ORPHAN, card, f"no {parent} row it refers to")
            )
        return found

    def row_where(self, table: str, row: str) -> tuple[str, dict[str, Any]]:
        """The condition (and its parameters) that picks the row ``Finding.row`` names in
        ``table``: its ``rowid``."""
        return f'"{table}".rowid = :row', {"row": int(row)}


#: The SQLite doctor's statements.
SQLITE = DoctorSql()


def _card_findings(conn: Connection) -> tuple[list[Finding], dict[int, str]]:
    """Cards whose content, times or memory state do not decode, or that have no state."""
    found: list[Finding] = []
    uids: dict[int, str] = {}
    content = select(*card_columns(), DECKS.c.name.label("deck_name")).select_from(
        CARDS.outerjoin(DECKS, DECKS.c.id == CARDS.c.deck_id)
    )
    for row in conn.execute(content):
        uids[int(row.id)] = str(row.uid)
        try:
            values = SimpleNamespace(**row._mapping)
            values.deck_name = values.deck_name or RECOVERED_DECK  # a lost deck is an orphan
            card_from_row(values)
            for moment in (row.created_at, row.updated_at):
                required_datetime(moment)
            utc_datetime(row.buried_until)
        except DECODE_ERRORS as error:
            found.append(
                Finding("cards", str(row.id), UNREADABLE_CONTENT, str(row.uid), _detail(error))
            )
    states = select(
        CARD_STATES.c.card_id,
        CARD_STATES.c.state,
        CARD_STATES.c.step,
        CARD_STATES.c.stability,
        CARD_STATES.c.difficulty,
        type_coerce(CARD_STATES.c.due, String).label("due"),
        type_coerce(CARD_STATES.c.last_review, String).label("last_review"),
        CARD_STATES.c.reps,
        CARD_STATES.c.lapses,
    )
    with_state: set[int] = set()
    for row in conn.execute(states):
        with_state.add(int(row.card_id))
        try:
            memory_state(
                row.state,
                row.step,
                row.stability,
                row.difficulty,
                row.due,
                row.last_review,
                row.reps,
                row.lapses,
            )
        except DECODE_ERRORS as error:
            found.append(
                Finding(
                    "card_states",
                    str(row.card_id),
                    UNREADABLE_STATE,
                    uids.get(int(row.card_id)),
                    _detail(error),
                )
            )
    for pk in sorted(set(uids) - with_state):
        found.append(Finding("card_states", str(pk), NO_STATE, uids[pk]))
    return found, uids


def _log_findings(conn: Connection, uids: Mapping[int, str]) -> list[Finding]:
    found: list[Finding] = []
    logs = select(
        REVIEW_LOGS.c.id,
        REVIEW_LOGS.c.card_id,
        REVIEW_LOGS.c.rating,
        type_coerce(REVIEW_LOGS.c.reviewed_at, String),
        type_coerce(REVIEW_LOGS.c.state_before, String),
        type_coerce(REVIEW_LOGS.c.state_after, String),
    )
    for log_id, card_id, rating, reviewed_at, before, after in conn.execute(logs):
        try:
            stored_rating(rating)
            required_datetime(reviewed_at)
            memory_from_json(before)
            memory_from_json(after)
        except DECODE_ERRORS as error:
            card = uids.get(int(card_id)) if card_id is not None else None
            found.append(
                Finding(
                    "review_logs",
                    str(log_id),
                    UNREADABLE_ROW,
                    card,
                    _detail(error),
                    None if card_id is None else int(card_id),
                )
            )
    practice = select(
        PRACTICE_LOGS.c.id,
        PRACTICE_LOGS.c.card_id,
        PRACTICE_LOGS.c.rating,
        type_coerce(PRACTICE_LOGS.c.reviewed_at, String),
    )
    for log_id, card_id, rating, reviewed_at in conn.execute(practice):
        try:
            stored_rating(rating)
            required_datetime(reviewed_at)
        except DECODE_ERRORS as error:
            card = uids.get(int(card_id)) if card_id is not None else None
            found.append(
                Finding("practice_logs", str(log_id), UNREADABLE_ROW, card, _detail(error))
            )
    attempts = select(
        EXERCISE_ATTEMPTS.c.id,
        EXERCISE_ATTEMPTS.c.card_id,
        type_coerce(EXERCISE_ATTEMPTS.c.attempt, String),
        type_coerce(EXERCISE_ATTEMPTS.c.created_at, String),
    )
    for attempt_id, card_id, attempt, created_at in conn.execute(attempts):
        try:
            if not isinstance(json_value(attempt), dict):
                raise TypeError("an attempt must be a JSON object")
            required_datetime(created_at)
        except DECODE_ERRORS as error:
            card = uids.get(int(card_id)) if card_id is not None else None
            found.append(
                Finding("exercise_attempts", str(attempt_id), UNREADABLE_ROW, card, _detail(error))
            )
    return found


def _setting_findings(conn: Connection) -> list[Finding]:
    rows = conn.execute(
        select(SETTINGS.c.key, type_coerce(SETTINGS.c.value, String)).where(
            SETTINGS.c.key.in_(SETTING_KEYS)
        )
    ).all()
    found: list[Finding] = []
    for key, raw in rows:
        decoded, problems = decode_settings([(key, raw)])
        if problems:
            found.append(Finding("settings", str(key), UNREADABLE_ROW, None, "not valid JSON"))
            continue
        _settings, invalid = Settings.from_storage_reporting(decoded)
        if invalid:
            found.append(Finding("settings", str(key), UNREADABLE_ROW, None, invalid[0]))
    return found


def check(database: Database, sql: DoctorSql = SQLITE) -> Checkup:
    """Run every check in one read transaction: integrity, foreign keys, each row.

    The row checks run even when ``integrity_check`` fails, as far as SQLite lets them
    (a damaged page may stop a scan: that error is then one more integrity line).
    """
    with database.begin() as conn:
        integrity = sql.integrity(conn)
        note = sql.integrity_note(conn)
        try:
            cards, uids = _card_findings(conn)
            rows = [*cards, *_log_findings(conn, uids), *_setting_findings(conn)]
            orphans = sql.orphans(conn, uids)
        except Exception as error:  # a damaged page: report it, do not crash
            if not integrity:
                raise
            return Checkup((*integrity, f"rows could not be read: {_detail(error)}"), (), note)
    return Checkup(integrity, tuple(orphans + rows), note)


def _or_none(decode: Any, raw: Any) -> Any:
    try:
        return decode(raw)
    except DECODE_ERRORS:
        return None


def _log_entries(conn: Connection, where: Any) -> list[tuple[int, LogEntry]]:
    query = (
        select(
            REVIEW_LOGS.c.id,
            REVIEW_LOGS.c.card_id,
            REVIEW_LOGS.c.rating,
            type_coerce(REVIEW_LOGS.c.reviewed_at, String),
            type_coerce(REVIEW_LOGS.c.state_before, String),
            type_coerce(REVIEW_LOGS.c.state_after, String),
        )
        .where(where)
        .order_by(REVIEW_LOGS.c.reviewed_at, REVIEW_LOGS.c.id)
    )
    return [
        (
            int(card_id),
            LogEntry(
                int(log_id),
                _or_none(required_datetime, reviewed_at),
                _or_none(stored_rating, rating),
                _or_none(memory_from_json, before),
                _or_none(memory_from_json, after),
            ),
        )
        for log_id, card_id, rating, reviewed_at, before, after in conn.execute(query)
    ]


def rebuild_inputs(
    database: Database, pks: Iterable[int]
) -> dict[int, tuple[datetime | None, list[LogEntry]]]:
    """For each card that exists: when it was created (None if unreadable) and its review
    log, oldest first, each entry holding only what decodes."""
    wanted = sorted(set(pks))
    result: dict[int, tuple[datetime | None, list[LogEntry]]] = {}
    if not wanted:
        return result
    with database.begin() as conn:
        created = {
            int(pk): _or_none(required_datetime, raw)
            for pk, raw in conn.execute(
                select(CARDS.c.id, type_coerce(CARDS.c.created_at, String)).where(
                    CARDS.c.id.in_(wanted)
                )
            )
        }
        logs: dict[int, list[LogEntry]] = {pk: [] for pk in wanted}
        for card_id, entry in _log_entries(conn, REVIEW_LOGS.c.card_id.in_(wanted)):
            logs[card_id].append(entry)
    for pk in wanted:
        if pk in created:
            result[pk] = (created[pk], logs[pk])
    return result


#: For each child table of a foreign key, what repair does to a row whose parent is gone:
#: delete it, or (for a link that may be empty) set the column to NULL.
_ORPHAN_FIX: dict[tuple[str, str], str] = {
    ("card_states", "cards"): "delete",
    ("card_tags", "cards"): "delete",
    ("card_tags", "tags"): "delete",
    ("related", "cards"): "unlink",
    ("review_logs", "cards"): "delete",
    ("practice_logs", "cards"): "delete",
    ("exercise_attempts", "cards"): "unlink",
    ("cards", "decks"): "recover",
}


def _fix_orphan(conn: Connection, finding: Finding, sql: DoctorSql) -> str:
    """Repair one row whose parent is gone; return what was done."""
    parent = finding.detail.removeprefix("no ").removesuffix(" row it refers to")
    action = _ORPHAN_FIX.get((finding.table, parent), "delete")
    where, params = sql.row_where(finding.table, finding.row)
    quoted = f'"{finding.table}"'
    if action == "unlink":
        column = "target_id" if finding.table == "related" else "card_id"
        if finding.table == "related":
            # a related row's own card may be the missing one: then it goes
            owner = conn.execute(
                text(
                    'SELECT 1 FROM "related" JOIN cards ON cards.id = "related".card_id'
                    f" WHERE {where}"
                ),
                params,
            ).first()
            if owner is None:
                conn.execute(text(f'DELETE FROM "related" WHERE {where}'), params)
                return "deleted"
        conn.execute(text(f"UPDATE {quoted} SET {column} = NULL WHERE {where}"), params)
        return f"{column} cleared"
    if action == "recover":
        deck = conn.execute(select(DECKS.c.id).where(DECKS.c.name == RECOVERED_DECK)).scalar()
        if deck is None:
            deck = conn.execute(
                insert(DECKS).values(name=RECOVERED_DECK).returning(DECKS.c.id)
            ).scalar_one()
        conn.execute(update(CARDS).where(CARDS.c.id == int(finding.row)).values(deck_id=deck))
        return f"moved to the deck {RECOVERED_DECK!r}"
    conn.execute(text(f"DELETE FROM {quoted} WHERE {where}"), params)
    return "deleted"


def repair(
    database: Database, repairs: Repairs, now: datetime, sql: DoctorSql = SQLITE
) -> list[str]:
    """Apply ``repairs`` in one write transaction; one line per row changed.

    Orphans first (a state row of a card that is gone is deleted, not rebuilt), then
    unreadable rows, then rewritten review logs and rebuilt memory states (written only
    for a card that still exists).
    """
    done: list[str] = []
    with database.begin(write=True) as conn:
        fixed: set[tuple[str, str]] = set()
        for finding in repairs.findings:
            if finding.problem == ORPHAN and (finding.table, finding.row) not in fixed:
                fixed.add((finding.table, finding.row))
                done.append(f"{finding.subject()}: {_fix_orphan(conn, finding, sql)}")
        for finding in repairs.findings:
            if finding.problem == UNREADABLE_CONTENT:
                _clear_content(conn, int(finding.row), now)
                done.append(
                    f"{finding.subject()}: content cleared; import its file again to restore "
                    "it (its history is kept)"
                )
            elif finding.problem == UNREADABLE_ROW:
                action = _remove_unreadable(conn, finding, sql)
                if action:
                    done.append(f"{finding.subject()}: {action}")
        for log_id, (before, after) in sorted(repairs.logs.items()):
            changed = conn.execute(
                update(REVIEW_LOGS)
                .where(REVIEW_LOGS.c.id == log_id)
                .values(state_before=before.to_dict(), state_after=after.to_dict())
            ).rowcount
            if changed:
                card = conn.execute(
                    select(CARDS.c.uid)
                    .join(REVIEW_LOGS, REVIEW_LOGS.c.card_id == CARDS.c.id)
                    .where(REVIEW_LOGS.c.id == log_id)
                ).scalar()
                done.append(
                    f"card {card} (review_logs row {log_id}): states worked out again from "
                    "the answers before it"
                )
        for pk, memory in sorted(repairs.states.items()):
            uid = conn.execute(select(CARDS.c.uid).where(CARDS.c.id == pk)).scalar()
            if uid is None:
                continue
            values = memory.columns()
            changed = conn.execute(
                update(CARD_STATES).where(CARD_STATES.c.card_id == pk).values(**values)
            ).rowcount
            if not changed:
                conn.execute(insert(CARD_STATES).values(card_id=pk, **values))
            done.append(
                f"card {uid}: memory state rebuilt from its review log "
                f"({memory.reps} answers, due {memory.due:%Y-%m-%d %H:%M} UTC)"
            )
    return done


def _remove_unreadable(conn: Connection, finding: Finding, sql: DoctorSql) -> str | None:
    """Delete an unreadable row (a setting falls back to its default); None when the row
    is a review log whose answer is known, which is rewritten instead (``Repairs.logs``)."""
    if finding.table == "settings":
        conn.execute(delete(SETTINGS).where(SETTINGS.c.key == finding.row))
        return "deleted (the default applies)"
    if finding.table == "review_logs":
        entries = _log_entries(conn, REVIEW_LOGS.c.id == int(finding.row))
        if entries and entries[0][1].replayable:
            return None
    where, params = sql.row_where(finding.table, finding.row)
    conn.execute(text(f'DELETE FROM "{finding.table}" WHERE {where}'), params)
    return "deleted (the backup keeps it)"


def _clear_content(conn: Connection, pk: int, now: datetime) -> None:
    """Make a card's content readable again and have the next import rewrite it."""
    row = conn.execute(
        select(
            CARDS.c.source_path,
            type_coerce(CARDS.c.created_at, String),
            type_coerce(CARDS.c.updated_at, String),
            type_coerce(CARDS.c.buried_until, String),
        ).where(CARDS.c.id == pk)
    ).first()
    if row is None:
        return
    source_path, created, updated, buried = row
    values: dict[str, Any] = {
        "steps": [],
        "aliases": [],
        "exercises": [],
        "content_hash": "",  # differs from any file's hash: the next import rewrites it
    }
    if _or_none(required_datetime, created) is None:
        values["created_at"] = now
    if _or_none(required_datetime, updated) is None:
        values["updated_at"] = now
    if buried is not None and _or_none(utc_datetime, buried) is None:
        values["buried_until"] = None
    conn.execute(update(CARDS).where(CARDS.c.id == pk).values(**values))
    conn.execute(delete(SOURCE_FILES).where(SOURCE_FILES.c.path == source_path))
