"""Small builders for card sources used across the card tests."""

from __future__ import annotations

from quizapp.cards import Card, parse_text
from quizapp.cards.model import ParsedFile


def only_card(
    text: str, *, path: str = "<string>", default_id: str = "", deck: str = "default"
) -> Card:
    """Parse ``text`` and return its single card, failing on any error."""
    parsed = parse_text(text, path=path, default_id=default_id, deck=deck)
    assert parsed.errors == [], [str(problem) for problem in parsed.errors]
    assert len(parsed.cards) == 1
    return parsed.cards[0]


def messages(parsed: ParsedFile) -> list[str]:
    """Every problem of a parse as ``file:line: message`` text, errors first."""
    return [str(problem) for problem in (*parsed.errors, *parsed.warnings)]


def card_source(
    title: str = "Softmax Gradient",
    question: str = "What is the Jacobian of softmax?",
    answer: str = "### Result\nIt is $\\operatorname{diag}(s) - s s^\\top$.",
    tail: str = "## Tags\n#ml\n\n## Difficulty\nMedium\n",
) -> str:
    """A small, valid card with replaceable parts."""
    return f"# {title}\n\n## Question\n{question}\n\n## Answer\n{answer}\n\n{tail}"
