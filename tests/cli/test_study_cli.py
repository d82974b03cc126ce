"""The config, stats, optimize and evaluate commands through the real ``quizapp`` group, with
``--db`` a SQLite file or a PostgreSQL URL (``backend_url``)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli.app import cli
from quizapp.services.importer import import_paths
from quizapp.services.study import StudySession
from quizapp.store.db import open_database

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)

CARD = """# Card {n}

## Question

What is fact {n}?

## Answer

Fact {n} is {n}.

## Tags

ml
"""


@pytest.fixture
def db_file(tmp_path: Path, backend_url: str) -> str:
    """Six cards imported from Markdown, four of them answered Good once."""
    folder = tmp_path / "cards"
    folder.mkdir()
    for n in range(6):
        (folder / f"c{n}.md").write_text(CARD.format(n=n), encoding="utf-8")
    path = backend_url
    database = open_database(path, auto_backup=False)
    import_paths(database, [folder], now=T0)
    session = StudySession(database, clock=lambda: T0, zone=UTC)
    for _ in range(4):
        assert session.next_card() is not None
        session.answer(3, 1000)
    database.close()
    return path


def simulate_reviews(cards: int, days: int, seed: int) -> list[tuple[int, datetime, int]]:
    """A seeded (card, time, rating) review log: intervals grow on a pass and restart on a
    lapse, and lapses grow likelier as the interval outgrows the card's memory."""
    rng = random.Random(seed)
    reviews: list[tuple[int, datetime, int]] = []
    for card in range(1, cards + 1):
        strength = rng.uniform(1.0, 8.0)
        at = T0 + timedelta(days=rng.randrange(days // 2), minutes=rng.randrange(600))
        interval = 0.0
        while at < T0 + timedelta(days=days):
            recall = 0.9 ** (interval / strength) if interval else 0.6
            rating = rng.choice([2, 3, 3, 3, 4]) if rng.random() < recall else 1
            reviews.append((card, at, rating))
            interval = 0.007 if rating == 1 else max(1.0, interval * 2.5)
            strength *= 1.0 if rating == 1 else 1.8
            at += timedelta(days=interval, minutes=1 + rng.randrange(90))
    return reviews


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_config_get_set_and_errors(db_file: str) -> None:
    code, out, _ = _run("--db", db_file, "config", "get")
    assert code == 0 and "desired_retention = 0.9" in out and "learning_steps = 1m 10m" in out
    code, out, _ = _run("--db", db_file, "config", "set", "new_cards_per_day", "35")
    assert (code, out.strip()) == (0, "new_cards_per_day = 35")
    assert _run("--db", db_file, "config", "get", "new_cards_per_day")[1].strip() == "35"
    code, out, err = _run("--db", db_file, "config", "set", "desired_retention", "1.5")
    assert code == 1 and "Traceback" not in err
    assert err.strip() == (
        "quizapp: error: desired_retention: invalid value '1.5': must be between 0.70 and 0.99"
    )
    code, _, err = _run("--db", db_file, "config", "get", "nope")
    assert code == 1 and "unknown setting 'nope'" in err


def test_stats_json_and_text(db_file: str) -> None:
    code, out, _ = _run("--db", db_file, "stats", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {
        "reviews_per_day",
        "streak",
        "forecast",
        "true_retention",
        "cards_by_state",
        "ratings",
        "tags",
        "difficulties",
        "interview",
    }
    assert sum(data["cards_by_state"].values()) == 6 and data["ratings"]["good"] == 4
    code, out, _ = _run("--db", db_file, "stats")
    assert code == 0 and "True retention, last 30 days" in out


def test_optimize_reports_too_little_history(db_file: str) -> None:
    code, out, _ = _run("--db", db_file, "optimize", "--json")
    data = json.loads(out)
    assert code == 0 and data["changed"] is False and "fitting needs at least" in data["reason"]
    code, out, _ = _run("--db", db_file, "optimize")
    assert code == 0 and out.startswith("kept the current parameters")


def test_evaluate_json_and_bad_file(tmp_path: Path) -> None:
    rows = simulate_reviews(40, 100, seed=4)
    path = tmp_path / "r.csv"
    path.write_text(
        "card_id,review_rating,review_time,review_duration\n"
        + "".join(f"{c},{r},{at.isoformat()},900\n" for c, at, r in rows),
        encoding="utf-8",
    )
    code, out, _ = _run("evaluate", "--revlog", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    for name in ("default", "fitted", "fsrs_rs_reference"):
        assert {"log_loss", "rmse_bins", "auc"} <= set(data[name])
    bad = tmp_path / "bad.csv"
    bad.write_text("card_id,review_rating,review_time,review_duration\n1,9,x,1\n", "utf-8")
    code, _, err = _run("evaluate", "--revlog", str(bad))
    assert code == 1
    assert err.strip() == f"quizapp: error: {bad}:2: review_rating '9' is not 1-4"
