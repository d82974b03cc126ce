"""Speed a person feels (issue 17): the first run, and the command line's read commands.

- First run: ``quizapp`` on a database that does not exist yet, in a pseudo-terminal, from
  starting the process to the home screen's due counts ("N to study") drawn with the
  bundled deck imported; the welcome line (drawn once the rest of home is in) is reported
  beside it. The baseline is a hello-world Textual app started the same way, alternating
  with quizapp (medians of the rounds). Every round uses a new database file; quizapp's
  cache folder (``$QUIZAPP_CACHE_DIR``) is the benchmark's own, warmed by one untimed
  first run, as any first run after the first on a machine finds it. The same figure
  with an empty cache folder each round (the very first run after installing) is the
  second row.
- CLI read commands: ``quizapp list``, ``show ID``, ``tags`` and ``stats`` on a database
  holding the bundled deck (already backed up today), each a fresh process through the
  console script, against ``python -c 'import sqlalchemy.orm'`` alternating with them
  (medians). SQLAlchemy's import is the one large cost these commands should pay.

Child processes write bytecode (``PYTHONDONTWRITEBYTECODE`` is dropped), so that every
timed start reads warm bytecode, as an installed quizapp does after its first start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.parts.common import guarded, verdict
from bench.report import Row, fmt_s, median
from bench.terminal import Terminal

PART = "startup"
ROOT = Path(__file__).resolve().parents[2]
HOME_READY = r"\d+ to study|nothing due"
WELCOME = r"\bWelcome\b"
#: The card ``show`` draws: the bundled deck's attention card (display math, a table).
SHOW_ID = "architectures/attention"
READ_COMMANDS = ("list", "show", "tags", "stats")
FIGURES = [
    ("first run to a ready home screen, bundled deck imported", "≤ 2.5× hello world"),
    ("first run with nothing cached (the first after installing)", "—"),
    *((f"quizapp {name}", "≤ 1.3× import sqlalchemy.orm") for name in READ_COMMANDS),
]


def bench_startup(smoke: bool) -> list[Row]:
    """The first-run figures and one row per CLI read command."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _env(cache: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "QUIZAPP_DB")
    }
    env["QUIZAPP_CACHE_DIR"] = str(cache)
    return env


def _run(smoke: bool) -> list[Row]:
    rounds = 1 if smoke else 5
    cli_rounds = 1 if smoke else 9
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-startup-") as tmp:
        folder = Path(tmp)
        rows = _first_run(folder, rounds, smoke)
        rows.extend(_read_commands(folder, cli_rounds, smoke))
    return rows


def _hello() -> list[str]:
    return [sys.executable, "-m", "bench.tui_apps", "hello"]


def _first(db: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "bench.tui_apps", "first", str(db), str(config)]


def _start_first(folder: Path, name: str, env: dict[str, str]) -> tuple[float, float]:
    """One first run on a new database: seconds to the due counts and to the welcome."""
    config = folder / f"{name}-config"
    config.mkdir()
    with Terminal(_first(folder / f"{name}.db", config), cwd=ROOT, env=env) as term:
        term.wait_for(HOME_READY, timeout=120)
        ready = time.perf_counter() - term.started
        term.wait_for(WELCOME, timeout=120)
        return ready, time.perf_counter() - term.started


def _hello_once(env: dict[str, str]) -> float:
    with Terminal(_hello(), cwd=ROOT, env=env) as term:
        term.wait_for("Hello, world", timeout=60)
        return time.perf_counter() - term.started


def _first_run(folder: Path, rounds: int, smoke: bool) -> list[Row]:
    warm_env = _env(folder / "cache")
    _hello_once(warm_env)
    _start_first(folder, "untimed", warm_env)  # bytecode, OS caches, quizapp's cache
    hello_s: list[float] = []
    ready_s: list[float] = []
    welcome_s: list[float] = []
    cold_s: list[float] = []
    for number in range(rounds):
        hello_s.append(_hello_once(warm_env))
        ready, welcome = _start_first(folder, f"warm{number}", warm_env)
        ready_s.append(ready)
        welcome_s.append(welcome)
        cold_env = _env(folder / f"cache-cold{number}")
        cold_s.append(_start_first(folder, f"cold{number}", cold_env)[0])
    hello, ready, welcome, cold = (median(s) for s in (hello_s, ready_s, welcome_s, cold_s))
    base = f"hello world {fmt_s(hello)} (median of {rounds})"
    return [
        Row(
            PART,
            "first run on a new database to a ready home screen, bundled deck imported"
            " (cache folder warmed by an earlier first run)",
            f"{fmt_s(ready)} = {ready / hello:.2f}× hello world (welcome, decks and tags"
            f" at {fmt_s(welcome)} = {welcome / hello:.2f}×)",
            base,
            "≤ 2.5×",
            verdict(ready <= 2.5 * hello, smoke),
        ),
        Row(
            PART,
            "first run with an empty cache folder (the first run after installing)",
            f"{fmt_s(cold)} = {cold / hello:.2f}× hello world",
            base,
            "—",
            None,
        ),
    ]


def _quizapp() -> list[str]:
    """The console script users run, else the same entry point through ``-c``."""
    script = Path(sys.executable).with_name("quizapp")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from quizapp.cli import main; main()"]


def _read_commands(folder: Path, rounds: int, smoke: bool) -> list[Row]:
    env = _env(folder / "cache")
    db = folder / "cli.db"
    quizapp = [*_quizapp(), "--db", str(db)]
    listed = subprocess.run(
        [*quizapp, "list", "--json"], env=env, capture_output=True, text=True, check=True
    )
    ids = [card["id"] for card in json.loads(listed.stdout)]
    shown = SHOW_ID if SHOW_ID in ids else ids[0]
    commands = {
        "list": [*quizapp, "list"],
        "show": [*quizapp, "show", shown],
        "tags": [*quizapp, "tags"],
        "stats": [*quizapp, "stats"],
    }
    baseline = [sys.executable, "-c", "import sqlalchemy.orm"]
    for argv in commands.values():  # warm: bytecode, the daily backup, OS caches
        subprocess.run(argv, env=env, capture_output=True, check=True)
    base_s: list[float] = []
    took: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        base_s.append(_timed_process(baseline, env))
        for name, argv in commands.items():
            took[name].append(_timed_process(argv, env))
    base = median(base_s)
    rows = []
    for name, samples in took.items():
        value = median(samples)
        shown_name = f"show {shown}" if name == "show" else name
        rows.append(
            Row(
                PART,
                f"quizapp {shown_name} ({len(ids)} cards: the bundled deck)",
                f"{fmt_s(value)} = {value / base:.2f}× (median of {rounds})",
                f"python -c 'import sqlalchemy.orm' {fmt_s(base)}",
                "≤ 1.3×",
                verdict(value <= 1.3 * base, smoke),
            )
        )
    return rows


def _timed_process(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start
