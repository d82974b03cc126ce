"""The statistics' queries: per-day answer totals (with their cache), per-card facts as
NumPy arrays, and the latest answers for calibration."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, String, select, text, type_coerce
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError

from quizapp.scheduling.chart_series import CALIBRATION_ANSWERS
from quizapp.scheduling.queue import DayWindow
from quizapp.scheduling.stats import (
    ANSWER_SHIFT,
    NO_OFFSET,
    NO_RECALL,
    CardColumns,
    day_totals,
)
from quizapp.store.db import Database
from quizapp.store.records import RecallAnswers, StatsAggregates
from quizapp.store.row_decode import DECODE_ERRORS, json_value, unreadable
from quizapp.store.sqlite.packed_ids import (
    DIFFICULTY_IDS_SQL,
    HIDDEN_SQL,
    TAG_IDS_SQL,
    id_groups,
    packed_columns,
    packed_ids,
)
from quizapp.store.sqlite.study_conditions import stored_time
from quizapp.store.tables import KIND_REVIEW, SETTINGS

if TYPE_CHECKING:
    pass


#: Settings-table key of the per-day answer totals of past (closed) study days.
#: Closed days never change (answers are stamped "now"), so ``stats`` re-reads only the
#: review log since the cache's boundary instead of scanning a million rows each time.
#: Undoing an answer from before the boundary drops the cache (see ``undo_answer``).
STATS_CACHE_KEY = "cache.stats_days"


_STATS_CACHE_VERSION = 2


#: Days kept one by one (the heatmap and true retention look back a year at most); older
#: days are folded into one total so that a 15-year history stays a small cache.
DAYS_KEPT = 400


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
    database: Database, conn: Connection, params: dict[str, Any], interview: bool
) -> CardColumns:
    """``CardColumns`` for every present card (missing ones left out), from packed strings.

    Unreadable state rows are left out and reported (see ``READABLE_STATE``).
    """
    import numpy as np

    try:
        stability, ids, kind, due_today, offset, elapsed_now, *later = packed_columns(
            conn.execute(text(_card_columns_sql(interview)), params).one()
        )
    except (OperationalError, ValueError):
        query = _card_columns_sql(interview, readable_only=True)
        stability, ids, kind, due_today, offset, elapsed_now, *later = packed_columns(
            conn.execute(text(query), params).one()
        )
        _report_unreadable_states(database, conn)
    hidden = conn.exec_driver_sql(HIDDEN_SQL).all()
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
    *,
    now: datetime,
    window: DayWindow,
    interview_at: datetime | None,
) -> StatsAggregates:
    """Every aggregate ``quizapp stats`` needs, read in one transaction.

    Per-card facts come back as NumPy arrays (``CardColumns``) and the card ids of each
    tag and difficulty as arrays too; ``scheduling.stats.summarise`` does the arithmetic
    (the store only counts and reads).
    Per-day answer totals of closed days come from a cache kept in the settings table,
    refreshed (one short write) when a new day has closed since it was written; the rest
    are counted from the ``(reviewed_at, review_kind, rating)`` index.
    """
    start = stored_time(window.start)
    shift = [window.start.hour, window.start.minute]
    params: dict[str, Any] = {
        "end": stored_time(window.end),
        "horizon": stored_time(window.start + timedelta(days=30)),
    }
    interview = interview_at is not None
    with database.begin() as conn:
        jd = conn.exec_driver_sql(
            "SELECT julianday(?), julianday(?), julianday(?)",
            (start, stored_time(now), stored_time(interview_at or now)),
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
        for ago, totals in day_totals(packed_ids(packed), start_ms).items():
            day = (window.day - timedelta(days=ago)).isoformat()
            row = days.setdefault(day, [0] * 7)
            days[day] = [a + b for a, b in zip(row, totals, strict=True)]
        cutoff = (window.day - timedelta(days=DAYS_KEPT)).isoformat()
        for day in [day for day in days if day < cutoff]:
            older = [a + b for a, b in zip(older, days.pop(day), strict=True)]
        columns = _card_columns(database, conn, params, interview)
        recall_answers = _recall_answers(database, conn)
        tags = id_groups(conn, TAG_IDS_SQL)
        difficulties = id_groups(conn, DIFFICULTY_IDS_SQL)
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
    return StatsAggregates(
        days=days,
        older=older,
        columns=columns,
        tags=tags,
        difficulties=sorted(difficulties),
        recall_answers=recall_answers,
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
        stability, elapsed, passed = packed_columns(row)
    except ValueError:
        database.report(unreadable("review logs for the calibration chart"))
        stability, elapsed, passed = np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return RecallAnswers(stability, elapsed, passed.astype(bool))
