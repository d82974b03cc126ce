"""Statistics and group counts on PostgreSQL equal SQLite's for the same collection.

A SQLite collection studied for a month with a fixed clock (answers at random times of
day, to the microsecond) is copied with ``copy-db``; on the copy, ``quizapp stats`` prints
the same text and JSON, the raw aggregates are the same to the bit (stabilities, whole
days since a review, calibration pairs), and every deck's, tag's and difficulty's due
counts are the same.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result
from postgres_server import PostgresServer
from studied_history import INTERVIEW, LATER, Clock, build_history

from quizapp.cli import cli
from quizapp.scheduling.queue import day_window
from quizapp.services import stats as stats_service
from quizapp.services.overview import group_counts
from quizapp.services.stats import collection_statistics
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.records import StatsAggregates
from quizapp.store.row_decode import unreadable
from quizapp.store.transfer import copy_database


@dataclass
class Pair:
    """The same collection on both backends."""

    sqlite: Database
    postgres: Database
    source: Path


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_history(tmp_path_factory.mktemp("history") / "history.db")


def _copy(source: Path, tmp_path: Path, url: str) -> Path:
    """A private copy of the SQLite ``source`` (stats write their cache), and its copy at
    ``url``."""
    mine = tmp_path / "mine.db"
    copy_database(source, mine)
    copy_database(mine, url)
    return mine


@pytest.fixture
def pair(history: Path, tmp_path: Path, postgres_url: str) -> Iterator[Pair]:
    mine = _copy(history, tmp_path, postgres_url)
    sqlite = open_database(mine, auto_backup=False)
    postgres = open_database(postgres_url, auto_backup=False)
    yield Pair(sqlite, postgres, mine)
    sqlite.close()
    postgres.close()


def _aggregates(db: Database, now: datetime) -> StatsAggregates:
    interview = datetime.combine(INTERVIEW, datetime.min.time(), tzinfo=UTC)
    return db.stats.aggregates(now=now, window=day_window(now, 4, UTC), interview_at=interview)


def _assert_same(a: StatsAggregates, b: StatsAggregates) -> None:
    assert (a.days, a.older) == (b.days, b.older)
    for name in ("ids", "kind", "suspended", "due_today", "due_offset", "elapsed_now"):
        assert np.array_equal(getattr(a.columns, name), getattr(b.columns, name)), name
    assert np.array_equal(a.columns.elapsed_interview, b.columns.elapsed_interview)
    assert a.columns.stability.tobytes() == b.columns.stability.tobytes()
    for (name_a, ids_a), (name_b, ids_b) in zip(
        [*a.tags, *a.difficulties], [*b.tags, *b.difficulties], strict=True
    ):
        assert name_a == name_b and ids_a.tolist() == ids_b.tolist()
    recall_a, recall_b = a.recall_answers, b.recall_answers
    assert recall_a.stability.tobytes() == recall_b.stability.tobytes()
    assert np.array_equal(recall_a.elapsed, recall_b.elapsed)
    assert np.array_equal(recall_a.passed, recall_b.passed)


def test_the_raw_aggregates_are_the_same_to_the_bit(pair: Pair) -> None:
    a, b = _aggregates(pair.sqlite, LATER), _aggregates(pair.postgres, LATER)
    _assert_same(a, b)
    assert sum(row[0] for row in a.days.values()) > 250
    assert len(a.recall_answers.passed) > 50
    ((missing,),) = run_sql(pair.sqlite, "SELECT id FROM cards WHERE uid = 'card-06'")
    assert missing not in a.columns.ids.tolist() and len(a.columns.ids) == 27
    assert pair.sqlite.problems == pair.postgres.problems == []


def test_whole_days_since_a_review_match_on_the_exact_boundary(pair: Pair) -> None:
    """Three days to the microsecond after a review, ``floor`` of SQLite's julian days
    decides the count; PostgreSQL computes the same doubles."""
    (last,) = run_sql(pair.sqlite, "SELECT max(last_review) FROM card_states")
    reviewed = datetime.fromisoformat(str(last[0])).replace(tzinfo=UTC)
    for now in (reviewed + timedelta(days=3), reviewed + timedelta(days=3, microseconds=-1)):
        _assert_same(_aggregates(pair.sqlite, now), _aggregates(pair.postgres, now))


def test_the_statistics_are_the_same(pair: Pair) -> None:
    for now in (LATER, LATER + timedelta(days=1), LATER + timedelta(days=9, hours=20)):
        clock = Clock(now)
        on_sqlite = collection_statistics(pair.sqlite, clock=clock, zone=UTC).to_dict()
        on_postgres = collection_statistics(pair.postgres, clock=clock, zone=UTC).to_dict()
        assert on_postgres == on_sqlite
    assert on_sqlite["interview"] is not None
    assert on_sqlite["cards_by_state"]["suspended"] == 1


def _stats(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, "--no-bundled", "stats", *args])


def test_the_stats_command_prints_the_same(
    pair: Pair, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixed = functools.partial(collection_statistics, clock=Clock(LATER), zone=UTC)
    monkeypatch.setattr(stats_service, "collection_statistics", fixed)
    for args in ((), ("--json",)):
        on_sqlite, on_postgres = _stats(str(pair.source), *args), _stats(postgres_url, *args)
        assert on_sqlite.exit_code == on_postgres.exit_code == 0, on_postgres.output
        assert on_postgres.output == on_sqlite.output
    data = json.loads(on_postgres.output)
    assert sum(data["ratings"].values()) > 250
    assert [row["name"] for row in data["tags"]] == ["ml", "Stats", "Zeta", "ünï"]


def test_the_due_counts_of_every_group_are_the_same(pair: Pair) -> None:
    for now in (LATER, LATER + timedelta(days=2)):
        clock = Clock(now)
        on_sqlite = group_counts(pair.sqlite, clock=clock, zone=UTC)
        assert group_counts(pair.postgres, clock=clock, zone=UTC) == on_sqlite
    names = [deck.name for deck in on_sqlite.decks]
    assert names == ["Physics", "maths", "maths/linear", "éléments"]
    assert sum(deck.cards for deck in on_sqlite.decks if "/" not in deck.name) == 27


def test_a_stats_cache_copied_from_sqlite_serves_postgresql(
    history: Path, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    """The cache of closed days is written on SQLite, copied, and read on PostgreSQL,
    which adds only the answers since its boundary."""
    mine = tmp_path / "mine.db"
    copy_database(history, mine)
    sqlite = open_database(mine, auto_backup=False)
    try:
        collection_statistics(sqlite, clock=Clock(LATER - timedelta(days=5)), zone=UTC)
        url = postgres_server.url(postgres_server.new_database())
        copy_database(mine, url)
        postgres = open_database(url, auto_backup=False)
        try:
            (cached,) = run_sql(postgres, "SELECT count(*) FROM settings WHERE key LIKE 'cache.%'")
            assert cached == (1,)
            clock = Clock(LATER)
            assert collection_statistics(postgres, clock=clock, zone=UTC).to_dict() == (
                collection_statistics(sqlite, clock=clock, zone=UTC).to_dict()
            )
        finally:
            postgres.close()
    finally:
        sqlite.close()


def test_a_review_log_postgresql_cannot_read_skips_calibration_with_a_warning(
    pair: Pair,
) -> None:
    run_sql(
        pair.postgres,
        "UPDATE review_logs SET state_before = json_build_object("
        "'state', 2, 'stability', 3.5, 'last_review', '2026-02-30T10:00:00+00:00', 'reps', 2)"
        " WHERE id = (SELECT max(id) FROM review_logs WHERE review_kind = 2)",
    )
    stats = collection_statistics(pair.postgres, clock=Clock(LATER), zone=UTC)
    assert pair.postgres.problems == [unreadable("review logs for the calibration chart")]
    expected = collection_statistics(pair.sqlite, clock=Clock(LATER), zone=UTC)
    assert stats.ratings == expected.ratings
    assert stats.tags == expected.tags
