"""Question lists: list items and table rows that are questions, the question-only opt-in,
what the format claims, malformed files, and which edits keep a card's history.

The samples are shaped like a textbook's exercise list (numbered items marked ``[E]``,
``[M]``, ``[H]``) and like the tables of public interview-question collections (``#``,
``Question``, ``Answer``, ``Level`` with Fundamental/Advanced); they are written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cards import parse_text
from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats import FileContext
from quizapp.cards.formats.question_lists import QuestionListsFormat
from quizapp.cards.model import CardKind, ParsedFile
from quizapp.store.db import Database

from .history import counts, history, present, review, run, write

FORMAT = QuestionListsFormat()

EXERCISES = """\
# Chapter 2: Probability

## Distributions

1. [E] What is a Bernoulli distribution?
2. [M] Why is the sum of two independent Poisson variables
   Poisson?
3. [H] Derive the variance of a geometric distribution.
4. Conjugate priors
    1. [M] What is the conjugate prior of a binomial likelihood?
    2. Why does conjugacy matter for online updates?

## Estimation

- What is the bias of the sample maximum of a uniform?
- (Hard) When is the MLE not consistent?
"""


def parse(text: str, path: str = "book/ch2.md", question_only: bool = False) -> ParsedFile:
    parsed = parse_text(text, path=path, deck="book", question_only=question_only)
    assert parsed.format == "question_lists", parsed.skipped or parsed.format
    assert parsed.errors == [], [str(problem) for problem in parsed.errors]
    return parsed


def test_each_question_item_is_a_question_only_card() -> None:
    cards = parse(EXERCISES).cards
    assert [(card.question, card.difficulty, card.line) for card in cards] == [
        ("What is a Bernoulli distribution?", "easy", 5),
        ("Why is the sum of two independent Poisson variables\nPoisson?", "medium", 6),
        ("Derive the variance of a geometric distribution.", "hard", 8),
        ("What is the conjugate prior of a binomial likelihood?", "medium", 10),
        ("Why does conjugacy matter for online updates?", None, 11),
        ("What is the bias of the sample maximum of a uniform?", None, 15),
        ("When is the MLE not consistent?", "hard", 16),
    ]
    assert {card.kind for card in cards} == {CardKind.QUESTION_ONLY}
    assert all(card.steps == () for card in cards)
    assert [card.tags for card in cards] == [("Distributions",)] * 5 + [("Estimation",)] * 2
    assert cards[0].id == "book/ch2#what-is-a-bernoulli-distribution"
    assert cards[0].title == "What is a Bernoulli distribution?"


def test_items_with_something_written_under_them_are_not_question_only() -> None:
    text = (
        "- Why A?\n- Why B?\n\n  B's answer, indented under it.\n- Why C?\n"
        "  - because of c\n  - and c'\n- Why D?\n  ```\n  code\n  ```\n- Why E?\n"
    )
    cards = parse(text, question_only=True).cards
    assert [card.question for card in cards] == ["Why A?", "Why E?"]


def test_only_lists_that_hold_questions_give_cards() -> None:
    text = (
        "## Questions\n\n- Why A?\n- Why B?\n- Why C?\n\n## Notes\n\n"
        "- a note\n- another note\n- is this rhetorical?\n"
    )
    assert [card.question for card in parse(text).cards] == ["Why A?", "Why B?", "Why C?"]


def test_table_rows_with_a_question_column() -> None:
    text = (
        "# DL questions\n\n| # | Question | Answer | Level | Topic |\n|---|---|---|---|---|\n"
        "| 1 | What is a residual block? | $y = x + F(x)$ | Fundamental | resnets |\n"
        "| 2 | Why scale attention by \\(1/\\sqrt{d}\\)? | Softmax stays soft.<br>Variance 1. "
        "| Advanced | attention, transformers |\n"
        "| 3 | What is \\| in a table? | A pipe. | 2 | |\n"
    )
    cards = parse(text).cards
    assert [(card.question, card.kind, card.difficulty, card.tags) for card in cards] == [
        ("What is a residual block?", CardKind.BASIC, "medium", ("resnets",)),
        (
            "Why scale attention by $1/\\sqrt{d}$?",
            CardKind.BASIC,
            "hard",
            ("attention", "transformers"),
        ),
        ("What is | in a table?", CardKind.BASIC, "easy", ()),
    ]
    assert cards[1].steps[0].text == "Softmax stays soft.\nVariance 1."
    assert [card.line for card in cards] == [5, 6, 7]


@pytest.mark.parametrize(
    ("level", "difficulty"),
    [
        ("Easy", "easy"),
        ("E", "easy"),
        ("Beginner", "easy"),
        ("Medium", "medium"),
        ("Intermediate", "medium"),
        ("Fundamental", "medium"),
        ("Hard", "hard"),
        ("**Advanced**", "hard"),
        ("Expert", "hard"),
        ("1", "easy"),
        ("3", "medium"),
        ("5", "hard"),
    ],
)
def test_level_words_and_numbers(level: str, difficulty: str) -> None:
    text = f"| Question | Difficulty |\n|---|---|\n| What is A? | {level} |\n"
    assert parse(text).cards[0].difficulty == difficulty


def test_an_unknown_level_is_a_warning_and_a_row_without_a_question_is_skipped() -> None:
    text = (
        "| Question | Answer | Level |\n|---|---|---|\n| What is A? | a | Tricky |\n"
        "|  | b | Easy |\n"
    )
    parsed = parse(text)
    assert [(card.question, card.difficulty) for card in parsed.cards] == [("What is A?", None)]
    assert [(problem.line, problem.message[:15]) for problem in parsed.warnings] == [
        (3, 'unknown level "'),
        (4, "this table row "),
    ]


def test_a_table_with_answers_makes_unanswered_items_need_the_opt_in() -> None:
    text = (
        "| Question | Answer |\n|---|---|\n| What is A? | a |\n| What is B? |  |\n\n"
        "- Why C?\n- Why D?\n- Why E?\n"
    )
    plain = parse(text)
    assert [card.question for card in plain.cards] == ["What is A?"]
    assert [problem.line for problem in plain.warnings] == [4, 6, 7, 8]
    opted = parse(text, question_only=True).cards
    assert [(card.question, card.kind) for card in opted] == [
        ("What is A?", CardKind.BASIC),
        ("What is B?", CardKind.QUESTION_ONLY),
        ("Why C?", CardKind.QUESTION_ONLY),
        ("Why D?", CardKind.QUESTION_ONLY),
        ("Why E?", CardKind.QUESTION_ONLY),
    ]


def test_front_matter_sets_deck_tags_and_difficulty() -> None:
    text = "---\ndeck: drills\ntags: interview\nlevel: 4\n---\n- Why A?\n- Why B? [E]\n- Why C?\n"
    cards = parse(text).cards
    assert [(card.deck, card.tags, card.difficulty) for card in cards] == [
        ("drills", ("interview",), "hard"),
        ("drills", ("interview",), "easy"),
        ("drills", ("interview",), "hard"),
    ]


CLAIMED = [
    EXERCISES,
    "| Question | Answer |\n|---|---|\n| What is A? | a |\n",
    "| **Q** | A |\n|:--|--:|\n| What is A? | a |\n",
    "Intro line.\n\n- Why A?\n- Why B?\n- Why C?\n",
    "1. [E] Derive A.\n2. [M] Derive B.\n3. [H] Derive C.\n",
]
NOT_CLAIMED = [
    "# Note\n\nSome thoughts.\nMore thoughts.\nEven more.\nAnd more.\n\n"
    "- Why A?\n- Why B?\n- Why C?\n",
    "- Why A?\n- Why B?\n\nA short note.\n",
    "- milk\n- eggs\n- is there bread?\n",
    "```\n- Why A?\n- Why B?\n- Why C?\n```\n",
    "---\nquizapp-question-only: false\n---\n- Why A?\n- Why B?\n- Why C?\n",
    "---\ncards:\n  - front: a\n    back: b\n---\n- Why A?\n- Why B?\n- Why C?\n",
    "| Name | Value |\n|---|---|\n| a | 1 |\n",
]


@pytest.mark.parametrize("text", CLAIMED)
def test_claims_files_that_are_clearly_question_lists(text: str) -> None:
    assert FORMAT.sniff(text, FileContext())


@pytest.mark.parametrize("text", NOT_CLAIMED)
def test_leaves_notes_that_merely_ask_something_alone(text: str) -> None:
    assert not FORMAT.sniff(text, FileContext())


def test_the_opt_in_claims_a_note_with_a_question_list() -> None:
    note = "# Note\n\nSome thoughts.\nMore thoughts.\nEven more.\n\n- Why A?\n- Why B?\n"
    assert not FORMAT.sniff(note, FileContext())
    assert FORMAT.sniff(note, FileContext(question_only=True))
    assert FORMAT.sniff("---\nquizapp-question-only: true\n---\n" + note, FileContext())
    parsed = parse(note, question_only=True)
    assert [card.question for card in parsed.cards] == ["Why A?", "Why B?"]
    assert not FORMAT.sniff("# Note\n\nNo questions here.\n", FileContext(question_only=True))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\nquizapp-format: question_lists\n---\n# Notes\n\nNo.\n", "1: no questions found"),
        ("---\ntags: [a\n---\n- Why A?\n- Why B?\n- Why C?\n", "broken YAML front matter"),
        ("---\nquizapp-format: question_lists\n- Why A?\n- Why B?\n", "never closed"),
        (
            "---\nquizapp-format: question_lists\n---\n"
            + "".join(f"- Why {n}?\n" for n in range(10_001)),
            "more than 10,000 cards",
        ),
    ],
)
def test_malformed_files_give_one_error_and_no_card(text: str, message: str) -> None:
    parsed = parse_text(text, path="bad.md")
    assert parsed.cards == []
    assert len(parsed.errors) == 1 and message in str(parsed.errors[0]), parsed.errors


# -- through the importer ------------------------------------------------------------------


def test_reimport_and_edits_that_keep_or_lose_history(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "book"
    path = write(folder, "ch2.md", EXERCISES)
    assert counts(run(db, folder)) == (7, 0, 0)
    again = run(db, folder)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 7)
    uid = "ch2#derive-the-variance-of-a-geometric-distribution"
    pk = review(db, uid)
    # A new marker and a new number keep the card (the difficulty is updated).
    marked = EXERCISES.replace("3. [H] Derive", "7. [M] Derive")
    path.write_text(marked, encoding="utf-8")
    assert counts(run(db, folder)) == (0, 1, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)
    # An item inserted before it keeps every id.
    inserted = marked.replace(
        "1. [E] What is a Bernoulli", "1. [E] What is a PMF?\n1. [E] What is a Bernoulli"
    )
    path.write_text(inserted, encoding="utf-8")
    assert counts(run(db, folder)) == (1, 0, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)
    # Removing it marks only that card missing.
    path.write_text(marked, encoding="utf-8")
    assert counts(run(db, folder)) == (0, 0, 1)
    assert "ch2#what-is-a-pmf" not in present(db)


def test_read_after_sniff_reuses_its_parse_and_gives_the_same_cards() -> None:
    context = FileContext(path="book/ch2.md", base_id="book/ch2")
    alone = FORMAT.read(EXERCISES, context, Diagnostics("book/ch2.md"))
    assert FORMAT.sniff(EXERCISES, context)
    after_sniff = FORMAT.read(EXERCISES, context, Diagnostics("book/ch2.md"))
    assert after_sniff == alone and len(alone) == 7
    other = EXERCISES.replace("Bernoulli", "Poisson")
    assert FORMAT.sniff(EXERCISES, context)  # a sniff of another text is not reused
    assert FORMAT.read(other, context, Diagnostics("x"))[0].question == (
        "What is a Poisson distribution?"
    )
