"""Folding for search: one fold of the joined fields equals folding each field."""

from __future__ import annotations

from quizapp.cards.model import Card, Step
from quizapp.cards.textfold import FIELD_SEPARATOR, fold, search_fields, search_text

#: Fields that fold differently alone and in company, if anything did: final sigma,
#: Turkish dotted I, ligatures and full-width letters (NFKC), a field that opens with a
#: combining mark, German sharp s, plain ASCII beside non-ASCII.
_TRICKY = (
    "ΟΔΥΣΣΕΥΣ",
    "İstanbul",
    "ﬁnance Ｆｕｌｌ",
    "\u0301accent first",
    "Straße",
    "plain ASCII",
    "i",
    "\u0307dot",
)


def test_search_text_is_each_field_folded_and_joined() -> None:
    for index in range(len(_TRICKY)):
        fields = _TRICKY[index:] + _TRICKY[:index]
        card = Card(
            id="deck/card",
            title=fields[0],
            question=fields[1],
            steps=tuple(Step(("Answer",), text, 1) for text in fields[2:]),
        )
        expected = FIELD_SEPARATOR.join(fold(field) for field in search_fields(card))
        assert search_text(card) == expected


def test_fold_matches_across_scripts_and_case() -> None:
    assert fold("İSTANBUL") == fold("istanbul")
    assert fold("STRASSE") == fold("straße")
    assert fold("Вопрос") == fold("вопрос")
    assert fold("é") != fold("e")
