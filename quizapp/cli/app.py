"""The ``quizapp`` command: a click group with the global ``--db`` and every subcommand.

Each command lives in its own module and is registered here with one line of
``COMMANDS``: its module is imported only when that command runs (or ``--help`` lists
them all), so ``quizapp list`` does not pay for importing what ``review`` or ``export``
need. With no command, quizapp opens the TUI.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import click

from quizapp.cli import fast_exit
from quizapp.cli.context import CliError, open_db, open_tui


def usage_message(error: click.UsageError) -> str:
    """click's usage error as one line: its message and where to read the usage.

    click prints four lines (usage, a help hint, a blank line, the error); a person needs
    the error and the one command that explains it.
    """
    message = " ".join(error.format_message().split()).rstrip(".")
    command = error.ctx.command_path if error.ctx is not None else "quizapp"
    return f"{message} (see '{command} --help')"


#: Every command: its name and where it lives (``module:attribute``), imported on first use.
COMMANDS: dict[str, str] = {
    "import": "quizapp.cli.import_cmd:import_command",
    "check": "quizapp.cli.import_cmd:check",
    "list": "quizapp.cli.browse_cmd:list_command",
    "show": "quizapp.cli.browse_cmd:show",
    "tags": "quizapp.cli.browse_cmd:tags",
    "backup": "quizapp.cli.backup_cmd:backup",
    "copy-db": "quizapp.cli.copy_db_cmd:copy_db",
    "restore": "quizapp.cli.backup_cmd:restore",
    "doctor": "quizapp.cli.doctor_cmd:doctor",
    "review": "quizapp.cli.review_cmd:review",
    "stats": "quizapp.cli.stats_cmd:stats",
    "optimize": "quizapp.cli.optimize_cmd:optimize",
    "evaluate": "quizapp.cli.evaluate_cmd:evaluate",
    "config": "quizapp.cli.config_cmd:config",
    "exercise": "quizapp.cli.exercise_cmd:exercise",
    "drill": "quizapp.cli.drill_cmd:drill",
    "export": "quizapp.cli.export_cmd:export_command",
    "serve": "quizapp.cli.serve_cmd:serve",
}


class QuizappGroup(click.Group):
    """A click group whose errors are one line, ``quizapp: error: …``, never a traceback.

    Its commands are those of ``COMMANDS``, each loaded from its module when first asked
    for (click's documented pattern for lazily loaded subcommands).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module_name, attribute = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command) or command.name != cmd_name:
                raise RuntimeError(f"{COMMANDS[cmd_name]} is not the {cmd_name!r} command")
            self.add_command(command)
        return super().get_command(ctx, cmd_name)

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


def main(argv: Sequence[str] | None = None) -> None:
    """Run the click command line with ``argv`` (default: the command line); the console
    script (``cli/entry.py``) comes here for everything but ``quizapp`` alone.

    The process then ends without the interpreter's slow teardown (``fast_exit``).
    """
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="quizapp")
    except SystemExit as stop:
        fast_exit.arm(stop.code)
        raise
