"""How one pooled read splits its chunks between the workers and the importer's process."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any, cast

from quizapp.services.parse_pool import _Handout, _ready


class _SlowToStart:
    """An executor whose workers start when ``started`` is set (a fork server warming up):
    the first task, the pool's "ready" call, waits for it; every other task is done at
    once, its results tagged as the workers'."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.given: list[int] = []

    def submit(self, fn: Callable[..., object], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        if fn is _ready:
            self.started.wait(timeout=30)
            future.set_result(None)
            return future
        chunk: Sequence[int] = args[0]
        self.given.append(chunk[0])
        future.set_result([("worker", job) for job in chunk])
        return future


def _run(
    chunks: list[list[int]], executor: _SlowToStart, start_after: int
) -> tuple[list[Any], list[int]]:
    """Read every chunk as ``ParsePool.read`` does; the workers start once this process
    has read ``start_after`` chunks. Returns the results and the chunks read here."""
    handout = _Handout(cast(Any, chunks), cast(Any, executor), workers=2)
    here: list[int] = []
    starter = threading.Thread(target=handout.start)

    def read(chunk: Sequence[Any]) -> list[Any]:
        here.append(chunk[0])
        if len(here) == start_after:
            executor.started.set()
            starter.join()  # the workers are up before this process looks again
        return [("here", job) for job in chunk]

    starter.start()
    results: list[Any] = []
    for index in range(len(chunks)):
        for result in handout.take(index, read):
            results.append(result)
            handout.top_up()
    starter.join()
    return results, here


def test_while_the_workers_start_the_first_chunks_are_read_here() -> None:
    chunks = [[10 * i, 10 * i + 1] for i in range(10)]
    executor = _SlowToStart()
    results, here = _run(chunks, executor, start_after=3)
    assert here == [0, 10, 20]  # in order, from the first, until the workers are up
    assert executor.given == [30, 40, 50, 60, 70, 80, 90]  # then theirs, to the last
    assert [job for _who, job in results] == [job for chunk in chunks for job in chunk]
    assert {who for who, job in results if job >= 30} == {"worker"}


def test_once_the_workers_answer_the_importer_reads_nothing_more() -> None:
    chunks = [[i] for i in range(30)]
    executor = _SlowToStart()
    results, here = _run(chunks, executor, start_after=1)
    assert here == [0]
    assert executor.given == list(range(1, 30))
    assert [job for _who, job in results] == list(range(30))


def test_a_pool_that_cannot_start_leaves_every_chunk_to_this_process() -> None:
    class Broken(_SlowToStart):
        def submit(self, fn: Callable[..., object], *args: Any) -> Future[Any]:
            raise RuntimeError("cannot start")

    chunks = [[i] for i in range(6)]
    results, here = _run(chunks, Broken(), start_after=99)
    assert here == list(range(6))
    assert [job for _who, job in results] == list(range(6))


def test_while_a_worker_still_reads_the_next_chunk_the_importer_waits_for_it() -> None:
    class Busy(_SlowToStart):
        """Workers that finish a chunk only once the importer waits for it."""

        def submit(self, fn: Callable[..., object], *args: Any) -> Future[Any]:
            if fn is _ready:
                return super().submit(fn)
            self.given.append(args[0][0])
            return _DoneWhenAwaited([("worker", job) for job in args[0]])

    executor = Busy()
    chunks = [[i] for i in range(8)]
    results, here = _run(chunks, executor, start_after=1)
    assert here == [0]  # only before the workers started: none read ahead of them
    assert executor.given == list(range(1, 8))
    assert results == [("here", 0), *(("worker", i) for i in range(1, 8))]


class _DoneWhenAwaited(Future[Any]):
    """A worker's chunk that is still being read until someone asks for its result."""

    def __init__(self, results: list[Any]) -> None:
        super().__init__()
        self._results = results

    def result(self, timeout: float | None = None) -> Any:
        if not self.done():
            self.set_result(self._results)
        return super().result(timeout)
