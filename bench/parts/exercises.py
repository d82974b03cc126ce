"""A live exercise: drawing a fresh instance and checking one answer.

Two sources: the issue's 2-2-1 sigmoid network from ``bench/bench_exercise.py`` (a correct
expression answer, and a wrong one that needs a diagnosis), and every exercise of the
bundled deck (card blocks and ``content/exercises/*.yaml``) answered with the reference
values typed as a matrix literal, as a learner copying numbers would.

Then the hostile specs of issue 12 (``tests/exercises/fixtures/hostile/`` and the 57 KB
chain generated below): the wall-clock time until each is refused at import
(``parse_spec`` + ``verify_spec``), or until a wrong answer's diagnosis gives up.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from bench.parts.common import guarded, machine_speed, speed_text, verdict
from bench.report import Row, median, percentile

PART = "exercise"
ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "exercises" / "fixtures" / "hostile"
#: (figure, fixture or None for the generated 57 KB chain): refused at import.
HOSTILE_IMPORTS = [
    ("hostile: 25 nested sigmoids over 256×256, refused at import", "sigmoid-tower-25"),
    ("hostile: 10 nested sigmoids over 256×256, refused at import", "sigmoid-tower-10"),
    ("hostile: 57 KB chain of scalar products, refused at import", None),
]
HOSTILE_DIAGNOSIS = "hostile: chain of scalar products (3 KB), diagnosis of a wrong answer"
FIGURES = [
    ("instance + check, 2-2-1 network (correct answer)", "≤ 5 ms"),
    ("instance + check, 2-2-1 network (diagnosed wrong answer)", "≤ 5 ms"),
    ("instance + check, bundled deck's exercises", "≤ 5 ms"),
    *((figure, "≤ 1 s") for figure, _ in HOSTILE_IMPORTS),
    (HOSTILE_DIAGNOSIS, "≤ 0.6 s"),
]


def bench_exercise(smoke: bool) -> list[Row]:
    """The exercise figures."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def deck_specs() -> list[object]:
    """Every exercise spec of the bundled deck: card blocks and built-in YAML files."""
    from quizapp.cards import discover, parse_file
    from quizapp.exercises import load_builtin_exercises, parse_spec

    specs: list[object] = list(load_builtin_exercises(ROOT / "content" / "exercises"))
    content = ROOT / "content"
    for source in discover([str(content)]).files:
        parsed = parse_file(source.path, root=source.root)
        for card in parsed.cards:
            for block in card.exercises:
                specs.append(parse_spec(block.yaml, line=block.line, source=card.source))
    return specs


#: What stopped a hostile spec, by a phrase of its error.
_WHY = {
    "evaluation budget": "one evaluation over budget",
    "too large to verify": "verification over budget",
    "took longer than": "verification deadline",
}


def big_chain() -> str:
    """The issue's 57 KB card: 100 steps of 150 scalar factors each (as in the corpus)."""
    lines = ["id: scalar-chain-57k", "given: {a: 1}", "compute:"]
    previous = "a"
    for i in range(100):
        group = "(" + "*".join([previous] * 30) + ")"
        lines.append(f"  p{i}: " + "*".join([group] * 5))
        previous = f"p{i}"
    lines.append(f"ask: [{{name: q, answer: {previous} * a}}]")
    return "\n".join(lines) + "\n"


def _hostile_rows(smoke: bool, speed: str) -> list[Row]:
    """Seconds until each hostile spec is refused, and until a hopeless diagnosis stops."""
    from quizapp.exercises import (
        ExerciseError,
        check_answer,
        new_instance,
        parse_spec,
        verify_spec,
    )

    rows = []
    for figure, name in HOSTILE_IMPORTS:
        text = big_chain() if name is None else (HOSTILE / f"{name}.yaml").read_text("utf-8")
        start = time.perf_counter()
        try:
            verify_spec(parse_spec(text))
            outcome = "accepted"
        except ExerciseError as error:
            outcome = next(
                (f"refused: {why}" for key, why in _WHY.items() if key in error.message),
                f"refused: {error.message[:40]}",
            )
        took = time.perf_counter() - start
        rows.append(
            Row(
                PART,
                figure,
                f"{took:.3f} s ({outcome})".replace("|", "/"),
                speed,
                "≤ 1 s",
                verdict(took <= 1.0 and outcome != "accepted", smoke),
            )
        )
    instance = new_instance(parse_spec((HOSTILE / "scalar-chain.yaml").read_text("utf-8")), 0)
    samples = []
    for _ in range(1 if smoke else 5):
        start = time.perf_counter()
        verdict_ = check_answer(instance, "q", "123")
        samples.append(time.perf_counter() - start)
        if verdict_.verdict != "incorrect":
            raise RuntimeError("the wrong answer to the scalar chain was not marked incorrect")
    took = median(samples)
    rows.append(
        Row(
            PART,
            HOSTILE_DIAGNOSIS,
            f"p50 {took:.3f} s (was 27 s in the issue)",
            speed,
            "≤ 0.6 s",
            verdict(took <= 0.6, smoke),
        )
    )
    return rows


def _literal(value: object) -> str:
    import numpy as np

    array = np.asarray(value, dtype=np.float64)
    return repr(float(array)) if array.ndim == 0 else json.dumps(array.tolist())


def _run(smoke: bool) -> list[Row]:
    from bench.bench_exercise import measure
    from quizapp.exercises import check_answer, new_instance

    speed = speed_text(machine_speed())
    figures = measure(smoke)
    rows = []
    for label, key in (
        ("correct answer", "new_instance + check (correct)"),
        ("diagnosed wrong answer", "new_instance + check (diagnosed)"),
    ):
        p50_ms, p90_ms = figures[key]
        rows.append(
            Row(
                PART,
                f"instance + check, 2-2-1 network ({label})",
                f"p50 {p50_ms:.2f} ms, p90 {p90_ms:.2f} ms",
                speed,
                "≤ 5 ms",
                verdict(p50_ms <= 5, smoke),
            )
        )
    specs = deck_specs()
    seeds = 2 if smoke else 20
    samples: list[float] = []
    worst: dict[str, float] = {}
    for spec in specs:
        for seed in range(seeds):
            start = time.perf_counter()
            instance = new_instance(spec, seed)  # type: ignore[arg-type]
            ask = instance.asks[0].name
            answer = _literal(instance.references[ask])
            took_draw = time.perf_counter() - start
            start = time.perf_counter()
            verdict_ = check_answer(instance, ask, answer)
            took = took_draw + time.perf_counter() - start
            if not verdict_.correct:
                raise RuntimeError(f"{spec.id}: the reference typed back was not accepted")  # type: ignore[attr-defined]
            samples.append(took)
            name = str(getattr(spec, "id", "?"))
            worst[name] = max(worst.get(name, 0.0), took)
    p50 = median(samples)
    slowest = max(worst, key=lambda name: worst[name])
    rows.append(
        Row(
            PART,
            f"instance + check, bundled deck's {len(specs)} exercises (correct answer)",
            f"p50 {p50 * 1e3:.2f} ms, p90 {percentile(samples, 0.9) * 1e3:.2f} ms;"
            f" slowest {slowest} {worst[slowest] * 1e3:.1f} ms",
            speed,
            "≤ 5 ms",
            verdict(p50 <= 5e-3, smoke),
        )
    )
    rows.extend(_hostile_rows(smoke, speed))
    return rows
