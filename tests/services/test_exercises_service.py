"""The exercise service on a real (temporary) database: which exercise a card gets, checking
``NAME=EXPR`` answers in order, diagnoses, and the stored attempt; on SQLite and PostgreSQL
(``backend_db``)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from quizapp.services import exercises as service
from quizapp.services.exercises import (
    ExerciseRequestError,
    exercise_for,
    find_exercise,
    has_exercise,
    parse_answer_option,
    run_exercise,
)
from quizapp.services.importer import import_paths
from quizapp.store.db import Database, run_sql

FIXTURES = Path(__file__).resolve().parents[1] / "cli" / "fixtures" / "exercise"
SEED = 7
SAYS = "You left out σ′(z⁽²⁾), the sigmoid's derivative."
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def fixed_clock(step_seconds: float = 1.0) -> Callable[[], datetime]:
    """A clock that advances ``step_seconds`` per reading, from START."""
    ticks = iter(range(10_000))
    return lambda: START + timedelta(seconds=step_seconds * next(ticks))


@pytest.fixture(autouse=True)
def fixture_builtins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(service, "builtin_folder", lambda: FIXTURES / "builtins")
    yield


@pytest.fixture
def cards(backend_db: Database) -> Database:
    report = import_paths(backend_db, [FIXTURES / "cards"])
    assert report.ok and report.new == 3, report.to_dict()
    return backend_db


def matlab(value: np.ndarray) -> str:
    """A matrix as a learner would type it, MATLAB-style, with full precision."""
    return "; ".join(" ".join(repr(float(v)) for v in row) for row in np.atleast_2d(value))


def references(db: Database, card_id: str = "sigmoid-exercise") -> dict[str, np.ndarray]:
    run = run_exercise(db, card_id, seed=SEED)
    return run.instance.references


def test_card_block_comes_first(cards: Database) -> None:
    stored = cards.cards.get("sigmoid-exercise")
    assert stored is not None
    spec = exercise_for(stored)
    assert spec is not None
    assert spec.title == "Backprop through a 2-2-1 sigmoid network"
    assert [a.name for a in spec.asks] == ["delta2", "dW2", "delta1", "dW1"]
    assert has_exercise(stored)


def test_tagged_card_without_block_gets_the_builtin_sharing_most_tags(cards: Database) -> None:
    stored = cards.cards.get("chain-rule")
    assert stored is not None and not stored.card.exercises
    assert has_exercise(stored) and has_exercise(stored.card)
    spec = exercise_for(stored)
    assert spec is not None and spec.id == "fixture-sigmoid-221"
    assert [s.id for s in service.builtin_exercises()] == ["fixture-sigmoid-221", "fixture-softmax"]


def test_card_without_matching_tags_has_no_exercise(cards: Database) -> None:
    stored = cards.cards.get("bias-variance")
    assert stored is not None
    assert not has_exercise(stored)
    assert exercise_for(stored) is None
    with pytest.raises(ExerciseRequestError, match="has no exercise") as info:
        find_exercise(cards, "bias-variance")
    assert not info.value.usage


def test_has_exercise_does_not_load_numpy() -> None:
    script = f"""
import sys
from pathlib import Path
from quizapp.cards.model import Card
from quizapp.services import exercises as service
service.builtin_folder = lambda: Path({str(FIXTURES / "builtins")!r})
card = Card(id="c", title="t", question="q", steps=(), tags=("#backpropagation",))
other = Card(id="d", title="t", question="q", steps=(), tags=("Statistics",))
print(service.has_exercise(card), service.has_exercise(other), "numpy" in sys.modules)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "False", "False"]


def test_correct_numeric_matrix_and_expression_answers(cards: Database) -> None:
    ref = references(cards)
    run = run_exercise(
        cards,
        "sigmoid-exercise",
        seed=SEED,
        answers=[
            f"delta2={float(ref['delta2'].item())!r}",  # a number
            f"dW2 = {matlab(ref['dW2'])}",  # a MATLAB-style matrix
            "delta1 = (W2.T @ delta2) * a1 * (1 - a1)",  # an expression using delta2
            f"dW1={json.dumps(ref['dW1'].tolist())}",  # a [[…], […]] matrix
        ],
        clock=fixed_clock(),
    )
    assert [a.verdict.verdict for a in run.answers] == ["correct"] * 4
    assert run.attempt is not None and run.attempt.suggested_rating == 4  # 1 s, first tries
    data = run.to_dict()
    assert data["card"] == "sigmoid-exercise" and data["seed"] == SEED
    assert "references" not in data
    assert [a["verdict"] for a in data["answers"]] == ["correct"] * 4


def test_yhat_minus_y_gets_the_specs_message(cards: Database) -> None:
    run = run_exercise(cards, "sigmoid-exercise", seed=SEED, answers=["delta2=yhat - y"])
    verdict = run.answers[0].verdict
    assert verdict.verdict == "incorrect"
    assert verdict.diagnosis == SAYS
    assert verdict.variant == "mistake"


def test_transposed_dw2_is_flagged_as_transposed(cards: Database) -> None:
    run = run_exercise(cards, "sigmoid-exercise", seed=SEED, answers=["dW2 = a1 @ delta2"])
    verdict = run.answers[0].verdict
    assert verdict.verdict == "shape_mismatch"
    assert verdict.message == "expected 1×2, got 2×1"
    assert verdict.variant == "transposed"


