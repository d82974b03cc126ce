"""The statistics' and group counts' statements on PostgreSQL, equal to SQLite's to the bit.

``stats_queries`` and ``group_counts`` run them exactly as they run SQLite's
(``store/sqlite/stats_sql.py``); only the text differs: ``string_agg`` for
``group_concat``, ``->>`` for ``json_extract``, booleans cast to 0 and 1, and no index
hints. ``quizapp stats`` must print the same on a collection and on its ``copy-db`` copy,
so three things SQLite does its own way are reproduced here:

- **Julian days.** SQLite counts whole days with ``floor(julianday(a) - julianday(b))``,
  floats whose rounding decides a day that ends exactly on a boundary (a card reviewed
  exactly three days ago may count as two). ``julian_day`` computes the same float:
  SQLite's integer milliseconds (seconds rounded half up through a double, as its
  ``computeJD`` does) divided by 86,400,000.
- **Numbers as text.** SQLite writes a REAL with 15 significant digits; with
  ``extra_float_digits = 0`` PostgreSQL does the same, so stabilities parse to the same
  doubles.
- **Order.** Means over a group are sums, whose last bits depend on the order of the
  terms; SQLite reads cards and each group's ids in id order (its rowid and indexes), and
  the latest answers by its index, so every aggregate here says ``ORDER BY`` the same.
  The card columns and the calibration answers are one ``string_agg`` of each row's
  values in turn (``pack``), so one sort orders them and no plan can part a row's values.

The julian days of today's start, now and the interview day come back to Python exactly
(``prepare`` lowers ``extra_float_digits`` only after they are read) and go back as
parameters.

Names sort by code point (``COLLATE "C"``), as SQLite's binary collation does, whatever
the database's own collation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from quizapp.scheduling.chart_series import CALIBRATION_ANSWERS
from quizapp.scheduling.memory import LEARNING, RELEARNING, REVIEW
from quizapp.scheduling.stats import ANSWER_SHIFT, NO_OFFSET, NO_RECALL
from quizapp.store.sqlite import stats_sql
from quizapp.store.sqlite.availability import (
    SUSPENDED_OR_MISSING_IDS_POSTGRESQL,
    UNAVAILABLE_AT_NOW_POSTGRESQL,
)
from quizapp.store.tables import KIND_REVIEW

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Milliseconds from the julian day epoch to the unix epoch (``2440587.5`` days).
_UNIX_EPOCH_MS = 210_866_760_000_000


def unix_ms(column: str) -> str:
    """SQLite's whole milliseconds of the ``timestamp`` ``column`` since 1970: the whole
    minutes exactly, plus ``seconds * 1000 + 0.5`` truncated, where the seconds are a
    double, the whole seconds plus the microseconds over a million, as SQLite parses
    them (and as PostgreSQL's ``date_part`` computes them: doubles throughout, which is
    also many times faster than ``extract``'s numerics)."""
    return (
        f"((date_part('epoch', date_trunc('minute', {column})))::bigint * 1000"
        f" + trunc(date_part('second', {column}) * 1000 + 0.5)::bigint)"
    )


def julian_day(column: str) -> str:
    """SQLite's ``julianday`` of the ``timestamp`` ``column``, the same double."""
    return f"(({unix_ms(column)} + {_UNIX_EPOCH_MS})::float8 / 86400000::float8)"


#: A text SQLite's ``julianday`` reads as an ISO time (and PostgreSQL can cast): other
#: texts are no time to both. A date that matches but does not exist (a 30 February)
#: fails the cast, and the calibration is skipped with a warning.
_ISO_TIME = r"^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?([Zz]|[+-]\d\d:\d\d)?$"

#: Cards hidden at ``:now`` (``availability``'s one definition, with booleans).
_UNAVAILABLE_IDS = f"SELECT id FROM cards WHERE {UNAVAILABLE_AT_NOW_POSTGRESQL}"


class StatsSql(stats_sql.StatsSql):
    """PostgreSQL's text of every statement ``stats_sql.StatsSql`` holds."""

    JULIAN_DAYS = (
        f"SELECT {julian_day('CAST(:start AS timestamp)')},"
        f" {julian_day('CAST(:now AS timestamp)')},"
        f" {julian_day('CAST(:interview AS timestamp)')}"
    )

    PACKED_ANSWERS = f"""
SELECT string_agg((
    ({unix_ms("reviewed_at")} << {ANSWER_SHIFT})
    | ((CASE WHEN rating BETWEEN 1 AND 4 THEN rating WHEN rating > 4 THEN 5 ELSE 0 END)::bigint
        << 1)
    | (review_kind = {KIND_REVIEW})::int)::text, ',')
FROM review_logs WHERE reviewed_at >= :since
"""

    #: Types are the schema's here, so only values ``memory_state`` refuses are left out.
    READABLE_STATE = "state IN (1, 2, 3) AND reps >= 0"

    RECALL_ANSWERS = f"""
WITH latest AS (
    SELECT id, reviewed_at, rating, state_before::jsonb AS state
    FROM review_logs WHERE review_kind = {KIND_REVIEW}
    ORDER BY reviewed_at DESC, review_kind DESC, rating DESC, id DESC
    LIMIT {CALIBRATION_ANSWERS}
), decoded AS MATERIALIZED (
    SELECT id, reviewed_at, rating,
           CASE WHEN jsonb_typeof(state -> 'stability') = 'number'
               THEN (state ->> 'stability')::float8 END AS stability,
           CASE WHEN state ->> 'last_review' ~ '{_ISO_TIME}'
               THEN (state ->> 'last_review')::timestamptz AT TIME ZONE 'UTC'
           END AS last_review
    FROM latest
), answers AS MATERIALIZED (
    SELECT id, reviewed_at, rating, stability,
           greatest(floor({julian_day("reviewed_at")} - {julian_day("last_review")}), 0)::bigint
               AS days,
           (rating > 1)::int AS passed
    FROM decoded WHERE last_review IS NOT NULL  -- greatest() would make a NULL a 0
)
SELECT string_agg(concat(stability, ',', days, ',', passed), ','
    ORDER BY reviewed_at DESC, rating DESC, id DESC)
FROM answers WHERE stability > 0 AND days IS NOT NULL
"""

    HIDDEN = SUSPENDED_OR_MISSING_IDS_POSTGRESQL

    TAG_IDS = """
SELECT t.name, g.ids FROM (
    SELECT tag_id, string_agg(card_id::text, ',' ORDER BY card_id) AS ids
    FROM card_tags GROUP BY tag_id
) AS g JOIN tags t ON t.id = g.tag_id ORDER BY t.key COLLATE "C"
"""

    DIFFICULTY_IDS = """
SELECT coalesce(difficulty, 'none'), string_agg(id::text, ',' ORDER BY id)
FROM cards GROUP BY difficulty
"""

    DECK_IDS = """
SELECT d.name, g.ids FROM (
    SELECT deck_id, string_agg(id::text, ',' ORDER BY id) AS ids FROM cards GROUP BY deck_id
) AS g JOIN decks d ON d.id = g.deck_id ORDER BY d.name COLLATE "C"
"""

    DUE_ANSWERED = f"""
SELECT string_agg(card_id::text, ','), string_agg((state = {REVIEW})::int::text, ',')
FROM card_states
WHERE due < :end AND reps > 0
  AND (state = {REVIEW} OR (state IN ({LEARNING}, {RELEARNING}) AND due <= :now))
  AND card_id NOT IN ({_UNAVAILABLE_IDS})
"""

    NEW_IDS = f"""
SELECT string_agg(card_id::text, ',') FROM card_states
WHERE reps = 0 AND card_id NOT IN ({_UNAVAILABLE_IDS})
"""

    ELAPSED = f"""CASE WHEN reps > 0 AND stability > 0 AND last_review IS NOT NULL
    THEN greatest(floor({{at}} - {julian_day("last_review")}), 0)::bigint
    ELSE {NO_RECALL} END"""

    DUE_OFFSET = f"""CASE WHEN reps > 0 AND due < :horizon
            THEN floor({julian_day("due")} - :start_jd)::bigint ELSE {NO_OFFSET} END"""

    DUE_TODAY = "(reps > 0 AND due < :end)::int"

    def pack(self, columns: Sequence[str], order: str) -> str:
        """One string of every row's ``columns`` in turn, the rows in ``order``: one sort
        instead of one per column, and a row's values stay together whatever plan the
        server picks (``unpack`` takes them apart)."""
        values = ", ',', ".join(f"({column})" for column in columns)
        return f"string_agg(concat({values}), ',' ORDER BY {order})"

    def unpack(self, row: Sequence[Any], width: int) -> list[NDArray[Any]]:
        """The ``width`` arrays of ``pack``'s one string: the first as floats, the rest
        integers. Raises ``ValueError`` for text that is not a number, or a count that is
        not a whole number of rows (a value that was NULL)."""
        import warnings

        import numpy as np

        if len(row) != 1:
            raise ValueError(f"{len(row)} packed strings where one was expected")
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            try:
                values = np.fromstring(row[0] or "", dtype=np.float64, sep=",")
            except DeprecationWarning:
                raise ValueError("a packed column holds text that is not a number") from None
        if len(values) % width:
            raise ValueError("packed values that are not a whole number of rows")
        table = values.reshape(-1, width).T
        return [table[0].copy(), *(column.astype(np.int64) for column in table[1:])]

    def time(self, moment: datetime) -> Any:
        """``moment`` as the naive UTC ``timestamp`` the columns hold."""
        return moment.astimezone(UTC).replace(tzinfo=None)

    def since(self, boundary: str) -> Any:
        """The cache's boundary as a ``timestamp`` (no boundary: the first one there is)."""
        return datetime.fromisoformat(boundary) if boundary else datetime(1, 1, 1)

    def prepare(self, conn: Connection) -> None:
        """Numbers as text with 15 digits, as SQLite writes them, and times without an
        offset read as UTC, as SQLite reads them (for this transaction only)."""
        conn.exec_driver_sql("SET LOCAL extra_float_digits = 0")
        conn.exec_driver_sql("SET LOCAL TimeZone = 'UTC'")
