"""Studying a large collection: next card + answer, filtered due count, browse, statistics.

All four figures use one collection of 100,000 cards and 1,000,000 review logs drawn from
FSRS-6 (``bench.history_db``), copied from its cache so answers can be written. The clock
is the collection's fixed ``NOW`` plus the real time elapsed, and the zone UTC, so every
run sees the same due cards.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from bench import fsrs_sim
from bench.clock import NOW
from bench.history_db import collection, working_copy
from bench.parts.common import guarded, verdict
from bench.report import Row, fmt_s, median, percentile

PART = "study"
FIGURES = [
    ("next card + answer (100k cards, 1M logs)", "p50 ≤ 2 ms, p99 ≤ 10 ms"),
    ("filtered due count (tag + difficulty)", "p50 ≤ 20 ms"),
    ("browse query, time to the first page", "≤ 100 ms"),
    ("stats computation", "≤ 300 ms"),
]

#: The filter of the due-count figure: one tag and one difficulty, as a custom session has.
TAG, DIFFICULTY = "Backpropagation", "hard"
#: The browse figure's query and page size.
BROWSE_QUERY = "tag:backpropagation difficulty:hard"
PAGE = 50


def bench_study(smoke: bool) -> list[Row]:
    """The four figures on the large collection."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _clock() -> Callable[[], datetime]:
    started = time.perf_counter()
    return lambda: NOW + timedelta(seconds=time.perf_counter() - started)


def _run(smoke: bool) -> list[Row]:
    from quizapp.store.db import open_database

    cards, logs = (400, 4_000) if smoke else (100_000, 1_000_000)
    built = collection(cards, logs)
    size = f"{cards // 1000}k cards, {logs / 1e6:g}M logs" if not smoke else f"{cards} cards"
    note = "" if built.built_seconds is None else f"; built in {built.built_seconds:.0f} s"
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-study-") as tmp:
        database = open_database(working_copy(built.path, Path(tmp)), auto_backup=False)
        try:
            rows.append(_answers(database, smoke, size + note))
            rows.append(_due_count(database, smoke))
            rows.append(_browse(database, smoke))
            rows.append(_stats(database, smoke))
        finally:
            database.close()
    return rows


def _answers(database: object, smoke: bool, size: str) -> Row:
    """p50/p99 of next_card() + answer() over a long session, ratings drawn from FSRS."""
    from quizapp.services.study import StudySession

    repo = database.settings  # type: ignore[attr-defined]
    settings = repo.load_settings()
    # A long session: lift the daily review limit so every answer is a real review.
    repo.save_settings(replace(settings, max_reviews_per_day=99_999), ["max_reviews_per_day"])
    session = StudySession(database, clock=_clock(), zone=UTC)  # type: ignore[arg-type]
    rng = random.Random(17)
    warmup, count = (5, 30) if smoke else (50, 1_000)
    samples: list[float] = []
    kinds: dict[str, int] = {}
    for index in range(warmup + count):
        start = time.perf_counter()
        card = session.next_card()
        if card is None:
            break
        took = time.perf_counter() - start
        rating = _drawn_rating(card.memory, rng)
        start = time.perf_counter()
        session.answer(rating, 5_000)
        took += time.perf_counter() - start
        if index >= warmup:
            samples.append(took)
            kinds[card.kind.value] = kinds.get(card.kind.value, 0) + 1
    if len(samples) < count:
        raise RuntimeError(f"the session ran out of cards after {len(samples)} answers")
    p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
    mix = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    return Row(
        PART,
        f"next card + answer ({size})",
        f"p50 {fmt_s(p50)}, p99 {fmt_s(p99)} over {len(samples)} answers ({mix})",
        "Anki: 0.23 ms",
        "p50 ≤ 2 ms, p99 ≤ 10 ms",
        verdict(p50 <= 2e-3 and p99 <= 10e-3, smoke),
    )


def _drawn_rating(memory: object, rng: random.Random) -> int:
    """Good with the card's FSRS recall probability now, Again otherwise (new cards: Good)."""
    stability = getattr(memory, "stability", None)
    last = getattr(memory, "last_review", None)
    if not stability or last is None:
        return 3
    elapsed = max((NOW - last).total_seconds() / 86_400, 0.0)
    recall = float(fsrs_sim.retrievability(np.array([elapsed]), np.array([stability]))[0])
    return 3 if rng.random() < recall else 1


def _due_count(database: object, smoke: bool) -> Row:
    """p50 of a filtered session's due counts (what the custom-session dialog shows)."""
    from quizapp.scheduling.filters import StudyFilter
    from quizapp.services.study import StudySession

    study_filter = StudyFilter(tags_any=(TAG,), difficulties=(DIFFICULTY,))
    session = StudySession(database, study_filter, clock=_clock(), zone=UTC)  # type: ignore[arg-type]
    progress = session.progress()
    samples = []
    for _ in range(5 if smoke else 50):
        start = time.perf_counter()
        session.progress()
        samples.append(time.perf_counter() - start)
    p50 = median(samples)
    return Row(
        PART,
        f"filtered due count (tag {TAG} + {DIFFICULTY})",
        f"p50 {fmt_s(p50)} ({progress.total} due)",
        "Anki: 4.1 ms on 20k cards",
        "p50 ≤ 20 ms",
        verdict(p50 <= 20e-3, smoke),
    )


def _browse(database: object, smoke: bool) -> Row:
    """Time from a browse query to its first page of rows, on the browse screen's data path.

    The browse screen (``quizapp/tui/screens/browse.py``) parses the query and asks
    ``services.query.browse_page`` for its first page (sorted by title) with each row's
    recall; this is the same call, without the widget.
    """
    from quizapp.services import query as query_service

    page_size = _browse_page_size()

    def first_page() -> int:
        query = query_service.parse_query(BROWSE_QUERY)
        page = query_service.browse_page(
            database,  # type: ignore[arg-type]
            query,
            now=NOW,
            order="title",
            limit=page_size,
        )
        return len(page.cards)

    first_page()  # warm imports (NumPy for recall) and SQLite's page cache
    samples: list[float] = []
    rows = 0
    while len(samples) < 5 and sum(samples) < 1.0:  # a slow query is not worth repeating
        start = time.perf_counter()
        rows = first_page()
        samples.append(time.perf_counter() - start)
    took = median(samples)
    how = "services.query.browse_page"
    return Row(
        PART,
        f"browse query `{BROWSE_QUERY}`, first page ({rows} rows)",
        fmt_s(took),
        f"the browse screen's call ({how}), without the widget",
        "≤ 100 ms",
        verdict(took <= 0.1, smoke),
    )


def _browse_page_size() -> int:
    """The browse screen's page size (importing the screen is cheap once Textual is in)."""
    try:
        from quizapp.tui.screens.browse import PAGE_SIZE
    except ImportError:
        return PAGE
    return int(PAGE_SIZE)


def _stats(database: object, smoke: bool) -> Row:
    """Wall time of everything ``quizapp stats`` computes."""
    from quizapp.services.stats import collection_statistics

    samples: list[float] = []
    while len(samples) < 3 and sum(samples) < 2.0:
        start = time.perf_counter()
        collection_statistics(database, clock=lambda: NOW, zone=UTC)  # type: ignore[arg-type]
        samples.append(time.perf_counter() - start)
    took = median(samples)
    return Row(
        PART,
        "stats computation (services.stats)",
        fmt_s(took),
        "median of repeated runs",
        "≤ 300 ms",
        verdict(took <= 0.3, smoke),
    )
