"""The card fields a bilingual note fills: its language, alternates and "More" sections.

They must be part of what is noticed as an edit, yet a card without them must keep the
content hash it always had (every stored native card would otherwise be rewritten).
"""

from __future__ import annotations

from dataclasses import replace

from quizapp.cards.identity import content_hash
from quizapp.cards.model import Card, CardExtra, LanguageVersion, Step

_BASE = Card(
    id="ml/bias-variance",
    title="Bias-variance",
    question="What is the bias-variance tradeoff?",
    steps=(Step(("Answer",), "Error splits into bias, variance and noise."),),
)

#: The hash ``_BASE`` had before cards had languages (computed with the commit before).
_BASE_HASH = "634b3948cb08b901846b1139c30f206eee827181627656bcb14cc0404fef0554"


def _bilingual() -> Card:
    return replace(
        _BASE,
        language="en",
        alternates=(
            LanguageVersion("ru", "Что такое компромисс?", (Step(("Ответ",), "Ошибка."),)),
        ),
    )


def test_empty_language_fields_leave_the_hash_as_it_was() -> None:
    with_name = replace(_BASE, link_name="Bias-Variance Tradeoff")
    assert content_hash(with_name) == content_hash(_BASE)
    assert content_hash(_BASE) == _BASE_HASH


def test_language_alternates_and_extras_change_the_hash() -> None:
    hashes = {
        content_hash(_BASE),
        content_hash(replace(_BASE, language="en")),
        content_hash(_bilingual()),
        content_hash(replace(_BASE, extras=(CardExtra("follow_ups", "Follow-ups", "- Why?"),))),
        content_hash(replace(_BASE, extras=(CardExtra("references", "References", "- Why?"),))),
    }
    assert len(hashes) == 5


def test_in_language_swaps_the_alternate_in() -> None:
    card = _bilingual()
    russian = card.in_language("ru")
    assert russian.language == "ru"
    assert russian.question == "Что такое компромисс?"
    assert russian.steps[0].text == "Ошибка."
    assert russian.alternates == (LanguageVersion("en", _BASE.question, _BASE.steps),)
    assert russian.in_language("en") == card


def test_in_language_keeps_a_side_the_alternate_lacks() -> None:
    card = replace(_bilingual(), alternates=(LanguageVersion("ru", "", (Step((), "Ошибка."),)),))
    russian = card.in_language("ru")
    assert russian.question == _BASE.question
    assert russian.steps == (Step((), "Ошибка."),)


def test_in_an_unknown_language_the_card_is_unchanged() -> None:
    card = _bilingual()
    assert card.in_language("de") is card
