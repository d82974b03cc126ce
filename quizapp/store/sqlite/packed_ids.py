"""Card ids read in bulk as comma-separated strings (``group_concat`` on SQLite,
``string_agg`` on PostgreSQL) and parsed with NumPy.

One row back instead of 100,000: NumPy parses the strings (``np.fromstring``) many times
faster than Python builds a row tuple per card. Used by the statistics and the group
counts; the statements are ``stats_sql.StatsSql``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


def packed_ids(packed: str | None) -> NDArray[np.int64]:
    """Integers from a packed string (None: no rows)."""
    import numpy as np

    return np.fromstring(packed or "", dtype=np.int64, sep=",")


def packed_columns(row: Sequence[Any]) -> list[NDArray[Any]]:
    """The arrays of one ``StatsSql.card_columns`` row: stability as floats, the rest integers.

    Raises ``ValueError`` unless every entry parses and all columns have one entry per
    card: a value SQL could not compute is skipped by ``group_concat`` and would shift
    every later entry onto the wrong card.
    """
    import warnings

    import numpy as np

    with warnings.catch_warnings():
        # NumPy warns (and stops) at text it cannot parse: that is a misaligned column.
        warnings.simplefilter("error", DeprecationWarning)
        try:
            arrays: list[NDArray[Any]] = [
                np.fromstring(row[0] or "", dtype=np.float64, sep=","),
                *(packed_ids(column) for column in row[1:]),
            ]
        except DeprecationWarning:
            raise ValueError("a packed column holds text that is not a number") from None
    if len({len(array) for array in arrays}) != 1:
        raise ValueError("packed columns of different lengths")
    return arrays


def id_groups(conn: Connection, sql: str) -> list[tuple[str, NDArray[np.int64]]]:
    """(name, card ids) pairs; rows sharing a name (``none`` and NULL) are merged."""
    import numpy as np

    groups: dict[str, list[NDArray[np.int64]]] = {}
    for name, packed in conn.execute(text(sql)):
        groups.setdefault(str(name), []).append(packed_ids(packed))
    return [(name, np.concatenate(parts)) for name, parts in groups.items()]
