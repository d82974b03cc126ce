"""The TUI as a learner meets it: cold start, ready home screen, key press to next card, memory.

Every figure drives real processes in a pseudo-terminal (``bench.terminal``) and watches
what is drawn, so nothing inside the app needs a benchmark hook:

- first frame: from starting the process to the home screen drawn: "Opening your
  collection", or today's counts when they were read before the first frame;
- ready home: to "N to study" (or "nothing due"), drawn when the home screen's due counts
  arrive;
- key press to next card: on the review screen, "3" (Good) after revealing a step, until
  a different card's title is drawn;
- memory: peak RSS (VmHWM) of the process once the home screen of the 100k-card
  collection is wholly drawn (streak, decks and tags too: "streak N days");
- statistics: from pressing "t" on the ready home screen to the statistics drawn (the
  heatmap's "N reviews · streak" line, drawn in the same handler as the five charts).

The baseline is a hello-world Textual app started the same way (``python -m``) in the
same run, alternating with quizapp so both see the same load. Each collection is a fresh
working copy, opened once untimed first (quizapp makes its daily backup then, and the OS
caches the files); the 100k-card memory figure is that first opening.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.history_db import collection, working_copy
from bench.parts.common import guarded, verdict
from bench.report import Row, fmt_s, median
from bench.terminal import Terminal, TimedOut

PART = "tui"
ROOT = Path(__file__).resolve().parents[2]
#: Drawn once today's due counts are in (the "Today" panel's text; see screens/home.py).
HOME_READY = r"\d+ to study|nothing due"
#: The home screen's first frame: "Opening your collection", or the counts already, when
#: they were read (plain sqlite3, a few ms) before Textual drew it.
FIRST_FRAME = rf"Opening your collection|{HOME_READY}"
#: Drawn once the rest of home (streak, decks, tags) is in as well.
HOME_FULL = r"\bstreak \d+ days?\b"
TITLE = r"Synthetic question (\d+)"
#: Drawn once the statistics (heatmap, charts, tables) are in (see screens/statistics.py).
STATS_DRAWN = r"\d+ reviews? · streak \d+"
FIGURES = [
    ("cold start to first frame", "≤ 1.5× hello world"),
    ("cold start to ready home screen", "≤ 2.5× hello world"),
    ("key press to next card drawn (10k cards)", "median ≤ 50 ms"),
    ("peak RSS opening the 100k-card collection", "≤ 300 MB"),
    ("key press to statistics drawn (10k cards)", "median ≤ 1 s"),
]


def bench_tui(smoke: bool) -> list[Row]:
    """The five TUI figures."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _hello() -> list[str]:
    return [sys.executable, "-m", "bench.tui_apps", "hello"]


def _quiz(db: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "bench.tui_apps", "quiz", str(db), str(config)]


def _run(smoke: bool) -> list[Row]:
    if smoke:
        return _smoke()
    small = collection(10_000, 100_000)
    big = collection(100_000, 1_000_000)
    rounds, presses = 5, 30
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-tui-") as tmp:
        folder = Path(tmp)
        config = folder / "config"
        config.mkdir()
        db = working_copy(small.path, folder)
        _open_once(_quiz(db, config), timeout=180)
        hello_s: list[float] = []
        first_s: list[float] = []
        ready_s: list[float] = []
        full_s: list[float] = []
        hello_rss: list[int] = []
        for _ in range(rounds):
            with Terminal(_hello(), cwd=ROOT) as term:
                term.wait_for("Hello, world", timeout=60)
                hello_s.append(time.perf_counter() - term.started)
                hello_rss.append(term.peak_rss_bytes() or 0)
            with Terminal(_quiz(db, config), cwd=ROOT) as term:
                term.wait_for(FIRST_FRAME, timeout=60)
                first_s.append(time.perf_counter() - term.started)
                term.wait_for(HOME_READY, timeout=180)
                ready_s.append(time.perf_counter() - term.started)
                term.wait_for(HOME_FULL, timeout=180)
                full_s.append(time.perf_counter() - term.started)
        size = f"{small.cards:,} cards"
        rows.extend(_start_rows(hello_s, first_s, ready_s, full_s, size, smoke))
        with Terminal(_quiz(db, config), cwd=ROOT) as term:
            term.wait_for(HOME_READY, timeout=180)
            rows.append(_key_presses(term, presses, size, smoke))
        rows.append(_statistics(_quiz(db, config), rounds, size, smoke))
        big_db = working_copy(big.path, folder)
        label = f"{big.cards:,} cards, {big.logs:,} logs"
        with Terminal(_quiz(big_db, config), cwd=ROOT) as term:
            rows.append(_memory(term, label, max(hello_rss), "first start of the day", smoke))
    return rows


