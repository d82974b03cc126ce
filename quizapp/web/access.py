"""Who may open the served app: the token, and the loopback-only default.

A served quizapp runs the whole study app for whoever connects, so every request that
could start an app process is checked here before anything is spawned. On a loopback bind
without a token only the local machine can connect; to stop other sites in the local
browser from reaching it anyway (a page that opens a websocket to 127.0.0.1, or a DNS
name rebound to it), such requests must also name a loopback host and come from a
loopback origin. With a token (required on any other bind) the token decides: given in
the URL once (``?token=…``), then carried by a cookie that only this server's own pages
send (``SameSite=Strict``), so the websocket and the restart button need no token of
their own. The comparison is constant-time (``hmac.compare_digest``).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

#: Host names that always mean this machine.
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def new_token() -> str:
    """A fresh random token: 32 URL-safe characters (192 bits)."""
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, IPv6 with or without brackets) is this
    machine only."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_name(netloc: str) -> str:
    """The host of ``host[:port]`` (``[v6]:port`` too), without the port."""
    return urlsplit(f"//{netloc}").hostname or ""


@dataclass(frozen=True)
class AccessPolicy:
    """The rule one server applies to every request."""

    token: str | None
    """The token every request must carry; None only on a loopback bind."""

    port: int = 0
    """The port served on: it names the cookie, so two servers on one host keep theirs."""

    def __post_init__(self) -> None:
        if self.token is not None and not self.token.strip():
            raise ValueError("the token is empty")

    @property
    def cookie_name(self) -> str:
        """The cookie that carries the token after the first page (cookies ignore ports)."""
        return f"quizapp_token_{self.port}"

    def refusal(
        self, query: Mapping[str, str], cookies: Mapping[str, str], headers: Mapping[str, str]
    ) -> str | None:
        """Why this request is refused (a short reason for the 403 page), or None."""
        if self.token is None:
            return self._loopback_refusal(headers)
        given = query.get("token") or cookies.get(self.cookie_name) or ""
        if not given:
            return "this server needs its token: open the URL that quizapp serve printed"
        if not hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8")):
            return "wrong token: open the URL that quizapp serve printed"
        return None

    @staticmethod
    def _loopback_refusal(headers: Mapping[str, str]) -> str | None:
        host = host_name(headers.get("Host", ""))
        if not is_loopback(host):
            return (
                f"served for this machine only, not as {host or 'an unnamed host'}: "
                "serve with --token behind a proxy"
            )
        origin = headers.get("Origin")
        if origin and origin != "null" and not is_loopback(urlsplit(origin).hostname or ""):
            return "another site may not open this app"
        return None
