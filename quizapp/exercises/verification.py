"""Checks every ``grad`` of a spec against central finite differences.

This guards the engine rather than the author: if the autodiff ever disagrees with a
numerical derivative on some exercise, the exercise is refused at import instead of
teaching a wrong gradient. Each ``grad(L, v)`` is checked element by element: ``v`` is
perturbed by ±h (an intermediate is overridden and everything after it recomputed) and
``(L(v+h) − L(v−h)) / 2h`` is compared with the autodiff value.
"""

from __future__ import annotations

import numpy as np

from quizapp.exercises.autodiff import Array
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.instance import build_graph, gradient, new_instance
from quizapp.exercises.spec import ExerciseSpec

#: Largest accepted relative error, ``max|g − fd| / max(max|g|, max|fd|, 1)``.
MAX_RELATIVE_ERROR = 1e-6
#: Finite-difference step, relative to the size of the perturbed entry.
STEP = 1e-5


def verify_spec(spec: ExerciseSpec, seeds: int = 3) -> None:
    """Check every gradient over seeds ``0 … seeds−1``; raise ``ExerciseError`` naming the ask.

    Also reports, through ``new_instance``, NaN/inf references that only some seeds give.
    """
    for seed in range(seeds):
        instance = new_instance(spec, seed)
        for ask in spec.asks:
            for grad in ask.answer.grads:
                analytic = gradient(instance.graph, grad.of, grad.wrt)
                assert analytic is not None
                base = instance.graph.env[grad.wrt].value
                numeric = finite_difference(spec, seed, grad.of, grad.wrt, base)
                error = relative_error(analytic, numeric)
                if not error <= MAX_RELATIVE_ERROR:
                    raise ExerciseError(
                        f"grad({grad.of}, {grad.wrt}) disagrees with finite differences "
                        f"(relative error {error:.1e} > {MAX_RELATIVE_ERROR:g}, seed {seed})",
                        line=ask.line,
                        ask=ask.name,
                    )


def relative_error(analytic: Array, numeric: Array) -> float:
    """``max|a − n| / max(max|a|, max|n|, 1)``: relative for large, absolute for small."""
    scale = max(float(np.max(np.abs(analytic), initial=0.0)),
                float(np.max(np.abs(numeric), initial=0.0)), 1.0)
    return float(np.max(np.abs(analytic - numeric), initial=0.0)) / scale


def finite_difference(
    spec: ExerciseSpec, seed: int, of: str, wrt: str, base: Array
) -> Array:
    """Central differences of ``of`` with respect to the value named ``wrt``."""
    result = np.zeros_like(base)
    for index in np.ndindex(*base.shape):
        h = STEP * max(1.0, abs(float(base[index])))
        values = []
        for sign in (1.0, -1.0):
            bumped = base.copy()
            bumped[index] += sign * h
            graph = build_graph(spec, seed, overrides={wrt: bumped})
            values.append(float(graph.env[of].value.reshape(())))
        result[index] = (values[0] - values[1]) / (2.0 * h)
    return result
