"""Importing the other card formats, and rescanning a notes folder where 30 % of the files
hold no cards.

Both are timed against a baseline from the same run: the formats against markdown-it-py's
parse of the same files (as the native import is, ``bench/parts/importing.py``), the rescan
against the first import of the same folder, and beside it a rescan that has to read the
files without cards again (their records deleted), which is what every rescan cost before
such files were remembered.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.parts.common import guarded, verdict
from bench.report import Row, fmt_s

PART = "import"
NEVER = 10**9
ROUNDS = 3
#: How many rescans of the unchanged folder are timed; the best counts (as for the other
#: figures: one run of 200 ms moves by a tenth when the machine hiccups).
RESCAN_ROUNDS = 3


def bench_formats(smoke: bool) -> list[Row]:
    """10,000 cards in a generated mix of every other format, against the floor."""
    figures = [
        ("import 10,000 cards in the other formats", "≤ 1.1× the markdown-it floor"),
        ("read and parse only, by format", "—"),
    ]
    return guarded(PART, figures, lambda: _formats(smoke))


def bench_no_card_rescan(smoke: bool) -> list[Row]:
    """A rescan of 7,000 card files and 3,000 files without cards."""
    figures = [("rescan, 30 % of the files without cards", "≤ 0.05× first import")]
    return guarded(PART, figures, lambda: _no_card_rescan(smoke))


def _formats(smoke: bool) -> list[Row]:
    from bench.generate_formats import KINDS, write_format_mix
    from bench.parts.importing import _expect, cold_workers, markdown_floor
    from quizapp.services.importer import import_paths
    from quizapp.services.parse_pool import POOL_MIN_FILES
    from quizapp.store.db import open_database

    wanted = 300 if smoke else 10_000
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-formats-") as tmp:
        root = Path(tmp) / "mix"
        paths, total = write_format_mix(root, wanted)
        markdown_floor(paths[: min(len(paths), 200)])  # warm the parser's imports and caches
        # The machine is shared: the best of a few runs of each, interleaved, as for the
        # vault (one run's figure moved by a tenth of the floor between runs).
        floors: list[float] = []
        pooled: list[float] = []
        serial: list[float] = []
        for attempt in range(1 if smoke else ROUNDS):
            floors.append(markdown_floor(paths))
            for pool_min_files, times, name in (
                (1 if smoke else POOL_MIN_FILES, pooled, "pooled"),
                (NEVER, serial, "serial"),
            ):
                database = open_database(Path(tmp) / f"{name}{attempt}.db", auto_backup=False)
                try:
                    cold_workers()
                    start = time.perf_counter()
                    report = import_paths(database, [root], pool_min_files=pool_min_files)
                    times.append(time.perf_counter() - start)
                    _expect(
                        report.new == total and not report.errors, f"{name} formats import", report
                    )
                finally:
                    database.close()
        floor, pooled_s, serial_s = min(floors), min(pooled), min(serial)
        by_format = _parse_by_format(root, paths)
    kinds = ", ".join(f"{name} {share:.0%}" for name, _suffix, _w, _b, share in KINDS)
    return [
        Row(
            PART,
            f"import {total:,} cards in the other formats ({len(paths):,} files: {kinds})",
            f"{fmt_s(pooled_s)} = {pooled_s / floor:.2f}× floor (the default, process pool;"
            f" best of {len(pooled)}, runs {_ratios(pooled, floors)});"
            f" one process {fmt_s(serial_s)} = {serial_s / floor:.2f}× floor"
            f" ({serial_s / total * 1e3:.2f} ms/card)",
            f"markdown-it alone on the same files {fmt_s(floor)} (best of {len(floors)})",
            "≤ 1.1× floor",
            verdict(pooled_s <= 1.1 * floor, smoke),
        ),
        Row(
            PART,
            "read and parse only (check, one process), by format, each against markdown-it"
            " on its own files",
            by_format,
            "where the import's time goes besides writing the cards",
            "—",
            None,
        ),
    ]


def _ratios(times: list[float], floors: list[float]) -> str:
    """Each run's time over the floor measured just before it, as "1.12×/1.20×"."""
    return "/".join(f"{time_s / floor:.2f}×" for time_s, floor in zip(times, floors, strict=True))


def _parse_by_format(root: Path, paths: list[Path]) -> str:
    """``check`` (read, parse, card checks; no database) of each format's folder, as a
    multiple of markdown-it on the same files."""
    from bench.parts.importing import markdown_floor
    from quizapp.services.importer import check_paths

    shown = []
    for folder in sorted({path.relative_to(root).parts[0] for path in paths}):
        files = [path for path in paths if path.relative_to(root).parts[0] == folder]
        floor = markdown_floor(files)
        start = time.perf_counter()
        check_paths([root / folder], pool_min_files=NEVER)
        seconds = time.perf_counter() - start
        shown.append(f"{folder} {seconds / floor:.1f}× ({fmt_s(seconds)})")
    return ", ".join(shown)


def _no_card_rescan(smoke: bool) -> list[Row]:
    from bench.generate import write_deck
    from bench.generate_formats import write_no_card_files
    from bench.parts.importing import _expect, cold_workers
    from quizapp.services.importer import import_paths
    from quizapp.services.parse_pool import POOL_MIN_FILES
    from quizapp.store.db import open_database, run_sql

    cards, others = (70, 30) if smoke else (7_000, 3_000)
    pool_min = 1 if smoke else POOL_MIN_FILES
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-rescan-") as tmp:
        root = Path(tmp) / "vault"
        write_deck(root / "cards", cards)
        skipped, failed = write_no_card_files(root / "notes", others)
        database = open_database(Path(tmp) / "vault.db", auto_backup=False)
        try:
            cold_workers()
            start = time.perf_counter()
            first = import_paths(database, [root], pool_min_files=pool_min)
            first_s = time.perf_counter() - start
            expected = (cards, skipped, failed)
            _expect(
                (first.new, first.skipped, first.failed_files) == expected, "first import", first
            )
            rescans: list[float] = []
            for _round in range(RESCAN_ROUNDS):
                start = time.perf_counter()
                rescan = import_paths(database, [root], pool_min_files=pool_min)
                rescans.append(time.perf_counter() - start)
                _expect(
                    (rescan.unchanged, rescan.skipped, rescan.failed_files) == expected
                    and rescan.errors == first.errors,
                    "rescan",
                    rescan,
                )
            rescan_s = min(rescans)
            run_sql(database, "DELETE FROM unimported_files")
            start = time.perf_counter()
            unremembered = import_paths(database, [root], pool_min_files=pool_min)
            unremembered_s = time.perf_counter() - start
            _expect(unremembered.failed_files == failed, "rescan without records", unremembered)
        finally:
            database.close()
    total = cards + others
    return [
        Row(
            PART,
            f"rescan {total:,} unchanged files, {others / total:.0%} without cards"
            f" ({skipped:,} notes skipped, {failed:,} card files failing)",
            f"{fmt_s(rescan_s)} = {rescan_s / first_s:.3f}× first import (best of {len(rescans)})",
            f"first import {fmt_s(first_s)}; rescan reading the {others:,} files again"
            f" (no records) {fmt_s(unremembered_s)}",
            "≤ 0.05× first import",
            verdict(rescan_s <= 0.05 * first_s, smoke),
        )
    ]
