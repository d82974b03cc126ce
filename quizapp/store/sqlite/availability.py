"""Which cards may be shown: the one definition of an unavailable card, as SQL text.

A card is unavailable while it is suspended, its file is missing, or it is buried until a
time still to come. Every query that leaves such cards out (the queue, due counts, group
counts, today's fast counts) reads them from these strings, so they cannot drift apart.
Plain strings, no SQLAlchemy: ``today_counts`` runs them with the stdlib driver.

``INDEX_WHERE`` is the condition of the partial index ``ix_cards_unavailable`` (usually
empty); SQLite reads that index only for a query whose condition repeats it word for
word, which is why the conditions below start with it.

PostgreSQL's booleans are not integers, so the same conditions are written there with
the flags tested as booleans (``*_POSTGRESQL``), from the same template.
"""

from __future__ import annotations


def _suspended_or_missing(flag: str) -> str:
    """Cards hidden whatever the time, with ``flag`` the test of a boolean column."""
    return f"{flag.format('suspended')} OR {flag.format('missing')}"


def _index_where(flag: str) -> str:
    return f"{_suspended_or_missing(flag)} OR buried_until IS NOT NULL"


def _unavailable_at_now(flag: str) -> str:
    return f"({_index_where(flag)}) AND ({_suspended_or_missing(flag)} OR buried_until > :now)"


#: The partial index's condition (``models.CardRow``, migration 0002).
INDEX_WHERE = _index_where("{} = 1")

#: Cards hidden whatever the time: suspended, or their file is missing.
SUSPENDED_OR_MISSING = _suspended_or_missing("{} = 1")

#: A ``cards`` row that may not be shown at the bound parameter ``:now`` (stored form).
UNAVAILABLE_AT_NOW = _unavailable_at_now("{} = 1")

#: ``UNAVAILABLE_AT_NOW`` on PostgreSQL (whose partial index is ``INDEX_WHERE`` there).
UNAVAILABLE_AT_NOW_POSTGRESQL = _unavailable_at_now("{}")

#: Ids of the cards that may not be shown at ``:now``.
UNAVAILABLE_IDS = f"SELECT id FROM cards WHERE {UNAVAILABLE_AT_NOW}"

#: Suspended and missing cards (id, missing), from the partial index.
SUSPENDED_OR_MISSING_IDS = (
    f"SELECT id, missing FROM cards WHERE ({INDEX_WHERE}) AND ({SUSPENDED_OR_MISSING})"
)

#: ``SUSPENDED_OR_MISSING_IDS`` on PostgreSQL.
SUSPENDED_OR_MISSING_IDS_POSTGRESQL = (
    f"SELECT id, missing FROM cards WHERE ({_index_where('{}')})"
    f" AND ({_suspended_or_missing('{}')})"
)
