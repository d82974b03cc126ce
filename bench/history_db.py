"""Large benchmark collections built fast: bulk inserts of cards and FSRS-drawn histories.

A 100,000-card database with 1,000,000 review logs cannot be built through the importer in
a benchmark's time budget, and need not be: what the study, stats and browse figures
measure is reading and writing a collection of that size. So the schema comes from
``open_database`` (the real migrations) and the rows go in with ``executemany`` of plain
tuples, in the exact text forms SQLAlchemy stores (naive-UTC timestamps, JSON text).

Card content is real: a pool of reference-shaped cards from ``bench.generate`` is parsed
with quizapp's own parser and its columns reused, each card with its own id, title,
deck, four tags, difficulty and two related questions. 90 % of the cards have review
histories drawn from FSRS-6 (``bench.fsrs_sim``), the rest are new. Each reviewed card's
timeline is placed so that its last review falls uniformly within its scheduled interval
(at most a year) plus two days before now: due dates then spread from two days ago
onwards, the collection of someone who studies most days. A history
that ends in a lapse keeps it for 5 % of the cards (relearning, due in 10 minutes); for the
rest that final review is redrawn as Good, so that the learning queue holds a realistic
few hundred cards rather than a tenth of the collection.

The result is cached under the temp folder, keyed by ``VERSION``, the schema revision and
the sizes, so later runs only copy it (``working_copy``) before writing to it. A cached
file that someone wrote to (more logs, later answers, settings) is rebuilt.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench import fsrs_sim
from bench.clock import NOW
from bench.generate import DIFFICULTIES, TAGS, TOPICS, card_text

#: Bump when the generated data changes shape, so stale caches are not reused.
VERSION = 5

#: Distinct parsed cards whose content the collection reuses (ids and titles differ).
POOL = 32
REVIEWED_SHARE = 0.9
KEEP_FINAL_LAPSE = 0.05


def cache_dir() -> Path:
    """Where built collections are kept between runs."""
    folder = Path(tempfile.gettempdir()) / "quizapp-bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class Collection:
    """A built collection: its cached file and what it holds."""

    path: Path
    cards: int
    logs: int
    built_seconds: float | None
    """Build time, or None when it came from the cache."""


def collection(cards: int, logs: int, seed: int = 5) -> Collection:
    """The cached collection with ``cards`` cards and ``logs`` review logs (built if absent)."""
    from quizapp.store.db import HEAD_REVISION

    path = cache_dir() / f"collection-v{VERSION}-r{HEAD_REVISION}-{cards}c-{logs}l-s{seed}.db"
    if path.exists():
        if _intact(path, logs):
            return Collection(path, cards, logs, None)
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
    start = time.perf_counter()
    partial = path.with_suffix(f".{os.getpid()}.partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    _build(partial, cards, logs, seed)
    partial.rename(path)
    return Collection(path, cards, logs, time.perf_counter() - start)


def _intact(path: Path, logs: int) -> bool:
    """Whether a cached collection is still as built: someone who opened the cached file
    itself instead of a working copy may have answered cards or changed settings in it."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            last_id, last_at = connection.execute(
                "SELECT max(id), max(reviewed_at) FROM review_logs"
            ).fetchone()
            settings = connection.execute("SELECT count(*) FROM settings").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    now = stored_time(np.array([np.datetime64(NOW.replace(tzinfo=None), "us")]))[0]
    return (last_id or 0) == logs and (last_at is None or last_at < now) and settings == 0


def working_copy(source: Path, folder: Path) -> Path:
    """A private copy of a cached collection that a benchmark may write to (with its WAL,
    if a reader left one)."""
    target = folder / source.name.replace(".db", ".work.db")
    shutil.copyfile(source, target)
    wal = Path(f"{source}-wal")
    if wal.exists() and wal.stat().st_size:
        shutil.copyfile(wal, Path(f"{target}-wal"))
    return target


