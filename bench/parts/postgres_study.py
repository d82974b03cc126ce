"""Next card + answer on PostgreSQL beside SQLite, in the same run (issue 20: PostgreSQL's
p50 at most 3× SQLite's, at 100,000 cards and 1,000,000 review logs).

The large collection (``bench.history_db``) is copied with ``copy-db`` into the tests'
throwaway server (``tests/postgres_server.py``: a Unix socket, ``fsync`` and synchronous
commit off, as SQLite's WAL with ``synchronous = NORMAL`` does not sync a commit either),
analysed as autovacuum would soon do, and studied with the same session as
``bench/parts/studying.py``'s figure on both backends: the daily review limit lifted, the
same clock, ratings drawn from FSRS with the same seed. The two sessions alternate answer
by answer, so a load on the shared machine falls on both alike.

A shorter session on PostgreSQL is then run with every statement timed (SQLAlchemy's
cursor events, and each commit and connection ping), and the statements that took the
most time per answer are printed to stderr: where to look when the ratio misses its goal.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.clock import NOW
from bench.history_db import collection, working_copy
from bench.parts.common import guarded, verdict
from bench.parts.postgres_copy import _server_module
from bench.parts.studying import _drawn_rating
from bench.report import Row, fmt_s, percentile

if TYPE_CHECKING:
    from quizapp.services.study import StudySession
    from quizapp.store.db import Database

PART = "postgres"
GOAL = "p50 ≤ 3× SQLite's"
FIGURES = [("next card + answer on PostgreSQL (100k cards, 1M logs)", GOAL)]

#: How many statements the profile prints.
PROFILE_TOP = 8


def bench_postgres_study(smoke: bool) -> list[Row]:
    """The PostgreSQL/SQLite ratio of next card + answer, or one row saying why not."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _clock() -> Callable[[], datetime]:
    started = time.perf_counter()
    return lambda: NOW + timedelta(seconds=time.perf_counter() - started)


@dataclass
class _Side:
    """One backend's session and the time each of its answers took."""

    name: str
    database: Database
    session: StudySession = field(init=False)
    rng: random.Random = field(default_factory=lambda: random.Random(17))
    samples: list[float] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from quizapp.services.study import StudySession

        repo = self.database.settings
        settings = repo.load_settings()
        # A long session: lift the daily review limit so every answer is a real review.
        repo.save_settings(replace(settings, max_reviews_per_day=99_999), ["max_reviews_per_day"])
        self.session = StudySession(self.database, clock=_clock(), zone=UTC)

    def step(self, keep: bool) -> None:
        """Show the next card and answer it; record the time when ``keep``."""
        start = time.perf_counter()
        card = self.session.next_card()
        if card is None:
            raise RuntimeError(f"the {self.name} session ran out of cards")
        took = time.perf_counter() - start
        rating = _drawn_rating(card.memory, self.rng)
        start = time.perf_counter()
        self.session.answer(rating, 5_000)
        took += time.perf_counter() - start
        if keep:
            self.samples.append(took)
            self.kinds[card.kind.value] = self.kinds.get(card.kind.value, 0) + 1

    def summary(self) -> str:
        p50, p99 = percentile(self.samples, 0.5), percentile(self.samples, 0.99)
        mix = ", ".join(f"{n} {k}" for k, n in sorted(self.kinds.items()))
        return f"p50 {fmt_s(p50)}, p99 {fmt_s(p99)} ({mix})"


