"""Who may open a served quizapp, and that a refused request never starts an app.

A real ``quizapp serve`` on the wildcard address (so a token is required) is asked the
way a browser asks (the page, then the websocket), from this machine over 127.0.0.1.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest

from .harness import Served, poll

TOKEN = "fixed-test-token-0123456789abcdef"


async def status_of(url: str, **headers: str) -> tuple[int, str]:
    """The status and body of a GET of ``url`` (no cookies kept)."""
    async with aiohttp.ClientSession() as client, client.get(url, headers=headers) as response:
        return response.status, await response.text()


async def websocket_status(base: str, cookies: dict[str, str] | None = None) -> int:
    """The status of a websocket handshake on ``/ws`` (101 when an app was started)."""
    async with aiohttp.ClientSession(cookies=cookies) as client:
        try:
            async with client.ws_connect(f"{base}/ws?width=80&height=24") as websocket:
                await websocket.close()
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


@pytest.mark.usefixtures("proc")
async def test_without_the_right_token_nothing_is_served_and_no_app_starts(
    collection: Path, serve: Callable[..., Served]
) -> None:
    served = serve(collection, "--host", "0.0.0.0", "--token", TOKEN)
    assert served.url.endswith(f"/?token={TOKEN}")
    base = served.base

    status, body = await status_of(f"{base}/")
    assert status == 403 and "needs its token" in body
    status, body = await status_of(f"{base}/?token=wrong-{TOKEN}")
    assert status == 403 and "wrong token" in body
    status, _ = await status_of(f"{base}/?token={TOKEN[:-1]}")
    assert status == 403
    assert await websocket_status(base) == 403
    assert await websocket_status(base, {"quizapp_token_0": TOKEN}) == 403  # another port's
    port = base.rsplit(":", 1)[1]
    assert await websocket_status(base, {f"quizapp_token_{port}": "wrong"}) == 403

    assert (await status_of(f"{base}/download/some-key"))[0] == 403
    assert (await status_of(f"{base}/nowhere"))[0] == 403  # unknown paths tell nothing
    # Only the page's script and textual-serve's files are public.
    status, script = await status_of(f"{base}/quizapp/textual.js")
    assert status == 200 and "window.quizappTerminal=t;" in script

    assert served.children() == []
    assert not any("tab opened" in line for line in served.lines)


@pytest.mark.usefixtures("proc")
async def test_the_right_token_opens_the_app_and_its_cookie_carries_it(
    collection: Path, serve: Callable[..., Served]
) -> None:
    served = serve(collection, "--host", "0.0.0.0", "--token", TOKEN)
    base = served.base
    jar = aiohttp.CookieJar(unsafe=True)  # keep cookies for an IP address
    async with aiohttp.ClientSession(cookie_jar=jar) as client:
        async with client.get(f"{base}/?token={TOKEN}") as response:
            assert response.status == 200
            page = await response.text()
            cookie = response.cookies[f"quizapp_token_{base.rsplit(':', 1)[1]}"]
        assert 'id="terminal"' in page
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        # The page's app was started with the page; its websocket takes that one.
        path = re.search(r'data-session-websocket-path="(/ws/[^"]+)"', page)
        assert path is not None
        async with client.ws_connect(f"{base}{path.group(1)}?width=80&height=24") as websocket:
            first = await websocket.receive(timeout=30)
            assert first.type == aiohttp.WSMsgType.BINARY  # the app's first frame
            assert len(poll(served.children, 30, "an app process")) == 1
    assert poll(lambda: served.children() == [], 15, "the app process to end")


@pytest.mark.usefixtures("proc")
async def test_a_wildcard_bind_without_a_token_gets_a_new_one_printed(
    collection: Path, serve: Callable[..., Served]
) -> None:
    served = serve(collection, "--host", "0.0.0.0")
    token = served.url.split("?token=", 1)[1]
    assert len(token) >= 32
    # By this machine's network address too (where it has one), with the same token.
    assert all(line.endswith(f"?token={token}") for line in served.lines if "  or " in line)
    assert (await status_of(f"{served.base}/"))[0] == 403
    assert (await status_of(f"{served.base}/?token={token}"))[0] == 200
    assert any("TLS" in line for line in served.lines)


@pytest.mark.usefixtures("proc")
async def test_loopback_serves_without_a_token_but_only_to_this_machine(
    collection: Path, serve: Callable[..., Served]
) -> None:
    served = serve(collection)
    assert "token" not in served.url
    assert (await status_of(f"{served.base}/", **{"Sec-Fetch-Dest": "image"}))[0] == 200
    assert served.children() == []  # fetched as an image (another site's <img>): no app
    assert (await status_of(f"{served.base}/"))[0] == 200
    assert len(served.children()) == 1  # a page opened: its app starts with it
    # A DNS name rebound to 127.0.0.1, and another site's page opening the websocket.
    status, body = await status_of(f"{served.base}/", Host="attacker.example:8000")
    assert status == 403 and "this machine only" in body
    async with aiohttp.ClientSession() as client:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(
                f"{served.base}/ws", headers={"Origin": "http://attacker.example"}
            )
    assert refused.value.status == 403
