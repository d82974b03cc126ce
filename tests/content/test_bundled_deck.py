"""The bundled deck meets its quality bar (issue 7).

These tests read the real ``content/`` folder: it is part of the product, and a card that
stops parsing, a related link that no longer resolves or an exercise whose gradient no
longer matches finite differences must fail the build.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from quizapp.cards import discover, parse_file
from quizapp.cards.model import Card
from quizapp.exercises import (
    ExerciseSpec,
    builtin_for_tags,
    load_builtin_exercises,
    parse_spec,
    verify_spec,
)
from quizapp.services.importer import ImportReport

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _cards() -> list[Card]:
    found = discover([str(CONTENT)])
    cards: list[Card] = []
    for source in found.files:
        cards.extend(parse_file(Path(source.path), Path(source.root)).cards)
    return cards


CARDS = _cards()


def _specs() -> list[tuple[str, ExerciseSpec]]:
    specs = [
        (card.id, parse_spec(ex.yaml, line=ex.line, source=card.source))
        for card in CARDS
        for ex in card.exercises
    ]
    specs.extend((f"builtin:{s.id}", s) for s in load_builtin_exercises(CONTENT / "exercises"))
    return specs


SPECS = _specs()


def test_check_reports_no_errors_and_no_warnings(deck_report: ImportReport) -> None:
    report = deck_report  # check_paths([CONTENT]), audits included (conftest.py)
    assert [str(p) for p in report.errors] == []
    assert [str(p) for p in report.warnings] == []
    assert report.new == len(CARDS)


def test_deck_size_and_decks_follow_folders() -> None:
    assert len(CARDS) >= 110
    llm = [card for card in CARDS if card.deck.startswith("llm-")]
    assert len(llm) >= 26, "issue 16: LLM training, inference and alignment cards"
    folders = {p.parent.name for p in CONTENT.rglob("*.md")}
    assert {card.deck for card in CARDS} == folders


def test_difficulty_split_is_roughly_a_third_each() -> None:
    counts = Counter(card.difficulty for card in CARDS)
    assert set(counts) == {"easy", "medium", "hard"}
    for level in ("easy", "medium", "hard"):
        assert counts[level] >= len(CARDS) * 0.25, counts


def test_every_card_has_tags_difficulty_steps_and_related_links_into_the_deck() -> None:
    names = {card.title.casefold() for card in CARDS} | {card.id.casefold() for card in CARDS}
    for card in CARDS:
        assert card.tags, card.id
        assert card.difficulty, card.id
        assert len(card.steps) >= 2, card.id
        assert card.related, card.id
        for related in card.related:
            assert related.casefold() in names, f"{card.id}: unresolved related {related!r}"


def test_at_least_forty_card_exercises_with_unique_ids() -> None:
    own = [card.id for card in CARDS for _ in card.exercises]
    assert len(own) >= 40, "issue 16: at least 40 exercises in the cards themselves"
    assert len(own) == len(set(own)), "a card shows only its first exercise block"
    ids = [spec.id for _, spec in SPECS]
    assert len(ids) == len(set(ids))


def test_every_deck_has_an_exercise_of_its_own() -> None:
    decks = {card.deck for card in CARDS}
    with_exercise = {card.deck for card in CARDS if card.exercises}
    assert sorted(decks - with_exercise) == []


def test_every_hint_links_to_a_step_of_its_card_and_every_exercise_names_mistakes() -> None:
    # The hint is the first level (the idea); the card step it names is the second (the
    # formula), so a step that no longer resolves silently loses half the help.
    for card in CARDS:
        titles = [step.title.casefold() for step in card.steps]
        for ex in card.exercises:
            spec = parse_spec(ex.yaml, line=ex.line, source=card.source)
            for ask in spec.asks:
                if ask.step is not None:
                    assert any(ask.step.casefold() in t for t in titles), (
                        f"{card.id}: ask `{ask.name}` links to a missing step {ask.step!r}"
                    )
            assert any(ask.mistakes for ask in spec.asks), f"{card.id}: no likely mistakes"


@pytest.mark.parametrize(("owner", "spec"), SPECS, ids=[owner for owner, _ in SPECS])
def test_every_exercise_agrees_with_finite_differences(owner: str, spec: ExerciseSpec) -> None:
    verify_spec(spec, seeds=5)


def test_backpropagation_cards_get_the_builtin_sigmoid_network() -> None:
    builtins = load_builtin_exercises(CONTENT / "exercises")
    spec = builtin_for_tags(builtins, ["DeepLearning", "backpropagation"])
    assert spec is not None
    assert "sigmoid" in spec.title.lower()


def test_every_formula_in_the_deck_renders_with_no_latex_left() -> None:
    from quizapp.cards.formulas import formulas
    from quizapp.mathtext import render_display, render_inline

    count = 0
    for card in CARDS:
        for text in (card.question, *(step.text for step in card.steps)):
            for formula in formulas(text):
                count += 1
                inline = render_inline(formula)
                display = "\n".join(render_display(formula, width=100))
                assert "\\" not in inline, f"{card.id}: {formula!r} -> {inline!r}"
                assert "\\" not in display, f"{card.id}: {formula!r} -> {display!r}"
    assert count > 1000
