"""Render time per formula, inline and display, over the bundled deck and the reference card.

The formulas are those of every Markdown file under ``content/`` plus the reference card's:
``../shared/seeds/backprop-card.md`` when it is there, else the list kept in
``bench/bench_math.py``. Each formula is rendered with the render caches cleared first, which
is what the first display of a card costs (a redraw hits the cache and is also reported).
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.parts.common import guarded, verdict
from bench.report import Row, median

PART = "math"
ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seeds" / "backprop-card.md"
FIGURES = [
    ("render inline formula (median)", "≤ 200 µs"),
    ("render display formula (median)", "≤ 1 ms"),
]


def bench_math(smoke: bool) -> list[Row]:
    """Median µs per formula, uncached and cached, inline and display."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def formulas() -> tuple[list[str], list[str], str]:
    """Inline and display formulas, and where the reference card's came from."""
    from bench.bench_math import REFERENCE, deck_formulas

    inline, display = deck_formulas(ROOT / "content")
    if SEED.is_file():
        seed_inline, seed_display = deck_formulas(SEED.parent)
        reference = seed_inline + seed_display
        source = f"{len(reference)} from ../shared/seeds/{SEED.name}"
    else:
        reference = list(REFERENCE)
        source = f"{len(reference)} reference formulas from bench_math.py"
    return inline + reference, display + reference, source


def _per_formula(latex: list[str], display: bool, cached: bool, repeats: int) -> list[float]:
    from quizapp.mathtext import render as math_render

    times = []
    if cached:  # fill the caches: every timed render below is a redraw
        for formula in latex:
            math_render.render_block(formula, display, 80 if display else None)
    for _ in range(repeats):
        for formula in latex:
            if not cached:
                math_render._parse.cache_clear()
                math_render.render_block.cache_clear()
            start = time.perf_counter()
            math_render.render_block(formula, display, 80 if display else None)
            times.append(time.perf_counter() - start)
    return times


def _pylatexenc(latex: list[str], repeats: int) -> list[float]:
    """The baseline: pylatexenc's own parse of each formula, which the renderer builds on."""
    from pylatexenc.latexwalker import LatexWalker

    times = []
    for _ in range(repeats):
        for formula in latex:
            start = time.perf_counter()
            LatexWalker(formula, tolerant_parsing=True).get_latex_nodes()
            times.append(time.perf_counter() - start)
    return times


def _run(smoke: bool) -> list[Row]:
    inline, display, source = formulas()
    if smoke:
        inline, display = inline[:10], display[:10]
    repeats = 1 if smoke else 5
    _per_formula(inline[:20] + display[:20], True, False, 1)  # warm imports and tables
    rows = []
    for kind, latex, goal_us in (("inline", inline, 200), ("display", display, 1000)):
        uncached = median(_per_formula(latex, kind == "display", False, repeats)) * 1e6
        cached = median(_per_formula(latex, kind == "display", True, repeats)) * 1e6
        floor = median(_pylatexenc(latex, repeats)) * 1e6
        rows.append(
            Row(
                PART,
                f"render {kind} formula, median of {len(latex)}: content/ and"
                f" {source.split(' from ', 1)[1]} ({source.split(' from ')[0]})",
                f"{uncached:.0f} µs uncached ({uncached / floor:.1f}× pylatexenc),"
                f" {cached:.1f} µs cached",
                f"pylatexenc parse alone {floor:.0f} µs",
                f"≤ {goal_us} µs" if goal_us < 1000 else "≤ 1 ms",
                verdict(uncached <= goal_us, smoke),
            )
        )
    return rows
