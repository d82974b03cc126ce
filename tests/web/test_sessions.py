"""The app processes behind the tabs, without a browser: their environment, how a stuck
one is ended, and the pool's limit."""

from __future__ import annotations

import os
import sys

import pytest

from quizapp.web import sessions
from quizapp.web.sessions import AppSession, SessionPool, app_argv

from .harness import alive

#: An "app" that announces itself as Textual does, then ignores quit and SIGTERM alike.
STUCK = (
    "import signal, threading\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "print('__GANGLION__', flush=True)\n"
    "threading.Event().wait()\n"
)


def session(argv: list[str], received: list[bytes]) -> AppSession:
    """A session whose page is a list of what the app sent."""
    from textual_serve.download_manager import DownloadManager

    async def write_bytes(data: bytes) -> None:
        received.append(data)

    async def write_str(text: str) -> None:
        received.append(text.encode())

    async def close() -> None:
        received.append(b"<closed>")

    return AppSession(
        argv,
        write_bytes=write_bytes,
        write_str=write_str,
        close=close,
        download_manager=DownloadManager(),
    )


def test_the_app_argv_names_the_collection_and_the_card_folders() -> None:
    argv = app_argv("/usr/bin/python3", "/data/q.db", ("/cards/a", "/cards/b"))
    assert argv == [
        "/usr/bin/python3",
        *("-m", "quizapp.web.app_process", "--db", "/data/q.db"),
        *("--cards", "/cards/a", "--cards", "/cards/b"),
    ]


def test_an_app_process_never_sees_another_collection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZAPP_DB", "/somewhere/else.db")
    environment = session(["true"], [])._build_environment(100, 30)
    assert "QUIZAPP_DB" not in environment
    assert environment["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"
    assert (environment["COLUMNS"], environment["ROWS"]) == ("100", "30")
    assert environment["QUIZAPP_SERVE_PID"] == str(os.getpid())  # the app ends with serve


async def test_an_app_that_will_not_quit_is_terminated_then_killed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sessions, "QUIT_GRACE", 0.2)
    monkeypatch.setattr(sessions, "KILL_GRACE", 0.2)
    stuck = session([sys.executable, "-c", STUCK], [])
    await stuck.start(80, 24)
    assert stuck.pid is not None and alive(stuck.pid)
    await stuck.stop()
    assert not alive(stuck.pid)
    await stuck.stop()  # a second stop does nothing


async def test_the_pool_holds_at_most_its_limit_and_stops_every_app() -> None:
    pool = SessionPool(2)
    received: list[bytes] = []
    started = [session([sys.executable, "-c", STUCK], received) for _ in range(3)]
    assert pool.add(started[0]) and pool.add(started[1])
    assert pool.full and not pool.add(started[2])
    for running in started[:2]:
        await running.start(80, 24)
    pids = [running.pid for running in started[:2]]
    pool.discard(started[1])
    assert len(pool) == 1 and not pool.full
    pool.add(started[1])

    await pool.stop_all()

    assert len(pool) == 0 and pool.full  # stopping: no new tab is let in
    assert [pid for pid in pids if pid is not None and alive(pid)] == []
    assert received.count(b"<closed>") == 2


def test_a_pool_needs_room_for_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        SessionPool(0)


async def test_an_app_started_for_a_page_waits_for_its_tab_then_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio

    from quizapp.web.sessions import Relay

    monkeypatch.setattr(sessions, "PRESTART_WAIT", 0.05)
    pool = SessionPool(1)
    relay = Relay()
    waiting = session([sys.executable, "-c", STUCK], [])
    assert pool.add(waiting)
    expired = asyncio.Event()
    pool.wait_for_tab("key", waiting, relay, expired.set)
    assert pool.full  # a waiting app counts
    assert pool.claim("other") is None
    await asyncio.wait_for(expired.wait(), 10)
    assert pool.claim("key") is not None  # expiry is the server's to act on
    assert pool.claim("key") is None


async def test_a_relay_holds_output_until_the_tab_comes_then_keeps_its_order() -> None:
    from quizapp.web.sessions import Relay

    sent: list[object] = []

    class Socket:
        async def send_bytes(self, data: bytes) -> None:
            sent.append(data)

        async def send_str(self, text: str) -> None:
            sent.append(text)

        async def close(self) -> None:
            sent.append("<closed>")

    relay = Relay()
    await relay.write_bytes(b"frame 1")
    await relay.write_str('["open_url"]')
    await relay.close()
    await relay.attach(Socket())  # type: ignore[arg-type]
    await relay.write_bytes(b"frame 2")
    assert sent == [b"frame 1", '["open_url"]', "<closed>", b"frame 2"]
