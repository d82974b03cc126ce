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

import os
import random
import re
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
                with _server_log(server) as server_times, _statement_times(pg) as times:
                    start = time.perf_counter()
                    for _ in range(profiled):
                        sides[1].step(keep=False)
                    elapsed = time.perf_counter() - start
                _print_profile(times, profiled, elapsed, _round_trip(pg))
                _print_server_times(server_times(), profiled)
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


def _round_trip(database: Database) -> float:
    """The median time of ``SELECT 1`` on an open connection: what any statement costs
    before the server does any work (a Unix socket, and two processes to schedule)."""
    samples: list[float] = []
    with database.engine.connect() as connection:
        for _ in range(300):
            start = time.perf_counter()
            connection.exec_driver_sql("SELECT 1").all()
            samples.append(time.perf_counter() - start)
        connection.rollback()
    return percentile(samples, 0.5)


def _print_profile(
    times: dict[str, _Timing], answers: int, elapsed: float, round_trip: float
) -> None:
    """The statements that took the most time per answer, to stderr, beside what the
    round trips alone cost."""
    total = sum(timing.seconds for timing in times.values())
    commits = times["COMMIT"].calls if "COMMIT" in times else 0
    statements = sum(timing.calls for name, timing in times.items() if name != "ROLLBACK")
    trips = (statements + commits) / answers  # each transaction's BEGIN is one more
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"postgres study profile: {fmt_s(total / answers)} in SQL of"
        f" {fmt_s(elapsed / answers)} per answer over {answers} answers (timed);"
        f" {trips:.1f} round trips per answer (a BEGIN is timed with the statement after it),"
        f" a round trip (SELECT 1) {fmt_s(round_trip)}; load average {load}. The slowest:",
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


#: The start of a server log line (``log_line_prefix`` ``%m [%p] ``) with a duration.
_DURATION = re.compile(
    r"^\S+ \S+ \S+ \[\d+\] LOG:  duration: ([\d.]+) ms  "
    r"(?:(parse|bind|execute) [^:]*|statement): (.*)"
)


@contextmanager
def _server_log(server: Any) -> Iterator[Callable[[], dict[str, _Timing]]]:
    """Have the server log every statement's duration inside the block (``ALTER SYSTEM``
    on the throwaway server, reloaded), and hand out a reader of the durations logged,
    by statement text (parse, bind and execute added up): the server's own time, without
    the round trip."""
    log = server.root / "server.log"
    offset = log.stat().st_size
    server.admin("ALTER SYSTEM SET log_min_duration_statement = 0")
    server.admin("SELECT pg_reload_conf()")
    time.sleep(0.2)  # the backends read the new setting before their next statement
    end = [offset]
    try:
        yield lambda: _durations(log, offset, end[0])
    finally:
        end[0] = log.stat().st_size
        server.admin("ALTER SYSTEM RESET log_min_duration_statement")
        server.admin("SELECT pg_reload_conf()")


def _durations(log: Path, start: int, end: int) -> dict[str, _Timing]:
    with log.open("rb") as file:
        file.seek(start)
        text = file.read(end - start).decode("utf-8", errors="replace")
    entries: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("\t") and entries:
            entries[-1].append(line.strip())
        else:
            entries.append([line])
    times: dict[str, _Timing] = {}
    for entry in entries:
        found = _DURATION.match(entry[0])
        if found is None:
            continue
        milliseconds, _phase, statement = found.groups()
        key = " ".join(" ".join([statement, *entry[1:]]).split())
        timing = times.setdefault(key, _Timing())
        timing.calls += 1
        timing.seconds += float(milliseconds) / 1e3
    return times


def _print_server_times(times: dict[str, _Timing], answers: int) -> None:
    """What the server itself spent on each statement per answer, to stderr."""
    total = sum(timing.seconds for timing in times.values())
    print(
        f"postgres server time (log_min_duration_statement): {fmt_s(total / answers)}"
        " per answer; the slowest:",
        file=sys.stderr,
    )
    ranked = sorted(times.items(), key=lambda item: item[1].seconds, reverse=True)
    for statement, timing in ranked[:PROFILE_TOP]:
        shown = statement if len(statement) <= 160 else statement[:157] + "..."
        print(
            f"  {fmt_s(timing.seconds / answers)}/answer, {timing.calls} parse/bind/execute"
            f" steps: {shown}",
            file=sys.stderr,
        )
