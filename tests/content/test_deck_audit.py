"""Every exercise of the bundled deck passes the gameability audit (issue 16).

The audit is what keeps ``quizapp check content/`` clean: 200 seeds per exercise, no ask
all zero, no mistake right by chance in more than 1 % of them, honest work from the
display accepted in 99 %. The card exercises are audited once per session by the shared
check (``conftest.py``); each test here reads its own card's lines from that report. The
built-ins, which ``check`` does not read (they are not cards), are audited directly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cards import parse_file
from quizapp.cards.model import Card
from quizapp.exercises import load_builtin_exercises
from quizapp.exercises.gameability import cached_audit
from quizapp.exercises.spec import ExerciseSpec
from quizapp.services.importer import ImportReport

CONTENT = Path(__file__).resolve().parents[2] / "content"

CARDS = [
    card
    for path in sorted(CONTENT.rglob("*.md"))
    for card in parse_file(path, CONTENT).cards
    if card.exercises
]
BUILTINS = load_builtin_exercises(CONTENT / "exercises")


@pytest.mark.parametrize("card", CARDS, ids=[card.id for card in CARDS])
def test_every_card_exercise_passes_the_audit(card: Card, deck_report: ImportReport) -> None:
    source = Path(card.source).resolve()
    problems = [str(p) for p in deck_report.errors if Path(p.file).resolve() == source]
    assert problems == []


@pytest.mark.parametrize("spec", BUILTINS, ids=[spec.id for spec in BUILTINS])
def test_every_builtin_exercise_passes_the_audit(spec: ExerciseSpec) -> None:
    findings = cached_audit(spec)
    assert findings == [], "\n".join(f.message for f in findings)


def test_the_audit_is_not_vacuous() -> None:
    """The deck has its 40-odd card exercises to audit, and the shared check reads them."""
    assert len(CARDS) >= 40 and BUILTINS
