"""Fixtures for the exercise engine tests: small specs of our own under ``fixtures/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.exercises.instance import ExerciseInstance, new_instance
from quizapp.exercises.parsing import parse_spec
from quizapp.exercises.spec import ExerciseSpec

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> ExerciseSpec:
    """Parse ``fixtures/<name>.yaml``."""
    path = FIXTURES / f"{name}.yaml"
    return parse_spec(path.read_text(encoding="utf-8"), source=str(path))


@pytest.fixture(scope="session")
def sigmoid_spec() -> ExerciseSpec:
    return load("sigmoid-network")


@pytest.fixture(scope="session")
def sigmoid(sigmoid_spec: ExerciseSpec) -> ExerciseInstance:
    return new_instance(sigmoid_spec, seed=7)


@pytest.fixture(scope="session")
def batch() -> ExerciseInstance:
    return new_instance(load("batch-network"), seed=3)


@pytest.fixture(scope="session")
def forward() -> ExerciseInstance:
    return new_instance(load("forward-layer"), seed=5)


@pytest.fixture(scope="session")
def adam() -> ExerciseInstance:
    return new_instance(load("adam-step"), seed=11)


HOSTILE = FIXTURES / "hostile"


def load_hostile(name: str) -> str:
    """The YAML text of ``fixtures/hostile/<name>.yaml`` (the sandbox corpus's specs)."""
    return (HOSTILE / f"{name}.yaml").read_text(encoding="utf-8")


class SteppingClock:
    """A fake monotonic clock: every reading is ``step`` seconds after the previous one, so
    a deadline is reached after a known number of readings, on any machine."""

    def __init__(self, step: float) -> None:
        self.step = step
        self.now = 0.0
        self.readings = 0

    def __call__(self) -> float:
        self.readings += 1
        self.now += self.step
        return self.now


def frozen_clock() -> float:
    """A clock that never moves: takes the deadline out of a test of the other bounds."""
    return 0.0
