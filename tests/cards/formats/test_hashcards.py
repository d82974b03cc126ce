"""hashcards decks: question-answer and cloze cards, multi-line sides, decks, what the format
claims, malformed decks, and which edits keep a card's history.

The decks are written from hashcards' README (eudoxia0/hashcards: "Format") and the
behaviour its parser documents; none is taken from anyone's collection.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.cards import parse_text
from quizapp.cards.formats import FileContext
from quizapp.cards.formats.hashcards import HashcardsFormat
from quizapp.cards.model import CardKind, ParsedFile
from quizapp.services.importer import import_paths
from quizapp.store.db import Database, run_sql
from quizapp.store.sqlite.card_repo import CardRepository

HASHCARDS = HashcardsFormat()
NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def parse(text: str, path: str = "stats/Probability.md") -> ParsedFile:
    parsed = parse_text(text, path=path, deck="stats")
    assert parsed.format == "hashcards", parsed.skipped or parsed.format
    assert parsed.errors == [], [str(problem) for problem in parsed.errors]
    return parsed


def sides(parsed: ParsedFile) -> list[tuple[str, str, str]]:
    return [
        (str(card.kind), card.question, "\n".join(step.text for step in card.steps))
        for card in parsed.cards
    ]


def test_question_and_answer_cards() -> None:
    parsed = parse("Q: What is the mean of a fair die?\nA: 3.5\n\nQ: And its variance?\nA: 35/12\n")
    assert sides(parsed) == [
        ("basic", "What is the mean of a fair die?", "3.5"),
        ("basic", "And its variance?", "35/12"),
    ]
    card = parsed.cards[0]
    assert card.id == "stats/Probability#what-is-the-mean-of-a-fair-die"
    assert (card.line, card.steps[0].line, card.deck, card.format) == (
        1,
        2,
        "Probability",
        "hashcards",
    )


def test_both_sides_run_over_several_lines_and_blank_lines() -> None:
    text = (
        "Q: Which distribution\nmodels waiting times?\n\n![plot](exp.png)\n\n"
        "A:\n\nThe exponential:\n\n$$\nf(x) = \\lambda e^{-\\lambda x}\n$$\n\n\n"
        "Q: Next?\nA: Yes\n"
    )
    assert sides(parse(text))[0] == (
        "basic",
        "Which distribution\nmodels waiting times?\n\n![plot](exp.png)",
        "The exponential:\n\n$$\nf(x) = \\lambda e^{-\\lambda x}\n$$",
    )


def test_each_bracketed_deletion_is_a_sibling_card() -> None:
    parsed = parse("C: The [median] minimises [absolute] error.\n")
    assert [(card.kind, card.question) for card in parsed.cards] == [
        (CardKind.CLOZE, "The {{c1::median}} minimises absolute error."),
        (CardKind.CLOZE, "The median minimises {{c2::absolute}} error."),
    ]
    note = "stats/Probability#the-median-minimises-absolute-error"
    assert [card.id for card in parsed.cards] == [f"{note}/c1", f"{note}/c2"]
    assert {card.note for card in parsed.cards} == {note}


def test_a_cloze_over_several_lines_with_an_image_code_and_math() -> None:
    text = (
        "C:\nIn `x[0]` the bracket is code, $[0, 1]$ is math,\n\n"
        "![a plot](plot.png) is an image, and the [unit interval] is hidden.\n"
    )
    assert [card.question for card in parse(text).cards] == [
        "In `x[0]` the bracket is code, $[0, 1]$ is math,\n\n"
        "![a plot](plot.png) is an image, and the {{c1::unit interval}} is hidden."
    ]


def test_text_before_the_first_card_is_ignored_with_a_warning() -> None:
    parsed = parse("# Probability\n\nMy notes.\n\nQ: P(A or B)?\nA: P(A) + P(B) - P(A and B)\n")
    assert len(parsed.cards) == 1
    assert [str(problem) for problem in parsed.warnings] == [
        "stats/Probability.md:1: text before the first card is ignored"
    ]


def test_an_identical_card_is_kept_once() -> None:
    parsed = parse("Q: Why?\nA: So.\n\nQ: Why?\nA: So.\n\nQ: Why?\nA: Because.\n")
    assert [card.id for card in parsed.cards] == [
        "stats/Probability#why",
        "stats/Probability#why~2",
    ]
    assert [str(problem) for problem in parsed.warnings] == [
        "stats/Probability.md:4: the same card as line 1; kept once"
    ]


def test_the_deck_is_the_file_name_or_the_toml_name() -> None:
    assert {card.deck for card in parse("Q: a\nA: b\n").cards} == {"Probability"}
    named = parse('---\nname = "Statistics"\n---\n\nQ: a\nA: b\n')
    assert {card.deck for card in named.cards} == {"Statistics"}


def test_yaml_front_matter_gives_quizapps_keys() -> None:
    text = (
        "---\ndeck: interview\ntags: [stats, difficulty/easy]\nid: probability\n---\nQ: a\nA: b\n"
    )
    card = parse(text).cards[0]
    assert (card.deck, card.tags, card.difficulty, card.id) == (
        "interview",
        ("stats",),
        "easy",
        "probability#a",
    )


def test_prefixes_inside_fenced_code_continue_the_card() -> None:
    text = "Q: What does this print?\n```\nQ: not a question\nA: not an answer\n```\nA: Nothing\n"
    assert sides(parse(text)) == [
        ("basic", "What does this print?\n```\nQ: not a question\nA: not an answer\n```", "Nothing")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Q: a\nA: b\n",
        "Intro.\n\nQ: a\n\nmore\nA: b\n",
        "C: The [mode] is most frequent.\n",
        "C:\nA multi-line\ncloze with a [gap].\n",
    ],
)
def test_claims_hashcards_decks(text: str) -> None:
    assert HASHCARDS.sniff(text, FileContext("d.md"))


@pytest.mark.parametrize(
    "text",
    [
        "A: an answer first\nQ: then a question\n",
        "Q: a question only\n",
        "C: no gap\n",
        "Notes about Q: and A: prefixes.\n",
    ],
)
def test_leaves_other_files_alone(text: str) -> None:
    assert not HASHCARDS.sniff(text, FileContext("d.md"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Q: a\nA: b\nA: c\n",
            "d.md:3: a second answer (A:) to the question of line 1: merge them, or start a "
            'question with "Q:" above it',
        ),
        (
            "Q: a\nQ: b\nA: c\n",
            "d.md:2: a new question (Q:) before the question of line 1 has its answer: "
            'write "A: …" for it',
        ),
        (
            "Q: a\nC: [b]\n",
            "d.md:2: a new cloze card (C:) before the question of line 1 has its answer: "
            'write "A: …" for it',
        ),
        (
            "C: [a]\nA: b\nQ: x\nA: y\n",
            "d.md:2: an answer (A:) after a cloze card (C:): a cloze card has no answer; start "
            'a question with "Q:" above it',
        ),
        (
            "Q: a\nA: b\n\nQ: c\n\n",
            'd.md:6: the question of line 4 has no answer: write "A: …" after it',
        ),
        (
            "Q: a\nA: b\n\nC: no deletion here\n",
            "d.md:4: a cloze card (C:) with no [deletion]: put the hidden text in square brackets",
        ),
        (
            "Q: a\nA: b\nC: an [unclosed gap\n",
            'd.md:3: this "[" is never closed: end the deletion with "]"',
        ),
        (
            "Q: a\nA: b\nC: a [nested [gap]]\n",
            "d.md:3: a [deletion] inside another: deletions cannot be nested",
        ),
        (
            "Q: a\nA: b\nC: an [ ] empty gap\n",
            'd.md:3: the deletion "[ ]" hides nothing: write the hidden text',
        ),
        (
            "Q: a\nA: b\nC: the [a}}b] gap\n",
            'd.md:3: the deletion "[a}}b]" holds "::", "{{" or "}}": reword it',
        ),
        (
            "Q: a\nA: b\nC: Anki's {{c1::x}} and a [gap]\n",
            'd.md:3: this cloze card holds "{{c1::", which is cloze markup, not a hashcards '
            "deletion: write its deletions in [brackets] only",
        ),
        ("Q:\nA: b\n", 'd.md:1: this question (Q:) is empty: write it after "Q:"'),
        ("Q: a\nA:\n\nQ: c\nA: d\n", 'd.md:2: this answer (A:) is empty: write it after "A:"'),
        (
            '---\nname = "unclosed\n---\nQ: a\nA: b\n',
            "d.md:1: broken TOML front matter: Unterminated string (at end of document)",
        ),
    ],
)
def test_malformed_decks_give_one_error_and_no_card(text: str, message: str) -> None:
    parsed = parse_text(text, path="d.md", format="hashcards")
    assert parsed.cards == [] and [str(problem) for problem in parsed.errors] == [message]


def test_an_answer_with_no_question_is_an_error_even_when_detected() -> None:
    parsed = parse_text("A: orphan\n\nQ: a\nA: b\n", path="d.md", format="hashcards")
    assert [str(problem) for problem in parsed.errors] == [
        'd.md:1: an answer (A:) with no question before it: write "Q: …" above it'
    ]


# -- through the importer ------------------------------------------------------------------

DECK = """\
Q: What does the central limit theorem say?
A: Sums of many independent variables are approximately normal.

