"""The reference example in docs/card-format.md parses as the page says it does."""

from __future__ import annotations

import re
from pathlib import Path

from quizapp.cards import parse_text

from .helpers import card_source

DOC = Path(__file__).resolve().parents[2] / "docs" / "card-format.md"


def test_reference_example_gives_the_documented_steps() -> None:
    example = re.search(r"```markdown\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.S)
    assert example is not None
    parsed = parse_text(example.group(1), path="softmax.md")
    assert parsed.errors == [] and parsed.warnings == []
    card = parsed.cards[0]
    assert [step.title for step in card.steps] == [
        "Answer",
        "Setup",
        "Derivation › Loss",
        "Derivation › Gradient",
        "Why It Matters",
    ]
    assert card.tags == ("DeepLearning", "ml/losses", "Softmax")
    assert card.difficulty == "medium"
    assert card.related == ("What is the Jacobian of softmax?", "log-sum-exp")


def test_dollar_amounts_are_not_formulas() -> None:
    # Read as a formula, the text between the dollars would break the 2,000 character limit.
    question = "It costs $5 " + "and more " * 300 + "up to $10 in all?"
    parsed = parse_text(card_source(question=question))
    assert parsed.errors == []
    assert parsed.cards[0].question == question
