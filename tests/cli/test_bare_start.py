"""``quizapp`` alone opens the study app without loading click, exactly as the click
command line would: the same database, the bundled deck, the same error line and status.

Each case runs the console script in a fresh interpreter with the TUI's ``run`` replaced
by a stand-in that prints what it was asked for (and whether click was loaded by then).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

SCRIPT = """
import json, sys
import quizapp.tui.app as tui

def run(db_target=None, session_spec=None, *, first_run_import=True):
    asked = {"db": db_target, "bundled": first_run_import, "click": "click" in sys.modules}
    print(json.dumps(asked), flush=True)
    if sys.argv[1] == "fail":
        raise tui.StartupFailed("cannot open   /nowhere/q.db:\\n no such folder")
    return 3

tui.run = run
from quizapp.cli import main
main(sys.argv[2:])
"""


def _quizapp(outcome: str, *args: str, **env: str) -> tuple[dict[str, Any], str, int]:
    """What ``run`` was asked for, stderr and the exit status of ``quizapp ARGS``."""
    environment = {
        k: v for k, v in os.environ.items() if k not in ("QUIZAPP_DB", "QUIZAPP_NO_BUNDLED")
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, outcome, *args],
        capture_output=True,
        text=True,
        env={**environment, **env},
        check=False,
    )
    asked = json.loads(result.stdout.splitlines()[0]) if result.stdout else {}
    return asked, result.stderr, result.returncode


def test_quizapp_alone_opens_the_app_without_click() -> None:
    asked, stderr, status = _quizapp("ok")
    assert asked == {"db": None, "bundled": True, "click": False}
    assert (stderr, status) == ("", 3)


def test_an_app_that_cannot_start_fails_as_the_command_line_does() -> None:
    alone = _quizapp("fail")
    through_click = _quizapp("fail", QUIZAPP_NO_BUNDLED="")
    assert alone[0]["click"] is False and through_click[0]["click"] is True
    line = "quizapp: error: cannot open /nowhere/q.db: no such folder\n"
    assert alone[1:] == through_click[1:] == (line, 2)


def test_arguments_and_click_settings_go_through_the_command_line() -> None:
    asked, _, status = _quizapp("ok", "--db", "elsewhere.db")
    assert asked == {"db": "elsewhere.db", "bundled": True, "click": True}
    assert status == 3
    asked, _, _ = _quizapp("ok", QUIZAPP_NO_BUNDLED="1")
    assert asked == {"db": None, "bundled": False, "click": True}
