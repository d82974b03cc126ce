"""Question-and-answer notes: labelled pairs in their common spellings, bold questions,
list questions answered under them, tags and markers, what the format claims, and edits
that keep a card's history.

The notes are written for these tests in the layouts study notes commonly use; none is
taken from anyone's notes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cards import parse_text
from quizapp.cards.model import CardKind, ParsedFile
from quizapp.store.db import Database

from .history import counts, history, review, run, write


def parse(text: str, path: str = "ml.md") -> ParsedFile:
    parsed = parse_text(text, path=path, default_id=path.removesuffix(".md"), deck="notes")
    assert parsed.format == "qa_pairs", parsed.skipped or parsed.format
    assert parsed.errors == [], [str(problem) for problem in parsed.errors]
    return parsed


def sides(parsed: ParsedFile) -> list[tuple[str, str]]:
    return [(card.question, "\n".join(step.text for step in card.steps)) for card in parsed.cards]


PAIRS = [("What is overfitting?", "Fitting noise."), ("What is dropout?", "Random zeroing.")]


@pytest.mark.parametrize(
    "text",
    [
        "**Q: What is overfitting?**\nA: Fitting noise.\n\n"
        "**Q: What is dropout?**\nA: Random zeroing.\n",
        "**Q:** What is overfitting?\n**A:** Fitting noise.\n\n"
        "**Q:** What is dropout?\n**A:** Random zeroing.\n",
        "Q. What is overfitting?\nAns: Fitting noise.\n\n"
        "Q. What is dropout?\nAns: Random zeroing.\n",
        "Question: What is overfitting?\nAnswer: Fitting noise.\n\n"
        "Question: What is dropout?\nAnswer: Random zeroing.\n",
        "Q1: What is overfitting?\nA1: Fitting noise.\n\n"
        "Q2) What is dropout?\nA2) Random zeroing.\n",
        "**Q1**: What is overfitting?\n**A1**: Fitting noise.\n\n"
        "**Question 2.** What is dropout?\n**Answer.** Random zeroing.\n",
        "1. **What is overfitting?**\n\nFitting noise.\n\n"
        "2. **What is dropout?**\n\nRandom zeroing.\n",
        "**What is overfitting?**\n\nFitting noise.\n\n**What is dropout?**\nRandom zeroing.\n",
        "- **What is overfitting?** Fitting noise.\n- **What is dropout?** Random zeroing.\n",
        "1. What is overfitting?\n   - Fitting noise.\n2. What is dropout?\n   - Random zeroing.\n",
    ],
    ids=["bold-q", "bold-labels", "q-dot-ans", "question-answer", "numbered", "bold-outside",
         "bold-numbered", "bold", "bold-items", "nested-items"],
)  # fmt: skip
def test_every_common_spelling_reads_the_same_cards(text: str) -> None:
    parsed = parse(text)
    assert sides(parsed) == PAIRS
    assert [card.kind for card in parsed.cards] == [CardKind.BASIC, CardKind.BASIC]


def test_answers_run_to_the_next_question_or_heading_and_keep_their_markdown() -> None:
    text = (
        "# ML notes\n\n## Optimisation\n\n"
        "**Q: Why warm up the learning rate?** [M]\n"
        "A: Early Adam steps use poor second-moment estimates:\n\n"
        "$$\n\\hat v_t = v_t / (1 - \\beta_2^t)\n$$\n\n"
        "- so the first steps overshoot\n\n"
        "```python\nsched = warmup(steps=1000)\n```\n\n"
        "## Regularisation\n\n"
        "**Q: What does weight decay add?**\n"
        "A: An L2 penalty.\n"
    )
    parsed = parse(text)
    assert sides(parsed) == [
        (
            "Why warm up the learning rate?",
            "Early Adam steps use poor second-moment estimates:\n\n"
            "$$\n\\hat v_t = v_t / (1 - \\beta_2^t)\n$$\n\n- so the first steps overshoot\n\n"
            "```python\nsched = warmup(steps=1000)\n```",
        ),
        ("What does weight decay add?", "An L2 penalty."),
    ]
    assert [(card.tags, card.difficulty, card.line) for card in parsed.cards] == [
        (("Optimisation",), "medium", 5),
        (("Regularisation",), None, 20),
    ]


def test_a_labelled_question_runs_over_lines_until_its_answer_label() -> None:
    text = (
        "Question: Given logits $z$,\nwhat does softmax return?\nAnswer: Probabilities.\n\n"
        "Question: And its gradient?\nAnswer: $s_i(\\delta_{ij} - s_j)$\n"
    )
    assert sides(parse(text))[0] == (
        "Given logits $z$, what does softmax return?",
        "Probabilities.",
    )


def test_a_question_without_answer_is_left_out_with_a_warning_unless_asked_for() -> None:
    text = (
        "**What is a GAN?**\n\nTwo networks.\n\n**What is a VAE?**\n\nAn autoencoder.\n\n"
        "**What is a flow?**\n"
    )
    parsed = parse(text)
    assert [card.question for card in parsed.cards] == ["What is a GAN?", "What is a VAE?"]
    assert [problem.line for problem in parsed.warnings] == [9]
    opted = parse("---\nquizapp-question-only: true\n---\n" + text)
    assert [card.kind for card in opted.cards][-1] is CardKind.QUESTION_ONLY


def test_callouts_that_ask_and_hide_their_answer_are_cards() -> None:
    text = (
        "## Attention\n\n"
        "> [!question]- Why scale the logits by $1/\\sqrt{d_k}$?\n"
        "> Their variance grows with $d_k$.\n>\n> - softmax would saturate\n\n"
        "> [!faq] Explain grouped-query attention.\n> Heads share keys in groups.\n\n"
        "> [!example]+ What does a causal mask hide?\n> Later positions.\n\n"
        "> [!tip] Why does this not count?\n> It neither folds nor is a question type.\n\n"
        "> [!question] Question 4\n> A label asks nothing.\n"
    )
    parsed = parse(text)
    assert sides(parsed) == [
        (
            "Why scale the logits by $1/\\sqrt{d_k}$?",
            "Their variance grows with $d_k$.\n\n- softmax would saturate",
        ),
        ("Explain grouped-query attention.", "Heads share keys in groups."),
        ("What does a causal mask hide?", "Later positions."),
    ]
    first = parsed.cards[0]
    assert (first.tags, first.line, first.steps[0].line) == (("Attention",), 3, 4)
    # One folded question is clearly meant, as one labelled pair is.
    one = "> [!question]- What is a GAN?\n> Two networks.\n"
    assert parse_text(one, path="n.md").format == "qa_pairs"


def test_a_callout_inside_an_answer_stays_in_it() -> None:
    text = (
        "**What is weight decay?**\n\nAn L2 penalty.\n\n> [!tip] Not with Adam\n> Use AdamW.\n\n"
        "**What is dropout?**\n\nRandom zeroing.\n"
    )
    assert sides(parse(text))[0] == (
        "What is weight decay?",
        "An L2 penalty.\n\n> [!tip] Not with Adam\n> Use AdamW.",
    )


def test_what_the_format_claims() -> None:
    # One answered bold question is a note that asks once, not a card file.
    assert parse_text("**Why?** Because.\n\nMore prose.\n", path="n.md").format == ""
    assert parse_text("- Why?\n- How?\n", path="n.md").format != "qa_pairs"
    # One labelled pair is clearly meant.
    assert parse_text("**Q:** Why?\n**A:** Because.\n", path="n.md").format == "qa_pairs"
    # hashcards' own Q:/A: files stay hashcards'.
    assert parse_text("Q: Why?\nA: Because.\n", path="n.md").format == "hashcards"
    # Code is never read.
    fenced = "```\n**What is X?** x\n**What is Y?** y\n```\n"
    assert parse_text(fenced, path="n.md").format == ""


NOTE = (
    "**Q: What is overfitting?**\nA: Fitting noise.\n\n"
    "**Q: What is dropout?**\nA: Random zeroing.\n"
)


def test_editing_an_answer_keeps_the_card_and_its_history(db: Database, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    path = write(notes, "ml.md", NOTE)
    assert counts(run(db, notes)) == (2, 0, 0)
    uid = "ml#what-is-dropout"
    pk = review(db, uid)
    path.write_text(NOTE.replace("Random zeroing.", "Randomly zeroing activations."))
    assert counts(run(db, notes)) == (0, 1, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)
