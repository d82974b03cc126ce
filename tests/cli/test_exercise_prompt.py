"""``quizapp exercise CARD_ID`` without ``--answer`` (issue 17): ask by ask at a prompt,
with the one-shot form's verdicts, ``?`` hints (the idea, the step, then the card's step
without what names a later ask), ``!`` reveals, the suggested rating at the end, and
nothing stored when the learner leaves. Driven through click's CliRunner input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli
from quizapp.exercises import ExerciseAttempt
from quizapp.services.importer import import_paths
from quizapp.store.db import open_database
from quizapp.store.sqlite.card_repo import CardRepository
from quizapp.store.sqlite.exercise_repo import attempts_for

CARD = r"""# Square and Double

## Question
For $L = \sum x^2$ and $M = 2L$, find both gradients.

## Answer

### Gradients
Each square's slope grows with its argument.

$$\frac{\partial L}{\partial x} = 2x, \qquad \frac{\partial M}{\partial x} = 4x$$

### Try It Yourself

```exercise
title: Square and double
given:
  x: normal(2, 1)
compute:
  L: sum(x**2)
  M: 2 * L
ask:
  - name: dx
    prompt: "∂L/∂x (2×1)"
    answer: grad(L, x)
    step: "Gradients"
    hint: ["A square's slope grows with its argument.", "∂(x²)/∂x = 2x, entry by entry."]
    mistakes:
      - answer: x
        says: "You left out the factor 2 from the square's derivative."
  - name: dMx
    prompt: "∂M/∂x (2×1)"
    answer: grad(M, x)
    step: "Gradients"
    hint: ["M doubles L."]
```

## Tags
#Calculus
"""


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "square.md").write_text(CARD, encoding="utf-8")
    path = tmp_path / "quizapp.db"
    database = open_database(path, auto_backup=False)
    try:
        report = import_paths(database, [cards])
        assert report.ok and report.new == 1, report.errors
    finally:
        database.close()
    return path


def ask(db: Path, *lines: str, end: bool = True) -> Result:
    """Run the interactive command with ``lines`` typed (then the end of input)."""
    typed = "".join(f"{line}\n" for line in lines)
    return CliRunner().invoke(
        cli, ["--db", str(db), "exercise", "square", "--seed", "5"], input=typed
    )


def attempts(db: Path) -> list[ExerciseAttempt]:
    database = open_database(db, auto_backup=False)
    try:
        stored = CardRepository(database).get("square")
        assert stored is not None
        return attempts_for(database, stored.pk)
    finally:
        database.close()


def test_asks_one_by_one_with_the_same_verdicts_and_a_rating(db_path: Path) -> None:
    result = ask(db_path, "x", "2 * x", "2 * dx")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Given" in out and "x = ⎡" in out
    first, second = out.index("Ask 1 of 2: ∂L/∂x (2×1) = ?"), out.index("Ask 2 of 2:")
    assert first < out.index("dx> x\n  ✗ incorrect — You left out the factor 2") < second
    assert "dx> 2 * x\n  ✓ correct" in out
    # An answered ask is usable by name in the next one, and is listed among the names.
    assert "you can use: x, dx\n" in out
    assert "dMx> 2 * dx\n  ✓ correct" in out
    assert "Exercise done · 2 asks · 1 wrong try · 0 revealed" in out
    assert "Suggested rating: 2 Hard (attempt saved)" in out
    [attempt] = attempts(db_path)
    assert attempt.answers == {"dx": ["x", "2 * x"], "dMx": ["2 * dx"]}
    assert attempt.suggested_rating == 2


def test_question_mark_gives_hint_levels_then_the_current_asks_part_of_the_step(
    db_path: Path,
) -> None:
    result = ask(db_path, "?", "?", "?", "?", "2*x", "!")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "dx> ?\n  hint: A square's slope grows with its argument.  (? again: more)" in out
    assert "dx> ?\n  step: ∂(x²)/∂x = 2x, entry by entry.  (? again: more)" in out
    card_part = out[out.index("from the card: Gradients") : out.index("dx> 2*x")]
    assert "2x" in card_part and "4x" not in card_part  # ∂M/∂x is the next ask
    assert "  no more hints (! reveals the answer)" in card_part


def test_bang_reveals_and_the_rating_is_again(db_path: Path) -> None:
    result = ask(db_path, "!", "!")
    assert result.exit_code == 0, result.output
    assert "dx> !\n  dx (revealed) = ⎡" in result.stdout
    assert "2 asks · 0 wrong tries · 2 revealed" in result.stdout
    assert "Suggested rating: 1 Again (attempt saved)" in result.stdout
    [attempt] = attempts(db_path)
    assert attempt.revealed == ("dx", "dMx")


def test_a_refused_answer_is_printed_once_and_not_a_wrong_try(db_path: Path) -> None:
    result = ask(db_path, "2 * (x", "2*x", "4*x")
    assert result.exit_code == 0, result.output
    refusals = [line for line in result.stdout.splitlines() if "invalid" in line]
    assert len(refusals) == 1 and "(not counted as a wrong try)" in refusals[0]
    assert "0 wrong tries" in result.stdout


def test_the_end_of_input_leaves_and_stores_nothing(db_path: Path) -> None:
    result = ask(db_path, "2*x")
    assert result.exit_code == 0, result.output
    assert "Left the exercise before its last ask: nothing stored." in result.stdout
    assert attempts(db_path) == []


def test_the_one_shot_form_still_answers_without_asking(db_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["--db", str(db_path), "exercise", "square", "--seed", "5", "--answer", "dx=2*x"],
        input="",
    )
    assert result.exit_code == 0, result.output
    assert "dx> " not in result.stdout and "✓ dx = 2*x" in result.stdout
    assert len(attempts(db_path)) == 1


def test_an_unknown_card_fails_before_asking(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "exercise", "nope"], input="x\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("quizapp: error: no card with id 'nope'")
    assert result.stdout == ""
