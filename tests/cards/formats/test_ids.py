"""Identity policies: native ids come from paths and titles; inline ids from the question,
with a positional fallback that keeps an edited question's history."""

from __future__ import annotations

from dataclasses import replace

from quizapp.cards.formats.ids import (
    MAX_SLUG_CHARS,
    inline_ids,
    native_id,
    normalise_question,
    question_key,
)
from quizapp.cards.identity import content_hash
from quizapp.cards.model import Card, CardKind, Step

QUESTIONS = ["What is dropout?", "What does **batch norm** fix?", "Why use Adam?"]


def test_native_ids() -> None:
    assert native_id("ml/dropout", "Dropout", "Dropout", multi=False) == "ml/dropout"
    assert native_id("ml/notes", "Batch Norm", "Batch Norm", multi=True) == "ml/notes#batch-norm"
    assert native_id("", "", "Front Matter Title", multi=False) == "front-matter-title"


def test_inline_ids_are_the_file_id_and_the_question() -> None:
    assert inline_ids("ml/qa", QUESTIONS) == [
        "ml/qa#what-is-dropout",
        "ml/qa#what-does-batch-norm-fix",
        "ml/qa#why-use-adam",
    ]


def test_case_spacing_and_emphasis_do_not_change_an_id() -> None:
    assert normalise_question("What  does **Batch Norm**\nfix?") == "what does batch norm fix?"
    edited = ["what is   DROPOUT?", "What does batch norm fix?", "Why use _Adam_?"]
    assert inline_ids("f", edited) == inline_ids("f", QUESTIONS)


def test_reordering_and_inserting_keep_every_id() -> None:
    before = inline_ids("f", QUESTIONS)
    reordered = [QUESTIONS[2], "A new question?", QUESTIONS[0], QUESTIONS[1]]
    after = inline_ids("f", reordered, previous=before)
    assert after == [before[2], "f#a-new-question", before[0], before[1]]


def test_an_edited_question_keeps_its_id_at_the_same_position() -> None:
    before = inline_ids("f", QUESTIONS)
    edited = [QUESTIONS[0], "What problem does batch normalisation solve?", QUESTIONS[2]]
    assert inline_ids("f", edited, previous=before) == before
    # Without the previous ids (a first import) it is simply a new question.
    assert inline_ids("f", edited)[1] == "f#what-problem-does-batch-normalisation-solve"


def test_an_edit_that_also_moves_the_card_starts_a_new_card() -> None:
    before = inline_ids("f", QUESTIONS)
    moved = ["A new first question?", QUESTIONS[0], "Batch norm, reworded?", QUESTIONS[2]]
    after = inline_ids("f", moved, previous=before)
    assert after[0] == "f#a-new-first-question"
    assert (after[1], after[3]) == (before[0], before[2])  # found by their questions
    # The reworded card is now at position 2, whose old card (Adam) still exists.
    assert after[2] == "f#batch-norm-reworded" and before[1] not in after


def test_an_old_id_is_reused_once_and_never_for_a_card_that_still_exists() -> None:
    before = inline_ids("f", ["A?", "B?"])
    after = inline_ids("f", ["B?", "C?"], previous=before)
    assert after == ["f#b", "f#c"]  # position 0 holds B, which still exists


def test_repeated_questions_and_siblings() -> None:
    ids = inline_ids("f", ["Same?", "Same?", "Cloze", "Cloze"], siblings=["", "", "c1", "c2"])
    assert ids == ["f#same", "f#same~2", "f#cloze/c1", "f#cloze/c2"]
    # "~" never occurs in a slug, so a question ending in 2 cannot meet a repeat.
    assert inline_ids("f", ["Step?", "Step?", "Step 2?"]) == ["f#step", "f#step~2", "f#step-2"]


def test_long_questions_are_cut_and_told_apart_by_a_digest() -> None:
    start = "Explain in detail how the attention mechanism of a transformer "
    first, second = question_key(start + "scales"), question_key(start + "is masked")
    assert first != second
    assert len(first) <= MAX_SLUG_CHARS + 9 and first.startswith("explain-in-detail")


def test_kind_and_sibling_group_count_in_the_hash_only_when_set() -> None:
    card = Card(id="f#q", title="Q", question="Q?", steps=(Step(("Answer",), "A"),))
    basic = content_hash(card)
    assert content_hash(replace(card, format="lines")) == basic
    assert content_hash(replace(card, kind=CardKind.CLOZE)) != basic
    assert content_hash(replace(card, note="f#q")) != basic


def test_hashed_copies_every_field_and_sets_the_content_hash() -> None:
    from quizapp.cards.identity import hashed

    card = Card(
        id="ml/qa#what-is-dropout",
        title="What is dropout?",
        question="What is dropout?",
        steps=(Step(("Answer",), "Zeroing units at random.", 3),),
        tags=("ml",),
        difficulty="easy",
        deck="ml/basics",
        source="ml/qa.md",
        line=2,
        kind=CardKind.CLOZE,
        note="ml/qa#n",
        format="hashcards",
    )
    assert hashed(card) == replace(card, content_hash=content_hash(card))
    assert hashed(card).content_hash == content_hash(card) != ""