C: A [p-value] is the probability of data at least as extreme under the [null hypothesis].

Q: What is a type I error?
A: Rejecting a true null hypothesis.
"""


def test_reimport_changes_nothing_and_answer_edits_keep_history(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    path = folder / "Inference.md"
    path.write_text(DECK)
    first = import_paths(db, [folder], now=NOW)
    assert (first.new, first.updated, first.errors) == (4, 0, [])
    again = import_paths(db, [folder], now=NOW)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)
    uid = "Inference#what-is-a-type-i-error"
    pk = int(run_sql(db, f"SELECT id FROM cards WHERE uid = '{uid}'")[0][0])
    run_sql(db, f"UPDATE card_states SET reps = 2, state = 2, stability = 4.0 WHERE card_id = {pk}")
    run_sql(
        db,
        "INSERT INTO review_logs (card_id, rating, reviewed_at, duration_ms, state_before,"
        f" state_after) VALUES ({pk}, 3, '2026-01-14 10:00:00', 900, '{{}}', '{{}}')",
    )
    # hashcards would reset this card (its hash changes); quizapp keeps it.
    path.write_text(DECK.replace("true null hypothesis.", "true null hypothesis (a false alarm)."))
    report = import_paths(db, [folder], now=NOW)
    assert (report.new, report.updated, report.missing) == (0, 1, 0)
    stored = CardRepository(db).get(uid)
    assert stored is not None and stored.pk == pk and stored.memory.reps == 2
    assert "false alarm" in stored.card.steps[0].text
    assert run_sql(db, "SELECT card_id FROM review_logs") == [(pk,)]


def test_a_deletion_added_in_the_middle_takes_the_next_number(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    path = folder / "Inference.md"
    path.write_text(DECK)
    import_paths(db, [folder], now=NOW)
    note = "Inference#a-p-value-is-the-probability-of-data-at-least-97fa81d4"
    first = int(run_sql(db, f"SELECT id FROM cards WHERE uid = '{note}/c1'")[0][0])
    # Deletions are numbered in order, as the plugin and hashcards count them: a new one
    # before the last makes that one /c3, and /c2 is now the new deletion.
    path.write_text(DECK.replace("as extreme", "[as extreme]"))
    report = import_paths(db, [folder], now=NOW)
    assert (report.new, report.updated, report.unchanged, report.missing) == (1, 1, 3, 0)
    repo = CardRepository(db)
    kept = repo.get(f"{note}/c1")
    assert kept is not None and kept.pk == first and "{{c1::p-value}}" in kept.card.question
    second, third = repo.get(f"{note}/c2"), repo.get(f"{note}/c3")
    assert second is not None and "{{c2::as extreme}}" in second.card.question
    assert third is not None and "{{c3::null hypothesis}}" in third.card.question


def test_a_card_over_the_block_limit_is_an_error_however_short() -> None:
    answer = "-\n" * 34  # 34 empty list items: 103 blocks in 68 characters
    parsed = parse_text(f"Q: Which items?\nA:\n{answer}", path="d.md")
    assert parsed.cards == [] and [str(problem) for problem in parsed.errors] == [
        "d.md:1: this card holds 104 Markdown blocks, over the limit of 100; "
        "split it into several cards"
    ]


def test_a_card_over_the_formula_limit_is_an_error() -> None:
    formulas = " ".join("$x$" for _ in range(301))
    parsed = parse_text(f"Q: Which formulas?\nA: {formulas}\n", path="d.md")
    assert [str(problem) for problem in parsed.errors] == [
        "d.md:1: this card holds 301 formulas, over the limit of 300; split it into several cards"
    ]


def test_more_than_ten_thousand_cards_in_one_file_is_an_error() -> None:
    text = "".join(f"Q: Question {index}?\nA: {index}\n" for index in range(10_001))
    parsed = parse_text(text, path="d.md")
    assert [str(problem) for problem in parsed.errors] == [
        "d.md:20001: more than 10,000 cards in one file; split it into several files"
    ]


def test_an_inline_file_may_hold_more_cards_than_a_native_one() -> None:
    """An Anki export or a long question list holds thousands of one-line cards."""
    text = "".join(f"Q: Question {index}?\nA: {index}\n" for index in range(1_000))
    parsed = parse_text(text, path="d.md")
    assert parsed.errors == []
    assert len(parsed.cards) == 1_000
