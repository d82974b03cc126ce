"""The SQL text of the statistics and the group counts on SQLite, in one overridable class.

``stats_queries`` and ``group_counts`` run these statements and do everything else (the
stats cache, NumPy parsing, tallies) the same way on every backend; PostgreSQL's
``StatsSql`` (``store/postgres/stats_sql.py``) overrides the text and how times are bound,
and nothing else. Every column comes back as one ``group_concat`` string: one row instead
of 100,000, which NumPy parses (``packed_ids``) many times faster than Python builds a
row tuple per card. All aggregates of one query walk the rows in the same order, so their
entries line up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from quizapp.scheduling.chart_series import CALIBRATION_ANSWERS
from quizapp.scheduling.memory import LEARNING, RELEARNING, REVIEW
from quizapp.scheduling.stats import ANSWER_SHIFT, NO_OFFSET, NO_RECALL
from quizapp.store.sqlite.availability import SUSPENDED_OR_MISSING_IDS, UNAVAILABLE_IDS
from quizapp.store.sqlite.packed_ids import packed_columns
from quizapp.store.sqlite.study_conditions import stored_time
from quizapp.store.tables import KIND_REVIEW

if TYPE_CHECKING:
    from numpy.typing import NDArray


class StatsSql:
    """SQLite's statements (``julianday``, ``group_concat``, ``json_extract``,
    ``INDEXED BY``), each a class attribute or a method that a backend may override."""

    #: The julian days of ``:start``, ``:now`` and ``:interview`` (bound with ``time``),
    #: which the card columns count whole days from.
    JULIAN_DAYS = "SELECT julianday(:start), julianday(:now), julianday(:interview)"

    #: Every answer since ``:since`` packed into one integer (see ``day_totals``), all in
    #: one string: read from the ``(reviewed_at, review_kind, rating)`` index, a million
    #: answers take a third of the time a SQL ``GROUP BY`` (which sorts them) would. The
    #: time is exact unix milliseconds (``julianday`` holds whole milliseconds; ``round``
    #: undoes the float), using only SQLite's core functions.
    PACKED_ANSWERS = f"""
SELECT group_concat(
    (CAST(round((julianday(reviewed_at) - 2440587.5) * 86400000.0) AS INTEGER)
        << {ANSWER_SHIFT})
    | (CASE WHEN rating BETWEEN 1 AND 4 THEN rating WHEN rating > 4 THEN 5 ELSE 0 END << 1)
    | (review_kind = {KIND_REVIEW}), ',')
