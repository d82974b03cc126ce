"""The benchmark table: rows of figures, printed and written to bench/RESULTS.md.

Machines here are shared and noisy, so every timing row carries the baseline it was
measured against in the same run, and the goal is stated beside it.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = [
    "textual",
    "sqlalchemy",
    "numpy",
    "markdown-it-py",
    "fsrs",
    "fsrs-rs-python",
    "pylatexenc",
]


@dataclass(frozen=True)
class Row:
    """One figure: what was measured, its value, the baseline, and whether it met its goal."""

    part: str
    figure: str
    value: str
    baseline: str
    goal: str
    ok: bool | None  # None: no goal, or not measurable in this mode


def timed(fn: Callable[[], object]) -> float:
    """Wall time of one call, in seconds."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def percentile(samples: list[float], q: float) -> float:
    """The q-quantile (0..1) of the samples, by nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def median(samples: list[float]) -> float:
    """The median of the samples."""
    return statistics.median(samples)


def fmt_s(seconds: float) -> str:
    """A duration with a readable unit."""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def machine() -> list[str]:
    """CPU, Python and package versions, for the header of RESULTS.md."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    import os

    return [
        f"- CPU: {cpu} ({os.cpu_count()} cores)",
        f"- Python: {platform.python_version()} ({platform.python_implementation()})",
        f"- Packages: {', '.join(versions)}",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
    ]


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| part | figure | value | baseline (same run) | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        met = "—" if r.ok is None else ("yes" if r.ok else "**no**")
        lines.append(f"| {r.part} | {r.figure} | {r.value} | {r.baseline} | {r.goal} | {met} |")
    return "\n".join(lines)


def write_results(path: Path, rows: list[Row], elapsed: float, command: str) -> None:
    """Write RESULTS.md: the machine, the command, the table, and how each figure is made
    (``METHOD.md`` beside it)."""
    text = "\n".join(
        [
            "# Benchmark results",
            "",
            f"Written by `{command}` in {elapsed:.0f} s. Timings are wall-clock on a shared",
            "machine; each is shown beside the baseline measured in the same run.",
            "",
            *machine(),
            "",
            table(rows),
            "",
        ]
    )
    method = path.with_name("METHOD.md")
    if method.is_file():
        text += "\n" + method.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
