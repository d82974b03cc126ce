"""What every command shares: the ``--db`` target, opening it, and one-line errors."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

import click

from quizapp.text import plural

if TYPE_CHECKING:
    from quizapp.store.db import Database


class CliError(click.ClickException):
    """A user-facing failure, printed as ``quizapp: error: <message>`` with no traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(" ".join(message.split()))
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it per class

    def show(self, file: IO[Any] | None = None) -> None:
        from quizapp.cli.terminal import safe_text

        click.echo(
            f"quizapp: error: {safe_text(self.format_message(), keep_newlines=False)}", err=True
        )


def db_target(ctx: click.Context) -> str | None:
    """The ``--db`` given to the root command (None: ``$QUIZAPP_DB`` or the default)."""
    obj = ctx.find_object(dict)
    if obj is not None and obj.get("db") is not None:
        return str(obj["db"])
    return None


def warn(problem: str) -> None:
    """Print a problem that did not stop the command: ``quizapp: warning: …`` on stderr."""
    from quizapp.cli.terminal import safe_text

    click.echo(f"quizapp: warning: {safe_text(problem, keep_newlines=False)}", err=True)


def bundled_wanted(ctx: click.Context) -> bool:
    """False when the user said ``--no-bundled`` (or ``$QUIZAPP_NO_BUNDLED``)."""
    obj = ctx.find_object(dict)
    return not (obj is not None and obj.get("no_bundled"))


def open_db(
    ctx: click.Context, *, starter_deck: bool = False, auto_backup: bool = True
) -> Database:
    """Open the database named by ``--db`` (closed when the command ends).

    With ``starter_deck`` an empty database first gets the bundled deck, as the first run
    promises, whatever the first command is (``import`` too), unless ``--no-bundled``.
    A database that cannot be opened is a usage error (exit 2): ``--db`` is wrong.
    Problems met on the way (a failed automatic backup, unreadable rows skipped) are
    printed as warnings on stderr and the command goes on.
    """
    from quizapp.store.db import open_database
    from quizapp.store.errors import StoreError

    first_run = None
    if starter_deck and bundled_wanted(ctx):
        from quizapp.content import prepare_first_run

        first_run = prepare_first_run(db_target(ctx))  # a new file: from the starter copy
    seeded = first_run is not None and first_run.seeded
    try:
        database = open_database(
            db_target(ctx), auto_backup=auto_backup and not seeded, on_problem=warn
        )
    except StoreError as error:
        raise CliError(str(error), exit_code=2) from None
    ctx.call_on_close(database.close)
    if starter_deck and bundled_wanted(ctx):
        from quizapp.content import ensure_starter_deck

        report = ensure_starter_deck(database, first_run)
        if report is not None and report.new:
            click.echo(
                f"quizapp: imported the bundled deck ({plural(report.new, 'card')}; "
                "--no-bundled skips it on a new database)",
                err=True,
            )
    return database


def open_tui(ctx: click.Context, session_spec: Any = None) -> None:
    """Run the study app on ``--db`` and exit with its status.

    A database the app cannot open is reported like every other ``--db`` fault: one line,
    ``quizapp: error: …``, exit status 2.
    """
    from quizapp.tui.app import StartupFailed, run

    try:
        code = run(db_target(ctx), session_spec, first_run_import=bundled_wanted(ctx))
    except StartupFailed as error:
        raise CliError(str(error), exit_code=2) from None
    ctx.exit(code)
