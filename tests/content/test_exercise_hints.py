"""Every exercise ask in the bundled deck has a two-level hint (issue 16): the idea first,
without the formula, then the step, with its formula, linked to the card step that
derives it (the TUI shows that step beside the second level).

The first exercises had one hint, often the formula itself, and some no step link: a
learner who asked for help was handed the answer.
"""

from __future__ import annotations

from pathlib import Path

from quizapp.cards import parse_file
from quizapp.cards.model import Card
from quizapp.exercises import builtin_for_tags, load_builtin_exercises, parse_spec
from quizapp.exercises.spec import ExerciseSpec

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _cards(content: Path) -> list[Card]:
    paths = sorted(content.rglob("*.md"))
    return [card for path in paths for card in parse_file(path, content).cards]


def _resolves(name: str, card: Card) -> bool:
    """As the TUI finds a hint's step: the name within a step's title, in any case."""
    return any(name.casefold() in step.title.casefold() for step in card.steps)


def _ask_problems(owner: str, spec: ExerciseSpec) -> list[str]:
    """What is wrong with the hint levels of ``spec``'s asks."""
    problems: list[str] = []
    for ask in spec.asks:
        where = f"{owner}: ask `{ask.name}`"
        if len(ask.hints) != 2 or not all(level.strip() for level in ask.hints):
            problems.append(f"{where} has {len(ask.hints)} hint level(s), not [idea, step]")
        elif ask.hints[0] == ask.hints[1] or ask.hints[1] in ask.hints[0]:
            problems.append(f"{where}: the idea gives the step itself")
        if ask.step is None:
            problems.append(f"{where} links to no step of its card")
    return problems


def hint_problems(content: Path) -> list[str]:
    """Every hint problem of the deck in ``content``. A card's exercise links to steps of
    that card. A built-in links to steps of every card that would be offered it (one
    with no exercise of its own and the built-in's subject), and of at least one card of
    its subject: the bundled card it was modelled on."""
    cards = _cards(content)
    problems: list[str] = []
    for card in cards:
        for block in card.exercises:
            spec = parse_spec(block.yaml, line=block.line, source=card.source)
            problems += _ask_problems(card.id, spec)
            problems += [
                f"{card.id}: ask `{ask.name}`: step {ask.step!r} is not a step of the card"
                for ask in spec.asks
                if ask.step is not None and not _resolves(ask.step, card)
            ]
    for spec in load_builtin_exercises(content / "exercises"):
        owner = f"builtin:{spec.id}"
        problems += _ask_problems(owner, spec)
        subject = [
            card
            for card in cards
            if builtin_for_tags([spec], list(card.tags), card.title, card.id) is spec
        ]
        for ask in spec.asks:
            if ask.step is None:
                continue
            if not any(_resolves(ask.step, card) for card in subject):
                problems.append(f"{owner}: ask `{ask.name}`: step {ask.step!r} is in no card")
            problems += [
                f"{owner}: ask `{ask.name}`: step {ask.step!r} is not a step of {card.id}"
                for card in subject
                if not card.exercises and not _resolves(ask.step, card)
            ]
    return problems


def test_every_exercise_ask_has_two_hint_levels_and_a_step_that_resolves() -> None:
    assert hint_problems(CONTENT) == []


def test_a_one_level_hint_is_found(tmp_path: Path) -> None:
    card = (CONTENT / "probability" / "huber-loss.md").read_text(encoding="utf-8")
    start = card.index("hint: [", card.index("name: dy\n"))
    end = card.index("\n", start)
    (tmp_path / "huber-loss.md").write_text(
        card[:start] + 'hint: "The same values with the opposite sign."' + card[end:],
        encoding="utf-8",
    )
    (tmp_path / "exercises").mkdir()
    assert hint_problems(tmp_path) == ["huber-loss: ask `dy` has 1 hint level(s), not [idea, step]"]
