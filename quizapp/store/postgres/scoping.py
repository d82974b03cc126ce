"""Whose collection a PostgreSQL URL opens, and how long one statement may run.

One server database can hold many people's collections. Each collection lives in its own
PostgreSQL schema, and every connection quizapp makes has its ``search_path`` set to that
schema alone, so the repositories' SQL (which names tables without a schema) reads and
writes only that collection: no query needs to know about users. The migrations run in
the schema too, with their own ``alembic_version`` there.

quizapp reads three query parameters of a ``postgresql+psycopg://`` URL itself and never
passes them to psycopg:

- ``user=NAME``: the collection of the quizapp user NAME, in the schema ``quizapp_NAME``.
  This is *not* the login role (libpq's ``user`` parameter): the role goes before the
  ``@`` (``postgresql+psycopg://ROLE:PASSWORD@HOST/DB``) or in ``$PGUSER``.
- ``schema=NAME``: the collection in the schema NAME, named exactly.
- ``statement_timeout=DURATION``: how long one statement may run before the server
  cancels it (``STATEMENT_TIMEOUT`` unless given; ``0`` means no limit), in PostgreSQL's
  units: ``500ms``, ``30s``, ``5min``, or a number of milliseconds.

Without ``user`` or ``schema`` the collection is where PostgreSQL puts tables by default
(the ``public`` schema), as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from quizapp.store.errors import StoreError

#: The query parameters quizapp reads from a PostgreSQL URL (never passed to psycopg).
USER_PARAMETER = "user"
SCHEMA_PARAMETER = "schema"
TIMEOUT_PARAMETER = "statement_timeout"

#: The schema of the quizapp user NAME is this prefix and NAME.
USER_SCHEMA_PREFIX = "quizapp_"

#: How long one statement may run by default: far longer than any of quizapp's statements
#: takes on a healthy server (the slowest, a statistics pass over a million answers, takes
#: seconds), short enough that a statement stuck behind another session's lock, or on a
#: server that is overloaded, ends in one line instead of a frozen screen.
STATEMENT_TIMEOUT = "60s"

#: PostgreSQL's longest identifier, in bytes.
_MAX_IDENTIFIER = 63
_USER_NAME = re.compile(r"[a-z][a-z0-9_]*")
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_DURATION = re.compile(r"(\d+)(us|ms|s|min|h|d)?")
_RESERVED_SCHEMAS = ("information_schema",)


@dataclass(frozen=True)
class Scope:
    """What a PostgreSQL URL asks of quizapp beyond what psycopg connects to."""

    schema: str | None
    """The schema holding the collection, or None for PostgreSQL's default (``public``)."""
    statement_timeout: str
    """The ``statement_timeout`` of every connection, as PostgreSQL reads it."""
    user: str | None = None
    """The quizapp user named with ``?user=``, for messages and file names."""

    def connection_options(self) -> str:
        """The libpq ``options`` that set the search path and the statement timeout."""
        options = [f"-c statement_timeout={self.statement_timeout}"]
        if self.schema is not None:
            options.append(f"-c search_path={self.schema}")
        return " ".join(options)


def split_scope(url: URL) -> tuple[URL, Scope]:
    """``url`` without quizapp's own query parameters, and the scope they name.

    Raises ``StoreError`` (one line, naming the value) for a user or schema name
    PostgreSQL cannot hold as an unquoted name, both given at once, a parameter given
    twice, or a timeout PostgreSQL would not read.
    """
    query = url.query
    for name in (USER_PARAMETER, SCHEMA_PARAMETER, TIMEOUT_PARAMETER):
        value = query.get(name)
        if isinstance(value, tuple):
            raise StoreError(f"?{name}= is given {len(value)} times; give it once")
    user = _text(query.get(USER_PARAMETER))
    schema = _text(query.get(SCHEMA_PARAMETER))
    timeout = _text(query.get(TIMEOUT_PARAMETER))
    if user is not None and schema is not None:
        raise StoreError(f"give ?user={user} or ?schema={schema}, not both")
    if user is not None:
        schema = user_schema(user)
    elif schema is not None:
        _check_schema(schema)
    if timeout is None:
        timeout = STATEMENT_TIMEOUT
    elif _DURATION.fullmatch(timeout) is None:
        raise StoreError(
            f"statement_timeout={timeout}: not a duration PostgreSQL reads"
            " (a number and a unit: 500ms, 30s, 5min; 0 for no limit)"
        )
    stripped = url.difference_update_query((USER_PARAMETER, SCHEMA_PARAMETER, TIMEOUT_PARAMETER))
    return stripped, Scope(schema=schema, statement_timeout=timeout, user=user)