def stored_time(values: np.ndarray[Any, np.dtype[np.datetime64]]) -> list[str]:
    """Timestamps as SQLAlchemy stores them in SQLite: ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    return [text.replace("T", " ") for text in np.datetime_as_string(values, unit="us").tolist()]


def _iso(values: np.ndarray[Any, np.dtype[np.datetime64]]) -> list[str]:
    """Timestamps as ``MemoryState.to_dict`` writes them (aware UTC ISO 8601)."""
    return [text + "+00:00" for text in np.datetime_as_string(values, unit="us").tolist()]


def _pool() -> list[dict[str, Any]]:
    """Column values of a few parsed reference-shaped cards."""
    from quizapp.cards import parse_text
    from quizapp.store.card_rows import card_values

    rng = random.Random(3)
    pool = []
    for index in range(POOL):
        parsed = parse_text(card_text(index, rng), path=f"pool/card{index}.md", deck="pool")
        values = card_values(parsed.cards[0], 0, "")
        pool.append(
            {
                "question": values["question"],
                "steps": json.dumps(values["steps"]),
                "content_hash": values["content_hash"],
            }
        )
    return pool


def _build(path: Path, cards: int, logs: int, seed: int) -> None:
    from quizapp.store.db import open_database

    database = open_database(path, auto_backup=False)
    database.close()
    rng = np.random.default_rng(seed)
    pick = random.Random(seed)
    now64 = np.datetime64(NOW.replace(tzinfo=None), "us")
    day_us = 86_400_000_000

    reviewed = max(1, min(cards, int(cards * REVIEWED_SHARE), logs)) if logs else 0
    order = rng.permutation(cards)
    reviewed_ids = np.sort(order[:reviewed]) + 1  # card ids with a history
    histories = None
    if reviewed:
        counts = fsrs_sim.review_counts(reviewed, logs, rng)
        histories = fsrs_sim.simulate(counts, rng)
        _settle_final_lapses(histories, rng)

    decks = sorted(
        {
            f"{TOPICS[i % len(TOPICS)]}/part{(i // len(TOPICS)) % 8}"
            for i in range(min(cards, len(TOPICS) * 8))
        }
    )
    deck_ids = {name: number for number, name in enumerate(decks, start=1)}
    created = stored_time(np.array([now64 - np.timedelta64(800 * day_us, "us")]))[0]

    pool = _pool()
    card_rows = []
    tag_rows = []
    related_rows = []
    for index in range(cards):
        pk = index + 1
        topic = TOPICS[index % len(TOPICS)]
        deck = f"{topic}/part{(index // len(TOPICS)) % 8}"
        content = pool[index % POOL]
        title = f"Synthetic question {index}: {topic} gradients"
        card_rows.append(
            (
                pk,
                f"bench/{deck}/card{index:06d}",
                deck_ids[deck],
                title,
                content["question"],
                content["steps"],
                pick.choice(DIFFICULTIES).lower(),
                "[]",
                "[]",
                f"{deck}/card{index:06d}.md",
                f"/nonexistent/bench/{deck}/card{index:06d}.md",
                1,
                content["content_hash"],
                created,
                created,
                0,
                None,
                0,
            )
        )
        for position, tag in enumerate(pick.sample(range(len(TAGS)), 4)):
            tag_rows.append((pk, tag + 1, position))
        related_rows.append((pk, 0, f"Synthetic question {max(index - 1, 0)}: related", None))
        related_rows.append((pk, 1, "What are vanishing and exploding gradients?", None))

    state_rows = {pk: (pk, 1, 0, None, None, created, None, 0, 0) for pk in range(1, cards + 1)}
    log_rows: list[tuple[Any, ...]] = []
    if histories is not None:
        state_rows.update(_reviewed_states(histories, reviewed_ids, rng, now64, day_us, log_rows))

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = OFF")
        with connection:
            connection.executemany(
                "INSERT INTO decks (id, name) VALUES (?, ?)",
                [(number, name) for name, number in deck_ids.items()],
            )
            connection.executemany(
                "INSERT INTO tags (id, key, name) VALUES (?, ?, ?)",
                [(i + 1, tag.casefold(), tag) for i, tag in enumerate(TAGS)],
            )
            connection.executemany(
                "INSERT INTO cards (id, uid, deck_id, title, question, steps, difficulty, "
                "aliases, exercises, source, source_path, line, content_hash, created_at, "
                "updated_at, suspended, buried_until, missing) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                card_rows,
            )
            connection.executemany(
                "INSERT INTO card_tags (card_id, tag_id, position) VALUES (?, ?, ?)", tag_rows
            )
            connection.executemany(
                "INSERT INTO related (card_id, position, text, target_id) VALUES (?, ?, ?, ?)",
                related_rows,
            )
            connection.executemany(
                "INSERT INTO card_states (card_id, state, step, stability, difficulty, due, "
                "last_review, reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [state_rows[pk] for pk in range(1, cards + 1)],
            )
            connection.executemany(
                "INSERT INTO review_logs (id, card_id, rating, reviewed_at, duration_ms, "
                "state_before, state_after) VALUES (?, ?, ?, ?, ?, ?, ?)",
                log_rows,
            )
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _settle_final_lapses(h: fsrs_sim.Histories, rng: np.random.Generator) -> None:
    """Redraw most histories' final lapse as Good (see the module docstring)."""
    last = np.r_[np.nonzero(np.diff(h.card))[0], len(h.card) - 1]
    lapsed = last[(h.rating[last] == 1) & (h.reps_before[last] > 0)]
    redo = lapsed[rng.random(len(lapsed)) >= KEEP_FINAL_LAPSE]
    if not len(redo):
        return
    elapsed = np.maximum(h.day[redo] - h.day[redo - 1], 1.0)
    recall = fsrs_sim.retrievability(elapsed, h.s_before[redo])
    good = np.full(len(redo), 3, dtype=np.int64)
    h.rating[redo] = good
    h.s_after[redo] = fsrs_sim.next_stability(h.s_before[redo], h.d_before[redo], recall, good)
    h.d_after[redo] = fsrs_sim.next_difficulty(h.d_before[redo], good)
    h.state_after[redo] = 2
    h.lapses_after[redo] = h.lapses_before[redo]
    h.next_interval[redo] = fsrs_sim.interval_days(h.s_after[redo])


