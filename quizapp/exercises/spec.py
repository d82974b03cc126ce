"""The parsed form of an exercise: what is drawn, computed, shown and asked.

These frozen dataclasses are produced by ``parse_spec`` (in ``parsing.py``) and consumed
by ``new_instance``; they hold checked expression trees, never raw YAML, so everything
downstream can trust names, order and syntax.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.exercises.language import Expression

#: Tolerances used when a spec gives none. rtol 1e-2 lets answers computed from the
#: displayed (4-decimal) values pass; atol is kept small because gradient entries are often
#: around 1e-3, where a larger atol would accept an answer of 0.
DEFAULT_RTOL = 1e-2
DEFAULT_ATOL = 1e-4


@dataclass(frozen=True)
class Tolerance:
    """How close an answer must be: ``np.allclose(answer, reference, rtol, atol)``."""

    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL


@dataclass(frozen=True)
class Definition:
    """One ``given`` draw or one ``compute`` step: ``name: expression`` at a card line."""

    name: str
    expression: Expression
    line: int


@dataclass(frozen=True)
class Mistake:
    """A wrong answer the author expects, and what to say when a learner gives it."""

    expression: Expression
    says: str
    line: int


@dataclass(frozen=True)
class Ask:
    """One quantity the learner must compute.

    ``step`` is the heading of the card's derivation step that the hint links back to.
    """

    name: str
    prompt: str
    answer: Expression
    hint: str | None
    step: str | None
    mistakes: tuple[Mistake, ...]
    line: int

    @property
    def uses_grad(self) -> bool:
        """True when the reference is (or contains) a gradient."""
        return bool(self.answer.grads)


@dataclass(frozen=True)
class ExerciseSpec:
    """A whole checked exercise. ``source`` and ``line`` say where it was written."""

    id: str
    title: str
    given: tuple[Definition, ...]
    compute: tuple[Definition, ...]
    show: tuple[str, ...]
    asks: tuple[Ask, ...]
    tolerance: Tolerance
    tags: tuple[str, ...] = ()
    source: str = ""
    line: int = 1

    def ask(self, name: str) -> Ask | None:
        """The ask called ``name``, if any."""
        return next((a for a in self.asks if a.name == name), None)