@pytest.mark.parametrize("text", ["__import__('os')", "().__class__", "lambda: 1", "a1.tolist()"])
def test_refused_answers_are_invalid_with_the_reason(cards: Database, text: str) -> None:
    run = run_exercise(cards, "sigmoid-exercise", seed=SEED, answers=[f"delta2={text}"])
    verdict = run.answers[0].verdict
    assert verdict.verdict == "invalid"
    assert verdict.diagnosis and verdict.diagnosis == verdict.message


def test_earlier_answers_are_the_learners_own_values(cards: Database) -> None:
    ref = references(cards)
    wrong = float(ref["delta2"].item()) * 3
    run = run_exercise(
        cards,
        "sigmoid-exercise",
        seed=SEED,
        # delta2 wrong: later expressions fall back to the reference for delta2
        answers=[f"delta2={wrong!r}", "dW2=delta2 @ a1.T"],
    )
    assert [a.verdict.verdict for a in run.answers] == ["incorrect", "correct"]


def test_the_attempt_is_stored_with_seed_answers_verdicts_and_rating(cards: Database) -> None:
    ref = references(cards)
    answers = [
        "delta2=yhat - y",
        "delta2=(yhat - y) * yhat * (1 - yhat)",
        "dW2=delta2 @ a1.T",
        f"delta1={matlab(ref['delta1'])}",
        "dW1=delta1 @ x.T",
    ]
    run = run_exercise(
        cards, "sigmoid-exercise", seed=SEED, answers=answers, clock=fixed_clock(5.0)
    )
    assert run.attempt_id is not None
    stored = cards.cards.get("sigmoid-exercise")
    assert stored is not None
    [attempt] = cards.exercises.attempts_for(stored.pk)
    assert attempt.seed == SEED
    assert attempt.answers["delta2"] == ["yhat - y", "(yhat - y) * yhat * (1 - yhat)"]
    assert attempt.verdicts == {
        "delta2": ["incorrect", "correct"],
        "dW2": ["correct"],
        "delta1": ["correct"],
        "dW1": ["correct"],
    }
    assert attempt.suggested_rating == 2  # a correction: Hard
    assert attempt.started_at == START and attempt.duration_ms == 5000
    [row] = run_sql(
        cards,
        "SELECT card_id, exercise_id, seed, suggested_rating, created_at FROM exercise_attempts",
    )
    assert row[:4] == (stored.pk, attempt.spec_id, SEED, 2)
    assert str(row[4]).startswith("2026-01-05 09:00:05")


def test_reveal_counts_against_the_rating(cards: Database) -> None:
    run = run_exercise(
        cards,
        "sigmoid-exercise",
        seed=SEED,
        answers=["delta2=(yhat - y) * yhat * (1 - yhat)"],
        reveal=True,
        clock=fixed_clock(),
    )
    assert run.attempt is not None
    assert run.attempt.revealed == ("dW2", "delta1", "dW1")
    assert run.attempt.suggested_rating == 1
    assert set(run.to_dict()["references"]) == {"delta2", "dW2", "delta1", "dW1"}


def test_no_answers_store_nothing(cards: Database) -> None:
    run = run_exercise(cards, "sigmoid-exercise", seed=SEED, reveal=True)
    assert run.attempt is None and run.attempt_id is None
    assert run_sql(cards, "SELECT count(*) FROM exercise_attempts") == [(0,)]


def test_bad_requests_are_errors_before_anything_is_stored(cards: Database) -> None:
    with pytest.raises(ExerciseRequestError, match="expected NAME=EXPR") as info:
        run_exercise(cards, "sigmoid-exercise", answers=["delta2"])
    assert info.value.usage
    with pytest.raises(ExerciseRequestError, match="no ask named 'dW3'") as info:
        run_exercise(cards, "sigmoid-exercise", answers=["delta2=yhat - y", "dW3=1"])
    assert info.value.usage
    with pytest.raises(ExerciseRequestError, match="no card with id 'nope'") as info:
        run_exercise(cards, "nope", answers=["delta2=1"])
    assert not info.value.usage
    assert run_sql(cards, "SELECT count(*) FROM exercise_attempts") == [(0,)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dW2=delta2 @ a1.T", ("dW2", "delta2 @ a1.T")),
        (" db1 = where(z1 <= 0, 0, 1) ", ("db1", "where(z1 <= 0, 0, 1)")),
    ],
)
def test_parse_answer_option(text: str, expected: tuple[str, str]) -> None:
    assert parse_answer_option(text) == expected


@pytest.mark.parametrize("text", ["delta2", "=1", "2x=1", "for=1", "delta2=  "])
def test_parse_answer_option_refuses(text: str) -> None:
    with pytest.raises(ExerciseRequestError) as info:
        parse_answer_option(text)
    assert info.value.usage


def test_attempts_for_is_newest_first(cards: Database) -> None:
    stored = cards.cards.get("sigmoid-exercise")
    assert stored is not None
    first = run_exercise(
        cards, "sigmoid-exercise", seed=1, answers=["delta2=0"], clock=fixed_clock(), save=False
    ).attempt
    assert first is not None
    later = run_exercise(
        cards,
        "sigmoid-exercise",
        seed=2,
        answers=["delta2=0"],
        clock=lambda: START + timedelta(days=1),
    ).attempt
    assert later is not None
    cards.exercises.record_attempt(stored.pk, first)
    assert [a.seed for a in cards.exercises.attempts_for(stored.pk)] == [2, 1]
