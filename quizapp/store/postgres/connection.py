"""Connecting to PostgreSQL: which driver a URL means, and one clear line for each fault.

A ``postgresql://`` URL means psycopg 3 (the ``postgres`` extra), whatever SQLAlchemy's
own default driver is. A connection that fails is described in one line a user can act on:
a server that is down or unreachable, a wrong password or user, a missing database. The
password is never shown.

Faults after opening are one line too (``ConnectionLost``, ``StatementTimedOut``):

- a pooled connection that died while idle (the server restarted, an administrator ended
  the session) is found when it is taken from the pool and replaced without a word, so
  the next command simply works (``replace_dead_connections``);
- a connection lost during a statement stops the work with one line: its transaction was
  never committed, so nothing of it is kept; lost during the commit itself, the line says
  the change may not have been kept, since the server may have committed it;
- a statement that runs past the statement timeout (``scoping.STATEMENT_TIMEOUT``, or the
  URL's ``?statement_timeout=``) is cancelled by the server, and its transaction with it.
"""

from __future__ import annotations

import re
import select
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext

from quizapp.store.errors import ConnectionLost, StatementTimedOut, StoreError
from quizapp.store.postgres.scoping import check_search_path, ensure_schema, split_scope

#: The only PostgreSQL driver quizapp supports (psycopg 3).
DRIVER = "postgresql+psycopg"

#: Seconds to wait for the server before saying it cannot be reached.
CONNECT_TIMEOUT_S = 10

_MISSING_DRIVER = (
    "PostgreSQL needs the psycopg driver: install quizapp with the postgres extra"
    " (pip install 'quizapp[postgres]')"
)


def normalised_url(url: URL) -> URL:
    """``url`` with psycopg 3 as its driver (``postgresql://`` and ``postgresql+psycopg://``
    alike); another PostgreSQL driver is refused by ``check_driver``."""
    if url.drivername == "postgresql":
        return url.set(drivername=DRIVER)
    return url


def check_driver(url: URL) -> str | None:
    """Why quizapp cannot use ``url``'s driver, or None when it can."""
    if url.drivername != DRIVER:
        return f"the driver {url.get_driver_name()} is not supported: use {DRIVER}://"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return _MISSING_DRIVER
    return None


def shown(url: URL) -> str:
    """``url`` as messages show it: the password masked."""
    return url.render_as_string(hide_password=True)


def describe_failure(message: str, url: URL) -> str:
    """The one line for a PostgreSQL error ``message`` (the driver's text) about ``url``."""
    where = url.query.get("host") or url.host or "localhost"
    if "password authentication failed" in message or "no password supplied" in message:
        return f"the server refused the password for user {url.username or '(none)'}"
    missing = re.search(r'database "([^"]*)" does not exist', message)
    if missing:
        name = missing.group(1)
        return f"the database {name} does not exist on the server (create it: createdb {name})"
    role = re.search(r'role "([^"]*)" does not exist', message)
    if role:
        return f"the server has no user {role.group(1)}"
    if any(
        hint in message
        for hint in (
            "Connection refused",
            "No such file or directory",
            "Is the server running",
            "could not translate host name",
            "timeout expired",
            "server closed the connection unexpectedly",
        )
    ):
        return f"cannot reach the PostgreSQL server at {where} (is it running?)"
    first = next((line.strip() for line in message.splitlines() if line.strip()), "")
    return first.removeprefix("connection failed: ") or "the PostgreSQL server failed"


def postgres_engine(url: URL) -> Engine:
    """An engine for the PostgreSQL ``url`` (normalised, driver checked), scoped to the
    collection its ``?user=`` or ``?schema=`` names, that schema created on first use.

    Every connection gets the statement timeout and the search path as libpq options (set
    by the server at connection time, so a reconnect gets them too, at no extra round
    trip); ``options`` already in the URL come after them and win. Raises ``StoreError``.
    """
    driver_url, scope = split_scope(url)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in driver_url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    given = driver_url.query.get("options")
    ours = scope.connection_options()
    connect_args["options"] = ours if not isinstance(given, str) else f"{ours} {given}"
    driver_url = driver_url.difference_update_query(["options"])

    def engine() -> Engine:
        fresh = create_engine(driver_url, connect_args=connect_args)
        replace_dead_connections(fresh)
        install_fault_messages(fresh, url, scope.statement_timeout)
        return fresh

    made = engine()
    if scope.schema is None:
        return made
    try:
        if ensure_schema(made, scope.schema):
            # The dialect read the (then missing) schema's name on its first connection:
            # start again with one that finds it there.
            made.dispose()
            made = engine()
            check_search_path(made, scope.schema)
    except StoreError:
        made.dispose()
        raise
    return made


def replace_dead_connections(engine: Engine) -> None:
    """Check each connection as it is taken from ``engine``'s pool, and replace a dead one.

    SQLAlchemy's ``pool_pre_ping`` sends the server a query on every checkout: a round
    trip (0.2-0.3 ms on a local socket, more over a network) for each of the several
    checkouts of every answer. A server that ends a session (a restart, an administrator's
    ``pg_terminate_backend``, an idle timeout) says so on the socket and closes it, so an
    idle connection with something to read is the sign: only then is it pinged, and
    replaced when the ping fails. A connection that looks alive costs one ``poll``.
    """
    from sqlalchemy.exc import DisconnectionError

    dialect = engine.dialect

    def checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if dbapi_connection.closed or dbapi_connection.broken:
            raise DisconnectionError("the connection was closed")
        if not _has_input(dbapi_connection.fileno()):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError(f"the server ended the session: {exc}") from exc

    event.listen(engine, "checkout", checkout)


def _has_input(fd: int) -> bool:
    """Whether the socket ``fd`` has data (or its end) waiting, without waiting."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(0))
    readable, _, failed = select.select([fd], [], [fd], 0)
    return bool(readable or failed)


def install_fault_messages(engine: Engine, url: URL, statement_timeout: str) -> None:
    """Turn the driver's errors for a lost server, a lost connection and a statement
    timeout on ``engine`` into one-line ``StoreError``s naming ``url`` (password hidden)."""
    import psycopg

    where = shown(url)

    def one_line(context: ExceptionContext) -> None:
        if context.is_pre_ping:
            return  # the pool replaces the dead connection itself
        error = context.original_exception
        if not isinstance(error, psycopg.Error):
            return
        message = str(error)
        if context.connection is None and isinstance(error, psycopg.OperationalError):
            raise StoreError(f"{where}: {describe_failure(message, url)}")
        if context.is_disconnect:
            connection = context.connection
            during_commit = context.statement is None and connection is not None
            if during_commit and connection is not None:
                during_commit = bool(connection.info.get(_WROTE, True))
            raise ConnectionLost(where, during_commit=during_commit)
        if isinstance(error, psycopg.errors.QueryCanceled) and "statement timeout" in message:
            raise StatementTimedOut(where, statement_timeout)

    def began(connection: Connection) -> None:
        connection.info[_WROTE] = False

    def executing(connection: Connection, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not statement.lstrip()[:6].upper().startswith(_READS):
            connection.info[_WROTE] = True

    event.listen(engine, "handle_error", one_line)
    event.listen(engine, "begin", began)
    event.listen(engine, "before_cursor_execute", executing)


#: Whether the connection's transaction has run a statement that may write, so that a
#: connection lost at its commit may have lost a change (a read's commit loses nothing).
_WROTE = "quizapp_wrote"
_READS = ("SELECT", "SHOW", "SET")
