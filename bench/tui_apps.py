"""The apps the TUI benchmark starts cold in a pseudo-terminal, one per process.

    python -m bench.tui_apps hello                  # a hello-world Textual app: the baseline
    python -m bench.tui_apps quiz DB CONFIG_DIR     # quizapp's TUI on DB, with a fixed clock
    python -m bench.tui_apps first DB CONFIG_DIR    # the same on a new DB: a first run, which
                                                    # imports the bundled deck

Both start the same way (``python -m``), so the difference between them is quizapp's own
start-up. This module imports nothing heavy: only what each app needs is imported, inside
its branch.
"""

from __future__ import annotations

import sys

HELLO = "Hello, world"


def hello() -> None:
    """The smallest Textual app that draws something."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static(HELLO)

    Hello().run()


def quiz(db: str, config_dir: str, *, first_run: bool = False) -> None:
    """quizapp's TUI on ``db``, at the benchmarks' fixed time, in UTC.

    ``first_run``: the bundled deck is imported into an empty ``db``, as ``quizapp`` does
    on its first run (``quizapp.tui.app.run``, which also freezes the start-up heap);
    otherwise the database is opened as it is.
    """
    from datetime import UTC
    from pathlib import Path

    from bench.clock import NOW
    from quizapp.tui.app import QuizApp

    app = QuizApp(
        db,
        clock=lambda: NOW,
        zone=UTC,
        config_dir=Path(config_dir),
        first_run_import=first_run,
        freeze_heap=first_run,
    )
    app.run()


if __name__ == "__main__":
    if sys.argv[1:2] == ["hello"]:
        hello()
    else:
        quiz(sys.argv[2], sys.argv[3], first_run=sys.argv[1] == "first")
