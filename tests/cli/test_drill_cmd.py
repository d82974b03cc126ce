"""``quizapp drill``: a card's formulas listed, one answer checked in LaTeX or the exercise
language, the JSON shape, and one-line errors with their exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli
from quizapp.services.importer import import_paths
from quizapp.store.db import open_database

FIXTURE = Path(__file__).resolve().parents[1] / "drills" / "fixtures" / "two-layer-tanh.md"
CARD = "two-layer-tanh"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    cards = tmp_path / "cards"
    cards.mkdir()
    shutil.copy(FIXTURE, cards / "two-layer-tanh.md")
    (cards / "plain.md").write_text(
        "# No Formulas\n\n## Question\nWhy?\n\n## Answer\nBecause.\n", encoding="utf-8"
    )
    path = tmp_path / "quizapp.db"
    database = open_database(path, auto_backup=False)
    try:
        assert import_paths(database, [cards]).new == 2
    finally:
        database.close()
    return path


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "drill", *args])


def as_json(db: Path, *args: str) -> dict[str, Any]:
    result = run(db, *args, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_the_drills_are_listed(db_path: Path) -> None:
    result = run(db_path, CARD)
    assert result.exit_code == 0, result.output
    assert "[1]  h⁽¹⁾ = ?" in result.output  # drawn as math, not LaTeX
    assert "[13]" in result.output
    # The names to type, drawn beside them only where the two differ.
    assert "symbols: U1 = U⁽¹⁾, v, c1 = c⁽¹⁾" in result.output
    assert "symbols: that = t̂, t\n" in result.output
    assert "\\" not in result.output and "^{" not in result.output
    listed = as_json(db_path, CARD)
    assert [d["formula"] for d in listed["drills"]] == list(range(1, 14))


@pytest.mark.parametrize(
    "answer",
    [
        r"(\hat t - t) \sigma(h^{[2]})(1 - \sigma(h^{[2]}))",
        "(that - t) * sigmoid(h2) * (1 - sigmoid(h2))",
    ],
)
def test_a_right_answer_in_either_syntax(db_path: Path, answer: str) -> None:
    data = as_json(db_path, CARD, "--formula", "7", "--answer", answer)
    assert data["verdict"] == "correct"
    assert data["diagnosis"] is None
    assert data["formula"] == 7
    assert data["points_checked"] >= 8
    assert set(data) >= {"verdict", "diagnosis", "formula", "points_checked"}


def test_a_wrong_answer_is_diagnosed(db_path: Path) -> None:
    data = as_json(db_path, CARD, "--formula", "8", "--answer", r"\varepsilon^{[2]} g^{[1]}")
    assert data["verdict"] == "incorrect"
    assert data["diagnosis"] == "A transpose is missing."
    text = run(db_path, CARD, "--formula", "8", "--answer", "-epsilon2 @ g1.T")
    assert text.exit_code == 0
    assert "✗ incorrect — The sign is flipped." in text.output


def test_unreadable_latex_is_an_invalid_verdict(db_path: Path) -> None:
    data = as_json(db_path, CARD, "--formula", "1", "--answer", r"U^{[1]} v + \frac{c")
    assert data["verdict"] == "invalid"
    assert data["message"].startswith("cannot read `")
    assert "at column" in data["message"]


def test_reveal_prints_the_formula(db_path: Path) -> None:
    data = as_json(db_path, CARD, "--formula", "2", "--reveal")
    assert data["reference"] == r"\tanh(h^{[1]})"
    assert data["equation"] == r"g^{[1]} = \tanh(h^{[1]})"
    result = run(db_path, CARD, "--formula", "6", "--reveal")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # Drawn as display math (a stacked fraction), then the LaTeX source, labelled.
    drawn = lines[lines.index("  answer:") + 1 :]
    assert [line.strip() for line in drawn[:3]] == ["∂E", "── = t̂ - t", "∂t̂"]
    assert r"  LaTeX: \frac{\partial E}{\partial \hat{t}} = \hat{t} - t" in lines


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("nope",), 1, "quizapp: error: no card with id 'nope'"),
        (("plain",), 1, "quizapp: error: card 'plain' has no formula drills"),
        ((CARD, "--formula", "14", "--answer", "x"), 2, "--formula 14 is out of range"),
        ((CARD, "--formula", "0"), 2, "Invalid value for '--formula'"),
    ],
)
def test_errors_are_one_line(db_path: Path, args: tuple[str, ...], code: int, message: str) -> None:
    result = run(db_path, *args)
    assert result.exit_code == code
    assert message in result.output


def test_on_a_terminal_it_asks_until_right_and_suggests_a_rating(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.cli import drill_cmd

    monkeypatch.setattr(drill_cmd, "_on_a_terminal", lambda: True)
    typed = "-\\tanh(h^{[1]})\n\\frac{a}{\n\\tanh(h^{[1]})\n"
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "drill", CARD, "--formula", "2"], input=typed
    )
    assert result.exit_code == 0, result.output
    assert "✗ incorrect — The sign is flipped." in result.output
    assert "✗ invalid: cannot read `{` at column 9" in result.output
    assert "✓ correct" in result.output
    assert "Suggested rating: 2 Hard" in result.output  # one wrong try; the typo is not one


def test_on_a_terminal_an_empty_answer_reveals(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.cli import drill_cmd

    monkeypatch.setattr(drill_cmd, "_on_a_terminal", lambda: True)
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "drill", CARD, "--formula", "2"], input="\n"
    )
    assert result.exit_code == 0, result.output
    assert "    g⁽¹⁾ = tanh(h⁽¹⁾)\n  LaTeX: g^{[1]} = \\tanh(h^{[1]})\n" in result.output
    assert "Suggested rating: 1 Again" in result.output
