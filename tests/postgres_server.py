"""A real, throwaway PostgreSQL server for the tests that need one.

The server is started from the installed binaries (Debian's ``postgresql`` package puts them
in ``/usr/lib/postgresql/<version>/bin``) the first time a test asks for it, and stopped at
the end of the session:

- ``initdb`` into a temporary folder, with password authentication (so that a wrong
  password can be tested) for a superuser named ``quizapp``;
- it listens on a Unix socket in a temporary folder only (``listen_addresses = ''``): no
  port is opened, so parallel sessions never collide;
- PostgreSQL refuses to run as root, so under root it runs as the ``postgres`` system user
  (or ``nobody``), which owns the temporary folders;
- the server is told to stop when the process that started it dies
  (``PR_SET_PDEATHSIG``), so a pytest killed with SIGKILL leaves no server behind.

Without the binaries the tests that use it skip, saying how to install them; with the
environment variable ``CI`` set they fail instead, so CI never silently skips them.
"""

from __future__ import annotations

import ctypes
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import pytest

#: The superuser's name and password in the test cluster.
USER = "quizapp"
PASSWORD = "quizapp-test-password"

_PR_SET_PDEATHSIG = 1
_INSTALL_HINT = (
    "PostgreSQL is not installed: the PostgreSQL tests need its server binaries"
    " (apt-get install postgresql, or set QUIZAPP_PG_BIN to the folder holding initdb)"
)


def find_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``postgres``: ``$QUIZAPP_PG_BIN``, Debian's
    versioned folder (newest version first), or the ``PATH``."""
    candidates: list[Path] = []
    if os.environ.get("QUIZAPP_PG_BIN"):
        candidates.append(Path(os.environ["QUIZAPP_PG_BIN"]))
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = [p for p in debian.iterdir() if p.name.isdigit()]
        candidates += [p / "bin" for p in sorted(versions, key=lambda p: -int(p.name))]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "postgres").is_file():
            return folder
    return None


def _server_account() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as, or None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and there is no 'postgres' or 'nobody' user to run as")


def _die_with_parent() -> None:
    """In the server's process, before exec: a fast shutdown when pytest goes away.

    Runs after the switch to the unprivileged user (which would clear the setting)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGINT)


@dataclass
class PostgresServer:
    """A running throwaway server: where its socket is, and fresh databases on demand."""

    bindir: Path
    root: Path
    process: subprocess.Popen[bytes] | None = None
    _names: Iterator[int] = field(default_factory=count)

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str, *, password: str = PASSWORD) -> str:
        """A SQLAlchemy URL for ``database`` on this server, over its Unix socket."""
        return f"postgresql+psycopg://{USER}:{password}@/{database}?host={self.socket_dir}"

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (``CREATE DATABASE`` needs that)."""
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir),
            user=USER,
            password=PASSWORD,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(sql.encode())

    def new_database(self) -> str:
        """A new empty database's name (a test's own collection)."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}"')
        return name

    def start(self) -> None:
        account = _server_account()
        self.data_dir.mkdir()
        self.socket_dir.mkdir()
        password_file = self.root / "password"
        password_file.write_text(PASSWORD + "\n", encoding="utf-8")
        if account is not None:
            for path in (self.root, self.data_dir, self.socket_dir, password_file):
                os.chown(path, account.pw_uid, account.pw_gid)
        uid = None if account is None else account.pw_uid
        gid = None if account is None else account.pw_gid
        subprocess.run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                USER,
                "--pwfile",
                str(password_file),
                "--auth",
                "scram-sha-256",
                "--encoding",
                "UTF8",
                "--locale",
                "C",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            user=uid,
            group=gid,
        )
        self.launch()

    def launch(self) -> None:
        """Start the server on the cluster ``start`` made, and wait until it is ready (also
        to start it again after ``stop``, as a restarted server)."""
        account = _server_account()
        uid = None if account is None else account.pw_uid
        gid = None if account is None else account.pw_gid
        log = (self.root / "server.log").open("ab")
        self.process = subprocess.Popen(
            [
                str(self.bindir / "postgres"),
                "-D",
                str(self.data_dir),
                "-k",
                str(self.socket_dir),
                "-c",
                "listen_addresses=",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
            user=uid,
            group=gid,
        )
        log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        """Wait until the server accepts connections (pg_isready polls, with a limit)."""
        assert self.process is not None
        probe = [str(self.bindir / "pg_isready"), "-q", "-h", str(self.socket_dir), "-t", "1"]
        for _ in range(60):
            if self.process.poll() is not None:
                break
            if subprocess.run(probe, check=False).returncode == 0:
                return
        log = (self.root / "server.log").read_text(errors="replace")
        self.stop()
        raise RuntimeError(f"the test PostgreSQL server did not start:\n{log}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # a fast shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def require_bindir() -> Path:
    """The server binaries' folder; without them the test skips, saying how to install
    them, or fails when ``CI`` is set (CI never skips the PostgreSQL tests)."""
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail(_INSTALL_HINT + " (CI is set, so this is a failure, not a skip)")
        pytest.skip(_INSTALL_HINT)
    return bindir


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server, started on first use (skips when not installed)."""
    bindir = require_bindir()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail("psycopg is missing: uv sync installs it with the dev group")
    # A short path: a Unix socket's path may not be longer than about 100 bytes.
    root = Path(tempfile.mkdtemp(prefix="quizapp-pg-", dir="/tmp"))
    server = PostgresServer(bindir=bindir, root=root)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The SQLAlchemy URL of a new, empty database on the session's server."""
    return postgres_server.url(postgres_server.new_database())
