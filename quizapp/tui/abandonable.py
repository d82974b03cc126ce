"""Work a screen can walk away from: a daemon thread awaited by an async worker.

Textual's ``@work(thread=True)`` runs in the event loop's default executor. Cancelling such
a worker cancels only the wait; the thread runs on, and it is not a daemon thread, so when
the app quits, ``asyncio.run`` (and then the interpreter) waits for it: a long exercise
check left the terminal blank with the process still running. ``in_daemon_thread`` runs
the work in a thread of its own, marked daemon, and awaits its result from the event loop
instead. A screen that is dismissed, or an app that quits, simply stops waiting: the result
is dropped when it arrives, and a thread still running when the process exits dies with it.

Only for work whose result may be thrown away (pure computations such as checking an
answer); never for writes that must finish, such as saving to the database.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import TypeVar

ResultT = TypeVar("ResultT")


async def in_daemon_thread(work: Callable[[], ResultT], *, name: str) -> ResultT:
    """Run ``work()`` in a new daemon thread called ``name`` and return (or raise) its outcome.

    Cancelling the awaiting task abandons the thread: its outcome is discarded.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[ResultT] = loop.create_future()

    def deliver(outcome: Callable[[], object]) -> None:
        if not future.done():  # cancelled meanwhile: nobody wants the outcome
            outcome()

    def run() -> None:
        outcome: Callable[[], object]
        try:
            outcome = partial(future.set_result, work())
        except BaseException as error:  # handed to the awaiting task, which re-raises it
            outcome = partial(future.set_exception, error)
        with suppress(RuntimeError):  # the event loop is closed: the app is gone
            loop.call_soon_threadsafe(deliver, outcome)

    threading.Thread(target=run, name=name, daemon=True).start()
    return await future
