"""Questions as headings: which headings are questions, their answers, difficulty markers,
tags from the headings above, question-only cards, what the format claims, malformed
files, and which edits keep a card's history.

The samples follow the layout of public README question lists (numbered ``#### 1) …?``
headings with a source link, ``### Q3.`` headings, ``[E]``/``(Hard)`` markers); they are
written here, not copied from any list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cards import parse_text
from quizapp.cards.formats import FileContext
from quizapp.cards.formats.heading_questions import HeadingQuestionsFormat
from quizapp.cards.model import CardKind, ParsedFile
from quizapp.store.db import Database

from .history import counts, history, is_new, present, review, run, write

FORMAT = HeadingQuestionsFormat()

README = """\
# ML questions

Intro text that is not a card.

## Classical models

#### 1) What is the bias-variance trade-off? [[src](https://example.org/bv)]

Bias squared plus variance plus noise.

#### 2) Explain L1 and L2 regularisation. [M]

L1 makes weights sparse.

##### Why

The L1 ball has corners.

---

**[back to top](#ml-questions)**

## Deep learning

### Q3. (Easy) What does dropout do?

Zeroes units at random.

### Why does batch norm help? [H]

Steady input scales.
"""


def parse(text: str, path: str = "ml/questions.md", question_only: bool = False) -> ParsedFile:
    parsed = parse_text(text, path=path, deck="ml", question_only=question_only)
    assert parsed.format == "heading_questions", parsed.skipped or parsed.format
    assert parsed.errors == [], [str(problem) for problem in parsed.errors]
    return parsed


def test_each_question_heading_is_a_card_with_the_text_below_it_as_answer() -> None:
    cards = parse(README).cards
    assert [card.question for card in cards] == [
        "What is the bias-variance trade-off?",
        "Explain L1 and L2 regularisation.",
        "What does dropout do?",
        "Why does batch norm help?",
    ]
    assert [card.kind for card in cards] == [CardKind.BASIC] * 4
    assert [card.line for card in cards] == [7, 11, 25, 29]
    # The source link moves to the end of the answer; a deeper heading stays in it; the
    # rule and the back-to-top link after it do not.
    assert cards[0].steps[0].text == (
        "Bias squared plus variance plus noise.\n\n[[src](https://example.org/bv)]"
    )
    assert cards[1].steps[0].text == (
        "L1 makes weights sparse.\n\n##### Why\n\nThe L1 ball has corners."
    )
    assert cards[1].steps[0].line == 13
    assert [card.id for card in cards] == [
        "ml/questions#what-is-the-bias-variance-trade-off",
        "ml/questions#explain-l1-and-l2-regularisation",
        "ml/questions#what-does-dropout-do",
        "ml/questions#why-does-batch-norm-help",
    ]
    assert {card.deck for card in cards} == {"ml"}
    assert {card.format for card in cards} == {"heading_questions"}


def test_an_answer_loses_its_own_answer_label() -> None:
    parsed = parse(
        "### 1. What is overfitting?\n\n**Answer:** Fitting noise.\n\n"
        "### 2. What is dropout?\n\nAns. Random zeroing.\n\n"
        "### 3. Who proved it?\n\nA. Smith did, in 1999.\n"
    )
    assert [card.steps[0].text for card in parsed.cards] == [
        "Fitting noise.",
        "Random zeroing.",
        "A. Smith did, in 1999.",  # a bare "A." may start the sentence
    ]


def test_difficulty_markers_set_the_difficulty_and_leave_the_title() -> None:
    text = (
        "## [E] What is a tensor?\nAn array.\n\n## What is a Jacobian? (Medium)\nDerivatives.\n\n"
        "## 3. **[H]** Derive backprop?\nChain rule.\n\n## What is (hard) negative mining?\n"
        "Picking hard negatives.\n"
    )
    cards = parse(text).cards
    assert [(card.title, card.difficulty) for card in cards] == [
        ("What is a tensor?", "easy"),
        ("What is a Jacobian?", "medium"),
        ("Derive backprop?", "hard"),
        ("What is (hard) negative mining?", None),  # a marker mid-sentence is text
    ]


@pytest.mark.parametrize(
    ("heading", "question"),
    [
        ("#### 1) What is an epoch", "What is an epoch"),
        ("### Q3. Explain momentum", "Explain momentum"),
        ("### Q12: Explain momentum", "Explain momentum"),
        ("## 2. Explain momentum", "Explain momentum"),
        ("## 2.1 Explain momentum", "Explain momentum"),
        ("### Question 4 - Explain momentum", "Explain momentum"),
        ("### What is momentum?", "What is momentum?"),
    ],
)
def test_numbered_and_asking_headings_are_questions(heading: str, question: str) -> None:
    text = f"## What is an optimiser?\nA rule.\n\n{heading}\nThe answer.\n"
    cards = parse(text).cards
    assert cards[-1].question == question
    assert cards[-1].steps[0].text == "The answer."


def test_a_heading_that_is_only_a_number_is_no_question() -> None:
    text = "## What is A?\na\n\n## 2.\nnot a card\n\n## 3) What is B?\nb\n"
    cards = parse(text).cards
    assert [(card.question, card.steps[0].text) for card in cards] == [
        ("What is A?", "a"),
        ("What is B?", "b"),
    ]


def test_h1_and_h5_headings_are_never_questions() -> None:
    text = (
        "# What is ML?\n\n## What is a loss?\nA number.\n\n##### What is a norm?\nLength.\n\n"
        "## Why?\nOk.\n"
    )
    cards = parse(text).cards
    assert [card.question for card in cards] == ["What is a loss?", "Why?"]
    assert cards[0].steps[0].text == "A number.\n\n##### What is a norm?\nLength."


def test_the_answer_ends_at_a_same_or_higher_heading_or_the_next_question() -> None:
    text = (
        "## What is a CNN?\nConvolutions.\n\n### Pooling\nDownsamples.\n\n"
        "### What is a stride?\nThe step.\n\n## Other notes\nNot an answer.\n"
    )
    cards = parse(text).cards
    assert [card.steps[0].text for card in cards] == [
        "Convolutions.\n\n### Pooling\nDownsamples.",
        "The step.",
    ]


def test_a_numbered_heading_over_questions_is_a_topic_and_tags_them() -> None:
    text = (
        "# Interview prep\n\n## 1. Linear algebra\n\n### 1.1 What is a norm?\nA length.\n\n"
        "#### Vectors\n\n##### ignored deep heading\n\n### 1.2 What is a basis?\nSpanning set.\n\n"
        "## 2. Optimisation / training\n\n### Why use momentum?\nSpeed.\n"
    )
    cards = parse(text).cards
    assert [(card.question, card.tags) for card in cards] == [
        ("What is a norm?", ("Linear-algebra",)),
        ("What is a basis?", ("Linear-algebra",)),
        ("Why use momentum?", ("Optimisation-training",)),
    ]


def test_enclosing_headings_make_one_hierarchical_tag_and_the_only_h1_none() -> None:
    text = (
        "# Title\n\n## Deep learning\n\n### Attention\n\n#### Why scale by sqrt d?\nVariance.\n\n"
        "## Statistics\n\n#### What is a p-value?\nA probability.\n"
    )
    cards = parse(text).cards
    assert [card.tags for card in cards] == [("Deep-learning/Attention",), ("Statistics",)]
    two_titles = "# Part one\n\n## What is A?\na\n\n# Part two\n\n## What is B?\nb\n"
    assert [card.tags for card in parse(two_titles).cards] == [("Part-one",), ("Part-two",)]


def test_front_matter_tags_add_to_the_cards_and_its_difficulty_is_the_default() -> None:
    text = (
        "---\ntags: [interview, ml]\ndifficulty: hard\ndeck: prep/ml\nid: ml-prep\n---\n"
        "## Topic\n\n### What is A? [E]\na\n\n### What is B?\nb\n"
    )
    cards = parse(text).cards
    assert [(card.difficulty, card.tags, card.deck) for card in cards] == [
        ("easy", ("interview", "ml", "Topic"), "prep/ml"),
        ("hard", ("interview", "ml", "Topic"), "prep/ml"),
    ]
    assert [card.id for card in cards] == ["ml-prep#what-is-a", "ml-prep#what-is-b"]


def test_math_written_with_mathjax_delimiters_becomes_dollar_math() -> None:
    text = "## What is \\(\\sigma'(x)\\)?\n\\[\\sigma(x)(1-\\sigma(x))\\]\n\n## What is e?\n2.718\n"
    cards = parse(text).cards
    assert cards[0].question == "What is $\\sigma'(x)$?"
    assert cards[0].steps[0].text == "$$\\sigma(x)(1-\\sigma(x))$$"


def test_unanswered_questions_are_left_out_with_a_warning_beside_answered_ones() -> None:
    text = "## What is A?\na\n\n## What is B?\n\n## What is C?\n"
    parsed = parse(text)
    assert [card.question for card in parsed.cards] == ["What is A?"]
    assert [problem.line for problem in parsed.warnings] == [4, 6]
    assert "--question-only" in parsed.warnings[0].message


def test_question_only_cards_with_the_opt_in_or_when_nothing_is_answered() -> None:
    text = "## What is A?\na\n\n## What is B?\n\n## What is C?\n"
    opted = parse(text, question_only=True).cards
    assert [card.kind for card in opted] == [
        CardKind.BASIC,
        CardKind.QUESTION_ONLY,
        CardKind.QUESTION_ONLY,
    ]
    assert opted[1].steps == ()
    by_front_matter = parse("---\nquizapp-question-only: true\n---\n" + text).cards
    assert [card.kind for card in by_front_matter] == [card.kind for card in opted]
    nothing_answered = parse("## What is B?\n\n## What is C?\n").cards
    assert [card.kind for card in nothing_answered] == [CardKind.QUESTION_ONLY] * 2
    opted_out = parse(
        "---\nquizapp-question-only: false\n---\n## What is B?\n\n## What is C?\n",
        question_only=True,
    )
    assert opted_out.cards == [] and len(opted_out.warnings) == 2


def test_with_the_opt_in_the_question_lists_of_other_sections_are_read_too() -> None:
    text = (
        "## What is A?\na\n\n## What is E?\ne\n\n## Practice\n\n- Why is B?\n- Why is C?\n\n"
        "| Question | Answer |\n|---|---|\n| What is D? | d |\n"
    )
    plain = parse(text).cards
    assert [card.question for card in plain] == ["What is A?", "What is E?", "What is D?"]
    opted = parse(text, question_only=True).cards
    assert [(card.question, card.kind, card.tags) for card in opted] == [
        ("What is A?", CardKind.BASIC, ()),
        ("What is E?", CardKind.BASIC, ()),
        ("Why is B?", CardKind.QUESTION_ONLY, ("Practice",)),
        ("Why is C?", CardKind.QUESTION_ONLY, ("Practice",)),
        ("What is D?", CardKind.BASIC, ("Practice",)),
    ]
    # A list inside an answer is part of the answer, never cards of its own.
    inside_text = "## What is A?\n- Why is B?\n- Why is C?\n\n## What is D?\nd\n"
    inside = parse(inside_text, question_only=True)
    assert [card.question for card in inside.cards] == ["What is A?", "What is D?"]


CLAIMED = [
    README,
    "## What is A?\na\n\n## What is B?\nb\n",
    "## 1) What is A?\na\n## 2) Explain B.\nb\n## 3) Explain C\nc\n## 4) What is D?\nd\n",
    "What is A?\n----------\na\n\nWhat is B?\n----------\nb\n",
    "## Q1. Explain A\na\n## Q2. Explain B\nb\n",
]
NOT_CLAIMED = [
    "# Weekly note\n\n## What did I learn?\nStuff.\n\n## Plans\nMore.\n\n## Links\nNone.\n",
    "## 1. Introduction\nx\n## 2. Installation\ny\n## 3. Why use it?\nz\n## 4. Usage\nw\n",
    "## What is A?\na\n\n## What is B?\nb\n\n## Setup\n\n## Usage\n\n## Links\n",
    "```\n## What is A?\n## What is B?\n```\n",
    "---\ncards:\n  - front: a\n    back: b\n---\n## What is A?\na\n## What is B?\nb\n",
    "Plain text with no headings at all? None.\n",
]


@pytest.mark.parametrize("text", CLAIMED)
def test_claims_files_that_are_clearly_question_lists(text: str) -> None:
    assert FORMAT.sniff(text, FileContext())


@pytest.mark.parametrize("text", NOT_CLAIMED)
def test_leaves_prose_notes_and_numbered_documents_alone(text: str) -> None:
    assert not FORMAT.sniff(text, FileContext())


def test_a_native_card_is_never_read_as_heading_questions() -> None:
    native = "# Dropout\n\n## Question\nWhat does dropout do?\n\n## Answer\nZeroes units.\n"
    assert parse_text(native, path="a.md").format == "native"


def test_forcing_the_format_reads_any_question_heading() -> None:
    text = "# Note\n\n## What is A?\na\n\n## Setup\n\n## Usage\n\n## Links\n"
    parsed = parse_text(text, path="n.md", format="heading_questions")
    assert [card.question for card in parsed.cards] == ["What is A?"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "---\nquizapp-format: heading_questions\n---\n# Notes\n\n## Summary\nNo questions.\n",
            "4: no question headings",
        ),
        ("---\ntags: [a\n---\n## What is A?\na\n## What is B?\nb\n", "broken YAML front matter"),
        ("---\nquizapp-format: heading_questions\n## What is A?\na\n", "never closed"),
        (
            "---\nquizapp-format: heading_questions\n---\n## What is A?\n" + "> " * 45 + "deep\n",
            "nested more than",
        ),
        (
            "---\nquizapp-format: heading_questions\n---\n"
            + "".join(f"## What is {n}?\nx\n" for n in range(2_001)),
            "more than 2,000 headings",
        ),
    ],
)
def test_malformed_files_give_one_error_and_no_card(text: str, message: str) -> None:
    parsed = parse_text(text, path="bad.md")
    assert parsed.cards == []
    assert len(parsed.errors) == 1 and message in str(parsed.errors[0]), parsed.errors
    assert str(parsed.errors[0]).startswith("bad.md:")


# -- through the importer: which edits keep history ----------------------------------------


def test_reimporting_an_unchanged_folder_changes_nothing(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "deck"
    path = write(folder, "questions.md", README)
    assert counts(run(db, folder)) == (4, 0, 0)
    again = run(db, folder)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)
    path.write_text(README + "\n\n", encoding="utf-8")  # read again, same cards
    third = run(db, folder)
    assert (third.new, third.updated, third.unchanged) == (0, 0, 4)


def test_editing_an_answer_or_a_marker_keeps_the_card(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "deck"
    path = write(folder, "questions.md", README)
    run(db, folder)
    uid = "questions#what-does-dropout-do"
    pk = review(db, uid)
    edited = README.replace("Zeroes units at random.", "Zeroes units with probability p.")
    edited = edited.replace("### Q3. (Easy)", "### Q7. (Medium)")
    path.write_text(edited, encoding="utf-8")
    assert counts(run(db, folder)) == (0, 1, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)


def test_reordering_and_inserting_questions_keep_every_id(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "deck"
    path = write(folder, "questions.md", README)
    run(db, folder)
    before = present(db)
    pk = review(db, "questions#why-does-batch-norm-help")
    moved = README.replace(
        "## Deep learning\n",
        "## Deep learning\n\n### What is layer norm?\n\nPer-example statistics.\n",
    )
    path.write_text(moved, encoding="utf-8")
    assert counts(run(db, folder)) == (1, 0, 0)
    assert set(before) <= set(present(db))
    assert history(db, "questions#why-does-batch-norm-help") == (pk, 3, 7.5, 1)


def test_rewording_a_question_in_place_keeps_it_and_a_new_one_elsewhere_is_new(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "deck"
    path = write(folder, "questions.md", README)
    run(db, folder)
    uid = "questions#what-does-dropout-do"
    pk = review(db, uid)
    path.write_text(README.replace("What does dropout do?", "What does dropout do in training?"))
    assert counts(run(db, folder)) == (0, 1, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)
    # A reworded question that also moved (and with a card added before it) starts anew.
    reworded = README.replace("What does dropout do?", "How does dropout regularise?")
    glm = "## Classical models\n\n### What is a GLM?\nA model.\n"
    reworded = reworded.replace("## Classical models\n", glm)
    path.write_text(reworded, encoding="utf-8")
    report = run(db, folder)
    assert counts(report) == (2, 0, 1)
    assert is_new(db, "questions#how-does-dropout-regularise")
    assert uid not in present(db)


def test_question_only_cards_need_the_opt_in_beside_answered_ones(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "deck"
    text = "## What is A?\na\n\n## What is B?\n\n## Drill\n\n- Why C?\n- Why D?\n"
    write(folder, "mixed.md", text)
    first = run(db, folder)
    assert (first.new, len(first.warnings)) == (1, 1)
    opted = run(db, folder, question_only=True)
    assert counts(opted) == (3, 0, 0)
    assert present(db) == ["mixed#what-is-a", "mixed#what-is-b", "mixed#why-c", "mixed#why-d"]
