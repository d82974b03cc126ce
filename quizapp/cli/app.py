"""The ``quizapp`` command: a click group with the global ``--db`` and every subcommand.

Each command lives in its own module and is registered here with one ``add_command`` line.
With no command, quizapp opens the TUI.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import click

from quizapp.cli.context import CliError, open_db, open_tui


def usage_message(error: click.UsageError) -> str:
    """click's usage error as one line: its message and where to read the usage.

    click prints four lines (usage, a help hint, a blank line, the error); a person needs
    the error and the one command that explains it.
    """
    message = " ".join(error.format_message().split()).rstrip(".")
    command = error.ctx.command_path if error.ctx is not None else "quizapp"
    return f"{message} (see '{command} --help')"


class QuizappGroup(click.Group):
    """A click group whose errors are one line, ``quizapp: error: …``, never a traceback."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        from quizapp.store.errors import StoreError

        try:
            code = super().main(args, prog_name or "quizapp", complete_var, False, **extra)
        except click.exceptions.Abort:
            click.echo("quizapp: aborted", err=True)
            sys.exit(1)
        except click.UsageError as error:
            CliError(usage_message(error), error.exit_code).show()
            sys.exit(error.exit_code)
        except click.ClickException as error:
            CliError(error.format_message(), error.exit_code).show()
            sys.exit(error.exit_code)
        except StoreError as error:
            CliError(str(error)).show()
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("quizapp: interrupted", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


@click.group("quizapp", cls=QuizappGroup, invoke_without_command=True)
@click.option(
    "--db",
    metavar="PATH",
    default=None,
    help="Database file or SQLAlchemy URL (default: $QUIZAPP_DB, else quizapp.db in your "
    "user data folder).",
)
@click.option(
    "--no-bundled",
    is_flag=True,
    envvar="QUIZAPP_NO_BUNDLED",
    help="On a database without cards, do not add the bundled deck (default: every "
    "command that reads or imports cards adds it first; $QUIZAPP_NO_BUNDLED=1 too).",
)
@click.version_option(package_name="quizapp", prog_name="quizapp")
@click.pass_context
def cli(ctx: click.Context, db: str | None, no_bundled: bool) -> None:
    """Practise interview questions with spaced repetition, drawn math and live exercises.

    With no command, opens the study app on your database (the bundled deck on first run).
    """
    ctx.ensure_object(dict)
    if db is not None and not db.strip():
        raise click.BadParameter(
            "is empty; give a database file path or a SQLAlchemy URL", param_hint="'--db'"
        )
    ctx.obj["db"] = db
    ctx.obj["no_bundled"] = no_bundled
    if ctx.invoked_subcommand is None:
        _open_app(ctx)


def _open_app(ctx: click.Context) -> None:
    """Open the TUI; without it (not installed yet), print today's study queue.

    The TUI opens the database itself, in a worker behind its first frame (importing the
    bundled deck on an empty one), so nothing is opened here before it starts.
    """
    try:
        import quizapp.tui.app  # noqa: F401  # the TUI is installed
    except ModuleNotFoundError as error:
        if error.name not in ("quizapp.tui", "quizapp.tui.app", "textual"):
            raise
        _print_queue(open_db(ctx, starter_deck=True))
        return
    open_tui(ctx)


def _print_queue(database: Any) -> None:
    from quizapp.cli.terminal import safe_text
    from quizapp.services.library import list_cards

    due = list_cards(database, due=True, now=datetime.now(UTC))
    reviews = [card for card in due if card.state != "new"]
    new = [card for card in due if card.state == "new"]
    click.echo(f"Today: {len(reviews)} due for review, {len(new)} new.")
    for label, cards in (("Due", reviews), ("New", new)):
        for card in cards[:20]:
            click.echo(
                f"  {label:<4} {safe_text(card.id, keep_newlines=False)}  "
                f"{safe_text(card.title, keep_newlines=False)}"
            )


def _register() -> None:
    """One line per command module (imports stay cheap: each loads its work lazily)."""
    from quizapp.cli.backup_cmd import backup, restore
    from quizapp.cli.browse_cmd import list_command, show, tags
    from quizapp.cli.config_cmd import config
    from quizapp.cli.doctor_cmd import doctor
    from quizapp.cli.evaluate_cmd import evaluate
    from quizapp.cli.exercise_cmd import exercise
    from quizapp.cli.export_cmd import export_command
    from quizapp.cli.import_cmd import check, import_command
    from quizapp.cli.optimize_cmd import optimize
    from quizapp.cli.review_cmd import review
    from quizapp.cli.stats_cmd import stats

    cli.add_command(import_command)
    cli.add_command(check)
    cli.add_command(list_command)
    cli.add_command(show)
    cli.add_command(tags)
    cli.add_command(backup)
    cli.add_command(restore)
    cli.add_command(doctor)
    cli.add_command(review)
    cli.add_command(stats)
    cli.add_command(optimize)
    cli.add_command(evaluate)
    cli.add_command(config)
    cli.add_command(exercise)
    cli.add_command(export_command)


_register()


def main(argv: Sequence[str] | None = None) -> None:
    """The console script: run ``quizapp`` with ``argv`` (default: the command line)."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="quizapp")
