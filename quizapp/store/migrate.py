"""Alembic, loaded only when the schema must change.

Importing Alembic costs more than half a second, which the TUI cannot spend on every start;
``quizapp.store.db`` therefore checks the revision itself and calls in here only when the
database is new or older than ``HEAD_REVISION``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

if TYPE_CHECKING:
    from alembic.config import Config

    from quizapp.store.db import Database

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

#: Alembic keeps the running migration's context in module globals (``alembic.context``,
#: ``alembic.op``), so two upgrades in one process at once (two users' collections opened
#: by two threads) would run each other's steps on the wrong connection: they take turns.
_ALEMBIC = threading.Lock()


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_head() -> str:
    """The newest revision among the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every revision the migration scripts know about."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def upgrade_to_head(database: Database) -> None:
    """Apply every pending migration in one write transaction."""
    from alembic import command

    with _ALEMBIC, database.begin(write=True) as connection:
        if connection.dialect.name == "postgresql":
            # A schema change on a large collection may take longer than one ordinary
            # statement may; cut off half-way, it would be rolled back and never done.
            connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
            # Two first opens of one collection at once (two devices, two threads) take
            # turns: the second finds the schema at head instead of failing on the first's
            # tables. The key is the collection's schema, so other users never wait.
            connection.exec_driver_sql(
                "SELECT pg_advisory_xact_lock(hashtext('quizapp upgrade ' || current_schema()))"
            )
        command.upgrade(alembic_config(connection), "head")
