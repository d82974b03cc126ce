"""Front-matter card lists: every key of an item, card types, file-wide metadata, what the
format claims, malformed lists, and which edits keep a card's history.

The samples follow the shape of the front-matter flashcard notes that static-site and
Obsidian users write (``cards:`` with ``front``/``back`` or ``question``/``answer``
items); they are written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cards import parse_text
from quizapp.cards.formats import FileContext
from quizapp.cards.formats.frontmatter_cards import FrontmatterCardsFormat
from quizapp.cards.model import CardKind, ParsedFile
from quizapp.store.db import Database

from .history import counts, history, is_new, present, review, run, write

FORMAT = FrontmatterCardsFormat()

NOTE = """\
---
tags: [optimisation]
cards:
  - front: What does momentum add to SGD?
    back: A running average of past gradients.
  - question: Why warm up the learning rate?
    answer: |
      Adam's early second-moment estimates are poor,
      so early steps overshoot.
    tags: [adam, schedules]
    difficulty: 4
---
Notes on optimisers; this body is not a card.
"""


def parse(text: str, path: str = "ml/optim.md", question_only: bool = False) -> ParsedFile:
    parsed = parse_text(text, path=path, deck="ml", question_only=question_only)
    assert parsed.format == "frontmatter_cards", parsed.skipped or parsed.format
    assert parsed.errors == [], [str(problem) for problem in parsed.errors]
    return parsed


def test_front_back_and_question_answer_items() -> None:
    cards = parse(NOTE).cards
    assert [(card.question, card.steps[0].text) for card in cards] == [
        ("What does momentum add to SGD?", "A running average of past gradients."),
        (
            "Why warm up the learning rate?",
            "Adam's early second-moment estimates are poor,\nso early steps overshoot.",
        ),
    ]
    assert [(card.line, card.steps[0].line) for card in cards] == [(4, 5), (6, 7)]
    assert [card.tags for card in cards] == [
        ("optimisation",),
        ("optimisation", "adam", "schedules"),
    ]
    assert [card.difficulty for card in cards] == [None, "hard"]
    assert [card.id for card in cards] == [
        "ml/optim#what-does-momentum-add-to-sgd",
        "ml/optim#why-warm-up-the-learning-rate",
    ]
    assert {card.deck for card in cards} == {"ml"}


@pytest.mark.parametrize(
    ("written", "difficulty"),
    [
        ("1", "easy"),
        ("2", "easy"),
        ("3", "medium"),
        ("4", "hard"),
        ("5", "hard"),
        ("easy", "easy"),
        ("Medium", "medium"),
        ("hard", "hard"),
        ("'3'", "medium"),
    ],
)
def test_numeric_and_named_difficulties(written: str, difficulty: str) -> None:
    text = f"---\ncards:\n  - front: q\n    back: a\n    difficulty: {written}\n---\n"
    assert parse(text).cards[0].difficulty == difficulty


@pytest.mark.parametrize("written", ["0", "6", "2.5", "tricky", "[1, 2]"])
def test_an_unknown_difficulty_is_a_warning(written: str) -> None:
    text = f"---\ncards:\n  - front: q\n    back: a\n    difficulty: {written}\n---\n"
    parsed = parse(text)
    assert parsed.cards[0].difficulty is None
    assert [problem.line for problem in parsed.warnings] == [5]


def test_reversed_and_cloze_types() -> None:
    text = (
        "---\ncards:\n  - front: logit\n    back: the log-odds \\(\\log\\frac{p}{1-p}\\)\n"
        "    type: reversed\n"
        "  - text: The {{c1::encoder}} maps inputs to a {{c2::latent code::what?}}.\n"
        "    back: Seen in VAEs.\n    type: cloze\n---\n"
    )
    cards = parse(text).cards
    assert [(card.kind, card.question) for card in cards] == [
        (CardKind.BASIC, "logit"),
        (CardKind.REVERSED, "the log-odds $\\log\\frac{p}{1-p}$"),
        (CardKind.CLOZE, "The {{c1::encoder}} maps inputs to a latent code."),
        (CardKind.CLOZE, "The encoder maps inputs to a {{c2::latent code::what?}}."),
    ]
    assert cards[0].note == cards[1].note == "ml/optim#logit"
    assert cards[2].note == cards[3].note != ""
    assert cards[2].steps[0].text == "Seen in VAEs."
    assert [card.id for card in cards[2:]] == [
        "ml/optim#the-encoder-maps-inputs-to-a-latent-code/c1",
        "ml/optim#the-encoder-maps-inputs-to-a-latent-code/c2",
    ]


def test_an_unknown_type_is_read_as_front_and_back_with_a_warning() -> None:
    text = "---\ncards:\n  - front: q\n    back: a\n    type: image-occlusion\n---\n"
    parsed = parse(text)
    assert [card.kind for card in parsed.cards] == [CardKind.BASIC]
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].line == 3
    assert 'unknown type "image-occlusion"' in parsed.warnings[0].message


def test_file_wide_metadata_and_single_card_keys() -> None:
    text = (
        "---\ntitle: Optimisers\ndeck: ml::optim\ndifficulty: medium\ntags: sgd, adam\nid: opt\n"
        "cards:\n  - front: q1\n    back: a1\n  - front: q2\n    back: a2\n    difficulty: 1\n"
        "    tags: warmup\n---\n"
    )
    parsed = parse(text)
    assert [(card.difficulty, card.tags, card.deck, card.id) for card in parsed.cards] == [
        ("medium", ("sgd", "adam"), "ml::optim", "opt#q1"),
        ("easy", ("sgd", "adam", "warmup"), "ml::optim", "opt#q2"),
    ]
    assert ['"title" is ignored' in problem.message for problem in parsed.warnings] == [True]


def test_items_without_a_back_are_question_only_by_the_rules() -> None:
    text = "---\ncards:\n  - front: q1\n    back: a1\n  - front: q2\n---\n"
    plain = parse(text)
    assert [card.question for card in plain.cards] == ["q1"]
    assert [problem.line for problem in plain.warnings] == [5]
    opted = parse(text, question_only=True).cards
    assert [card.kind for card in opted] == [CardKind.BASIC, CardKind.QUESTION_ONLY]
    only = parse("---\ncards:\n  - front: q1\n  - question: q2\n---\n").cards
    assert [card.kind for card in only] == [CardKind.QUESTION_ONLY] * 2


@pytest.mark.parametrize(
    "text",
    [
        NOTE,
        "---\ncards: []\n---\n",
        "---\nid: x\ncards:\n- front: a\n  back: b\n---\n",
        "---\ncards:\n  - front: a\n    back: b\n---\n## What is A?\na\n## What is B?\nb\n",
    ],
)
def test_claims_files_whose_front_matter_has_cards(text: str) -> None:
    assert FORMAT.sniff(text, FileContext())


@pytest.mark.parametrize(
    "text",
    [
        "---\ntags: [cards]\n---\ncards: are great\n",
        "---\ntitle: x\n---\n",
        "cards:\n  - front: a\n",
        "---\n  cards:\n    - front: a\n---\n",
    ],
)
def test_leaves_other_files_alone(text: str) -> None:
    assert not FORMAT.sniff(text, FileContext())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ncards:\n  - back: b\n---\n", '3: card 1 has no "front"'),
        ("---\ncards: What is it?\n---\n", '2: front matter "cards" must be a list'),
        ("---\ncards: []\n---\n", '2: front matter "cards" holds no cards'),
        ("---\ncards:\n  - just a string\n---\n", "3: card 1 must be a mapping"),
        ("---\ncards:\n  - front: [a, b]\n    back: c\n---\n", '3: card 1: "front" must be text'),
        ("---\ncards:\n  - front: a\n    back: {x: 1}\n---\n", '4: card 1: "back" must be text'),
        ("---\ncards:\n  - front: a\n    back: b\n    tags: {x: 1}\n---\n", '5: card 1: "tags"'),
        ("---\ncards:\n  - front: a\n    back: b\n  - front: [\n---\n", "broken YAML front matter"),
        ("---\ncards:\n  - front: a\n    back: b\n", "never closed"),
        (
            "---\ncards:\n  - text: The {{c1::open\n    type: cloze\n---\n",
            'card 1: "{{c1::" is never closed',
        ),
        ("---\ncards:\n  - text: no deletion\n    type: cloze\n---\n", "cloze with no deletion"),
        ("---\nx: &a [1]\ncards:\n  - front: *a\n    back: b\n---\n", '"front" must be text'),
    ],
)
def test_malformed_lists_give_one_error_and_no_card(text: str, message: str) -> None:
    parsed = parse_text(text, path="bad.md")
    assert parsed.format == "frontmatter_cards"
    assert parsed.cards == []
    assert len(parsed.errors) == 1 and message in str(parsed.errors[0]), parsed.errors


# -- through the importer ------------------------------------------------------------------


def test_reimport_and_edits_that_keep_or_lose_history(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "ml"
    path = write(folder, "optim.md", NOTE)
    assert counts(run(db, folder)) == (2, 0, 0)
    assert counts(run(db, folder)) == (0, 0, 0)
    uid = "optim#why-warm-up-the-learning-rate"
    pk = review(db, uid)
    # The answer, tags and difficulty edited: same card.
    edited = NOTE.replace("so early steps overshoot.", "so the first steps overshoot.")
    edited = edited.replace("difficulty: 4", "difficulty: 3")
    path.write_text(edited, encoding="utf-8")
    assert counts(run(db, folder)) == (0, 1, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)
    # Items reordered: same ids, nothing new.
    moved = NOTE.replace("difficulty: 4", "difficulty: 3").replace(
        "so early steps overshoot.", "so the first steps overshoot."
    )
    momentum = (
        "  - front: What does momentum add to SGD?\n"
        "    back: A running average of past gradients.\n"
    )
    last = "tags: [adam, schedules]\n    difficulty: 3\n"
    moved = moved.replace(momentum, "").replace(last, last + momentum)
    path.write_text(moved, encoding="utf-8")
    report = run(db, folder)
    assert (report.new, report.updated, report.missing) == (0, 0, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)
    # The question reworded where it stands keeps its history...
    path.write_text(moved.replace("Why warm up", "Why do we warm up"), encoding="utf-8")
    assert counts(run(db, folder)) == (0, 1, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)
    # ...but reworded and moved after another card, it starts anew and the old id goes.
    path.write_text(
        edited.replace("Why warm up the learning rate?", "What is a warm-up schedule?"),
        encoding="utf-8",
    )
    report = run(db, folder)
    assert (report.new, report.missing) == (1, 1)
    assert uid not in present(db)
    assert is_new(db, "optim#what-is-a-warm-up-schedule")
