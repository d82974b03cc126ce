"""The statistics' queries: per-day answer totals (with their cache), per-card facts as
NumPy arrays, and the latest answers for calibration."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, String, select, text, type_coerce
from sqlalchemy.exc import DBAPIError

from quizapp.scheduling.queue import DayWindow
from quizapp.scheduling.stats import NO_RECALL, CardColumns, day_totals
from quizapp.store.db import Database
from quizapp.store.records import RecallAnswers, StatsAggregates
from quizapp.store.row_decode import DECODE_ERRORS, json_value, unreadable
from quizapp.store.sqlite.packed_ids import id_groups, packed_ids
from quizapp.store.sqlite.stats_sql import StatsSql
from quizapp.store.sqlite.study_conditions import stored_time
from quizapp.store.tables import SETTINGS
from quizapp.store.upsert import upsert

#: Settings-table key of the per-day answer totals of past (closed) study days.
#: Closed days never change (answers are stamped "now"), so ``stats`` re-reads only the
#: review log since the cache's boundary instead of scanning a million rows each time.
#: Undoing an answer from before the boundary drops the cache (see ``undo_answer``).
STATS_CACHE_KEY = "cache.stats_days"


_STATS_CACHE_VERSION = 2


#: A cache boundary as ``stored_time`` writes it (anything else rebuilds the cache).
_BOUNDARY = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


#: Days kept one by one (the heatmap and true retention look back a year at most); older
#: days are folded into one total so that a 15-year history stays a small cache.
DAYS_KEPT = 400


def _report_unreadable_states(database: Database, conn: Connection, sql: StatsSql) -> None:
    """Report each state row ``sql.READABLE_STATE`` leaves out."""
    for (uid,) in conn.execute(text(sql.unreadable_states())):
        database.report(unreadable(f"card {uid}"))


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


def _card_columns(
    database: Database, conn: Connection, sql: StatsSql, params: dict[str, Any], interview: bool
) -> CardColumns:
    """``CardColumns`` for every present card (missing ones left out), from packed strings.

    Unreadable state rows are left out and reported (see ``StatsSql.READABLE_STATE``).
    """
    import numpy as np

    width = 7 if interview else 6
    try:
        with conn.begin_nested():
            row = conn.execute(text(sql.card_columns(interview)), params).one()
        stability, ids, kind, due_today, offset, elapsed_now, *later = sql.unpack(row, width)
    except (DBAPIError, ValueError):
        query = sql.card_columns(interview, readable_only=True)
        stability, ids, kind, due_today, offset, elapsed_now, *later = sql.unpack(
            conn.execute(text(query), params).one(), width
        )
        _report_unreadable_states(database, conn, sql)
    hidden = conn.execute(text(sql.HIDDEN)).all()
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


def stats_aggregates(
    database: Database,
    sql: StatsSql,
    *,
    now: datetime,
    window: DayWindow,
    interview_at: datetime | None,
) -> StatsAggregates:
    """Every aggregate ``quizapp stats`` needs, read in one transaction with ``sql``'s
    statements (SQLite's, or another backend's).

    Per-card facts come back as NumPy arrays (``CardColumns``) and the card ids of each
    tag and difficulty as arrays too; ``scheduling.stats.summarise`` does the arithmetic
    (the store only counts and reads).
    Per-day answer totals of closed days come from a cache kept in the settings table,
    refreshed (one short write) when a new day has closed since it was written; the rest
    are counted from the ``(reviewed_at, review_kind, rating)`` index. The cache holds
    times in ``stored_time``'s text form on every backend, so a copied collection's cache
    stays usable.
    """
    start = stored_time(window.start)
    shift = [window.start.hour, window.start.minute]
    params: dict[str, Any] = {
        "end": sql.time(window.end),
        "horizon": sql.time(window.start + timedelta(days=30)),
    }
    interview = interview_at is not None
    with database.begin() as conn:
        jd = conn.execute(
            text(sql.JULIAN_DAYS),
            {
                "start": sql.time(window.start),
                "now": sql.time(now),
                "interview": sql.time(interview_at or now),
            },
        ).one()
        params.update(start_jd=jd[0], now_jd=jd[1], interview_jd=jd[2])
        # After the julian days, which must reach Python exactly (PostgreSQL's numbers as
        # text with 15 digits would round them).
        sql.prepare(conn)
        cached = _stats_cache(conn)
        usable = (
            isinstance(cached, dict)
            and cached.get("version") == _STATS_CACHE_VERSION
            and cached.get("shift") == shift
            and isinstance(cached.get("boundary", ""), str)
            and _BOUNDARY.fullmatch(cached.get("boundary", "")) is not None
            and cached.get("boundary", "") <= start
            and _well_formed_totals(cached)
        )
        cache: dict[str, Any] = cached if usable and isinstance(cached, dict) else {}
        days: dict[str, list[int]] = {day: list(row) for day, row in cache.get("days", {}).items()}
        older = list(cache.get("older", [0] * 7))
        params["since"] = sql.since(cache.get("boundary", ""))
        packed = conn.execute(text(sql.PACKED_ANSWERS), params).scalar()
        start_ms = round(window.start.timestamp() * 1000)
        for ago, totals in day_totals(packed_ids(packed), start_ms).items():
            day = (window.day - timedelta(days=ago)).isoformat()
            row = days.setdefault(day, [0] * 7)
            days[day] = [a + b for a, b in zip(row, totals, strict=True)]
        cutoff = (window.day - timedelta(days=DAYS_KEPT)).isoformat()
        for day in [day for day in days if day < cutoff]:
            older = [a + b for a, b in zip(older, days.pop(day), strict=True)]
        columns = _card_columns(database, conn, sql, params, interview)
        recall_answers = _recall_answers(database, conn, sql)
        tags = id_groups(conn, sql.TAG_IDS)
        difficulties = id_groups(conn, sql.DIFFICULTY_IDS)
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
            upsert(
                conn,
                SETTINGS,
                {"key": STATS_CACHE_KEY, "value": value},
                keys=["key"],
                update=["value"],
            )
    return StatsAggregates(
        days=days,
        older=older,
        columns=columns,
        tags=tags,
        difficulties=sorted(difficulties),
        recall_answers=recall_answers,
    )


def _recall_answers(database: Database, conn: Connection, sql: StatsSql) -> RecallAnswers:
    """``RecallAnswers`` of the latest review-state answers; none if they cannot be read.

    A log that does not decode is left out by the query; should the packed columns still
    not line up (or the query fail on a value it could not read), calibration is skipped
    (and said so) rather than drawn from wrong pairs.
    """
    import numpy as np

    try:
        with conn.begin_nested():
            row = conn.execute(text(sql.RECALL_ANSWERS)).one()
        stability, elapsed, passed = sql.unpack(row, 3)
    except (DBAPIError, ValueError):
        database.report(unreadable("review logs for the calibration chart"))
        stability, elapsed, passed = np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return RecallAnswers(stability, elapsed, passed.astype(bool))
