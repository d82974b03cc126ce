"""A program in a pseudo-terminal, watched for text: how the TUI figures see the screen.

The TUI benchmark drives real processes as a learner's terminal would: it starts one in a
pty of a fixed size, waits for a piece of text to be drawn (escape sequences stripped),
sends keys, and reads the peak memory of the process from ``/proc``.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    rb"|\x1bP.*?\x1b\\"  # DCS
    rb"|\x1b[@-Z\\-_]"  # other two-byte escapes
    rb"|\x1b[()][0-9A-Za-z]",  # character sets
    re.DOTALL,
)


def plain(raw: bytes) -> str:
    """Terminal output without escape sequences."""
    return _ESCAPES.sub(b"", raw).decode("utf-8", errors="replace")


class TimedOut(RuntimeError):
    """The awaited text did not appear in time."""


class Terminal:
    """One process attached to a new pty of ``columns`` x ``rows``."""

    def __init__(
        self,
        argv: list[str],
        *,
        cwd: Path,
        columns: int = 110,
        rows: int = 34,
        env: dict[str, str] | None = None,
    ) -> None:
        """``env``: the environment (default: this process's), without Textual's variables
        and without ``PYTHONDONTWRITEBYTECODE``: a child writes bytecode as a user's Python
        does, so that an app and its baseline (the hello world) both start from compiled
        modules. With the variable kept, whichever imported a library first in a fresh
        environment paid for compiling it on every start, and the ratio measured that."""
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {
            k: v
            for k, v in (env or os.environ).items()
            if not k.startswith("TEXTUAL") and k != "PYTHONDONTWRITEBYTECODE"
        }
        env.update(TERM="xterm-256color", COLUMNS=str(columns), LINES=str(rows))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.raw = bytearray()

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            raise TimedOut("the program exited: " + plain(bytes(self.raw[-400:])).strip()[-200:])
        self.raw.extend(chunk)
        return True

    def wait_for(self, pattern: str, *, since: int = 0, timeout: float = 60.0) -> re.Match[str]:
        """Read until ``pattern`` (a regex) appears in the output after byte ``since``."""
        deadline = time.perf_counter() + timeout
        compiled = re.compile(pattern)
        while True:
            found = compiled.search(plain(bytes(self.raw[since:])))
            if found:
                return found
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimedOut(f"{pattern!r} not drawn within {timeout:.0f} s")
            self._read(min(left, 0.5))

    def settle(self, quiet: float = 0.15, timeout: float = 5.0) -> None:
        """Read until nothing has been drawn for ``quiet`` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and self._read(quiet):
            pass

    def send(self, keys: str) -> int:
        """Type ``keys``; returns the output position from which their effect is drawn."""
        position = len(self.raw)
        os.write(self.master, keys.encode())
        return position

    def peak_rss_bytes(self) -> int | None:
        """The process's peak resident memory (VmHWM), while it still runs."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(found.group(1)) * 1024 if found else None

    def close(self) -> None:
        """End the process (it is ours: by its id) and release the pty."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        os.close(self.master)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