def _smoke() -> list[Row]:
    """One start of each app, every figure taken from the one quizapp process."""
    small = collection(400, 4_000)
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-tui-") as tmp:
        folder = Path(tmp)
        config = folder / "config"
        config.mkdir()
        db = working_copy(small.path, folder)
        with Terminal(_hello(), cwd=ROOT) as term:
            term.wait_for("Hello, world", timeout=60)
            hello = time.perf_counter() - term.started
            hello_rss = term.peak_rss_bytes() or 0
        with Terminal(_quiz(db, config), cwd=ROOT) as term:
            term.wait_for(FIRST_FRAME, timeout=60)
            first = time.perf_counter() - term.started
            term.wait_for(HOME_READY, timeout=60)
            ready = time.perf_counter() - term.started
            memory = _memory(term, f"{small.cards} cards", hello_rss, "first start", True)
            full = time.perf_counter() - term.started
            size = f"{small.cards} cards"
            rows = _start_rows([hello], [first], [ready], [full], size, True)
            rows.append(_key_presses(term, 1, size, True))
        rows.append(_statistics(_quiz(db, config), 1, size, True))
    return [*rows, memory]


def _start_rows(
    hello_s: list[float],
    first_s: list[float],
    ready_s: list[float],
    full_s: list[float],
    size: str,
    smoke: bool,
) -> list[Row]:
    hello, first, ready = median(hello_s), median(first_s), median(ready_s)
    full = median(full_s)
    return [
        Row(
            PART,
            f"cold start to first frame ({size})",
            f"{fmt_s(first)} = {first / hello:.2f}× hello world",
            f"hello world {fmt_s(hello)} (median of {len(hello_s)})",
            "≤ 1.5×",
            verdict(first <= 1.5 * hello, smoke),
        ),
        Row(
            PART,
            f"cold start to ready home screen, due counts drawn ({size})",
            f"{fmt_s(ready)} = {ready / hello:.2f}× hello world"
            f" (rest of home: streak, decks, tags at {fmt_s(full)} = {full / hello:.2f}×)",
            f"hello world {fmt_s(hello)}",
            "≤ 2.5×",
            verdict(ready <= 2.5 * hello, smoke),
        ),
    ]


def _open_once(argv: list[str], timeout: float) -> None:
    """Start the app once, untimed, and wait for its ready home screen."""
    with Terminal(argv, cwd=ROOT) as term:
        term.wait_for(HOME_READY, timeout=timeout)
        term.settle()


def _key_presses(term: Terminal, presses: int, size: str, smoke: bool) -> Row:
    """Median time from pressing "3" (Good) to the next card's title being drawn.

    ``term`` shows the ready home screen; enter starts today's session.
    """
    samples: list[float] = []
    term.settle()
    shown = term.wait_for(TITLE, since=term.send("\r"), timeout=60).group(1)
    term.settle()
    for _ in range(presses + 1):
        term.wait_for("3 good", since=term.send(" "), timeout=30)
        term.settle(0.05)
        start = time.perf_counter()
        since = term.send("3")
        found = term.wait_for(rf"Synthetic question (?!{shown}\b)(\d+)", since=since, timeout=30)
        samples.append(time.perf_counter() - start)
        shown = found.group(1)
        term.settle(0.05)
    samples = samples[1:]  # the first answer pays for imports (py-fsrs) once
    took = median(samples)
    return Row(
        PART,
        f"key press to next card drawn ({size})",
        f"median {fmt_s(took)}, max {fmt_s(max(samples))} over {len(samples)} answers",
        "measured through a pty: includes drawing",
        "median ≤ 50 ms",
        verdict(took <= 0.05, smoke),
    )


def _statistics(argv: list[str], rounds: int, size: str, smoke: bool) -> Row:
    """Median time from pressing "t" on a ready home screen to the statistics drawn.

    A fresh process each round, so every round pays what a learner's first visit pays
    (importing textual-plotext, computing the statistics in the screen's worker).
    """
    samples: list[float] = []
    for _ in range(rounds):
        with Terminal(argv, cwd=ROOT) as term:
            term.wait_for(HOME_FULL, timeout=180)
            term.settle()
            start = time.perf_counter()
            term.wait_for(STATS_DRAWN, since=term.send("t"), timeout=60)
            samples.append(time.perf_counter() - start)
    took = median(samples)
    return Row(
        PART,
        f"key press to statistics drawn, five charts ({size})",
        f"median {fmt_s(took)}, max {fmt_s(max(samples))} over {len(samples)} opens",
        "measured through a pty: includes computing and drawing",
        "median ≤ 1 s",
        verdict(took <= 1.0, smoke),
    )


def _memory(term: Terminal, size: str, hello_rss: int, start: str, smoke: bool) -> Row:
    """Peak RSS of the TUI process in ``term`` once its home screen is wholly drawn."""
    try:
        term.wait_for(HOME_FULL, timeout=300)
        took = time.perf_counter() - term.started
        note = f"home ready after {fmt_s(took)}, {start}"
    except TimedOut as exc:
        note = f"home NOT ready: {exc}"
    term.settle(0.3)
    peak = term.peak_rss_bytes()
    if peak is None:
        raise RuntimeError("the TUI exited before its memory could be read")
    return Row(
        PART,
        f"peak RSS opening the collection in the TUI ({size})",
        f"{peak / 2**20:.0f} MB ({note})",
        f"hello world {hello_rss / 2**20:.0f} MB",
        "≤ 300 MB",
        verdict(peak <= 300 * 2**20 and not note.startswith("home NOT"), smoke),
    )
