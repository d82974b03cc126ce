"""The console script ends without the interpreter's teardown, and loses nothing by it.

``cli/fast_exit.py`` ends the process with ``os._exit`` after the command: its status,
everything it printed and every exit handler registered later must survive that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

#: Registers an exit handler after importing the command line (as a module that opens a
#: temporary folder would), then runs the console script's ``main``.
SCRIPT = """
import atexit, sys
from pathlib import Path
from quizapp.cli import main
marker = Path(sys.argv[1])
atexit.register(lambda: marker.write_text("ran"))
main(sys.argv[2:])
"""


def _run(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    marker = tmp_path / "exit-handler-ran"
    env = {k: v for k, v in os.environ.items() if k != "QUIZAPP_DB"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(marker), "--db", str(tmp_path / "q.db"), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return result, marker


def test_a_command_keeps_its_output_status_and_exit_handlers(tmp_path: Path) -> None:
    result, marker = _run(tmp_path, "--no-bundled", "list", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert marker.read_text() == "ran"


def test_a_failing_command_keeps_its_status_and_message(tmp_path: Path) -> None:
    result, marker = _run(tmp_path, "--no-bundled", "show", "no-such-card")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'quizapp: error: no card with id "no-such-card" (see `quizapp list`)'
    )
    assert marker.read_text() == "ran"


def test_a_usage_error_exits_2(tmp_path: Path) -> None:
    result, marker = _run(tmp_path, "list", "--difficulty", "extreme")
    assert result.returncode == 2
    assert result.stderr.startswith("quizapp: error: ")
    assert marker.read_text() == "ran"


def test_long_output_is_flushed_whole(tmp_path: Path) -> None:
    """Everything printed reaches the pipe: the bundled deck listed as JSON parses whole."""
    result, _ = _run(tmp_path, "list", "--json")
    assert result.returncode == 0, result.stderr
    cards = json.loads(result.stdout)
    assert len(cards) > 50
