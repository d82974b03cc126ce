"""Time for one live exercise: a fresh instance plus the check of one answer.

    uv run python bench/bench_exercise.py            # 200 repeats
    uv run python bench/bench_exercise.py --smoke    # 5 repeats

Uses the issue's 2-2-1 sigmoid network (built in below, so the script needs no content).
Prints median and p90 milliseconds for: parsing the spec, the finite-difference
verification (3 seeds), ``new_instance`` + ``check_answer`` of a correct expression answer
(what a learner waits for after pressing Enter on a fresh exercise), and the check of a
wrong answer that needs a diagnosis. ``measure()`` returns the same figures for the bench
harness. Goal: instance + check under 20 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.exercises import check_answer, new_instance, parse_spec, verify_spec  # noqa: E402

SPEC = """\
title: Backprop through a 2-2-1 sigmoid network
given:
  x: normal(2, 1)
  y: uniform(1, 1)
  W1: normal(2, 2)
  b1: normal(2, 1)
  W2: normal(1, 2)
  b2: normal(1, 1)
compute:
  z1: W1 @ x + b1
  a1: sigmoid(z1)
  z2: W2 @ a1 + b2
  yhat: sigmoid(z2)
  L: 0.5 * sum((yhat - y)**2)
show: [z1, a1, z2, yhat, L]
ask:
  - name: delta2
    answer: grad(L, z2)
    mistakes: [{answer: yhat - y, says: "You left out the sigmoid's derivative."}]
  - {name: dW2, answer: "grad(L, W2)"}
  - {name: delta1, answer: "grad(L, z1)"}
  - {name: dW1, answer: "grad(L, W1)"}
"""


def _times(action: Callable[[int], object], repeats: int) -> tuple[float, float]:
    """Median and p90 in milliseconds of ``action(i)`` over ``repeats`` runs."""
    samples = []
    for i in range(repeats):
        start = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.9 * len(samples)))]


def measure(smoke: bool = False) -> dict[str, tuple[float, float]]:
    """``{label: (median ms, p90 ms)}`` for each measured step."""
    repeats = 5 if smoke else 200
    spec = parse_spec(SPEC)
    results = {
        "parse_spec": _times(lambda i: parse_spec(SPEC), repeats),
        "verify_spec (3 seeds)": _times(lambda i: verify_spec(spec), max(3, repeats // 10)),
        "new_instance + check (correct)": _times(
            lambda i: check_answer(new_instance(spec, i), "dW1", "delta1 @ x.T"), repeats
        ),
        "new_instance + check (diagnosed)": _times(
            lambda i: check_answer(new_instance(spec, i), "dW1", "(W2.T @ delta2) @ x.T"),
            repeats,
        ),
    }
    return results


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a few repeats only")
    args = parser.parse_args(argv)
    print(f"{'step':36} {'median ms':>10} {'p90 ms':>10}")
    for label, (median, p90) in measure(args.smoke).items():
        print(f"{label:36} {median:10.2f} {p90:10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
