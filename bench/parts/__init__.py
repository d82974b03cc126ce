"""The benchmark parts, one function per part: ``bench_<part>(smoke) -> list[Row]``."""

from __future__ import annotations

from bench.parts.anki_export import bench_anki_export
from bench.parts.anki_import import bench_anki_import
from bench.parts.calibration import bench_calibration
from bench.parts.card_display import bench_cards
from bench.parts.drills import bench_drill
from bench.parts.exercises import bench_exercise
from bench.parts.importing import bench_import
from bench.parts.math_rendering import bench_math
from bench.parts.postgres_copy import bench_postgres
from bench.parts.postgres_import import bench_postgres_import
from bench.parts.postgres_stats import bench_postgres_stats
from bench.parts.postgres_study import bench_postgres_study
from bench.parts.startup import bench_startup
from bench.parts.studying import bench_study
from bench.parts.tui import bench_tui
from bench.parts.vault import bench_vault
from bench.parts.web import bench_web

__all__ = [
    "bench_anki_export",
    "bench_anki_import",
    "bench_calibration",
    "bench_cards",
    "bench_drill",
    "bench_exercise",
    "bench_import",
    "bench_math",
    "bench_postgres",
    "bench_postgres_import",
    "bench_postgres_stats",
    "bench_postgres_study",
    "bench_startup",
    "bench_study",
    "bench_tui",
    "bench_vault",
    "bench_web",
]