def _run(smoke: bool) -> list[Row]:
    from quizapp.store.db import open_database, run_sql
    from quizapp.store.transfer import copy_database

    server_module = _server_module()
    bindir = server_module.find_bindir()
    figure, goal = FIGURES[0]
    if bindir is None:
        return [Row(PART, figure, "not measured: PostgreSQL not installed", "—", goal, None)]
    cards, logs = (400, 4_000) if smoke else (100_000, 1_000_000)
    if smoke:
        figure = f"next card + answer on PostgreSQL ({cards} cards, {logs} logs)"
    warmup, count, profiled = (5, 30, 20) if smoke else (50, 1_000, 300)
    built = collection(cards, logs)
    root = Path(tempfile.mkdtemp(prefix="quizapp-pg-", dir="/tmp"))
    server = server_module.PostgresServer(bindir=bindir, root=root)
    try:
        server.start()
        with tempfile.TemporaryDirectory(prefix="quizapp-bench-pg-study-") as tmp:
            url = server.url(server.new_database())
            copy_database(built.path, url)
            lite = open_database(working_copy(built.path, Path(tmp)), auto_backup=False)
            pg = open_database(url, auto_backup=False)
            try:
                for table in ("cards", "card_states", "review_logs"):
                    run_sql(pg, f"ANALYZE {table}")
                sides = [_Side("SQLite", lite), _Side("PostgreSQL", pg)]
                for index in range(warmup + count):
                    for side in sides:
                        side.step(keep=index >= warmup)
                start = time.perf_counter()
                with _statement_times(pg) as times:
                    for _ in range(profiled):
                        sides[1].step(keep=False)
                _print_profile(times, profiled, time.perf_counter() - start)
            finally:
                lite.close()
                pg.close()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
    sqlite, postgres = sides
    ratio = percentile(postgres.samples, 0.5) / percentile(sqlite.samples, 0.5)
    return [
        Row(
            PART,
            figure,
            f"{postgres.summary()} over {len(postgres.samples)} answers; {ratio:.2f}× SQLite",
            f"SQLite in the same run: {sqlite.summary()}",
            goal,
            verdict(ratio <= 3.0, smoke),
        )
    ]


@dataclass
class _Timing:
    calls: int = 0
    seconds: float = 0.0


@contextmanager
def _statement_times(database: Database) -> Iterator[dict[str, _Timing]]:
    """Time every statement ``database`` runs inside the block, by SQL text."""
    from sqlalchemy import event

    times: dict[str, _Timing] = {}
    started: list[float] = []

    def before(*_args: Any) -> None:
        started.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        took = time.perf_counter() - started.pop()
        timing = times.setdefault(" ".join(statement.split()), _Timing())
        timing.calls += 1
        timing.seconds += took

    engine = database.engine
    dialect = engine.dialect

    def timed(name: str, plain: Callable[[Any], Any]) -> Callable[[Any], Any]:
        # a commit, a rollback and the pool's ping are no cursor statements of the
        # engine's: each is timed here (one driver round trip each)
        def call(dbapi_connection: Any) -> Any:
            before()
            try:
                return plain(dbapi_connection)
            finally:
                after(None, None, name)

        return call

    wrapped = {
        "do_commit": "COMMIT",
        "do_rollback": "ROLLBACK",
        "do_ping": "the pool's ping (pool_pre_ping, on taking a connection)",
    }
    for method, name in wrapped.items():
        setattr(dialect, method, timed(name, getattr(dialect, method)))
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield times
    finally:
        for method in wrapped:
            delattr(dialect, method)
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def _print_profile(times: dict[str, _Timing], answers: int, elapsed: float) -> None:
    """The statements that took the most time per answer, to stderr."""
    total = sum(timing.seconds for timing in times.values())
    print(
        f"postgres study profile: {fmt_s(total / answers)} in SQL of"
        f" {fmt_s(elapsed / answers)} per answer over {answers} answers (timed);"
        " the slowest statements:",
        file=sys.stderr,
    )
    ranked = sorted(times.items(), key=lambda item: item[1].seconds, reverse=True)
    for statement, timing in ranked[:PROFILE_TOP]:
        shown = statement if len(statement) <= 160 else statement[:157] + "..."
        print(
            f"  {fmt_s(timing.seconds / answers)}/answer, {timing.calls} calls,"
            f" {fmt_s(timing.seconds / timing.calls)} each: {shown}",
            file=sys.stderr,
        )
