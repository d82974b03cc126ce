"""A connection in autocommit, for work that is one statement: one round trip to the server.

In a transaction, psycopg sends ``BEGIN`` before the first statement and the commit ends
with ``COMMIT``: two more round trips, each a wait for the server (a fifth of a millisecond
on a local socket, more over a network, and more still on a busy machine). A read, or a
write that is one statement, needs neither: PostgreSQL runs a lone statement as its own
transaction, all of it or nothing, and under READ COMMITTED each statement of a longer
transaction reads its own snapshot anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from quizapp.store.db import Database


@contextmanager
def autocommit(database: Database) -> Iterator[Connection]:
    """A connection of ``database`` in autocommit, returned to the pool afterwards."""
    with database.engine.connect() as conn:
        yield conn.execution_options(isolation_level="AUTOCOMMIT")
