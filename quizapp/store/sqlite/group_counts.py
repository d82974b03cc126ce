"""Every deck's, tag's and difficulty's due counts, for the home screen and ``decks``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import text

from quizapp.scheduling.memory import LEARNING, RELEARNING, REVIEW
from quizapp.scheduling.queue import DayWindow
from quizapp.store.db import Database
from quizapp.store.records import DueByGroup, DueCounts, GroupDue
from quizapp.store.sqlite.availability import UNAVAILABLE_IDS
from quizapp.store.sqlite.packed_ids import (
    DIFFICULTY_IDS_SQL,
    HIDDEN_SQL,
    TAG_IDS_SQL,
    id_groups,
    packed_ids,
)
from quizapp.store.sqlite.study_conditions import stored_time

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


#: Learning cards due now (kind 0) and review cards due today (kind 1), available ones.
_DUE_ANSWERED_SQL = f"""
SELECT group_concat(card_id, ','), group_concat(state = {REVIEW}, ',') FROM card_states
WHERE due < :end AND reps > 0
  AND (state = {REVIEW} OR (state IN ({LEARNING}, {RELEARNING}) AND due <= :now))
  AND card_id NOT IN ({UNAVAILABLE_IDS})
"""


_NEW_IDS_SQL = f"""
SELECT group_concat(card_id, ',') FROM card_states INDEXED BY ix_card_states_new
WHERE reps = 0 AND card_id NOT IN ({UNAVAILABLE_IDS})
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

    params = {"now": stored_time(now), "end": stored_time(window.end)}
    with database.begin() as conn:
        answered, is_review = conn.execute(text(_DUE_ANSWERED_SQL), params).one()
        new = conn.execute(text(_NEW_IDS_SQL), params).scalar()
        missing = [int(pk) for pk, gone in conn.exec_driver_sql(HIDDEN_SQL) if gone]
        decks = id_groups(conn, _DECK_IDS_SQL)
        tags = id_groups(conn, TAG_IDS_SQL)
        difficulties = sorted(id_groups(conn, DIFFICULTY_IDS_SQL))
    due_ids = np.concatenate([packed_ids(answered), packed_ids(new)])
    kinds = np.concatenate(
        [packed_ids(is_review), np.full(len(packed_ids(new)), 2, dtype=np.int64)]
    )
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
