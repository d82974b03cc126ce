"""Served app processes: at most ``--max-sessions``, ended with their tab, and every one
ended (none left behind) when serve is stopped with Ctrl+C."""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest

from .harness import Served, alive, poll

pytestmark = pytest.mark.usefixtures("proc")


async def open_tab(client: aiohttp.ClientSession, base: str) -> aiohttp.ClientWebSocketResponse:
    """A tab's websocket, once its app has drawn its first frame."""
    websocket = await client.ws_connect(f"{base}/ws?width=80&height=24")
    message = await websocket.receive(timeout=30)
    assert message.type == aiohttp.WSMsgType.BINARY
    return websocket


async def closed(websocket: aiohttp.ClientWebSocketResponse) -> bool:
    """Whether the server closes ``websocket`` (what the app drew before is skipped)."""
    ends = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING)
    while True:
        message = await websocket.receive(timeout=15)
        if message.type in ends:
            return True
        if message.type == aiohttp.WSMsgType.ERROR:
            return False


async def test_one_tab_beyond_the_limit_gets_a_clear_page_and_no_app(
    collection: Path, serve: Callable[..., Served]
) -> None:
    served = serve(collection, "--max-sessions", "1")
    async with aiohttp.ClientSession() as client:
        first = await open_tab(client, served.base)
        assert len(poll(served.children, 30, "the first app")) == 1

        async with client.get(f"{served.base}/") as response:
            assert response.status == 503
            assert "1 browser tab at a time" in await response.text()
        # A tab that got the page just before the last session went: told in its terminal.
        late = await client.ws_connect(f"{served.base}/ws?width=80&height=24")
        told = await late.receive(timeout=30)
        assert told.type == aiohttp.WSMsgType.BINARY
        assert b"every session is in use" in told.data
        assert await closed(late)
        assert len(served.children()) == 1

        # Closing the first tab ends its app within a few seconds and frees the session.
        await first.close()
        poll(lambda: served.children() == [], 10, "the closed tab's app to end")
        second = await open_tab(client, served.base)
        assert len(poll(served.children, 30, "the next tab's app")) == 1
        await second.close()


async def test_ctrl_c_ends_every_app_process_and_leaves_none_behind(
    collection: Path, serve: Callable[..., Served]
) -> None:
    served = serve(collection)
    async with aiohttp.ClientSession() as client:
        tabs = [await open_tab(client, served.base) for _ in range(3)]
        apps = poll(lambda: len(served.children()) == 3 and served.children(), 30, "3 apps")

        status = served.interrupt()

        assert status == 0
        assert served.children() == []
        assert [pid for pid in apps if alive(pid)] == []
        for tab in tabs:
            assert await closed(tab)
    served.wait_for_line("stopped; every app process has ended")


async def test_sigterm_stops_serve_the_same_way(
    collection: Path, serve: Callable[..., Served]
) -> None:
    served = serve(collection)
    async with aiohttp.ClientSession() as client:
        await open_tab(client, served.base)
        apps = poll(served.children, 30, "an app")
        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(60) == 0
    assert [pid for pid in apps if alive(pid)] == []


async def test_an_app_never_outlives_a_serve_that_was_killed(
    collection: Path, serve: Callable[..., Served]
) -> None:
    served = serve(collection)
    async with aiohttp.ClientSession() as client:
        await open_tab(client, served.base)
        apps = poll(served.children, 30, "an app")
        served.process.kill()  # SIGKILL: serve cannot end anything itself
        served.process.wait(30)
        poll(lambda: not any(alive(pid) for pid in apps), 30, "the orphaned app to end")
