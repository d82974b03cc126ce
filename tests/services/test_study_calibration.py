"""Evaluate (CSV, time-series split), metrics and optimize on small simulated histories;
optimize reads and stores on SQLite and PostgreSQL (``backend_db``)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS
from sqlalchemy import insert
from test_study_builders import T0, add_cards, numbered, simulate_reviews

from quizapp.scheduling.evaluate import RevlogError, evaluate_revlog, folds, read_revlog
from quizapp.scheduling.history import build_items
from quizapp.scheduling.metrics import auc
from quizapp.scheduling.optimize import MIN_REVIEWS
from quizapp.services.settings import load_settings, optimize_parameters
from quizapp.store.db import Database
from quizapp.store.tables import REVIEW_LOGS

HEADER = "card_id,review_rating,review_time,review_duration\n"


def _write_csv(path: Path, reviews: list[tuple[int, datetime, int]]) -> Path:
    lines = [f"{card},{rating},{at.isoformat()},1200\n" for card, at, rating in reviews]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("1,5,2024-03-29T20:32:32+00:00,100\n", 2, "review_rating '5' is not 1-4"),
        ("1,3,2024-03-29T20:32:32+00:00,100\n2,3,yesterday,5\n", 3, "is not an ISO 8601 time"),
        ("1,3,2024-03-29T20:32:32,100\n", 2, "has no time zone"),
        ("1,3,2024-03-29T20:32:32Z,-4\n", 2, "review_duration -4 is negative"),
        ("1,3,2024-03-29T20:32:32Z\n", 2, "expected 4 fields, found 3"),
        ("", 1, "no reviews in the file"),
    ],
)
def test_corrupt_revlog_names_file_and_line(
    tmp_path: Path, body: str, line: int, reason: str
) -> None:
    path = tmp_path / "log.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(RevlogError) as caught:
        read_revlog(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert reason in str(caught.value)


def test_unreadable_revlogs(tmp_path: Path) -> None:
    bad_header = tmp_path / "h.csv"
    bad_header.write_text("card,rating\n1,3\n", encoding="utf-8")
    with pytest.raises(RevlogError, match=r"h.csv:1: header lacks columns card_id"):
        read_revlog(bad_header)
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(RevlogError, match=r"b\.csv:1: not UTF-8"):
        read_revlog(binary)
    with pytest.raises(RevlogError, match=r"missing\.csv:1: cannot read"):
        read_revlog(tmp_path / "missing.csv")


def test_same_day_reviews_are_never_scored() -> None:
    at = T0
    history = {
        1: [
            (at, 3),
            (at + timedelta(minutes=10), 3),
            (at + timedelta(days=2), 1),
            (at + timedelta(days=2, hours=1), 3),
            (at + timedelta(days=5), 3),
        ]
    }
    items = build_items(history, 4, UTC)
    assert [item.reviews[-1] for item in items] == [(1, 2), (3, 3)]
    assert items[1].reviews == ((3, 0), (3, 0), (1, 2), (3, 0), (3, 3))


def test_folds_cut_like_fsrs_rs() -> None:
    assert folds(list(range(12))) == [(2, 4), (4, 6), (6, 8), (8, 10), (10, 12)]  # type: ignore[arg-type]
    assert folds(list(range(5))) == []  # type: ignore[arg-type]


def test_auc_matches_pairwise_definition() -> None:
    rng = np.random.default_rng(3)
    p = rng.choice([0.1, 0.5, 0.7, 0.9], size=40)
    y = (rng.random(40) < p).astype(float)
    pairs = [(a, b) for a, b in itertools.product(range(40), repeat=2) if y[a] == 1 and y[b] == 0]
    expected = sum(1.0 if p[a] > p[b] else 0.5 if p[a] == p[b] else 0.0 for a, b in pairs)
    assert auc(p, y) == pytest.approx(expected / len(pairs))
    assert auc(p, np.ones(40)) is None


def test_evaluate_simulated_log_fitted_matches_reference(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "sim.csv", simulate_reviews(60, 120, seed=11))
    report = evaluate_revlog(read_revlog(path))
    data = report.to_dict()
    assert set(data) >= {"default", "fitted", "fsrs_rs_reference"}
    for name in ("default", "fitted", "fsrs_rs_reference"):
        assert {"log_loss", "rmse_bins", "auc"} <= set(data[name])  # type: ignore[call-overload]
    # same folds, same fitting code: quizapp's fitted scores equal fsrs-rs's own
    assert report.fitted.log_loss == pytest.approx(report.reference.log_loss, abs=1e-4)
    assert report.fitted.rmse_bins == pytest.approx(report.reference.rmse_bins, abs=1e-4)
    assert report.fitted.reviews == report.default.reviews > 100
    assert report.fitted.auc is not None and 0 <= report.fitted.auc <= 1


def _store_history(db: Database, reviews: list[tuple[int, datetime, int]]) -> None:
    state = {
        "state": 2,
        "step": None,
        "stability": 1.0,
        "difficulty": 5.0,
        "due": T0.isoformat(),
        "last_review": None,
        "reps": 1,
        "lapses": 0,
    }
    with db.begin(write=True) as conn:
        conn.execute(
            insert(REVIEW_LOGS),
            [
                {
                    "card_id": card,
                    "rating": rating,
                    "reviewed_at": at,
                    "duration_ms": 1000,
                    "state_before": state,
                    "state_after": state,
                }
                for card, at, rating in reviews
            ],
        )


def test_optimize_keeps_defaults_with_little_history(backend_db: Database) -> None:
    db = backend_db
    add_cards(db, list(numbered(5)))
    _store_history(db, simulate_reviews(5, 20, seed=2))
    result = optimize_parameters(db)
    assert not result.changed and result.parameters is None
    assert f"fitting needs at least {MIN_REVIEWS}" in result.reason
    assert load_settings(db).parameters is None


def test_optimize_fits_and_stores_parameters(backend_db: Database) -> None:
    db = backend_db
    add_cards(db, list(numbered(150)))
    _store_history(db, simulate_reviews(150, 150, seed=5))
    result = optimize_parameters(db)
    assert result.before is not None and result.after is not None
    assert result.scored_reviews >= MIN_REVIEWS
    assert result.changed, result.reason
    assert result.after.log_loss < result.before.log_loss
    assert result.after.rmse_bins < result.before.rmse_bins
    stored = load_settings(db).parameters
    assert stored == result.parameters and stored != tuple(DEFAULT_PARAMETERS)
    assert {"before", "after", "parameters", "reason"} <= set(result.to_dict())
