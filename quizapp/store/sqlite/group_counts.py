"""Every deck's, tag's and difficulty's due counts, for the home screen and ``decks``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import text

from quizapp.scheduling.queue import DayWindow
from quizapp.store.db import Database
from quizapp.store.records import DueByGroup, DueCounts, GroupDue
from quizapp.store.sqlite.packed_ids import id_groups, packed_ids
from quizapp.store.sqlite.stats_sql import StatsSql

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


def due_by_group(database: Database, sql: StatsSql, now: datetime, window: DayWindow) -> DueByGroup:
    """Every deck's, tag's and difficulty's due counts, in one read of a few indexes.

    The same numbers as ``due_counts`` with ``StudyFilter(deck=...)``,
    ``StudyFilter(tags_any=(tag,))`` or ``StudyFilter(difficulties=(level,))`` for each
    group, at the cost of about one such call instead of one per group: the due cards'
    ids and kinds, and each group's card ids, come back as packed strings (``sql``'s
    statements) and are tallied with NumPy.
    """
    import numpy as np

    params = {"now": sql.time(now), "end": sql.time(window.end)}
    with database.begin() as conn:
        answered, is_review = conn.execute(text(sql.DUE_ANSWERED), params).one()
        new = conn.execute(text(sql.NEW_IDS), params).scalar()
        missing = [int(pk) for pk, gone in conn.execute(text(sql.HIDDEN)) if gone]
        decks = id_groups(conn, sql.DECK_IDS)
        tags = id_groups(conn, sql.TAG_IDS)
        difficulties = sorted(id_groups(conn, sql.DIFFICULTY_IDS))
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
