"""Collapsible answers: ``<details>`` blocks whose summary asks, reveal blocks under the
question they answer, containers, what is no card, which files the format claims, and
malformed blocks.

The samples are written from GitHub's documentation of collapsed sections ("Organizing
information with collapsed sections") and the layouts question lists use with them; none is
taken from anyone's notes.
"""

from __future__ import annotations

import pytest

from quizapp.cards import parse_text
from quizapp.cards.model import ParsedFile


def parse(text: str, path: str = "attention.md") -> ParsedFile:
    parsed = parse_text(text, path=path, default_id=path.removesuffix(".md"), deck="ml")
    assert parsed.format == "details", parsed.skipped or parsed.format
    assert parsed.errors == [], [str(problem) for problem in parsed.errors]
    return parsed


def sides(parsed: ParsedFile) -> list[tuple[str, str]]:
    return [(card.question, "\n".join(step.text for step in card.steps)) for card in parsed.cards]


def test_a_summary_that_asks_is_the_question_and_the_body_the_answer() -> None:
    text = (
        "<details>\n<summary>What is <code>KV caching</code>?</summary><br><b>\n\n"
        "Keys and values of past tokens are kept.\n</b></details>\n\n"
        "<details><summary>Explain multi-query attention.</summary>\n\n"
        "All heads share one key and one value projection.\n\n- fewer bytes\n</details>\n"
    )
    assert sides(parse(text)) == [
        ("What is `KV caching`?", "Keys and values of past tokens are kept."),
        (
            "Explain multi-query attention.",
            "All heads share one key and one value projection.\n\n- fewer bytes",
        ),
    ]
    card = parse(text).cards[0]
    assert (card.id, card.line, card.steps[0].line, card.format) == (
        "attention#what-is-kv-caching",
        1,
        2,
        "details",
    )


def test_a_reveal_block_answers_the_list_item_it_is_folded_into() -> None:
    text = (
        "## Warm-up\n\n"
        "1. **Why scale logits by $1/\\sqrt{d_k}$?**\n"
        "   <details>\n   <summary>Answer</summary>\n"
        "   Their variance grows with $d_k$.\n   </details>\n\n"
        "2. **What does a causal mask hide?** [E]\n"
        "   <details><summary>Show answer</summary>\n\n"
        "   Every later position.\n   </details>\n"
    )
    parsed = parse(text)
    assert sides(parsed) == [
        ("Why scale logits by $1/\\sqrt{d_k}$?", "Their variance grows with $d_k$."),
        ("What does a causal mask hide?", "Every later position."),
    ]
    assert [(card.tags, card.difficulty, card.line) for card in parsed.cards] == [
        (("Warm-up",), None, 3),
        (("Warm-up",), "easy", 9),
    ]


def test_the_question_is_the_paragraph_that_asks_with_what_follows_it() -> None:
    text = (
        "## Drills\n\n"
        "Attention is a weighted average of values.\n\n"
        "**Drill 3.** With logits $(0, \\ln 3)$, what weight does the second key get?\n\n"
        "```python\nsoftmax([0, log(3)])\n```\n\n"
        "<details><summary>Answer</summary>\n\n$0.75$\n</details>\n"
    )
    assert parse(text).cards[0].line == 5
    assert sides(parse(text)) == [
        (
            "**Drill 3.** With logits $(0, \\ln 3)$, what weight does the second key get?\n\n"
            "```python\nsoftmax([0, log(3)])\n```",
            "$0.75$",
        )
    ]


def test_a_heading_is_the_question_when_nothing_is_written_under_it() -> None:
    text = (
        "# Interview\n\n## Transformers\n\n"
        "### 1. What is overfitting? [M]\n\n"
        "<details><summary>Answer</summary>\n\nFitting noise.\n</details>\n\n"
        "### Q2 — shapes\n\nWhat shape comes out?\n\n"
        "<details><summary>Solution</summary>\n\nThe query's.\n</details>\n"
    )
    parsed = parse(text)
    assert sides(parsed) == [
        ("What is overfitting?", "Fitting noise."),
        ("What shape comes out?", "The query's."),
    ]
    # The question's own heading (asking or numbered) tags nothing; the title H1 neither.
    assert [(card.tags, card.difficulty) for card in parsed.cards] == [
        (("Transformers",), "medium"),
        (("Transformers",), None),
    ]