FROM review_logs WHERE reviewed_at >= :since
"""

    #: The ``card_states`` rows statistics can use: as far as SQL can tell, those
    #: ``row_decode.memory_state`` accepts (numbers that are numbers, times SQLite can
    #: read). A time SQLite cannot read makes ``floor`` fail (or gives a NULL that
    #: ``group_concat`` skips, misaligning the columns), so after such a failure the rows
    #: are read again without the unreadable ones, which are reported.
    READABLE_STATE = """state IN (1, 2, 3) AND typeof(reps) = 'integer' AND reps >= 0
  AND typeof(stability) IN ('real', 'integer', 'null')
  AND julianday(due) IS NOT NULL
  AND (last_review IS NULL OR julianday(last_review) IS NOT NULL)"""

    #: The latest ``CALIBRATION_ANSWERS`` answers to cards in the review state, newest
    #: first from the ``(reviewed_at, review_kind, rating)`` index (whose order, the
    #: rating and then the row id, breaks ties): stability before, whole days since the
    #: previous review, passed. Rows whose state cannot give a prediction (no stability, no
    #: previous review, JSON that is not JSON) are left out, so the packed columns line up.
    RECALL_ANSWERS = f"""
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

    #: Suspended and missing cards (id, missing), from the partial index of unavailable
    #: cards.
    HIDDEN = SUSPENDED_OR_MISSING_IDS

    #: Card ids per tag, from the ``(tag_id, card_id)`` index in one ordered pass.
    TAG_IDS = """
SELECT t.name, g.ids FROM (
    SELECT tag_id, group_concat(card_id, ',') AS ids FROM card_tags GROUP BY tag_id
) AS g JOIN tags t ON t.id = g.tag_id ORDER BY t.key
"""

    #: Card ids per difficulty, from the difficulty index in one ordered pass.
    DIFFICULTY_IDS = """
SELECT coalesce(difficulty, 'none'), group_concat(id, ',') FROM cards GROUP BY difficulty
"""

    #: Card ids per deck, from the deck index in one ordered pass.
    DECK_IDS = """
SELECT d.name, g.ids FROM (
    SELECT deck_id, group_concat(id, ',') AS ids FROM cards GROUP BY deck_id
) AS g JOIN decks d ON d.id = g.deck_id ORDER BY d.name
"""

    #: Learning cards due now (kind 0) and review cards due today (kind 1), available ones.
    DUE_ANSWERED = f"""
SELECT group_concat(card_id, ','), group_concat(state = {REVIEW}, ',') FROM card_states
WHERE due < :end AND reps > 0
  AND (state = {REVIEW} OR (state IN ({LEARNING}, {RELEARNING}) AND due <= :now))
  AND card_id NOT IN ({UNAVAILABLE_IDS})
"""

    #: New cards that are available now.
    NEW_IDS = f"""
SELECT group_concat(card_id, ',') FROM card_states INDEXED BY ix_card_states_new
WHERE reps = 0 AND card_id NOT IN ({UNAVAILABLE_IDS})
"""

    #: Whole days since the last review at the julian day ``{at}``, or ``NO_RECALL``.
    ELAPSED = f"""CASE WHEN reps > 0 AND stability > 0 AND last_review IS NOT NULL
    THEN CAST(max(floor({{at}} - julianday(last_review)), 0) AS INTEGER)
    ELSE {NO_RECALL} END"""

    #: Days from the start of today (``:start_jd``) to a card's due time, within 30 days.
    DUE_OFFSET = f"""CASE WHEN reps > 0 AND due < :horizon
            THEN CAST(floor(julianday(due) - :start_jd) AS INTEGER) ELSE {NO_OFFSET} END"""

    #: Whether a card has been answered and is due before today ends, as 0 or 1.
    DUE_TODAY = "reps > 0 AND due < :end"

    def pack(self, columns: Sequence[str], order: str) -> str:
        """The select list that packs each of ``columns`` into one string (SQLite reads
        the rows in ``order``, its rowid's, by itself)."""
        return ",\n       ".join(f"group_concat({column}, ',')" for column in columns)

    def unpack(self, row: Sequence[Any], width: int) -> list[NDArray[Any]]:
        """The ``width`` arrays of a row of ``pack``'s strings: the first as floats, the
        rest integers. Raises ``ValueError`` when they do not line up
        (``packed_ids.packed_columns``)."""
        if len(row) != width:
            raise ValueError(f"{len(row)} packed columns where {width} were expected")
        return packed_columns(row)

    def card_columns(self, interview: bool, *, readable_only: bool = False) -> str:
        """Every present card's facts, one packed string per column, in ``CardColumns``
        order: stability, id, kind, due today, due offset, elapsed now (and at the
        interview). ``readable_only`` leaves out the rows ``READABLE_STATE`` rejects
        (which costs a third more, so only after the plain query failed on one)."""
        columns = [
            "coalesce(stability, 0)",
            "card_id",
            "CASE WHEN reps = 0 THEN 0 WHEN state IN (1, 2) THEN state ELSE 3 END",
            self.DUE_TODAY,
            self.DUE_OFFSET,
            self.ELAPSED.format(at=":now_jd"),
        ]
        if interview:
            columns.append(self.ELAPSED.format(at=":interview_jd"))
        packed = self.pack(columns, order="card_id")
        where = f"WHERE {self.READABLE_STATE}" if readable_only else ""
        return f"""
SELECT {packed}
FROM card_states
{where}
"""

    def unreadable_states(self) -> str:
        """The uid (or the id, for a state without a card) of each row ``READABLE_STATE``
        leaves out, in id order."""
        return (
            "SELECT coalesce(cards.uid, CAST(card_states.card_id AS TEXT)) FROM card_states"
            f" LEFT JOIN cards ON cards.id = card_states.card_id WHERE NOT ({self.READABLE_STATE})"
            " ORDER BY card_states.card_id"
        )

    def time(self, moment: datetime) -> Any:
        """``moment`` bound as a parameter compared with stored times (SQLite stores text)."""
        return stored_time(moment)

    def since(self, boundary: str) -> Any:
        """The stats cache's boundary (``stored_time`` text, empty: none) as a parameter."""
        return boundary

    def prepare(self, conn: Connection) -> None:
        """Settle the read transaction's session settings for the statistics' packed
        reads, after ``JULIAN_DAYS`` (nothing on SQLite)."""
