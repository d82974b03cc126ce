"""The config, stats, optimize and evaluate commands through the real ``quizapp`` group."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_study_builders import FakeClock, Spec, add_cards, make_database, simulate_reviews

from quizapp.cli.app import cli
from quizapp.services.study import StudySession


@pytest.fixture
def db_file(tmp_path: Path) -> str:
    path = tmp_path / "cli.db"
    database = make_database(path)
    add_cards(database, [Spec(f"c{i}", tags=("ml",)) for i in range(6)])
    session = StudySession(database, clock=FakeClock(), zone=UTC)
    for _ in range(4):
        assert session.next_card() is not None
        session.answer(3, 1000)
    database.close()
    return str(path)


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
