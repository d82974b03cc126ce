"""What every benchmark part shares: guarding against code that is not there yet, verdicts."""

from __future__ import annotations

import traceback
from collections.abc import Callable

from bench.report import Row


def verdict(ok: bool, smoke: bool) -> bool | None:
    """A figure's verdict; None in smoke mode, whose tiny sizes say nothing about goals."""
    return None if smoke else ok


def guarded(part: str, figures: list[tuple[str, str]], run: Callable[[], list[Row]]) -> list[Row]:
    """Run one part; if the code under test is missing or fails, one row per figure says why.

    ``figures`` are (figure, goal) pairs naming what the part would have measured. The
    benchmark never crashes on the application's behalf: an unfinished feature shows up
    as "not measured" with the reason, and the run goes on.
    """
    try:
        return run()
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        reason = (
            f"not measured: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        )
        reason += f" ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})"
        return [
            Row(part, figure, reason.replace("|", "/"), "—", goal, None) for figure, goal in figures
        ]


def machine_speed() -> float:
    """Seconds for a fixed pure-Python workload: the baseline of figures with absolute goals.

    The machine is shared, so an absolute figure is shown beside how long this reference
    loop took in the same run; a slow loop means a loaded machine, not slow quizapp code.
    """
    import time

    samples = []
    for _ in range(7):
        start = time.perf_counter()
        total = 0
        for i in range(200_000):
            total += i * i % 7
        samples.append(time.perf_counter() - start)
    return sorted(samples)[len(samples) // 2]


def speed_text(seconds: float) -> str:
    """How ``machine_speed`` is shown in the baseline column."""
    return f"reference loop {seconds * 1e3:.1f} ms"
