"""How each kind of card is asked and revealed (``quizapp.cards.kinds.present``)."""

from __future__ import annotations

from quizapp.cards.kinds import NO_WRITTEN_ANSWER, display_title, present
from quizapp.cards.model import Card, CardKind, Step

STEP = Step(("Result",), "It is $x$.")


def card(kind: CardKind, question: str = "What is x?", title: str = "X") -> Card:
    return Card(id="x", title=title, question=question, steps=(STEP,), kind=kind)


def test_basic_and_reversed_show_question_then_steps() -> None:
    for kind in (CardKind.BASIC, CardKind.REVERSED):
        shown = present(card(kind))
        assert (shown.title, shown.question, shown.filled, shown.steps) == (
            "X",
            "What is x?",
            None,
            (STEP,),
        )
        assert shown.reveals == 1


def test_cloze_is_masked_then_filled_and_its_steps_follow() -> None:
    text = "The {{c1::gradient::a vector}} points uphill."
    shown = present(card(CardKind.CLOZE, text, title=text))
    assert shown.title == shown.question == "The **[a vector]** points uphill."
    assert shown.filled == "The **gradient** points uphill."
    assert shown.steps == (STEP,) and shown.reveals == 2
    assert display_title(card(CardKind.CLOZE, text, title=text)) == "The gradient points uphill."


def test_a_malformed_stored_cloze_is_shown_as_written() -> None:
    shown = present(card(CardKind.CLOZE, "The {{c1::gradient", title="The {{c1::g"))
    assert (shown.title, shown.question, shown.filled) == (
        "The {{c1::g",
        "The {{c1::gradient",
        "The {{c1::gradient",
    )


def test_cloze_markup_in_a_basic_card_is_left_alone() -> None:
    text = "Write {{c1::x}} in Anki."
    shown = present(card(CardKind.BASIC, text, title=text))
    assert shown.question == text and display_title(card(CardKind.BASIC, text, title=text)) == text


def test_question_only_reveals_that_there_is_no_written_answer() -> None:
    shown = present(Card(id="q", title="Q", question="Why?", steps=(), kind=CardKind.QUESTION_ONLY))
    assert shown.steps == (Step((), NO_WRITTEN_ANSWER),) and shown.reveals == 1
    assert NO_WRITTEN_ANSWER == "No written answer: rate how well you answered aloud."