def collection_key(url: URL) -> tuple[URL, str | None]:
    """What names a PostgreSQL URL's collection: the URL psycopg connects to and the
    schema, so that ``?user=alice``, ``?schema=quizapp_alice`` and the same with another
    ``statement_timeout`` are known as one collection (``StoreError`` for a bad scope)."""
    driver_url, scope = split_scope(url)
    return driver_url, scope.schema


def scope_name(url: URL) -> str | None:
    """The ``?user=`` or ``?schema=`` a URL names (unchecked), for file names, else None."""
    for name in (USER_PARAMETER, SCHEMA_PARAMETER):
        value = _text(url.query.get(name))
        if value:
            return value
    return None


def user_schema(user: str) -> str:
    """The schema holding the quizapp user ``user``'s collection (``StoreError`` for a
    name that cannot be one)."""
    longest = _MAX_IDENTIFIER - len(USER_SCHEMA_PREFIX)
    if _USER_NAME.fullmatch(user) is None or len(user) > longest:
        raise StoreError(
            f"user={user}: not a quizapp user name (lowercase letters, digits and _,"
            f" starting with a letter, at most {longest} characters)"
        )
    return USER_SCHEMA_PREFIX + user


def _check_schema(schema: str) -> None:
    if (
        _SCHEMA_NAME.fullmatch(schema) is None
        or len(schema) > _MAX_IDENTIFIER
        or schema.startswith("pg_")
        or schema in _RESERVED_SCHEMAS
    ):
        raise StoreError(
            f"schema={schema}: not a schema quizapp can use (lowercase letters, digits and _,"
            f" at most {_MAX_IDENTIFIER} characters, not pg_… or information_schema)"
        )


def _text(value: str | tuple[str, ...] | None) -> str | None:
    if value is None or isinstance(value, tuple):
        return None
    return value.strip()


def ensure_schema(engine: Engine, schema: str) -> bool:
    """Create ``schema`` unless it exists; whether it was created.

    Two first opens of the same user at once are serialised by an advisory lock, so the
    second finds the schema instead of failing on the first one's. An existing schema
    needs no privilege beyond using it: it is looked up before anything is created, and
    one the login role may not use is refused in one line (PostgreSQL would silently
    leave it out of the search path, and every table would seem missing).
    """
    with engine.connect() as connection:
        if _usable(connection, schema) is not None:
            return False
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": schema})
        if _usable(connection, schema) is not None:
            return False
        try:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        except DBAPIError as exc:
            reason = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
            raise StoreError(
                f"cannot create the schema {schema} for this collection: {reason}"
                " (the login role needs CREATE on the database, or ask its owner to"
                f" create the schema: CREATE SCHEMA {schema})"
            ) from None
        connection.commit()
    return True


def _usable(connection: Connection, schema: str) -> bool | None:
    """Whether the login role may use ``schema`` (``StoreError`` when not), or None when
    there is no such schema yet."""
    row = connection.execute(
        text(
            "SELECT has_schema_privilege(oid, 'USAGE'), current_user, current_schema()"
            " FROM pg_catalog.pg_namespace WHERE nspname = :name"
        ),
        {"name": schema},
    ).first()
    if row is None:
        return None
    if not row[0]:
        raise StoreError(
            f"the login role {row[1]} may not use the schema {schema} (another role's"
            f" collection; its owner can GRANT USAGE, CREATE ON SCHEMA {schema} TO {row[1]})"
        )
    if row[2] != schema:
        raise StoreError(_IGNORED_OPTIONS.format(schema=schema, found=row[2]))
    return True


def check_search_path(engine: Engine, schema: str) -> None:
    """``StoreError`` unless ``engine``'s connections work in ``schema`` (a new one)."""
    with engine.connect() as connection:
        found = connection.execute(text("SELECT current_schema()")).scalar()
    if found != schema:
        raise StoreError(_IGNORED_OPTIONS.format(schema=schema, found=found))


#: A connection pooler that drops libpq's ``options`` (PgBouncer with
#: ``ignore_startup_parameters = options``) would put every user's rows in one schema.
_IGNORED_OPTIONS = (
    "the connection works in the schema {found}, not {schema}: something between quizapp"
    " and the server dropped its search_path (a connection pooler ignoring the options"
    " startup parameter?); connect to the server directly"
)
