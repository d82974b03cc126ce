"""The app processes behind the browser tabs: how each starts, how each ends, how many.

textual-serve's ``AppService`` runs one app per websocket. It starts the app through a
shell, which is one more process to outlive a kill, and waits for ever for an app that
does not quit. ``AppSession`` starts the app process directly, in a session of its own
(so Ctrl+C in serve's terminal reaches serve alone, which then ends each app in order
instead of every process at once), and ends it in steps: Textual's quit message (the app
exits as on ``q``, closing the database after the last answer was committed), SIGTERM
after ``QUIT_GRACE`` seconds, SIGKILL after ``KILL_GRACE`` more. ``SessionPool`` keeps
the count under ``--max-sessions`` and ends them all when serve stops.

An app is started as soon as its page is asked for, not when the page, once loaded,
opens its websocket: the two overlap, and the tab shows its home screen sooner. The app
waits for its tab (``Relay`` holds what it draws meanwhile) for ``PRESTART_WAIT``
seconds, and is ended if the tab never comes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from quizapp.web.app_process import SERVE_PID_VARIABLE

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger("quizapp.web")

#: Seconds an app has to quit by itself once asked (answers are written when given, so
#: quitting is closing the database and the screen).
QUIT_GRACE = 3.0

#: Seconds an app has after SIGTERM before it is killed.
KILL_GRACE = 2.0

#: Seconds an app started for a page waits for that page's websocket before it is ended.
PRESTART_WAIT = 10.0

#: Variables that would point an app process at another collection than serve's own.
COLLECTION_VARIABLES = ("QUIZAPP_DB",)


class AppSession(AppService):
    """One browser tab's app process: started directly, stopped in bounded time."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
        download_manager: DownloadManager,
    ) -> None:
        super().__init__(
            " ".join(argv),
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            download_manager=download_manager,
        )
        self.argv = list(argv)
        """The app process's command line (no shell between serve and the app)."""

    @property
    def pid(self) -> int | None:
        """The app process's id, once started."""
        return self._process.pid if self._process is not None else None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        for name in COLLECTION_VARIABLES:
            environment.pop(name, None)
        environment[SERVE_PID_VARIABLE] = str(os.getpid())  # the app ends if serve dies
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the app to quit; terminate it, then kill it, if it does not."""
        task, process = self._task, self._process
        if task is None or process is None:
            return
        self._task = None
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        if process.returncode is None:
            await self.send_meta({"type": "quit"})
            if not await _exited(process, QUIT_GRACE):
                log.warning("app process %s did not quit; terminating it", process.pid)
                with contextlib.suppress(ProcessLookupError):
                    process.terminate()
                if not await _exited(process, KILL_GRACE):
                    with contextlib.suppress(ProcessLookupError):
                        process.kill()
                    await process.wait()
        await task


async def _exited(process: asyncio.subprocess.Process, seconds: float) -> bool:
    """Whether ``process`` ends within ``seconds``."""
    try:
        await asyncio.wait_for(process.wait(), seconds)
    except TimeoutError:
        return False
    return True


class Relay:
    """Where an app's output goes: held until its tab's websocket is there, then passed on
    in order. An app started while its page loads (``SessionPool.wait_for_tab``) has drawn
    its first frames by the time the page connects; they are not lost."""

    def __init__(self) -> None:
        self._websocket: web.WebSocketResponse | None = None
        self._held: list[bytes | str] = []
        self.closed = False
        """Whether the app asked to close the connection before any tab took it."""

    async def write_bytes(self, data: bytes) -> None:
        """Pass on (or hold) terminal output."""
        if self._websocket is None:
            self._held.append(data)
        else:
            await self._websocket.send_bytes(data)

    async def write_str(self, text: str) -> None:
        """Pass on (or hold) a message for the page (``open_url``, downloads)."""
        if self._websocket is None:
            self._held.append(text)
        else:
            await self._websocket.send_str(text)

    async def close(self) -> None:
        """Close the tab's connection (the app quit), or remember to."""
        if self._websocket is None:
            self.closed = True
        else:
            await self._websocket.close()

    async def attach(self, websocket: web.WebSocketResponse) -> None:
        """Send what was held, then pass everything on as it comes."""
        while self._held:  # output that arrives while sending is held too, then sent
            held, self._held = self._held, []
            for item in held:
                if isinstance(item, bytes):
                    await websocket.send_bytes(item)
                else:
                    await websocket.send_str(item)
        self._websocket = websocket
        if self.closed:
            await websocket.close()


class SessionPool:
    """The running app sessions, at most ``limit`` of them."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("the session limit must be at least 1")
        self.limit = limit
        self._sessions: set[AppSession] = set()
        self._waiting: dict[str, tuple[AppSession, Relay, asyncio.TimerHandle]] = {}
        self._closing = False

    def __len__(self) -> int:
        return len(self._sessions)

    @property
    def full(self) -> bool:
        """Whether a new tab must be turned away (or serve is stopping)."""
        return self._closing or len(self._sessions) >= self.limit

    def add(self, session: AppSession) -> bool:
        """Count ``session`` in, unless the pool is full; True when it was."""
        if self.full:
            return False
        self._sessions.add(session)
        return True

    def discard(self, session: AppSession) -> None:
        """Count an ended session out."""
        self._sessions.discard(session)

    def wait_for_tab(
        self, key: str, session: AppSession, relay: Relay, expire: Callable[[], object]
    ) -> None:
        """Keep ``session`` (already counted in) for the websocket that names ``key``;
        ``expire`` runs if none does within ``PRESTART_WAIT`` seconds."""
        handle = asyncio.get_running_loop().call_later(PRESTART_WAIT, expire)
        self._waiting[key] = (session, relay, handle)

    def claim(self, key: str) -> tuple[AppSession, Relay] | None:
        """The session kept for ``key`` (now no longer waiting), or None."""
        waiting = self._waiting.pop(key, None)
        if waiting is None:
            return None
        session, relay, handle = waiting
        handle.cancel()
        return session, relay

    async def stop_all(self) -> None:
        """Turn new tabs away and end every app, all at once, each in bounded time."""
        self._closing = True
        for _, _, handle in self._waiting.values():
            handle.cancel()
        self._waiting.clear()
        sessions = list(self._sessions)
        await asyncio.gather(*(session.stop() for session in sessions), return_exceptions=True)
        for session in sessions:
            with contextlib.suppress(Exception):
                await session.remote_close()
        self._sessions.clear()


def app_argv(python: str, db_path: str, card_folders: Sequence[str]) -> list[str]:
    """The command line of one tab's app process."""
    argv = [python, "-m", "quizapp.web.app_process", "--db", db_path]
    for folder in card_folders:
        argv += ["--cards", folder]
    return argv
