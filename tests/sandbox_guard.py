"""A guard for the sandbox corpora (exercise answers, drill answers): a hostile input must
be refused within a wall-clock limit and a memory peak, or the test fails instead of
hanging or swapping. The limits are safety nets around the engine's own deterministic
budgets, which the tests assert; they are not timing assertions."""

from __future__ import annotations

import signal
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: The memory peak no sandboxed attempt may reach.
MEMORY_LIMIT = 256 * 1024 * 1024


@contextmanager
def within_limits(seconds: float, memory: int = MEMORY_LIMIT) -> Iterator[None]:
    """Fail with ``TimeoutError`` after ``seconds``, and assert the peak stayed under
    ``memory`` bytes."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    tracemalloc.start()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < memory, f"peak memory {peak / 2**20:.0f} MB"
