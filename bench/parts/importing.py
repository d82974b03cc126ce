"""Importing 10,000 new cards (in one process and in the process pool), rescanning them
unchanged, and re-importing after a 1 % edit; then the other formats and a folder of notes
(``bench/parts/import_mix.py``).

The floor is markdown-it-py alone: one ``MarkdownIt("commonmark").use(dollarmath_plugin)``
parse per file, read from disk, in one process. It is measured on the same files in the
same run, just before the imports, so the machine's load is as alike as it can be. The
rescan and re-import figures are relative to the default first import, the pooled one.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.generate import edit_some, write_deck
from bench.parts.common import guarded, verdict
from bench.report import Row, fmt_s

PART = "import"
#: ``pool_min_files`` for an import read in one process whatever its size.
NEVER = 10**9
FIGURES = [
    ("import 10,000 new cards, one process", "≤ 1.5× the markdown-it floor"),
    ("import 10,000 new cards, process pool", "≤ 0.75× the one-process markdown-it floor"),
    ("rescan 10,000 unchanged cards", "≤ 0.05× first import and ≤ 0.5 s"),
    ("re-import after editing 1 % of the cards", "≤ 0.1× first import"),
]


def markdown_floor(paths: list[Path]) -> float:
    """Seconds to read and parse every file with markdown-it-py and dollarmath, nothing else."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark").use(dollarmath_plugin)
    start = time.perf_counter()
    for path in paths:
        md.parse(path.read_text(encoding="utf-8"))
    return time.perf_counter() - start


def cold_workers() -> None:
    """Stop the parse pool's fork server, if one runs: the next pooled import starts it
    again, as a fresh ``quizapp import`` does, instead of finding one warm from an earlier
    run. Its workers' CPU, and its own, count in :func:`cpu_seconds` from here on."""
    from multiprocessing import forkserver

    forkserver._forkserver._stop()  # private, but the only way to end it (Python 3.11-3.14)


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by this process and by its ended children (pool workers are
    counted once the pool has shut down and the fork server they came from has been
    stopped, :func:`cold_workers`): a load-independent view beside wall time."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def bench_import(smoke: bool) -> list[Row]:
    """The import figures: native cards on a freshly generated deck in a temp folder, then
    the other formats and a notes folder with files that hold no cards."""
    from bench.parts.import_mix import bench_formats, bench_no_card_rescan

    rows = guarded(PART, FIGURES, lambda: _run(smoke))
    return rows + bench_formats(smoke) + bench_no_card_rescan(smoke)


def _run(smoke: bool) -> list[Row]:
    from quizapp.services.importer import import_paths
    from quizapp.services.parse_pool import POOL_MIN_FILES, usable_cores
    from quizapp.store.db import open_database

    count = 40 if smoke else 10_000
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-import-") as tmp:
        root = Path(tmp) / "deck"
        paths = write_deck(root, count)
        markdown_floor(paths[: min(count, 200)])  # warm the parser's imports and caches
        floor_cpu = time.process_time()
        floor = markdown_floor(paths)
        floor_cpu = time.process_time() - floor_cpu
        serial_db = open_database(Path(tmp) / "serial.db", auto_backup=False)
        try:
            start = time.perf_counter()
            serial = import_paths(serial_db, [root], pool_min_files=NEVER)
            serial_s = time.perf_counter() - start
            _expect(serial.new == count and not serial.errors, "one-process import", serial)
        finally:
            serial_db.close()
        database = open_database(Path(tmp) / "import.db", auto_backup=False)
        try:
            cold_workers()
            own, children = cpu_seconds()
            start = time.perf_counter()
            # The default import; the smoke run's few files take the pool's path too.
            first = import_paths(database, [root], pool_min_files=1 if smoke else POOL_MIN_FILES)
            first_s = time.perf_counter() - start
            cold_workers()
            own_after, children_after = cpu_seconds()
            main_cpu, workers_cpu = own_after - own, children_after - children
            _expect(first.new == count and not first.errors, "first import", first)
            start = time.perf_counter()
            rescan = import_paths(database, [root])
            rescan_s = time.perf_counter() - start
            _expect(rescan.unchanged == count and rescan.new == 0, "rescan", rescan)
            edited = edit_some(paths, 0.01)
            start = time.perf_counter()
            again = import_paths(database, [root])
            again_s = time.perf_counter() - start
            _expect(again.updated == len(edited), "re-import", again)
        finally:
            database.close()
    n = f"{count:,}"
    workers = usable_cores()
    # What the pooled import would take on idle cores: its CPU time spread over the workers'
    # cores, or the importer's own part if that is longer, against the floor's CPU time.
    per_core = max((main_cpu + workers_cpu) / workers, main_cpu) / floor_cpu
    return [
        Row(
            PART,
            f"import {n} new cards, one process",
            f"{fmt_s(serial_s)} = {serial_s / floor:.2f}× floor"
            f" ({serial_s / count * 1e3:.2f} ms/card)",
            f"markdown-it alone {fmt_s(floor)}",
            "≤ 1.5× floor",
            verdict(serial_s <= 1.5 * floor, smoke),
        ),
        Row(
            PART,
            f"import {n} new cards, process pool ({workers} workers, the default)",
            f"{fmt_s(first_s)} = {first_s / floor:.2f}× floor"
            f" ({first_s / serial_s:.2f}× one process); CPU: importer {fmt_s(main_cpu)}"
            f" + workers {fmt_s(workers_cpu)}, over {workers} cores {per_core:.2f}× the"
            " floor's CPU",
            f"markdown-it alone, one process {fmt_s(floor)} ({fmt_s(floor_cpu)} CPU)",
            "≤ 0.75× floor",
            verdict(first_s <= 0.75 * floor, smoke),
        ),
        Row(
            PART,
            f"rescan {n} unchanged cards",
            f"{fmt_s(rescan_s)} = {rescan_s / first_s:.3f}× first import",
            f"first import {fmt_s(first_s)}",
            "≤ 0.05× and ≤ 0.5 s",
            verdict(rescan_s <= 0.05 * first_s and rescan_s <= 0.5, smoke),
        ),
        Row(
            PART,
            f"re-import after editing 1 % ({len(edited)} files)",
            f"{fmt_s(again_s)} = {again_s / first_s:.3f}× first import",
            f"first import {fmt_s(first_s)}",
            "≤ 0.1× first import",
            verdict(again_s <= 0.1 * first_s, smoke),
        ),
    ]


def _expect(ok: bool, what: str, report: object) -> None:
    """Refuse to report a time for an import that did not do the expected work."""
    if not ok:
        summary = getattr(report, "to_dict", lambda: report)()
        if isinstance(summary, dict):
            summary = {k: v for k, v in summary.items() if k not in ("warnings", "errors")} | {
                "first error": (getattr(report, "errors", None) or ["none"])[0]
            }
        raise RuntimeError(f"{what} did something unexpected: {summary}")
