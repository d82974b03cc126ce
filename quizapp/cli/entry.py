"""The console script: ``quizapp`` alone opens the study app without loading click.

Why: ``quizapp`` with no arguments is how a learner starts the app every day, and click
(some 60 ms to import, a third of a Textual hello world's whole start) has nothing to
parse then. So that one case starts the TUI directly, the way the command line's
``open_tui`` does (same database, the bundled deck on first run, the same one-line
``quizapp: error: …`` with status 2 when the database will not open); anything else,
arguments, ``$QUIZAPP_NO_BUNDLED``, click's shell completion, or a machine without the
TUI installed, goes through the click command line (``cli/app.py``) as always.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from quizapp.cli import fast_exit

#: Environment variables that the click command line reads when no argument is given:
#: with one set, ``quizapp`` alone goes through click to get their exact meaning.
CLICK_ENVIRONMENT = ("QUIZAPP_NO_BUNDLED", "_QUIZAPP_COMPLETE")


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``quizapp`` with ``argv`` (default: the command line), then end the process
    without the interpreter's slow teardown (``fast_exit``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args and not any(name in os.environ for name in CLICK_ENVIRONMENT) and _has_tui():
        _open_app()
    from quizapp.cli.app import main as click_main

    click_main(args)


def _has_tui() -> bool:
    """Whether the TUI can be imported (it is an optional part of the install)."""
    try:
        import quizapp.tui.app  # noqa: F401
    except ModuleNotFoundError as error:
        if error.name not in ("quizapp.tui", "quizapp.tui.app", "textual"):
            raise
        return False
    return True


def _open_app() -> None:
    """Run the study app on the default database and exit with its status."""
    from quizapp.tui.app import StartupFailed, run

    try:
        try:
            code = run()
        except StartupFailed as error:
            from quizapp.cli.context import CliError

            failure = CliError(str(error), exit_code=2)
            failure.show()
            code = failure.exit_code
        except KeyboardInterrupt:
            print("quizapp: interrupted", file=sys.stderr)
            code = 130
        sys.exit(code)
    except SystemExit as stop:
        fast_exit.arm(stop.code)
        raise