@pytest.mark.parametrize(
    "summary",
    ["Answer", "Solution 3", "Show the solution", "Click here to see the answer", "💡 Hint",
     "Answer:", "", "Spoiler"],
)  # fmt: skip
def test_summaries_that_only_reveal(summary: str) -> None:
    text = f"**Q1.** Why?\n\n<details><summary>{summary}</summary>\n\nBecause.\n</details>\n"
    assert sides(parse(text)) == [("**Q1.** Why?", "Because.")]


def test_a_list_that_asks_nothing_is_the_question_whole() -> None:
    text = (
        "### Exercises\n\n1. Write the softmax of a vector.\n2. Subtract the maximum first.\n\n"
        "<details><summary>Solution</summary>\n\n```python\ne = np.exp(z - z.max())\n```\n"
        "</details>\n"
    )
    assert sides(parse(text)) == [
        (
            "1. Write the softmax of a vector.\n2. Subtract the maximum first.",
            "```python\ne = np.exp(z - z.max())\n```",
        )
    ]


def test_a_block_holding_reveal_blocks_is_their_container() -> None:
    text = (
        "<details>\n<summary>Question 5</summary>\n\nExplain grouped-query attention.\n\n"
        "<details><summary>Answer</summary>\nHeads share keys and values in groups.\n"
        "</details>\n</details>\n"
    )
    assert sides(parse(text)) == [
        ("Explain grouped-query attention.", "Heads share keys and values in groups.")
    ]


def test_what_is_no_card() -> None:
    text = (
        "<details><summary>Table of contents</summary>\n\n- [Drills](#drills)\n</details>\n\n"
        "Here is the training log:\n\n"
        "<details><summary>Output</summary>\n\nloss 0.1\n</details>\n\n"
        "```markdown\n<details><summary>What is inside code?</summary>never</details>\n```\n\n"
        "<details><summary>What is dropout?</summary>\n\nZeroing activations.\n</details>\n"
    )
    assert sides(parse(text)) == [("What is dropout?", "Zeroing activations.")]


def test_an_empty_answer_is_left_out_with_a_warning() -> None:
    parsed = parse(
        "<details><summary>What is a GAN?</summary>\n</details>\n\n"
        "<details><summary>What is a VAE?</summary>\nAn autoencoder.\n</details>\n"
    )
    assert [card.question for card in parsed.cards] == ["What is a VAE?"]
    assert [problem.line for problem in parsed.warnings] == [1]


def test_which_files_it_claims() -> None:
    toc_only = "# Notes\n\n<details><summary>Contents</summary>\n\n- a\n</details>\n"
    assert parse_text(toc_only, path="n.md").format == ""
    # A question list answered under its headings, with one long answer folded, is read
    # as headings.
    headings = (
        "## What is bias?\n\nError from wrong assumptions.\n\n"
        "## What is variance?\n\nError from sensitivity to the sample.\n\n"
        "## Why regularise?\n\n<details><summary>Answer</summary>\n\nTo trade.\n</details>\n"
    )
    read = parse_text(headings, path="n.md")
    assert read.format == "heading_questions"
    assert [step.text for step in read.cards[-1].steps] == ["To trade."]  # unfolded
    # Tags written as code, or named in prose, are no blocks.
    prose = "Fold answers with `<details>` and `<summary>`.\n\nA <details> tag in prose.\n"
    assert parse_text(prose, path="n.md").format == ""
    # Native cards stay theirs.
    native = (
        "# T\n\n## Question\n\nWhy?\n\n## Answer\n\n<details><summary>Why?</summary>x</details>\n"
    )
    assert parse_text(native, path="n.md").format == "native"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Why?\n\n<details><summary>Answer</summary>\n\nBecause.\n",
            "n.md:3: the <details> opened here is never closed with </details>",
        ),
        (
            "<details><summary>What is X?\n\nx\n</details>\n",
            "n.md:1: the <summary> opened here is never closed with </summary>",
        ),
    ],
)
def test_unclosed_tags_are_errors_on_their_line(text: str, message: str) -> None:
    parsed = parse_text(text, path="n.md", default_id="n")
    assert parsed.format == "details"
    assert [str(problem) for problem in parsed.errors] == [message]
