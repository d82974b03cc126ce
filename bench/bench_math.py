"""Render time per formula for quizapp.mathtext, inline and display.

    uv run python bench/bench_math.py            # bundled deck + reference card formulas
    uv run python bench/bench_math.py --smoke    # a few formulas, a few repeats

Prints the median microseconds per formula, uncached (a fresh parse every time, what the
first display of a card costs) and cached (what every redraw costs). Goal: median under
200 µs inline and 1 ms display.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.mathtext import render as math_render  # noqa: E402

#: The formulas of the reference (backprop) card, as the issue lists them.
REFERENCE = [
    r"z^{[1]} = W^{[1]}x + b^{[1]}",
    r"a^{[1]} = \sigma(z^{[1]})",
    r"z^{[2]} = W^{[2]}a^{[1]} + b^{[2]}",
    r"\hat{y} = \sigma(z^{[2]})",
    r"L = \frac{1}{2}(\hat{y} - y)^2",
    r"\frac{\partial L}{\partial \hat{y}} = \hat{y} - y",
    r"\delta^{[2]} = (\hat{y} - y) \cdot \sigma'(z^{[2]})",
    r"\frac{\partial L}{\partial W^{[2]}} = \delta^{[2]} \cdot (a^{[1]})^T",
    r"\frac{\partial L}{\partial b^{[2]}} = \delta^{[2]}",
    r"\delta^{[1]} = (W^{[2]})^T \delta^{[2]} \odot \sigma'(z^{[1]})",
    r"\frac{\partial L}{\partial W^{[1]}} = \delta^{[1]} \cdot x^T",
    r"\delta^{[l]} = (W^{[l+1]})^T \delta^{[l+1]} \odot \sigma'(z^{[l]})",
    r"\frac{\partial L}{\partial W^{[l]}} = \delta^{[l]} (a^{[l-1]})^T",
]


def deck_formulas(content: Path = ROOT / "content") -> tuple[list[str], list[str]]:
    """Inline and display formulas of every Markdown file under ``content``."""
    md = MarkdownIt("commonmark").use(dollarmath_plugin, allow_space=False, allow_digits=False)
    inline: list[str] = []
    display: list[str] = []
    for path in sorted(content.rglob("*.md")):
        for token in md.parse(path.read_text(encoding="utf-8")):
            if token.type.startswith("math_block"):
                display.append(token.content)
            for child in token.children or []:
                if child.type == "math_inline":
                    inline.append(child.content)
                elif child.type == "math_inline_double":
                    display.append(child.content)
    return inline, display


def _times_us(formulas: list[str], display: bool, cached: bool, repeats: int) -> list[float]:
    times: list[float] = []
    if cached:  # warm the caches: this measures a redraw
        for latex in formulas:
            math_render.render_block(latex, display, 80 if display else None)
    for _ in range(repeats):
        for latex in formulas:
            if not cached:
                math_render._parse.cache_clear()
                math_render.render_block.cache_clear()
            start = time.perf_counter()
            math_render.render_block(latex, display, 80 if display else None)
            times.append((time.perf_counter() - start) * 1e6)
    return times


def measure(smoke: bool = False) -> dict[str, float]:
    """Figures in µs per formula: ``inline``/``display`` (median, uncached), ``*_p90``
    (90th percentile, uncached), ``*_cached`` (median redraw), and the counts ``n_*``."""
    inline, display = deck_formulas()
    inline = inline + REFERENCE
    display = display + REFERENCE
    repeats = 1 if smoke else 5
    if smoke:
        inline, display = inline[:10], display[:10]
    figures: dict[str, float] = {}
    for name, formulas, display_mode in (("inline", inline, False), ("display", display, True)):
        cold = _times_us(formulas, display_mode, False, repeats)
        warm = _times_us(formulas, display_mode, True, repeats)
        figures[name] = statistics.median(cold)
        figures[f"{name}_p90"] = statistics.quantiles(cold, n=10)[-1]
        figures[f"{name}_cached"] = statistics.median(warm)
        figures[f"n_{name}"] = float(len(formulas))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="few formulas, one repeat")
    args = parser.parse_args()
    figures = measure(args.smoke)
    print(f"formulas: {figures['n_inline']:.0f} inline, {figures['n_display']:.0f} display")
    print(
        f"inline   median {figures['inline']:8.1f} µs uncached  "
        f"(p90 {figures['inline_p90']:.0f} µs; goal: median < 200 µs)"
    )
    print(
        f"display  median {figures['display']:8.1f} µs uncached  "
        f"(p90 {figures['display_p90']:.0f} µs; goal: median < 1000 µs)"
    )
    print(f"inline   median {figures['inline_cached']:8.1f} µs cached")
    print(f"display  median {figures['display_cached']:8.1f} µs cached")


if __name__ == "__main__":
    main()
