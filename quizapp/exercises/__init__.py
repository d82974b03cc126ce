"""Live NumPy exercises: draw numbers, compute references, check and diagnose answers.

Importing this package is cheap: NumPy and the engine load on first use of a public name,
so the TUI pays for them only when an exercise opens. See ``docs/exercises.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.exercises.attempt import ExerciseAttempt, ExerciseSession
    from quizapp.exercises.builtin import builtin_for_tags, load_builtin_exercises, spec_for_card
    from quizapp.exercises.checking import Verdict, check_answer
    from quizapp.exercises.display import format_matrix
    from quizapp.exercises.errors import ExerciseError
    from quizapp.exercises.gameability import audit_spec, check_gameability
    from quizapp.exercises.instance import ExerciseInstance, new_instance
    from quizapp.exercises.parsing import parse_spec
    from quizapp.exercises.rating import AskOutcome, suggest_rating
    from quizapp.exercises.spec import Ask, ExerciseSpec, Tolerance
    from quizapp.exercises.verification import verify_spec

_WHERE = {
    "ExerciseAttempt": "attempt",
    "ExerciseSession": "attempt",
    "spec_for_card": "builtin",
    "builtin_for_tags": "builtin",
    "load_builtin_exercises": "builtin",
    "Verdict": "checking",
    "check_answer": "checking",
    "format_matrix": "display",
    "ExerciseError": "errors",
    "audit_spec": "gameability",
    "check_gameability": "gameability",
    "ExerciseInstance": "instance",
    "new_instance": "instance",
    "parse_spec": "parsing",
    "AskOutcome": "rating",
    "suggest_rating": "rating",
    "Ask": "spec",
    "ExerciseSpec": "spec",
    "Tolerance": "spec",
    "verify_spec": "verification",
}

__all__ = [
    "Ask",
    "AskOutcome",
    "ExerciseAttempt",
    "ExerciseError",
    "ExerciseInstance",
    "ExerciseSession",
    "ExerciseSpec",
    "Tolerance",
    "Verdict",
    "audit_spec",
    "builtin_for_tags",
    "check_answer",
    "check_gameability",
    "format_matrix",
    "load_builtin_exercises",
    "new_instance",
    "parse_spec",
    "spec_for_card",
    "suggest_rating",
    "verify_spec",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'quizapp.exercises' has no attribute {name!r}")
    return getattr(importlib.import_module(f"quizapp.exercises.{module}"), name)
