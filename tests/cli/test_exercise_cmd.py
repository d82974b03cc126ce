"""``quizapp exercise``: the issue's 2-2-1 sigmoid example imported and run through the CLI,
with references taken from ``--reveal`` at the same seed; verdicts, diagnoses, the stored
attempt, built-ins by tag, and one-line errors with their exit codes; ``--db`` a SQLite file
or a PostgreSQL URL (``backend_url``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli
from quizapp.services import exercises as service
from quizapp.services.importer import import_paths
from quizapp.store.db import open_database

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "exercise"
CARD = "sigmoid-exercise"
SEED = "11"
SAYS = "You left out σ′(z⁽²⁾), the sigmoid's derivative."


@pytest.fixture(autouse=True)
def fixture_builtins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(service, "builtin_folder", lambda: FIXTURES / "builtins")
    yield


@pytest.fixture
def db_path(backend_url: str) -> str:
    path = backend_url
    database = open_database(path, auto_backup=False)
    try:
        assert import_paths(database, [FIXTURES / "cards"]).new == 3
    finally:
        database.close()
    return path


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db, "exercise", *args])


def as_json(db: str, *args: str) -> dict[str, Any]:
    result = run(db, *args, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def number(value: Any) -> str:
    """A 1×1 reference from the JSON as a plain number."""
    while isinstance(value, list):
        [value] = value
    return repr(float(value))


def matlab(value: list[list[float]]) -> str:
    return "; ".join(" ".join(repr(v) for v in row) for row in value)


def stored_attempts(db: str, card_id: str = CARD) -> list[Any]:
    database = open_database(db, auto_backup=False)
    try:
        stored = database.cards.get(card_id)
        assert stored is not None
        return list(database.exercises.attempts_for(stored.pk))
    finally:
        database.close()


def test_prints_the_instance_with_shapes_and_asks(db_path: str) -> None:
    result = run(db_path, CARD, "--seed", SEED, "--print")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Backprop through a 2-2-1 sigmoid network" in out
    assert f"seed {SEED}" in out
    assert "W1 = ⎡" in out and "2×2" in out  # aligned matrix with its shape
    assert "L    = " in out and "scalar" in out
    assert "1. delta2: δ⁽²⁾ = ∂L/∂z⁽²⁾" in out
    assert "References" not in out
    assert stored_attempts(db_path) == []


def test_json_without_answers(db_path: str) -> None:
    data = as_json(db_path, CARD, "--seed", SEED)
    assert data["card"] == CARD
    assert data["exercise"]["title"] == "Backprop through a 2-2-1 sigmoid network"
    assert data["seed"] == int(SEED)
    assert set(data["given"]) == {"x", "y", "W1", "b1", "W2", "b2"}
    assert list(data["shown"]) == ["z1", "a1", "z2", "yhat", "L"]
    assert [(a["name"], a["prompt"]) for a in data["asks"]][:2] == [
        ("delta2", "δ⁽²⁾ = ∂L/∂z⁽²⁾"),
        ("dW2", "∂L/∂W⁽²⁾"),
    ]
    assert data["answers"] == [] and data["suggested_rating"] is None
    assert "references" not in data
    assert as_json(db_path, CARD, "--seed", SEED) == data  # the seed replays the instance


def test_correct_numeric_matrix_and_expression_answers_from_reveal(db_path: str) -> None:
    ref = as_json(db_path, CARD, "--seed", SEED, "--reveal")["references"]
    data = as_json(
        db_path,
        CARD,
        "--seed",
        SEED,
        "--answer",
        f"delta2={number(ref['delta2'])}",
        "--answer",
        f"dW2={matlab(ref['dW2'])}",
        "--answer",
        "delta1=(W2.T @ delta2) * a1 * (1 - a1)",
        "--answer",
        f"dW1={json.dumps(ref['dW1'])}",
    )
    assert [a["verdict"] for a in data["answers"]] == ["correct"] * 4
    assert [a["diagnosis"] for a in data["answers"]] == [None] * 4
    assert data["suggested_rating"] in (3, 4)  # right at the first try: Good or Easy
    [attempt] = stored_attempts(db_path)
    assert attempt.seed == int(SEED)
    assert attempt.verdicts == {k: ["correct"] for k in ("delta2", "dW2", "delta1", "dW1")}
    assert attempt.suggested_rating == data["suggested_rating"]


def test_yhat_minus_y_is_flagged_with_the_specs_message(db_path: str) -> None:
    data = as_json(db_path, CARD, "--seed", SEED, "--answer", "delta2=yhat - y")
    [answer] = data["answers"]
    assert answer["verdict"] == "incorrect"
    assert answer["diagnosis"] == SAYS
    assert data["suggested_rating"] == 1  # never answered correctly
    text = run(db_path, CARD, "--seed", SEED, "--answer", "delta2=yhat - y").stdout
    assert f"✗ delta2 = yhat - y: incorrect — {SAYS}" in text


def test_transposed_dw2_is_flagged_as_transposed(db_path: str) -> None:
    ref = as_json(db_path, CARD, "--seed", SEED, "--reveal")["references"]
    transposed = matlab([[v] for v in ref["dW2"][0]])  # the 2×1 column
    for text in ("a1 @ delta2", transposed):
        data = as_json(db_path, CARD, "--seed", SEED, "--answer", f"dW2={text}")
        [answer] = data["answers"]
        assert answer["verdict"] == "shape_mismatch"
        assert answer["message"] == "expected 1×2, got 2×1"
        assert answer["variant"] == "transposed"
        assert "transpose" in answer["diagnosis"]


@pytest.mark.parametrize("text", ["__import__('os')", "().__class__", "lambda: 1"])
def test_refused_answers_are_invalid_not_tracebacks(db_path: str, text: str) -> None:
    data = as_json(db_path, CARD, "--seed", SEED, "--answer", f"delta2={text}")
    [answer] = data["answers"]
    assert answer["verdict"] == "invalid"
    assert answer["diagnosis"]
    result = run(db_path, CARD, "--seed", SEED, "--answer", f"delta2={text}")
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "✗ delta2 = " in result.stdout and ": invalid: " in result.stdout


def test_correction_then_reveal_are_stored(db_path: str) -> None:
    data = as_json(
        db_path,
        CARD,
        "--seed",
        SEED,
        "--answer",
        "delta2=yhat - y",
        "--answer",
        "delta2=(yhat - y) * yhat * (1 - yhat)",
        "--reveal",
    )
    assert [a["verdict"] for a in data["answers"]] == ["incorrect", "correct"]
    assert set(data["references"]) == {"delta2", "dW2", "delta1", "dW1"}
    assert data["suggested_rating"] == 1  # the other asks were revealed
    [attempt] = stored_attempts(db_path)
    assert attempt.revealed == ("dW2", "delta1", "dW1")
    assert attempt.answers["delta2"] == ["yhat - y", "(yhat - y) * yhat * (1 - yhat)"]


def test_card_without_block_gets_the_builtin_by_tags(db_path: str) -> None:
    data = as_json(db_path, "chain-rule", "--seed", "3", "--answer", "db1=delta2")
    assert data["exercise"]["id"] == "fixture-sigmoid-221"
    assert [a["name"] for a in data["asks"]] == ["delta2", "db1"]
    assert data["answers"][0]["verdict"] == "shape_mismatch"  # 1×1 for a 2×1
    assert len(stored_attempts(db_path, "chain-rule")) == 1


def one_line_error(result: Result, code: int, *needles: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("quizapp: error: ")
    for needle in needles:
        assert needle in line


@pytest.mark.parametrize(
    ("args", "code", "needles"),
    [
        (("nope",), 1, ("no card with id 'nope'",)),
        (("bias-variance",), 1, ("has no exercise", "Statistics")),
        ((CARD, "--answer", "delta2"), 2, ("expected NAME=EXPR",)),
        (
            (CARD, "--answer", "delta2=1", "--answer", "dW3=1"),
            2,
            ("no ask named 'dW3'", "delta2, dW2"),
        ),
        ((CARD, "--seed", "-1"), 2, ()),
    ],
)
def test_errors_are_one_line_with_exit_codes(
    db_path: str, args: tuple[str, ...], code: int, needles: tuple[str, ...]
) -> None:
    result = run(db_path, *args)
    if code == 2 and not needles:  # click's own usage errors print usage lines too
        assert result.exit_code == 2 and "Traceback" not in result.output
    else:
        one_line_error(result, code, *needles)
    assert stored_attempts(db_path) == []
