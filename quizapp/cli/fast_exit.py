"""Ending the ``quizapp`` process without tearing the interpreter down once it is done.

Why: after a command has printed its answer, CPython's shutdown (clearing every module,
then a last garbage collection over SQLAlchemy's and quizapp's objects) took longer than
the work of ``quizapp tags`` itself: 50-90 ms of a 0.4 s command, which a person waits
for before the prompt comes back. The console script (``cli.app.main``) therefore arms
``_finish``, which ends the process with ``os._exit`` and the command's exit status once
everything that must happen at exit has happened:

- non-daemon threads have been joined (the interpreter does that before exit handlers);
- every exit handler registered after this module was imported has run (``atexit`` runs
  them last in, first out, and ``quizapp.cli`` imports this module before the command
  line imports click, SQLAlchemy or anything else);
- the standard streams are flushed.

The database is closed by then too (``cli.context.open_db`` closes it when the command
ends). Importing the command line (tests, click's ``CliRunner``) arms nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys

_status: list[int] = []


def arm(code: object) -> None:
    """End the process with ``code`` (as ``SystemExit`` would report it) at exit."""
    if code is None:
        status = 0
    elif isinstance(code, int) and not isinstance(code, bool):
        status = code & 0xFF
    else:
        status = 1  # Python prints any other code and exits 1
    _status[:] = [status]


def _finish() -> None:
    if not _status:
        return
    for stream in (sys.stdout, sys.stderr):
        # a closed pipe: what was lost is lost either way
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(_status[0])


atexit.register(_finish)
