"""Importing 10,000 new cards into PostgreSQL beside the same import into SQLite, in the same
run (issue 20: PostgreSQL's import at most 1.5× SQLite's).

The deck is ``bench/parts/importing.py``'s (``bench.generate.write_deck``), imported the
default way (``import_paths``, the process pool). The server is the tests' throwaway one
(``tests/postgres_server.py``: a Unix socket, ``fsync`` off, run unprivileged), started for
this part. Each backend imports the deck into a new, empty collection three times, the
backends alternating (SQLite, PostgreSQL, SQLite, …) so that a load on the shared machine
falls on both alike; the figure is the median of the three rounds' ratios (each round's
two imports ran back to back), shown with the rounds' times.

Parsing is the same work on both backends, so the time the store spends writing (the
import writer's calls, summed) is shown beside: it is where the backends differ.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.generate import write_deck
from bench.parts.common import guarded, verdict
from bench.parts.postgres_copy import _server_module
from bench.report import Row, fmt_s

PART = "postgres"
GOAL = "≤ 1.5× SQLite's import"
FIGURES = [("import 10,000 new cards into PostgreSQL", GOAL)]

#: Rounds of one import on each backend.
ROUNDS = 3

#: The import writer's methods that write, timed to show the store's share.
_WRITES = ("load", "write_files", "touch_sources", "mark_files_missing", "resolve_related")


def bench_postgres_import(smoke: bool) -> list[Row]:
    """The PostgreSQL/SQLite ratio of a 10,000-card import, or one row saying why not."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


@contextmanager
def _store_time() -> Iterator[list[float]]:
    """Sum the seconds spent in the import writer's writing methods (both backends': the
    PostgreSQL writer inherits them) into the yielded one-item list."""
    from quizapp.store.sqlite.import_repo import ImportWriter

    spent = [0.0]
    originals: dict[str, Any] = {name: ImportWriter.__dict__[name] for name in _WRITES}

    def timed(name: str, original: Any) -> Any:
        function = original.__func__ if isinstance(original, classmethod) else original

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

        return classmethod(wrapper) if isinstance(original, classmethod) else wrapper

    for name, original in originals.items():
        setattr(ImportWriter, name, timed(name, original))
    try:
        yield spent
    finally:
        for name, original in originals.items():
            setattr(ImportWriter, name, original)


def _run(smoke: bool) -> list[Row]:
    from quizapp.services.importer import import_paths
    from quizapp.services.parse_pool import POOL_MIN_FILES
    from quizapp.store.db import open_database

    server_module = _server_module()
    bindir = server_module.find_bindir()
    figure, goal = FIGURES[0]
    if bindir is None:
        return [Row(PART, figure, "not measured: PostgreSQL not installed", "—", goal, None)]
    count = 40 if smoke else 10_000
    if smoke:
        figure = f"import {count} new cards into PostgreSQL"
    root = Path(tempfile.mkdtemp(prefix="quizapp-pg-", dir="/tmp"))
    server = server_module.PostgresServer(bindir=bindir, root=root)
    times: dict[str, list[tuple[float, float]]] = {"sqlite": [], "postgres": []}
    try:
        server.start()
        with tempfile.TemporaryDirectory(prefix="quizapp-bench-pg-import-") as tmp:
            deck = Path(tmp) / "deck"
            write_deck(deck, count)
            pool = 1 if smoke else POOL_MIN_FILES
            for round_ in range(ROUNDS):
                for backend in ("sqlite", "postgres"):
                    target = (
                        str(Path(tmp) / f"import{round_}.db")
                        if backend == "sqlite"
                        else server.url(server.new_database())
                    )
                    database = open_database(target, auto_backup=False)
                    try:
                        with _store_time() as spent:
                            start = time.perf_counter()
                            report = import_paths(database, [deck], pool_min_files=pool)
                            elapsed = time.perf_counter() - start
                    finally:
                        database.close()
                    if report.new != count or report.errors:
                        raise RuntimeError(
                            f"the {backend} import stored {report.new} of {count} cards"
                            f" ({len(report.errors)} errors)"
                        )
                    times[backend].append((elapsed, spent[0]))
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
    pairs = list(zip(times["sqlite"], times["postgres"], strict=True))
    ratios = sorted(postgres[0] / sqlite[0] for sqlite, postgres in pairs)
    ratio = ratios[len(ratios) // 2]
    (sqlite_s, sqlite_store), (postgres_s, postgres_store) = next(
        pair for pair in pairs if pair[1][0] / pair[0][0] == ratio
    )
    rounds = ", ".join(f"{fmt_s(p[0])}/{fmt_s(s[0])}" for s, p in pairs)
    return [
        Row(
            PART,
            figure,
            f"{fmt_s(postgres_s)} = {ratio:.2f}× SQLite, median of {len(pairs)} rounds"
            f" (store writes {fmt_s(postgres_store)}; rounds PostgreSQL/SQLite: {rounds})",
            f"into SQLite {fmt_s(sqlite_s)} (store writes {fmt_s(sqlite_store)})",
            goal,
            verdict(ratio <= 1.5, smoke),
        )
    ]
