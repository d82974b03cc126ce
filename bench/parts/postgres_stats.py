"""Statistics and the home screen's group counts on PostgreSQL beside SQLite, in the same run.

The large collection (``bench.history_db``, 100,000 cards and 1,000,000 review logs) is
copied with ``copy-db`` into the tests' throwaway server (``tests/postgres_server.py``) and
analysed, as ``postgres_study`` does. Then everything ``quizapp stats`` computes
(``services.stats``) and every group's due counts (``services.study.due_by_group``) are
timed on both backends, alternating call by call so that a load on the shared machine
falls on both alike; the first call of each (which builds the stats cache of closed days)
is left out. Issue 20 sets no goal for these; the figures show what PostgreSQL costs.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from bench.clock import NOW
from bench.history_db import collection, working_copy
from bench.parts.common import guarded
from bench.parts.postgres_copy import _server_module
from bench.report import Row, fmt_s, median

if TYPE_CHECKING:
    from quizapp.store.db import Database

PART = "postgres"
FIGURES = [
    ("stats computation on PostgreSQL (100k cards, 1M logs)", "report the time"),
    ("due counts per deck, tag and difficulty on PostgreSQL", "report the time"),
]

#: Timed calls of each, per backend, after one untimed call.
CALLS = 7


def bench_postgres_stats(smoke: bool) -> list[Row]:
    """Stats and group counts on PostgreSQL against SQLite, or one row each saying why not."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _run(smoke: bool) -> list[Row]:
    from quizapp.services.stats import collection_statistics
    from quizapp.services.study import due_by_group
    from quizapp.store.db import open_database, run_sql
    from quizapp.store.transfer import copy_database

    server_module = _server_module()
    bindir = server_module.find_bindir()
    if bindir is None:
        return [
            Row(PART, figure, "not measured: PostgreSQL not installed", "—", goal, None)
            for figure, goal in FIGURES
        ]
    cards, logs = (400, 4_000) if smoke else (100_000, 1_000_000)
    calls = 2 if smoke else CALLS
    built = collection(cards, logs)
    root = Path(tempfile.mkdtemp(prefix="quizapp-pg-", dir="/tmp"))
    server = server_module.PostgresServer(bindir=bindir, root=root)

    def stats(database: Database) -> object:
        return collection_statistics(database, clock=lambda: NOW, zone=UTC).to_dict()

    def groups(database: Database) -> object:
        return due_by_group(database, clock=lambda: NOW, zone=UTC)

    try:
        server.start()
        with tempfile.TemporaryDirectory(prefix="quizapp-bench-pg-stats-") as tmp:
            url = server.url(server.new_database())
            copy_database(built.path, url)
            lite = open_database(working_copy(built.path, Path(tmp)), auto_backup=False)
            pg = open_database(url, auto_backup=False)
            try:
                for table in ("cards", "card_states", "card_tags", "review_logs"):
                    run_sql(pg, f"ANALYZE {table}")
                rows = []
                for (figure, goal), work in zip(FIGURES, (stats, groups), strict=True):
                    if smoke:
                        figure = figure.replace("100k cards, 1M logs", f"{cards} cards")
                    on_sqlite, on_postgres = _alternate(work, lite, pg, calls)
                    if work(lite) != work(pg):
                        raise RuntimeError(f"{figure}: PostgreSQL's figures differ from SQLite's")
                    rows.append(
                        Row(
                            PART,
                            figure,
                            f"{fmt_s(on_postgres)} = {on_postgres / on_sqlite:.2f}× SQLite"
                            f" (median of {calls}, equal figures)",
                            f"SQLite in the same run: {fmt_s(on_sqlite)}",
                            goal,
                            None,
                        )
                    )
            finally:
                lite.close()
                pg.close()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
    return rows


def _alternate(
    work: Callable[[Database], object], lite: Database, pg: Database, calls: int
) -> tuple[float, float]:
    """Median wall times of ``work`` on each backend, called in turn (after one untimed
    call each)."""
    samples: dict[int, list[float]] = {0: [], 1: []}
    for index in range(calls + 1):
        for side, database in enumerate((lite, pg)):
            start = time.perf_counter()
            work(database)
            if index:
                samples[side].append(time.perf_counter() - start)
    return median(samples[0]), median(samples[1])
