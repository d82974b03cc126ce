"""The reference layout: a card shaped like the real user's comes out exactly as designed."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cards import Card, parse_file
from quizapp.cards.model import CardKind, ParsedFile

EXPECTED_STEPS = [
    ("Overview",),
    ("Key Insight",),
    ("Forward Pass",),
    ("Backward Pass", "Output Layer"),
    ("Backward Pass", "Hidden Layer"),
    ("General Formulas",),
    ("PyTorch Implementation",),
    ("Vanishing/Exploding Gradients",),
    ("Key Takeaways",),
]


@pytest.fixture
def parsed(fixtures: Path) -> ParsedFile:
    return parse_file(fixtures / "reference-like.md", fixtures)


@pytest.fixture
def card(parsed: ParsedFile) -> Card:
    assert parsed.errors == []
    assert len(parsed.cards) == 1
    return parsed.cards[0]


def test_file_parses_without_problems(parsed: ParsedFile) -> None:
    assert parsed.ok
    assert parsed.warnings == []
    assert parsed.repaired == 1


def test_title_and_question(card: Card) -> None:
    assert card.title == "Backpropagation Through a Small Network"
    assert card.question == (
        "Derive the gradients a two-layer network needs for one step of gradient descent, "
        "and say why the method is efficient."
    )


def test_nine_steps_in_order_with_heading_paths(card: Card) -> None:
    assert [step.path for step in card.steps] == EXPECTED_STEPS
    assert card.steps[3].title == "Backward Pass › Output Layer"


def test_step_text_is_the_markdown_source_between_headings(card: Card) -> None:
    overview = card.steps[0]
    assert overview.text == (
        "Gradients flow from the loss back to every weight by repeated use of the chain "
        "rule, reusing what the forward pass stored."
    )
    assert overview.line == 8
    forward = card.steps[2].text
    assert forward.startswith("A network with one hidden layer, written layer by layer:\n\n$$h =")
    assert forward.endswith(r"$$E = \tfrac{1}{2}\lVert p - t \rVert^2$$")
    assert card.steps[6].text.startswith("```python\n")
    assert card.steps[6].text.endswith("```")


def test_hash_lines_inside_code_do_not_start_sections(card: Card) -> None:
    code = card.steps[6].text
    assert "# two layers, sigmoid after each" in code
    assert "## not a heading: this line is inside the code block" in code


def test_mojibake_is_repaired_and_correct_unicode_kept(card: Card) -> None:
    vanishing = card.steps[7].text
    assert "multiply together → the first layers" in vanishing
    assert "â" not in vanishing
    assert "⊙ σ′(h)" in card.steps[4].text


def test_metadata_sections(card: Card) -> None:
    assert card.tags == ("DeepLearning", "Backpropagation", "ChainRule", "NeuralNetworks")
    assert card.difficulty == "hard"
    assert card.related == (
        "Why do gradients vanish in deep sigmoid networks?",
        "Automatic differentiation",
    )


def test_identity_and_deck_come_from_the_path(card: Card) -> None:
    assert card.id == "reference-like"
    assert card.deck == "fixtures"
    assert card.source == "reference-like.md"
    assert card.line == 1
    assert len(card.content_hash) == 64


def test_metadata_is_not_part_of_the_last_step(card: Card) -> None:
    takeaways = card.steps[-1].text
    assert takeaways.endswith("3. **Frameworks do it for you** (autograd)")
    assert "#DeepLearning" not in takeaways


def test_native_cards_are_basic_and_keep_their_hash_across_the_format_seam(card: Card) -> None:
    # The hash the parser gave this card before formats had a registry and cards a kind:
    # stored cards must not all look edited after an upgrade.
    assert card.content_hash == "f46551533a6b9c10e6df9745db10375142b3518553abc81162bd8232e8cb5a3d"
    assert (card.kind, card.note, card.format) == (CardKind.BASIC, "", "native")
