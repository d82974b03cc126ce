"""Built-in exercises: loading a folder, matching a card's tags, and display."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from quizapp.exercises.builtin import builtin_for_tags, load_builtin_exercises
from quizapp.exercises.display import format_matrix
from quizapp.exercises.errors import ExerciseError

from .conftest import FIXTURES


def test_load_folder_sorted_and_tagged() -> None:
    specs = load_builtin_exercises(FIXTURES)
    assert [s.id for s in specs] == [
        "adam-step",
        "batch-network",
        "forward-layer",
        "sigmoid-network",
    ]
    assert load_builtin_exercises(FIXTURES / "missing") == []


def test_match_by_tags_case_insensitive() -> None:
    specs = load_builtin_exercises(FIXTURES)
    match = builtin_for_tags(specs, ["BACKPROPAGATION", "neural networks"])
    assert match is not None and match.id == "sigmoid-network"  # two tags beat one
    match = builtin_for_tags(specs, ["adam"])
    assert match is not None and match.id == "adam-step"
    assert builtin_for_tags(specs, ["statistics"]) is None
    assert builtin_for_tags(specs, []) is None


def test_broken_builtin_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "given:\n  x: normal(2, 1)\nask:\n  - {name: q, answer: y}\n"
    )
    with pytest.raises(ExerciseError) as info:
        load_builtin_exercises(tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'bad.yaml'}:4: ask `q`: unknown variable")


def test_spec_id_defaults_to_file_name(tmp_path: Path) -> None:
    (tmp_path / "my-drill.yaml").write_text("given: {x: 2}\nask: [{name: q, answer: x * 2}]\n")
    (spec,) = load_builtin_exercises(tmp_path)
    assert spec.id == "my-drill" and spec.title == "my-drill"


def test_format_matrix() -> None:
    assert format_matrix(np.array([[1.0, -2.5], [0.25, 10.0]])) == [
        "⎡ 1.0000  -2.5000 ⎤",
        "⎣ 0.2500  10.0000 ⎦",
        "2×2",
    ]
    assert format_matrix(np.array([[1.0], [2.0], [3.0]]))[1] == "⎢ 2.0000 ⎥"
    assert format_matrix(np.array([[0.5, 1.0]])) == ["[ 0.5000  1.0000 ]", "1×2"]
    assert format_matrix(np.array(0.125)) == ["0.1250", "scalar"]
    assert format_matrix(np.array([[1e-7, 2.0]]))[0] == "[ 1.000e-07  2.000e+00 ]"


def test_spec_for_card_prefers_its_own_block() -> None:
    from quizapp.cards.model import Card, ExerciseSource
    from quizapp.exercises.builtin import spec_for_card

    builtins = load_builtin_exercises(FIXTURES)
    own = ExerciseSource("given: {x: 2}\nask: [{name: q, answer: x * 2}]\n", line=40)
    card = Card(
        id="c",
        title="C",
        question="?",
        steps=(),
        tags=("Backpropagation",),
        exercises=(own,),
        source="cards/c.md",
    )
    spec = spec_for_card(card, builtins)
    assert spec is not None and spec.asks[0].name == "q" and spec.line == 40
    hashed = Card(id="d", title="D", question="?", steps=(), tags=("#Backpropagation",))
    match = spec_for_card(hashed, builtins)
    assert match is not None and "backpropagation" in {t.lower() for t in match.tags}
    assert spec_for_card(Card(id="g", title="G", question="?", steps=()), builtins) is None
    tagged = Card(
        id="e", title="E", question="?", steps=(), tags=("backpropagation", "Neural Networks")
    )
    match = spec_for_card(tagged, builtins)
    assert match is not None and match.id == "sigmoid-network"
    broken = ExerciseSource("given: {x: 2}\nask: [{name: q, answer: y}]\n", line=40)
    with pytest.raises(ExerciseError) as info:
        spec_for_card(
            Card(id="f", title="F", question="?", steps=(), exercises=(broken,)), builtins
        )
    assert info.value.line == 41


def test_small_entries_keep_four_significant_digits() -> None:
    """0.0012 showed two significant digits, and answers worked from it were 4 % off."""
    from quizapp.exercises.display import displayed

    assert format_matrix(np.array([[0.00123456, 0.0045]]))[0] == "[ 0.001235  0.004500 ]"
    assert format_matrix(np.array([[0.05, 1.5]]))[0] == "[ 0.05000  1.50000 ]"
    assert format_matrix(np.array([[-0.00004, 0.2]]))[0] == "[ -4.000e-05  2.000e-01 ]"
    assert format_matrix(np.array([[-0.00001, 0.0]]))[0] == "[ -1.000e-05  0.000e+00 ]"
    assert format_matrix(np.zeros((1, 2)))[0] == "[ 0.0000  0.0000 ]"
    np.testing.assert_array_equal(displayed(np.array([[0.00123456, 2.0]])), [[0.001235, 2.0]])


CONTENT = Path(__file__).resolve().parents[2] / "content"


def test_a_builtin_goes_only_to_cards_whose_subject_it_is() -> None:
    """autodiff-modes and vanishing-exploding-gradients are tagged Backpropagation, but a
    drill of the 2-2-1 network's backward pass is not their subject."""
    from quizapp.cards.model import Card
    from quizapp.cards.parser import parse_file
    from quizapp.exercises.builtin import spec_for_card

    builtins = load_builtin_exercises(CONTENT / "exercises")
    for name in ("autodiff-modes", "vanishing-exploding-gradients"):
        (card,) = parse_file(CONTENT / "deep-learning" / f"{name}.md", CONTENT).cards
        assert "backpropagation" in {t.casefold() for t in card.tags}
        assert not card.exercises
        assert spec_for_card(card, builtins) is None
    users = Card(
        id="notes/backprop-mlp",
        title="Backprop in a Small MLP",
        question="?",
        steps=(),
        tags=("#Backpropagation",),
    )
    match = spec_for_card(users, builtins)
    assert match is not None and match.id == "sigmoid-network"
    by_id = Card(
        id="dl/backprop",
        title="Chain rule drill",
        question="?",
        steps=(),
        tags=("Backpropagation",),
    )
    assert spec_for_card(by_id, builtins) is not None
    # tags alone, with no title to check against, still find it
    assert builtin_for_tags(builtins, ["Backpropagation"]) is not None


def test_has_exercise_applies_the_same_subject_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.cards.model import Card
    from quizapp.services import exercises as service

    monkeypatch.setattr(service, "builtin_folder", lambda: CONTENT / "exercises")
    autodiff = Card(
        id="deep-learning/autodiff-modes",
        title="Forward-Mode vs Reverse-Mode",
        question="?",
        steps=(),
        tags=("Backpropagation",),
    )
    mine = Card(
        id="mine",
        title="Backpropagation by hand",
        question="?",
        steps=(),
        tags=("Backpropagation",),
    )
    assert not service.has_exercise(autodiff)
    assert service.has_exercise(mine)
