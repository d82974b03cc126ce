"""The web server of ``quizapp serve``: pages, websockets, and stopping cleanly.

Built on textual-serve's ``Server`` (its websocket protocol with the page, its static
files and downloads) with quizapp's rules around it: every request that could start an
app passes ``access.AccessPolicy`` first; a page (or a websocket that comes without
one) starts an app only while ``sessions.SessionPool`` has room; the page is quizapp's
own (no fonts fetched from elsewhere, the websocket on the page's own host and scheme, so
it works behind a TLS proxy); and stopping (Ctrl+C, SIGTERM) ends every app in order
before the server goes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from aiohttp import web
from textual_serve.server import Server

from quizapp.web.access import AccessPolicy, is_loopback
from quizapp.web.pages import busy_page, busy_terminal_text, refused_page
from quizapp.web.sessions import AppSession, Relay, SessionPool, app_argv

log = logging.getLogger("quizapp.web")

#: Where textual-serve keeps the page's script, styles and fonts.
STATIC = Path(Server.__init__.__code__.co_filename).with_name("static")

#: The one statement of textual-serve's script that makes each terminal; the served copy
#: also keeps it as ``window.quizappTerminal``, so a page (or a browser test) can read
#: the terminal's text from xterm.js's buffer.
_MAKE_TERMINAL = "const t=new w(e,{ping:r});"
_KEEP_TERMINAL = _MAKE_TERMINAL + "window.quizappTerminal=t;"

#: The served script's version, in its URL so that a cached copy never outlives an upgrade.
SCRIPT_VERSION = f"{version('textual-serve')}-1"

#: The routes served without the token: textual-serve's files and the page script.
PUBLIC_ROUTES = frozenset({"static", "script"})

#: The addresses that mean every interface of this machine.
WILDCARDS = frozenset({"0.0.0.0", "::", ""})

#: Seconds between websocket pings: a tab whose network vanished without closing its
#: connection is noticed (and its app ended) within about one and a half of these.
HEARTBEAT = 10.0


@dataclass
class ServeOptions:
    """What ``quizapp serve`` was asked for."""

    db_path: str
    """The collection every tab opens (resolved once, at start)."""
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    """The token every request must carry; None only on a loopback bind."""
    max_sessions: int = 4
    card_folders: tuple[str, ...] = ()
    """The folders Import may read (none: Import is off)."""
    python: str = field(default_factory=lambda: sys.executable)


def served_script() -> bytes:
    """textual-serve's page script, keeping its terminal where the page can reach it."""
    source = (STATIC / "js" / "textual.js").read_text(encoding="utf-8")
    if _MAKE_TERMINAL not in source:
        log.warning("textual-serve's script changed: the terminal is not exposed to the page")
        return source.encode("utf-8")
    return source.replace(_MAKE_TERMINAL, _KEEP_TERMINAL, 1).encode("utf-8")


