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
