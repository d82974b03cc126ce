"""One browser tab's app: ``python -m quizapp.web.app_process --db PATH [--cards DIR]…``.

serve starts one of these per tab, under textual-serve's environment (Textual's web
driver talks to the page through this process's standard input and output). It opens the
collection serve was started with, never one named by the environment, with the served
capabilities: no ``$EDITOR``, and Import only inside the ``--cards`` folders.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """The app process's arguments (serve builds them; a person never types them)."""
    parser = argparse.ArgumentParser(prog="quizapp.web.app_process")
    parser.add_argument("--db", required=True, help="the collection serve was started with")
    parser.add_argument("--cards", action="append", default=[], help="a folder Import may read")
    return parser.parse_args(list(argv))


#: The variable in which serve leaves its process id for its app processes.
SERVE_PID_VARIABLE = "QUIZAPP_SERVE_PID"

#: prctl's option number for "signal me when my parent dies" (linux/prctl.h).
PR_SET_PDEATHSIG = 1


def end_with_serve() -> None:
    """On Linux, have the kernel send this process SIGTERM when serve dies, however it
    dies (``kill -9`` too), so no app outlives its server: Textual's web driver only stops
    reading when its input closes, and the app would run on with nobody to see it. SIGTERM
    ends the app as quitting does."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return
    serve = os.environ.get(SERVE_PID_VARIABLE, "")
    if serve.isdigit() and os.getppid() != int(serve):
        os.kill(os.getpid(), signal.SIGTERM)  # serve died before the request took hold


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app for one tab; the exit status is the app's."""
    arguments = parse(sys.argv[1:] if argv is None else argv)
    end_with_serve()
    from quizapp.tui.app import QuizApp
    from quizapp.tui.capabilities import Capabilities

    capabilities = Capabilities.served_with(tuple(Path(folder) for folder in arguments.cards))
    app = QuizApp(arguments.db, first_run_import=False, freeze_heap=True, capabilities=capabilities)
    app.run()
    if app.startup_error is not None:
        print(f"quizapp: error: {app.startup_error}", file=sys.stderr)
        return 2
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
