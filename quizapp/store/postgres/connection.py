"""Connecting to PostgreSQL: which driver a URL means, and one clear line for each fault.

A ``postgresql://`` URL means psycopg 3 (the ``postgres`` extra), whatever SQLAlchemy's
own default driver is. A connection that fails is described in one line a user can act on:
a server that is down or unreachable, a wrong password or user, a missing database. The
password is never shown.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import URL

#: The only PostgreSQL driver quizapp supports (psycopg 3).
DRIVER = "postgresql+psycopg"

#: Seconds to wait for the server before saying it cannot be reached.
CONNECT_TIMEOUT_S = 10

_MISSING_DRIVER = (
    "PostgreSQL needs the psycopg driver: install quizapp with the postgres extra"
    " (pip install 'quizapp[postgres]')"
)


def is_postgres(url: URL) -> bool:
    """Whether ``url`` names a PostgreSQL database."""
    return url.get_backend_name() == "postgresql"


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
