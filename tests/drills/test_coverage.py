"""Which formulas become drills: the bundled deck's coverage, a backprop card's 13
equations, and the formulas that are not drills with their reasons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.cards.parser import parse_text
from quizapp.content import bundled_deck_dir
from quizapp.drills.checking import check_drill_answer
from quizapp.drills.drill import card_drills

from .conftest import FIXTURES, card_from


def test_every_equation_of_a_backprop_card_is_a_drill() -> None:
    card = card_from((FIXTURES / "two-layer-tanh.md").read_text(), "two-layer-tanh.md")
    found = card_drills(card)
    assert len(found.drills) == 13
    assert [d.lhs for d in found.drills][:3] == ["h^{[1]}", "g^{[1]}", "h^{[2]}"]
    reasons = {s.site.latex.strip(): s.reason for s in found.skipped}
    assert reasons["O(L)"] == "not an equation `lhs = rhs`"
    assert any(r == "marked % no-drill" for r in reasons.values())
    matrix = {d.number for d in found.drills if d.matrix_checked}
    assert {1, 3, 8, 10, 11, 12, 13} <= matrix


def test_a_drill_shows_its_heading_and_the_sentence_before_it() -> None:
    card = card_from((FIXTURES / "two-layer-tanh.md").read_text(), "two-layer-tanh.md")
    drill = card_drills(card).drills[6]
    assert drill.lhs == r"\varepsilon^{[2]}"
    assert drill.heading == "Backward Pass › Output Layer"
    assert drill.sentence == "The output error multiplies by the sigmoid's slope."
    assert drill.symbols["h2"] == "h^{[2]}"
    verdict = check_drill_answer(drill, r"(\hat t - t) \sigma(h^{[2]})(1 - \sigma(h^{[2]}))")
    assert verdict.correct


#: Matrix notation, as the issue names it: transposes, ⊙, bold symbols, uppercase symbols.
_MATRIX_MARKS = re.compile(
    r"\^\{?\s*(T|\\top|\\intercal)\b|\\odot|\\mathbf|\\boldsymbol|\\bm\b"
    r"|(?<![\\A-Za-z{])[A-Z](?![a-z])"
)


def _plain(latex: str) -> bool:
    """No matrix notation: judged on the formula's text alike for drills and the rest
    (``\\text{…}`` words are prose, not symbols)."""
    return not _MATRIX_MARKS.search(re.sub(r"\\(text|mathrm|operatorname)\{[^}]*\}", "", latex))


@pytest.fixture(scope="module")
def deck_counts() -> tuple[int, int, int, int]:
    """(display formulas, drilled, formulas without matrix notation, drilled among them)."""
    formulas = drilled = plain = plain_drilled = 0
    for path in sorted(Path(bundled_deck_dir()).rglob("*.md")):
        parsed = parse_text(path.read_text(), path=str(path), default_id=path.stem)
        for card in parsed.cards:
            found = card_drills(card)
            made = {d.formula for d in found.drills}
            formulas += found.formulas
            drilled += len(made)
            sites = {s.site.number: s.site.latex for s in found.skipped}
            sites |= {d.formula: f"{d.lhs} = {d.rhs}" for d in found.drills}
            for number, latex in sites.items():
                if _plain(latex):
                    plain += 1
                    plain_drilled += number in made
    return formulas, drilled, plain, plain_drilled


def test_most_of_the_bundled_deck_can_be_drilled(deck_counts: tuple[int, int, int, int]) -> None:
    formulas, drilled, plain, plain_drilled = deck_counts
    assert formulas > 300
    assert drilled / formulas >= 0.60
    assert plain > 100
    assert plain_drilled / plain >= 0.80


def test_anki_notes_have_drills_too() -> None:
    """An Anki export (tab-separated, HTML fields, MathJax delimiters) gives drills from its
    display math, as quizapp's own cards do."""
    text = (
        "#separator:tab\n#html:true\n"
        "What is the sigmoid's derivative?\t"
        "It is <b>symmetric</b>:<br>\\[\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))\\]\n"
    )
    parsed = parse_text(text, path="deck.txt", default_id="deck")
    assert not parsed.errors, parsed.errors
    [card] = parsed.cards
    [drill] = card_drills(card).drills
    assert drill.lhs == r"\sigma'(z)"
    assert check_drill_answer(drill, r"\frac{e^{-z}}{(1 + e^{-z})^2}").correct
