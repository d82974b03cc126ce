"""Formula drills: checking one typed answer, LaTeX parse included.

Every drill of the bundled deck is answered with its own right side typed back as LaTeX
(a right answer: parsed, then compared at K points as scalars and, for matrix notation,
as matrices) and with its negation (a wrong answer, diagnosed). The drill's points are
drawn when it is opened, once; that cost is its own figure.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.parts.common import guarded, machine_speed, speed_text, verdict
from bench.report import Row, median, percentile

PART = "drill"
ROOT = Path(__file__).resolve().parents[2]
FIGURES = [
    ("check one answer, bundled deck's drills (right answer, LaTeX)", "≤ 5 ms"),
    ("check one answer, bundled deck's drills (wrong answer, diagnosed)", "—"),
    ("open a drill (translate, draw its points)", "—"),
]


def bench_drill(smoke: bool) -> list[Row]:
    """The drill figures."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _drills() -> list[object]:
    from quizapp.cards import discover, parse_file
    from quizapp.drills.drill import card_drills

    found: list[object] = []
    for source in discover([str(ROOT / "content")]).files:
        for card in parse_file(source.path, root=source.root).cards:
            found.extend(card_drills(card).drills)
    return found


def _run(smoke: bool) -> list[Row]:
    from quizapp.drills.checking import check_drill_answer
    from quizapp.drills.drill import Drill, build_drill
    from quizapp.drills.extraction import Candidate, FormulaSite

    speed = speed_text(machine_speed())
    drills = [d for d in _drills() if isinstance(d, Drill)]
    if smoke:
        drills = drills[:10]
    opened: list[float] = []
    right: list[float] = []
    wrong: list[float] = []
    for drill in drills:
        site = FormulaSite(drill.formula, drill.rhs, drill.heading, "", drill.line)
        start = time.perf_counter()
        fresh = build_drill(drill.card_id, Candidate(site, drill.lhs, (drill.rhs,)), drill.number)
        if isinstance(fresh, str):
            raise RuntimeError(f"{drill.key}: {fresh}")
        opened.append(time.perf_counter() - start)
        for answer, samples, wanted in (
            (drill.rhs, right, "correct"),
            (f"-\\left({drill.rhs}\\right)", wrong, "incorrect"),
        ):
            start = time.perf_counter()
            result = check_drill_answer(fresh, answer)
            samples.append(time.perf_counter() - start)
            if result.verdict != wanted and wanted == "correct":
                raise RuntimeError(f"{drill.key}: its own right side was {result.verdict}")
    rows = []
    for (figure, goal), samples in zip(FIGURES, (right, wrong, opened), strict=True):
        p50 = median(samples)
        rows.append(
            Row(
                PART,
                figure.replace("bundled deck's drills", f"bundled deck's {len(drills)} drills"),
                f"p50 {p50 * 1e3:.2f} ms, p90 {percentile(samples, 0.9) * 1e3:.2f} ms",
                speed,
                goal,
                verdict(p50 <= 5e-3, smoke) if goal != "—" else None,
            )
        )
    return rows