def _reviewed_states(
    h: fsrs_sim.Histories,
    reviewed_ids: np.ndarray[Any, np.dtype[np.int64]],
    rng: np.random.Generator,
    now64: np.datetime64,
    day_us: int,
    log_rows: list[tuple[Any, ...]],
) -> dict[int, tuple[Any, ...]]:
    """Place every history on the calendar; fill ``log_rows``; return the card states."""
    last = np.r_[np.nonzero(np.diff(h.card))[0], len(h.card) - 1]
    final_interval = h.next_interval[last]
    relearning = h.state_after[last] == 3
    # Days from now to the next due date: uniform in [-2, interval) for review cards,
    # a few minutes either side of now for relearning ones.
    # The last review lies within the interval (at most a year) before now, and two more
    # days, so review cards fall due uniformly from two days ago onwards.
    window = np.minimum(final_interval, 365.0) + 2.0
    last_at = np.where(
        relearning,
        -rng.uniform(10 / 1440, 0.5, size=len(last)),
        -rng.uniform(0.0, 1.0, size=len(last)) * window,
    )
    base = last_at - h.day[last]  # days from now of each card's first review
    when_days = base[np.repeat(np.arange(len(last)), np.diff(np.r_[-1, last]))] + h.day
    when = now64 + (when_days * day_us).astype("timedelta64[us]")
    due_after = now64 + ((when_days + h.next_interval) * day_us).astype("timedelta64[us]")
    stored_when = stored_time(when)
    iso_when = _iso(when)
    iso_due = _iso(due_after)
    cards = reviewed_ids[h.card].tolist()
    ratings = h.rating.tolist()
    reps = h.reps_before.tolist()
    lapses_a = h.lapses_after.tolist()
    state_a = h.state_after.tolist()
    s_a, d_a = h.s_after.tolist(), h.d_after.tolist()
    durations = rng.integers(3_000, 40_000, size=len(cards)).tolist()
    first_due = _iso(now64 + (base * day_us).astype("timedelta64[us]"))
    start_of = dict(zip(reviewed_ids.tolist(), first_due, strict=True))
    previous_after = ""
    for i in range(len(cards)):
        if reps[i] == 0:
            before = (
                f'{{"state": 1, "step": 0, "stability": null, "difficulty": null, '
                f'"due": "{start_of[cards[i]]}", "last_review": null, "reps": 0, "lapses": 0}}'
            )
        else:
            before = previous_after
        step_a = "0" if state_a[i] == 3 else "null"
        after = (
            f'{{"state": {state_a[i]}, "step": {step_a}, "stability": {s_a[i]!r}, '
            f'"difficulty": {d_a[i]!r}, "due": "{iso_due[i]}", "last_review": "{iso_when[i]}", '
            f'"reps": {reps[i] + 1}, "lapses": {lapses_a[i]}}}'
        )
        log_rows.append((i + 1, cards[i], ratings[i], stored_when[i], durations[i], before, after))
        previous_after = after
    stored_due = stored_time(due_after[last])
    states = {}
    for j, at in enumerate(last.tolist()):
        pk = cards[at]
        state = state_a[at]
        states[pk] = (
            pk,
            state,
            0 if state == 3 else None,
            s_a[at],
            d_a[at],
            stored_due[j],
            stored_when[at],
            reps[at] + 1,
            lapses_a[at],
        )
    return states
