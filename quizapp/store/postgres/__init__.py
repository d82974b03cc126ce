"""PostgreSQL as the store: connecting, and what differs from SQLite (docs/postgres.md).

``is_postgres`` lives here, not in ``connection.py``: ``open_database`` asks it of every
URL, and a SQLite command must not import the PostgreSQL connection code to learn that it
does not need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


def is_postgres(url: URL) -> bool:
    """Whether ``url`` names a PostgreSQL database."""
    return url.get_backend_name() == "postgresql"
