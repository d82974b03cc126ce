"""How one pooled read splits its chunks between the workers and the importer's process."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any, cast

from quizapp.services.parse_pool import _Handout


class _SlowToStart:
    """An executor whose first submit blocks until ``ready`` is set (a fork server still
    warming up); then every task is done at once, tagged as the workers'."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.given: list[int] = []

    def submit(self, _fn: Callable[..., object], chunk: Sequence[int]) -> Future[list[Any]]:
        self.ready.wait(timeout=30)
        self.given.append(chunk[0])
        future: Future[list[Any]] = Future()
        future.set_result([("worker", job) for job in chunk])
        return future


def _run(
    chunks: list[list[int]], executor: _SlowToStart, open_after: int
) -> tuple[list[Any], list[int]]:
    handout = _Handout(cast(Any, chunks), cast(Any, executor), workers=2)
    here: list[int] = []

    def read(chunk: Sequence[Any]) -> list[Any]:
        here.append(chunk[0])
        if len(here) == open_after:
            executor.ready.set()
            starter.join()  # the workers are up before this process looks again
        return [("here", job) for job in chunk]

    starter = threading.Thread(target=handout.top_up)
    starter.start()
    results: list[Any] = []
    for index in range(len(chunks)):
        results.extend(handout.take(index, starter, read))
    starter.join()
    return results, here


def test_while_the_workers_start_the_last_chunks_are_read_here() -> None:
    chunks = [[10 * i, 10 * i + 1] for i in range(10)]
    executor = _SlowToStart()
    results, here = _run(chunks, executor, open_after=3)
    assert here == [90, 80, 70]  # from the last chunk down, until the workers are up
    assert [job for _who, job in results] == [job for chunk in chunks for job in chunk]
    assert sorted(executor.given + here) == [chunk[0] for chunk in chunks]  # each read once
    assert {who for who, job in results if job >= 70} == {"here"}


def test_once_the_workers_answer_the_importer_reads_nothing_more() -> None:
    chunks = [[i] for i in range(30)]
    executor = _SlowToStart()
    results, here = _run(chunks, executor, open_after=1)
    assert here == [29]
    assert executor.given == list(range(29))
    assert [job for _who, job in results] == list(range(30))


def test_a_pool_that_cannot_start_leaves_every_chunk_to_this_process() -> None:
    class Broken(_SlowToStart):
        def submit(self, _fn: Callable[..., object], chunk: Sequence[int]) -> Future[list[Any]]:
            raise RuntimeError("cannot start")

    chunks = [[i] for i in range(6)]
    results, here = _run(chunks, Broken(), open_after=99)
    assert sorted(here) == list(range(6))
    assert [job for who, job in results] == list(range(6))
