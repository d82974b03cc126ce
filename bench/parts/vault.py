"""Importing a generated 2,000-note Obsidian vault (issue 14): the first import against the
markdown-it floor of the same files, the rescan, and how long resolving the related links
takes beside the import.

The floor is ``markdown_floor`` of ``bench/parts/importing.py`` over every Markdown file of
the vault (templates and notes without cards included: the importer reads them too). Link
resolution is timed on its own after the import, by running the same
``ImportWriter.resolve_related`` that ends every import that changed something.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.parts.common import guarded, verdict
from bench.report import Row, fmt_s

PART = "vault"
NEVER = 10**9
#: How many times the floor and the first import are each measured; the best counts.
ROUNDS = 3
FIGURES = [
    ("import a 2,000-note vault as quizapp does (process pool)", "≤ 1.1× the markdown-it floor"),
    ("rescan the unchanged vault", "≤ 0.3 s"),
    ("resolve the related links after the import", "≤ 10 % of the import"),
]


def bench_vault(smoke: bool) -> list[Row]:
    """The vault figures, on a freshly generated vault in a temp folder."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _run(smoke: bool) -> list[Row]:
    from bench.generate_vault import write_vault
    from bench.parts.importing import _expect, cold_workers, markdown_floor
    from quizapp.services.importer import check_paths, import_paths
    from quizapp.services.parse_pool import POOL_MIN_FILES
    from quizapp.store.db import open_database, run_sql
    from quizapp.store.sqlite.import_repo import ImportWriter

    notes = 80 if smoke else 2_000
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-vault-") as tmp:
        root = Path(tmp) / "vault"
        vault = write_vault(root, notes)
        markdown_floor(vault.paths[:200])  # warm the parser's imports and caches
        # Warm quizapp's imports and caches as the floor's were: check a small vault.
        write_vault(Path(tmp) / "warm", 40, seed=1)
        check_paths([Path(tmp) / "warm"], pool_min_files=NEVER)
        # The machine is shared: the best of a few runs of each, interleaved.
        floors: list[float] = []
        imports: list[float] = []
        serial: list[float] = []
        for attempt in range(1 if smoke else ROUNDS):
            floors.append(markdown_floor(vault.paths))
            # As quizapp imports (a process pool from 300 files), then in one process.
            for pool_min_files, times, name in (
                (POOL_MIN_FILES, imports, "p"),
                (NEVER, serial, "s"),
            ):
                database = open_database(Path(tmp) / f"vault{attempt}{name}.db", auto_backup=False)
                cold_workers()
                start = time.perf_counter()
                first = import_paths(database, [root], pool_min_files=pool_min_files)
                times.append(time.perf_counter() - start)
                database.close()
                clean = not first.errors and not first.warnings
                _expect(
                    (first.new, first.skipped, clean) == (vault.cards, vault.skipped, True),
                    "vault import",
                    first,
                )
        floor, first_s, serial_s = min(floors), min(imports), min(serial)
        database = open_database(Path(tmp) / "vault0p.db", auto_backup=False)
        try:
            unresolved = run_sql(database, "SELECT count(*) FROM related WHERE target_id IS NULL")
            _expect(unresolved == [(0,)], f"link resolution ({unresolved} unresolved)", first)
            start = time.perf_counter()
            ImportWriter.load(database).resolve_related()
            resolve_s = time.perf_counter() - start
            start = time.perf_counter()
            rescan = import_paths(database, [root])
            rescan_s = time.perf_counter() - start
            _expect(rescan.unchanged == vault.cards and rescan.new == 0, "rescan", rescan)
        finally:
            database.close()
    files = f"{len(vault.paths):,} files, {vault.cards:,} cards, {vault.related:,} links"
    return [
        Row(
            PART,
            f"import a {notes:,}-note vault ({files}) as quizapp does (process pool)",
            f"{fmt_s(first_s)} = {first_s / floor:.2f}× floor (best of {len(imports)});"
            f" one process {fmt_s(serial_s)} = {serial_s / floor:.2f}× floor",
            f"markdown-it alone on the same files {fmt_s(floor)} (best of {len(floors)})",
            "≤ 1.1× floor",
            verdict(first_s <= 1.1 * floor, smoke),
        ),
        Row(
            PART,
            "rescan the unchanged vault",
            fmt_s(rescan_s),
            f"first import {fmt_s(first_s)}",
            "≤ 0.3 s",
            verdict(rescan_s <= 0.3, smoke),
        ),
        Row(
            PART,
            f"resolve {vault.related:,} related links after the import",
            f"{fmt_s(resolve_s)} = {resolve_s / first_s:.1%} of the import",
            f"first import {fmt_s(first_s)}",
            "≤ 10 %",
            verdict(resolve_s <= 0.1 * first_s, smoke),
        ),
    ]
