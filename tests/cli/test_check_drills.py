"""``quizapp check`` reports how many formulas can be drilled, and why the others cannot."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli import cli

FIXTURE = Path(__file__).resolve().parents[1] / "drills" / "fixtures" / "two-layer-tanh.md"


def _folder(tmp_path: Path) -> Path:
    cards = tmp_path / "cards"
    cards.mkdir()
    shutil.copy(FIXTURE, cards / "two-layer-tanh.md")
    return cards


def test_check_counts_the_drills(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(_folder(tmp_path))])
    assert result.exit_code == 0, result.output
    assert (
        "Drills: 13 of 15 formulas can be drilled (87%; 13 drills); "
        "--verbose says why the others cannot"
    ) in result.output
    assert "formula 14" not in result.output


def test_check_verbose_says_why(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--verbose", str(_folder(tmp_path))])
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert any(
        line.endswith('card "two-layer-tanh": formula 14: not an equation `lhs = rhs`')
        for line in lines
    )
    assert any(line.endswith("formula 15: marked % no-drill") for line in lines)


def test_check_json_has_the_drills(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--json", str(_folder(tmp_path))])
    assert result.exit_code == 0, result.output
    drills = json.loads(result.stdout)["drills"]
    assert (drills["formulas"], drills["drilled"], drills["drills"]) == (15, 13, 13)
    assert [item["reason"] for item in drills["skipped"]] == [
        "not an equation `lhs = rhs`",
        "marked % no-drill",
    ]


def test_check_counts_the_drills_of_an_anki_package(tmp_path: Path) -> None:
    pytest.importorskip("anki")
    from interop.anki.packages import add, export, new_collection

    built = new_collection(tmp_path / "anki")
    back = "Slope: \\[\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))\\] and \\[e = mc\\]"
    add(built, "one", "Basic", {"Front": "Sigmoid slope?", "Back": back}, deck="Maths")
    package = export(built, tmp_path / "maths.apkg")
    built.col.close()
    result = CliRunner().invoke(cli, ["check", "--json", str(package)])
    assert result.exit_code == 0, result.output
    drills = json.loads(result.stdout)["drills"]
    assert (drills["formulas"], drills["drilled"]) == (2, 2)
