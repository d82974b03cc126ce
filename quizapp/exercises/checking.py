"""Checks one typed answer against its reference and explains the result.

``check_answer`` never raises for anything the learner typed: a refused or unparsable
answer is the verdict ``invalid`` with the reason, so front ends can show it as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from quizapp.exercises.answers import parse_answer
from quizapp.exercises.autodiff import Array, shape_text
from quizapp.exercises.deadline import Clock
from quizapp.exercises.diagnosis import FLAT_LIST, close, diagnose, same_shape
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.instance import ExerciseInstance
from quizapp.exercises.shapes import flat_list_advice, invalid_advice, shape_advice

CORRECT = "correct"
INCORRECT = "incorrect"
SHAPE_MISMATCH = "shape_mismatch"
INVALID = "invalid"

#: ``Verdict.variant`` of a shape mismatch explained by what would give the right shape.
SHAPE_ADVICE = "shape_advice"


@dataclass(frozen=True)
class Verdict:
    """The result of checking one answer.

    ``verdict`` is one of ``correct``, ``incorrect``, ``shape_mismatch``, ``invalid``.
    ``message`` is a one-line summary (for ``shape_mismatch``: ``expected 1×2, got 2×1``;
    for ``invalid``: the reason). ``diagnosis`` is the sentence naming the likely mistake,
    or None; for ``invalid`` it repeats the reason. ``variant`` is the machine name of the
    matched variant (see ``diagnosis.py``).
    """

    ask: str
    verdict: str
    message: str
    diagnosis: str | None
    variant: str | None
    value: Array | None
    expected_shape: tuple[int, ...]

    @property
    def correct(self) -> bool:
        """True for the verdict ``correct``."""
        return self.verdict == CORRECT

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: arrays become nested lists, shapes lists of ints."""
        value: object = None
        if self.value is not None:
            value = float(self.value) if self.value.ndim == 0 else self.value.tolist()
        return {
            "ask": self.ask,
            "verdict": self.verdict,
            "message": self.message,
            "diagnosis": self.diagnosis,
            "variant": self.variant,
            "value": value,
            "expected_shape": list(self.expected_shape),
        }


def check_answer(
    instance: ExerciseInstance,
    ask: str,
    text: str,
    earlier: Mapping[str, Array] | None = None,
    *,
    clock: Clock | None = None,
) -> Verdict:
    """Check ``text`` as the answer to ``ask``.

    ``earlier`` holds the learner's values of earlier asks, usable by name in an
    expression answer; earlier asks missing from it use their reference. ``clock`` times
    the diagnosis of a wrong answer against its deadline (``time.monotonic`` by default);
    a diagnosis that runs out of time leaves the verdict without one. Raises
    ``ExerciseError`` only when ``ask`` is not an ask of the exercise.
    """
    spec_ask = instance.ask(ask)
    reference = instance.references[ask]
    expected = tuple(reference.shape)
    try:
        value = parse_answer(text, instance.scope_for(ask, earlier))
    except ExerciseError as exc:
        diagnosis: str | None = exc.message
        if "don't fit" in exc.message:
            advice = invalid_advice(text, instance.scope_for(ask, earlier), expected)
            diagnosis = exc.message if advice is None else f"{exc.message}. {advice}"
        return Verdict(ask, INVALID, exc.message, diagnosis, None, None, expected)
    value = np.asarray(value, dtype=np.float64)
    if close(value, reference, instance.spec.tolerance):
        return Verdict(ask, CORRECT, "correct", None, None, value, expected)
    got = tuple(value.shape)
    flat = None if same_shape(value, reference) else flat_list_advice(text, got, expected)
    if flat is not None:
        # ``[0.08, 0.06]`` for a row: the syntax is the mistake, not a transposed answer
        message = f"expected {shape_text(expected)}, got {shape_text(got)}"
        return Verdict(ask, SHAPE_MISMATCH, message, flat, FLAT_LIST, value, expected)
    variant = diagnose(instance, spec_ask, value, clock=clock)
    diagnosis = None if variant is None else variant.message
    key = None if variant is None else variant.key
    if not same_shape(value, reference):
        message = f"expected {shape_text(expected)}, got {shape_text(got)}"
        if diagnosis is None:
            diagnosis = shape_advice(text, instance.scope_for(ask, earlier), got, expected)
            key = None if diagnosis is None else SHAPE_ADVICE
        return Verdict(ask, SHAPE_MISMATCH, message, diagnosis, key, value, expected)
    return Verdict(ask, INCORRECT, "incorrect", diagnosis, key, value, expected)
