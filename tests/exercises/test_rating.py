"""Outcome → rating rules, the session state machine, and attempts as JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.exercises.attempt import ExerciseAttempt, ExerciseSession
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.instance import ExerciseInstance
from quizapp.exercises.rating import (
    AGAIN,
    EASY,
    EASY_SECONDS_PER_ASK,
    GOOD,
    HARD,
    AskOutcome,
    suggest_rating,
)

RIGHT = AskOutcome("a", wrong=0, correct=True)
CORRECTED = AskOutcome("b", wrong=2, correct=True)
REVEALED = AskOutcome("c", wrong=1, correct=False, revealed=True)
UNFINISHED = AskOutcome("d", wrong=1, correct=False)


@pytest.mark.parametrize(
    ("outcomes", "seconds", "rating"),
    [
        ([RIGHT, RIGHT], 2 * EASY_SECONDS_PER_ASK, EASY),
        ([RIGHT, RIGHT], 2 * EASY_SECONDS_PER_ASK + 1, GOOD),
        ([RIGHT, CORRECTED], 10, HARD),
        ([RIGHT, REVEALED], 10, AGAIN),
        ([CORRECTED, REVEALED], 10, AGAIN),
        ([RIGHT, UNFINISHED], 10, AGAIN),
        ([], 0, AGAIN),
    ],
)
def test_rating_rules(outcomes: list[AskOutcome], seconds: float, rating: int) -> None:
    assert suggest_rating(outcomes, seconds) == rating


def test_outcome_from_verdicts() -> None:
    assert AskOutcome.from_verdicts("a", ["correct"]) == AskOutcome("a", 0, True)
    # invalid answers are typos, not corrections
    assert AskOutcome.from_verdicts("a", ["invalid", "correct"]) == AskOutcome("a", 0, True)
    assert AskOutcome.from_verdicts("a", ["incorrect", "shape_mismatch", "correct"]) == (
        AskOutcome("a", 2, True)
    )
    assert AskOutcome.from_verdicts("a", ["incorrect"], revealed=True) == (
        AskOutcome("a", 1, False, True)
    )


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _answer_all(session: ExerciseSession) -> None:
    for ask in session.instance.asks:
        ref = session.instance.references[ask.name]
        text = "; ".join(" ".join(f"{v:.8f}" for v in row) for row in ref.reshape(ref.shape[0], -1))
        assert session.answer(ask.name, text).correct


def test_session_fast_and_right_is_easy(sigmoid: ExerciseInstance) -> None:
    clock = FakeClock()
    session = ExerciseSession(sigmoid, clock=clock)
    assert session.current is not None and session.current.name == "delta2"
    _answer_all(session)
    clock.now += timedelta(seconds=20)
    assert session.done
    attempt = session.finish()
    assert attempt.suggested_rating == EASY
    assert attempt.duration_ms == 20_000
    assert attempt.seed == 7 and attempt.spec_id == "sigmoid-network"


def test_session_with_correction_and_reveal(sigmoid: ExerciseInstance) -> None:
    clock = FakeClock()
    session = ExerciseSession(sigmoid, clock=clock)
    assert session.answer("delta2", "yhat - y").verdict == "incorrect"
    assert session.answer("delta2", "(yhat - y) * yhat * (1 - yhat)").correct
    assert session.answer("dW2", "delta2 @ a1.T").correct  # uses the learner's own delta2
    clock.now += timedelta(minutes=10)
    unfinished = session.finish()
    assert unfinished.suggested_rating == AGAIN  # delta1 and dW1 are not done yet
    session.reveal("delta1")
    assert session.answer("dW1", "delta1 @ x.T").correct
    attempt = session.finish()
    assert attempt.suggested_rating == AGAIN
    assert attempt.revealed == ("delta1",)
    assert attempt.answers["delta2"] == ["yhat - y", "(yhat - y) * yhat * (1 - yhat)"]
    assert attempt.verdicts["delta2"] == ["incorrect", "correct"]


def test_session_with_correction_only_is_hard(sigmoid: ExerciseInstance) -> None:
    session = ExerciseSession(sigmoid, clock=FakeClock())
    assert session.answer("delta2", "yhat - y").verdict == "incorrect"
    _answer_all(session)
    assert session.finish().suggested_rating == HARD


def test_attempt_round_trips_through_json(sigmoid: ExerciseInstance) -> None:
    clock = FakeClock()
    session = ExerciseSession(sigmoid, clock=clock)
    session.answer("delta2", "0")
    _answer_all(session)
    clock.now += timedelta(seconds=500)
    attempt = session.finish().with_rating(GOOD)
    data = json.loads(json.dumps(attempt.to_dict()))
    assert ExerciseAttempt.from_dict(data) == attempt
    assert [o.wrong for o in ExerciseAttempt.from_dict(data).outcomes()] == [1, 0, 0, 0]


def test_attempt_errors() -> None:
    with pytest.raises(ExerciseError, match="malformed exercise attempt"):
        ExerciseAttempt.from_dict({"spec_id": "x"})
    attempt = ExerciseAttempt("x", "X", 1, {}, {}, (), datetime(2026, 1, 1, tzinfo=UTC), 0, 1)
    with pytest.raises(ExerciseError, match="rating must be 1 to 4"):
        attempt.with_rating(5)