class QuizServer(Server):
    """Serve quizapp to browsers, one app process per tab."""

    def __init__(
        self, options: ServeOptions, *, announce: Callable[[list[str]], None] = print
    ) -> None:
        super().__init__(
            " ".join(app_argv(options.python, options.db_path, options.card_folders)),
            host=options.host,
            port=options.port,
            title="quizapp",
            statics_path=STATIC,
        )
        if options.token is None and not is_loopback(options.host):
            raise ValueError(f"serving on {options.host} needs a token")
        self.options = options
        self.policy = AccessPolicy(options.token, options.port)
        self.pool = SessionPool(options.max_sessions)
        self.announce = announce
        self.bound_port: int | None = None
        """The port actually bound (``--port 0`` picks a free one)."""
        self._templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
            autoescape=True,
        )
        self._script = served_script()
        self._stopping: asyncio.Event | None = None
        self._expiring: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------------ the web app

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/ws/{key}", self.handle_websocket, name="websocket_for_page"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/quizapp/textual.js", self.handle_script, name="script"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        return app

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        """Refuse, with 403 and before any handler runs, whatever the policy refuses.

        The page's own script and styles are public (they are textual-serve's, the same
        for everyone) so that the refusal page and a proxy's health check need no token.
        """
        if request.match_info.route.name not in PUBLIC_ROUTES:
            reason = self.policy.refusal(request.query, request.cookies, request.headers)
            if reason is not None:
                log.info("refused %s %s: %s", request.method, request.path, reason)
                return web.Response(status=403, text=refused_page(reason), content_type="text/html")
        response: web.StreamResponse = await handler(request)
        return response

    async def handle_script(self, request: web.Request) -> web.Response:
        """textual-serve's page script, with the terminal reachable (``served_script``)."""
        response = web.Response(body=self._script, content_type="application/javascript")
        # Versioned by its URL (``?v=``): a new tab of the same browser reuses it.
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page; with a token in its URL, also the cookie that carries it from then
        on (to the websocket, to a reload)."""
        if self.pool.full:
            return web.Response(
                status=503, text=busy_page(self.pool.limit), content_type="text/html"
            )
        # Only a page being opened gets its app now; the same URL fetched as an image or
        # by a script (another site's page can make the browser do that) starts nothing.
        opening = request.headers.get("Sec-Fetch-Dest", "document") in ("document", "iframe")
        key = await self._start_for_page() if opening else None
        font_size = request.query.get("fontsize", "16")
        html = self._templates.get_template("app_index.html").render(
            title="quizapp",
            static_url="/static/",
            script_url=f"/quizapp/textual.js?v={SCRIPT_VERSION}",
            websocket_path="/ws" if key is None else f"/ws/{key}",
            font_size=int(font_size) if font_size.isdigit() else 16,
        )
        response = web.Response(text=html, content_type="text/html")
        response.headers["Cache-Control"] = "no-store"
        given = request.query.get("token")
        if self.policy.token is not None and given:
            response.set_cookie(
                self.policy.cookie_name,
                given,
                httponly=True,
                samesite="Strict",
                secure=request.secure or _forwarded_https(request),
                path="/",
            )
        return response

    def _new_session(self, relay: Relay) -> AppSession:
        return AppSession(
            app_argv(self.options.python, self.options.db_path, self.options.card_folders),
            write_bytes=relay.write_bytes,
            write_str=relay.write_str,
            close=relay.close,
            download_manager=self.download_manager,
        )

    async def _start_for_page(self) -> str | None:
        """Start the app of the page being sent, so that it loads while the page does;
        the key its websocket names (None: no room, the websocket will try again)."""
        relay = Relay()
        session = self._new_session(relay)
        if not self.pool.add(session):
            return None
        try:
            await session.start(80, 24)
        except Exception as error:
            log.exception(error)
            self.pool.discard(session)
            return None
        key = secrets.token_urlsafe(16)

        def expire() -> None:
            task = asyncio.ensure_future(self._no_tab_came(key))
            self._expiring.add(task)
            task.add_done_callback(self._expiring.discard)

        self.pool.wait_for_tab(key, session, relay, expire)
        return key

    async def _no_tab_came(self, key: str) -> None:
        claimed = self.pool.claim(key)
        if claimed is not None:
            session, _ = claimed
            await session.stop()
            self.pool.discard(session)
            log.info("no tab came for app process %s: ended", session.pid)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab's connection: the app started for its page, else a new one while the
        pool has room."""
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT)
        await websocket.prepare(request)
        width = _size(request.query.get("width"), 80)
        height = _size(request.query.get("height"), 24)
        key = request.match_info.get("key")
        claimed = self.pool.claim(key) if key else None
        if claimed is not None:
            session, relay = claimed
        else:
            relay = Relay()
            session = self._new_session(relay)
            if not self.pool.add(session):
                await websocket.send_bytes(busy_terminal_text(self.pool.limit))
                await websocket.close()
                return websocket
        try:
            if claimed is None:
                await session.start(width, height)
            else:
                await session.set_terminal_size(width, height)
            await relay.attach(websocket)
            log.info("tab opened: app process %s (%d running)", session.pid, len(self.pool))
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # one tab's failure must not stop the others
            log.exception(error)
        finally:
            await session.stop()
            self.pool.discard(session)
            log.info("tab closed: app process %s ended", session.pid)
            with contextlib.suppress(Exception):
                await websocket.close()
        return websocket

    # ------------------------------------------------------------------ running

    def url(self, host: str | None = None) -> str:
        """The address to open (with the token, when there is one), by ``host`` (default:
        the address served on; this machine's name for the wildcard address)."""
        if host is None:
            host = self.options.host
            if host in WILDCARDS:
                host = socket.gethostname()
        if ":" in host:
            host = f"[{host}]"
        url = f"http://{host}:{self.bound_port or self.options.port}/"
        if self.options.token is not None:
            url += f"?token={quote(self.options.token, safe='')}"
        return url

    def other_urls(self) -> list[str]:
        """On the wildcard address, the same URL by this machine's network address too,
        for a tablet that cannot look the machine's name up."""
        if self.options.host not in WILDCARDS:
            return []
        address = network_address()
        return [] if address is None else [self.url(address)]

    async def run(self) -> None:
        """Serve until ``stop`` (SIGINT, SIGTERM), then end every app and close."""
        loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, self.stop)
        runner = web.AppRunner(await self._make_app(), handle_signals=False, shutdown_timeout=5)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.options.host, self.options.port)
            await site.start()
            self.bound_port = _bound_port(runner, self.options.port)
            self.policy = AccessPolicy(self.options.token, self.bound_port)
            self.announce([self.url(), *self.other_urls()])
            await self._stopping.wait()
            await self.pool.stop_all()
        finally:
            await runner.cleanup()

    def stop(self) -> None:
        """Stop serving: new tabs are turned away and every app is ended."""
        if self._stopping is not None:
            self._stopping.set()


def network_address() -> str | None:
    """This machine's address on the network its default route leads to (no packet is
    sent: a UDP socket only picks its source address), or None without a network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if is_loopback(address) or address == "0.0.0.0" else address


def _forwarded_https(request: web.Request) -> bool:
    """Whether a TLS proxy in front says the page was asked for over https (the cookie is
    then marked ``Secure``)."""
    return request.headers.get("X-Forwarded-Proto", "").strip().lower() == "https"


def _size(value: str | None, default: int) -> int:
    """A terminal size from the page's query, within reason."""
    if value is None or not value.isdigit():
        return default
    return max(10, min(int(value), 1000))


def _bound_port(runner: web.AppRunner, asked: int) -> int:
    """The port the server listens on (the one asked for, unless 0 was)."""
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return asked
