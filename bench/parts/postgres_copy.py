"""``copy-db`` of the large collection (100,000 cards, 1,000,000 review logs) from SQLite
into PostgreSQL, beside the same copy into a new SQLite file as the baseline.

The server is the tests' throwaway one (``tests/postgres_server.py``: ``initdb`` in a
temporary folder, a Unix socket, ``fsync`` off, run unprivileged), started for this part
and stopped after it. Each copy includes the check that re-reads and hashes every table.
The figure is reported only: the issue asks for the time, with no goal.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from bench.history_db import collection
from bench.parts.common import guarded
from bench.report import Row, fmt_s

PART = "postgres"
FIGURES = [("copy-db SQLite → PostgreSQL, 100k cards / 1M logs", "report the time")]


def _server_module() -> ModuleType:
    """The tests' server manager, loaded from its file (tests/ is not a package)."""
    path = Path(__file__).resolve().parents[2] / "tests" / "postgres_server.py"
    spec = importlib.util.spec_from_file_location("quizapp_bench_postgres_server", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def bench_postgres(smoke: bool) -> list[Row]:
    """The copy-db figure, or one row saying why it was not measured."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _run(smoke: bool) -> list[Row]:
    from quizapp.store.transfer import copy_database

    server_module = _server_module()
    bindir = server_module.find_bindir()
    figure, goal = FIGURES[0]
    if bindir is None:
        return [Row(PART, figure, "not measured: PostgreSQL not installed", "—", goal, None)]
    cards, logs = (400, 4_000) if smoke else (100_000, 1_000_000)
    if smoke:
        figure = f"copy-db SQLite → PostgreSQL, {cards} cards / {logs} logs"
    built = collection(cards, logs)
    root = Path(tempfile.mkdtemp(prefix="quizapp-pg-", dir="/tmp"))
    server = server_module.PostgresServer(bindir=bindir, root=root)
    try:
        server.start()
        with tempfile.TemporaryDirectory(prefix="quizapp-bench-copy-") as tmp:
            start = time.perf_counter()
            baseline = copy_database(built.path, Path(tmp) / "copy.db")
            sqlite_s = time.perf_counter() - start
            url = server.url(server.new_database())
            start = time.perf_counter()
            report = copy_database(built.path, url)
            postgres_s = time.perf_counter() - start
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
    assert report.tables == baseline.tables
    value = f"{fmt_s(postgres_s)} ({report.rows:,} rows, checked equal)"
    return [Row(PART, figure, value, f"into SQLite {fmt_s(sqlite_s)}", goal, None)]
