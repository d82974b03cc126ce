"""The parsed form of an exercise: what is drawn, computed, shown and asked.

These frozen dataclasses are produced by ``parse_spec`` (in ``parsing.py``) and consumed
by ``new_instance``; they hold checked expression trees, never raw YAML, so everything
downstream can trust names, order and syntax.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.exercises.expr import Expression
from quizapp.exercises.limits import ATOL_SCALE, ZERO_SCALE

#: Tolerances used when a spec gives none. rtol 1e-2 lets answers computed from the
#: displayed (4-decimal) values pass; atol 1e-4 absorbs their rounding in entries near
#: zero, and shrinks with the ask's scale (see ``Tolerance.atol_at``) for small references.
DEFAULT_RTOL = 1e-2
DEFAULT_ATOL = 1e-4


@dataclass(frozen=True)
class Tolerance:
    """How close an answer must be: ``np.allclose(answer, reference, rtol, atol_at(s))``
    where ``s`` is the reference's scale (its largest absolute entry)."""

    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL

    def atol_at(self, scale: float) -> float:
        """The absolute tolerance for a reference whose largest absolute entry is ``scale``.

        ``atol``, but never more than ``ATOL_SCALE`` × ``scale``: an absolute tolerance
        that suits values around 1 would accept 0 for an ask whose values are all around
        1e-5. (Below ``ZERO_SCALE`` the reference is round-off of a zero, and 0 is right.)
        """
        return min(self.atol, ATOL_SCALE * max(scale, ZERO_SCALE))


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
    ``hints`` are the hint's levels, at most two: the idea without the formula, then the
    step; ``hint`` is the first (None when there is none).
    ``twice`` and ``half`` name the likely causes of an answer twice or half the right
    one in this exercise (a temperature of 0.5, a mean over two time steps…); without
    them the diagnosis says only "off by a factor of 2".
    """

    name: str
    prompt: str
    answer: Expression
    hint: str | None
    step: str | None
    mistakes: tuple[Mistake, ...]
    line: int
    twice: str | None = None
    half: str | None = None
    hints: tuple[str, ...] = ()

    @property
    def uses_grad(self) -> bool:
        """True when the reference is (or contains) a gradient."""
        return bool(self.answer.grads)


@dataclass(frozen=True)
class ExerciseSpec:
    """A whole checked exercise. ``source`` and ``line`` say where it was written.

    ``subject`` (built-ins only): words of which one must be in a card's title or id for
    the built-in to be offered to it, beyond a shared tag.
    """

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
    subject: tuple[str, ...] = ()

    def ask(self, name: str) -> Ask | None:
        """The ask called ``name``, if any."""
        return next((a for a in self.asks if a.name == name), None)
