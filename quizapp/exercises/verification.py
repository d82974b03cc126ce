"""Checks every ``grad`` of a spec against central finite differences.

This guards the engine rather than the author: if the autodiff ever disagrees with a
numerical derivative on some exercise, the exercise is refused at import instead of
teaching a wrong gradient. Each ``grad(L, v)`` is checked element by element: ``v`` is
perturbed by ±h (an intermediate is overridden and everything after it recomputed) and
``(L(v+h) − L(v−h)) / 2h`` is compared with the autodiff value.

The work is bounded twice: by counted work (``MAX_VERIFY_FLOPS``, decided before anything
is re-run, so a spec that is plainly too large is refused at once) and by a wall-clock
deadline (``VERIFY_DEADLINE``), checked before every forward pass, for whatever the count
gets wrong. Either way the spec is refused with one line naming the exercise.
"""

from __future__ import annotations

import numpy as np

from quizapp.exercises.autodiff import Array
from quizapp.exercises.deadline import Clock, Deadline
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.instance import build_graph, gradient, new_instance
from quizapp.exercises.limits import VERIFY_DEADLINE
from quizapp.exercises.spec import ExerciseSpec

#: Largest accepted relative error, ``max|g − fd| / max(max|g|, max|fd|, 1)``.
MAX_RELATIVE_ERROR = 1e-6
#: Finite-difference step, relative to the size of the perturbed entry.
STEP = 1e-5
#: Entries of one gradient checked one by one; beyond, a sample plus a random direction.
MAX_ENTRIES = 64
#: Forward-pass work (flop-equivalents, about nanoseconds) verification may spend on one
#: spec: about half of ``VERIFY_DEADLINE``, so the deadline is a backstop, not the rule.
MAX_VERIFY_FLOPS = 500_000_000


def verify_spec(
    spec: ExerciseSpec,
    seeds: int = 3,
    *,
    deadline: float = VERIFY_DEADLINE,
    clock: Clock | None = None,
) -> None:
    """Check every gradient over seeds ``0 … seeds−1``; raise ``ExerciseError`` naming the ask.

    Also reports, through ``new_instance``, NaN/inf references that only some seeds give.
    Small gradients are checked entry by entry; for a large one, ``MAX_ENTRIES`` entries
    drawn from the seed plus one random direction over all entries, so that the work
    stays under ``MAX_VERIFY_FLOPS``. An exercise too large even for that, or one that
    takes longer than ``deadline`` seconds on ``clock`` (``time.monotonic`` by default),
    is refused with an error naming it.
    """
    timer = Deadline(deadline, clock)
    checks = [(ask, grad) for ask in spec.asks for grad in ask.answer.grads]
    for seed in range(seeds):
        _in_time(spec, timer)
        instance = new_instance(spec, seed)
        if not checks:
            return
        cost = max(instance.graph.tape.cost, 1)
        builds = MAX_VERIFY_FLOPS // (cost * max(seeds, 1) * len(checks))
        if builds < 4:
            raise ExerciseError(
                f"`{spec.id}` is too large to verify its gradients "
                f"(one forward pass is about {cost:.1e} flop-equivalents, the verification "
                f"budget {MAX_VERIFY_FLOPS:.0e}); use smaller arrays or fewer steps",
                line=spec.line,
            )
        rng = np.random.default_rng(seed)
        for ask, grad in checks:
            analytic = gradient(instance.graph, grad.of, grad.wrt)
            assert analytic is not None
            base = instance.graph.env[grad.wrt].value
            entries = min(base.size, MAX_ENTRIES, (builds - 2) // 2)
            loss = _Loss(spec, seed, grad.of, grad.wrt, timer)
            errors = [_entries_error(loss, base, analytic, entries, rng)]
            if entries < base.size:
                errors.append(_direction_error(loss, base, analytic, rng))
            error = max(errors)
            if not error <= MAX_RELATIVE_ERROR:
                raise ExerciseError(
                    f"grad({grad.of}, {grad.wrt}) disagrees with finite differences "
                    f"(relative error {error:.1e} > {MAX_RELATIVE_ERROR:g}, seed {seed})",
                    line=ask.line,
                    ask=ask.name,
                )


def relative_error(analytic: Array, numeric: Array) -> float:
    """``max|a − n| / max(max|a|, max|n|, 1)``: relative for large, absolute for small."""
    scale = max(
        float(np.max(np.abs(analytic), initial=0.0)),
        float(np.max(np.abs(numeric), initial=0.0)),
        1.0,
    )
    return float(np.max(np.abs(analytic - numeric), initial=0.0)) / scale


def _in_time(spec: ExerciseSpec, timer: Deadline) -> None:
    if timer.expired():
        raise ExerciseError(
            f"verifying the gradients of `{spec.id}` took longer than {timer.seconds:g} s, "
            "the limit per exercise; use smaller arrays or fewer steps",
            line=spec.line,
        )


class _Loss:
    """``L`` as a function of the value of ``wrt``: one forward pass per call, each
    started only while the deadline allows (``None`` for the timer: no deadline)."""

    def __init__(
        self, spec: ExerciseSpec, seed: int, of: str, wrt: str, timer: Deadline | None = None
    ) -> None:
        self.spec, self.seed, self.of, self.wrt, self.timer = spec, seed, of, wrt, timer

    def __call__(self, value: Array) -> float:
        if self.timer is not None:
            _in_time(self.spec, self.timer)
        graph = build_graph(self.spec, self.seed, overrides={self.wrt: value})
        return float(graph.env[self.of].value.reshape(()))


def _entries_error(
    loss: _Loss,
    base: Array,
    analytic: Array,
    entries: int,
    rng: np.random.Generator,
) -> float:
    """Central differences entry by entry (all, or ``entries`` of them drawn by ``rng``)."""
    flat = np.arange(base.size)
    if entries < base.size:
        flat = rng.choice(base.size, size=entries, replace=False)
    numeric = np.empty(len(flat))
    for k, position in enumerate(flat):
        index = np.unravel_index(int(position), base.shape)
        h = STEP * max(1.0, abs(float(base[index])))
        plus, minus = base.copy(), base.copy()
        plus[index] += h
        minus[index] -= h
        numeric[k] = (loss(plus) - loss(minus)) / (2.0 * h)
    return relative_error(analytic.reshape(-1)[flat], numeric)


def _direction_error(
    loss: _Loss,
    base: Array,
    analytic: Array,
    rng: np.random.Generator,
) -> float:
    """Central difference along one random unit direction over every entry."""
    direction = rng.normal(size=base.shape)
    direction /= float(np.linalg.norm(direction)) or 1.0
    h = STEP * max(1.0, float(np.max(np.abs(base))))
    plus = loss(base + h * direction)
    minus = loss(base - h * direction)
    numeric = (plus - minus) / (2.0 * h)
    return relative_error(np.array(float(np.sum(analytic * direction))), np.array(numeric))
