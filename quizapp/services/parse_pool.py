"""Reading the files of a large import on every core: a process pool of file readers.

Parsing is nearly all of a first import's time and each file is parsed on its own, so a
folder of thousands of files is read by several processes at once (``file_reader.read_file``
in each) while the importer's own process settles ids and writes what has come back.
Results come back in the order the files were given, so an import's outcome and report do
not depend on whether, or how widely, it was spread. While the workers start, the
importer's process reads the first files itself; from then on it leaves the reading to
them and keeps to writing what they send (:meth:`ParsePool.read`).

The workers are never forked from the importer's process: it runs inside the TUI's threads
and beside open SQLite connections, which a forked child would inherit half-held. Where
the system has it, they are forked from a fork server, a clean process of its own started
once per importer process (the default start method from Python 3.14 on), which has
imported and warmed up the file readers (``reader_warmup.py``): a worker then starts
ready, instead of each spending a fifth of a second of CPU importing the formats and
reading its first file, and a second import in the same process (the TUI) does not start
the server again. Elsewhere (Windows) they are spawned. Either way a worker holds only
what ``file_reader`` needs (no store, no textual), ignores Ctrl+C (the importer's process
handles it and shuts the pool down), runs with the cyclic GC paused, as the importer does,
since parsing makes no reference cycles, and exits as soon as the importer's process is
gone (killed, say), instead of waiting forever for work.

A pool costs about a quarter of a second to start, so it is used only for more than a
few hundred files (:data:`POOL_MIN_FILES`) and only with two or more usable cores. If the
pool cannot start, a worker dies or its results cannot be sent back, the files it had are
read in this process instead.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from quizapp.services.file_reader import ReadJob, ReadResult, read_file

if TYPE_CHECKING:
    from quizapp.cards.formats import FormatRegistry

#: Files to read below which an import reads them in its own process: fewer files cannot
#: repay the workers' start-up (about 0.25 s each, in parallel).
POOL_MIN_FILES = 300

#: What the fork server imports before it forks any worker: the readers, warmed up.
WARMUP_MODULE = "quizapp.services.reader_warmup"

#: Files per task sent to a worker: big enough that the per-task overhead vanishes, small
#: enough that both workers finish together and that results stream back to the writer.
_CHUNK_MAX = 64
_CHUNK_MIN = 8

T = TypeVar("T")

# -- the worker's side ---------------------------------------------------------------------------

_worker_format: str | None = None
_worker_registry: FormatRegistry | None = None


#: How much lower a worker's scheduling priority is than the importer's (``nice``).
WORKER_NICENESS = 5


def _start_worker(format: str | None, registry: bytes | None) -> None:
    """Set up one worker process: the run's format and registry, Ctrl+C left to the parent,
    the cyclic GC paused, a lower priority, an exit when the parent process ends, and a
    quick exit when the pool closes."""
    import atexit
    import contextlib
    import gc
    import multiprocessing
    import signal
    import threading

    global _worker_format, _worker_registry
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()
    # The importer's process writes every card, and in the TUI it also draws the screen
    # (the progress bar, the keys): with the workers a little below it, it runs whenever
    # it has work, and they take the rest of the cores. (The bench's imports measured the
    # same either way, within this machine's noise.)
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):  # a system that refuses: the same priority
            os.nice(WORKER_NICENESS)
    # A worker's results are all sent by the time it is told to stop (they go through a
    # pipe, synchronously), so it ends there, without the interpreter's teardown: that
    # teardown (freeing every module and object it made) kept the importer waiting a
    # tenth of a second or more in close() after the last file.
    atexit.register(os._exit, 0)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(
            target=_exit_with, args=(parent.sentinel,), name="exit-with-parent", daemon=True
        ).start()
    _worker_format = format
    _worker_registry = pickle.loads(registry) if registry is not None else None


def _exit_with(sentinel: int) -> None:
    """Wait until the parent process has ended, then end this one. A worker blocked on
    its task queue would otherwise outlive an importer killed with SIGKILL, for good."""
    from multiprocessing.connection import wait

    wait([sentinel])
    os._exit(0)


def _read_chunk(jobs: Sequence[ReadJob]) -> list[ReadResult]:
    return [read_file(job, format=_worker_format, registry=_worker_registry) for job in jobs]


def worker_has_module(name: str) -> bool:
    """Whether ``name`` is imported in a worker: tests check that a worker loads neither
    textual nor the store, whatever its parent had loaded."""
    import sys

    return name in sys.modules


# -- the importer's side -------------------------------------------------------------------------


def usable_cores() -> int:
    """The cores this process may run on (its affinity, where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity call
        return os.cpu_count() or 1


def worker_context() -> BaseContext:
    """How workers are started: forked from a warmed-up fork server where the system has
    one, else spawned (see the module's docstring)."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([WARMUP_MODULE])
    return context


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker, if it is not running, with a standard error
    it can be handed.

    The pool's queues start it, and it is given this process's ``sys.stderr.fileno()``.
    Inside the TUI, Textual has replaced ``sys.stderr`` with a capture whose ``fileno()``
    is -1, and starting the tracker then failed with "bad value(s) in fds_to_keep": every
    import of 300 files or more from the Import screen. It is started here with the real
    standard error instead, for the moment it takes.
    """
    try:
        from multiprocessing import resource_tracker
    except ImportError:  # pragma: no cover - Windows has no resource tracker
        return
    stderr = sys.stderr
    try:
        usable = stderr is not None and stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = True  # the tracker skips a stream with no descriptor by itself
    if usable:
        resource_tracker.ensure_running()
        return
    sys.stderr = sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = stderr


def chunked(jobs: Sequence[ReadJob], workers: int) -> list[Sequence[ReadJob]]:
    """``jobs`` cut into consecutive tasks, in order."""
    size = max(_CHUNK_MIN, min(_CHUNK_MAX, len(jobs) // (workers * 16) or 1))
    return [jobs[start : start + size] for start in range(0, len(jobs), size)]


class ParsePool:
    """A pool of spawned file readers for one import; use it as a context manager.

    :meth:`read` hands out the results in the order of the jobs, each as soon as it and
    every one before it are back. Leaving the ``with`` block (normally, on an error or on
    Ctrl+C) cancels what has not started and waits for the workers to end, so no process
    outlives the import.
    """

    def __init__(
        self,
        workers: int,
        *,
        format: str | None = None,
        registry: FormatRegistry | None = None,
    ) -> None:
        self.workers = workers
        self._format = format
        self._registry = registry
        blob = None if registry is None else pickle.dumps(registry)
        start_resource_tracker()
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=worker_context(),
            initializer=_start_worker,
            initargs=(format, blob),
        )

    @classmethod
    def open(
        cls,
        workers: int,
        *,
        format: str | None = None,
        registry: FormatRegistry | None = None,
    ) -> ParsePool | None:
        """A pool, or None when one cannot be had: a registry that cannot be sent to
        another process (a format defined inside a function), or a system that refuses
        to start processes. The caller then reads the files itself."""
        if workers < 2:
            return None
        try:
            return cls(workers, format=format, registry=registry)
        except (OSError, pickle.PicklingError, AttributeError, TypeError):
            return None

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Cancel the tasks not yet started and wait for the workers to exit."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def call(self, function: Callable[..., T], *args: object) -> T:
        """``function(*args)`` run in a worker (it must be picklable): for tests and
        diagnostics, such as which modules a worker holds or its process id."""
        return self._executor.submit(function, *args).result()

    def has_module(self, name: str) -> bool:
        """Whether a worker has imported ``name`` (see :func:`worker_has_module`)."""
        return self.call(worker_has_module, name)

    def read(self, jobs: Sequence[ReadJob]) -> Iterator[ReadResult]:
        """Read every job on the workers and in this process; the results in the jobs' order.

        The jobs are cut into chunks, which this process and the workers take in order
        from one counter (:class:`_Handout`). Until the workers have started (a fork
        server answers once it has warmed up, a quarter of a second or more), this
        process reads the chunks itself, from the first on, and writes what it read as
        it goes. From then on the workers take every following chunk, a few at a time,
        and this process only writes what they send, waiting for them when it is ahead.

        It does not read ahead while it waits: it is the one process that writes, and the
        cards of a chunk it read are written only after it, so a chunk read here late
        in the import left its writing, and everything after it, to run alone once the
        workers had finished (on the format mix, a quarter of a second with one core
        idle). The workers use both cores meanwhile.

        Workers are started from a thread, since starting them can block, and this
        process reads meanwhile. Chunks go to the workers only as they need them, so none
        has to be taken back (a cancelled task breaks the executor's clean-up when a
        worker dies).
        """
        state = _Handout(chunked(jobs, self.workers), self._executor, self.workers)
        starter = threading.Thread(target=state.start, name="parse-pool-start", daemon=True)
        starter.start()
        try:
            for index in range(len(state.chunks)):
                for result in state.take(index, self._read_here):
                    yield result
                    state.top_up()
        finally:
            starter.join()

    def _read_here(self, chunk: Sequence[ReadJob]) -> list[ReadResult]:
        return [read_file(job, format=self._format, registry=self._registry) for job in chunk]


def _ready() -> None:
    """Run by the first worker to say that the pool has started."""


class _Handout:
    """Which chunks of one :meth:`ParsePool.read` went where.

    Chunks ``[0, claimed)`` are taken, each once: by this process, in order, until the
    workers have started (:attr:`ready`), then by the workers. The counter is shared by
    this process's reading thread and the thread that starts the workers, under a lock.
    """

    def __init__(
        self, chunks: list[Sequence[ReadJob]], executor: ProcessPoolExecutor, workers: int
    ) -> None:
        self.chunks = chunks
        self.executor = executor
        self.queued = 2 * workers  # unfinished chunks the workers hold at most
        self.claimed = 0
        self.futures: dict[int, Future[list[ReadResult]]] = {}
        self.lock = threading.Lock()
        self.ready = False  # the workers have started
        self.broken = False  # they cannot take work: the rest is read in this process

    def start(self) -> None:
        """Start the workers and wait until one answers, then hand out the first chunks."""
        try:
            self.executor.submit(_ready).result()
        except Exception:  # the pool cannot start (a system that refuses processes)
            self.broken = True
            return
        self.ready = True
        self.top_up()

    def top_up(self) -> None:
        """Give the workers the next chunks, up to :attr:`queued` unfinished."""
        if not self.ready or self.broken:
            return
        with self.lock:
            unfinished = sum(1 for future in self.futures.values() if not future.done())
            while unfinished < self.queued and self.claimed < len(self.chunks):
                try:
                    future = self.executor.submit(_read_chunk, self.chunks[self.claimed])
                except (BrokenProcessPool, RuntimeError, OSError):
                    self.broken = True  # what was not handed out is read in this process
                    return
                self.futures[self.claimed] = future
                self.claimed += 1
                unfinished += 1

    def take(
        self, index: int, read: Callable[[Sequence[ReadJob]], list[ReadResult]]
    ) -> list[ReadResult]:
        """The results of chunk ``index``: read here if no worker has taken it (they have
        not started, or cannot), else the workers' (read here should they fail)."""
        with self.lock:
            future = self.futures.pop(index, None)
            if future is None:
                self.claimed = max(self.claimed, index + 1)
        if future is None:
            return read(self.chunks[index])
        try:
            return future.result()
        except Exception:
            # Read here instead: a dead worker (killed, out of memory) or a result that
            # cannot be sent lands here, and a real fault in a format raises again, as it
            # would without a pool. A broken pool says so at the next hand-out.
            return read(self.chunks[index])
