"""Importing an Anki package (issue 15): a generated 10,000-note package with 100,000
revlog entries (``bench/generate_anki.py``) imported by quizapp, against Anki's own
``import_anki_package`` of the same file into an empty collection, in the same run.

Both are timed from the package on disk to the data stored: Anki's import with its
scheduling (the revlog included) into a new collection, quizapp's into a new database,
interleaved, the best of a few rounds of each. quizapp's time includes unpacking the
package with the library (``import_collection_package``), reading it, converting 20,000
HTML fields to Markdown, computing 15,000 memory states and writing 100,000 review logs.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.parts.common import guarded, verdict
from bench.report import Row, fmt_s

PART = "anki-import"
#: How many times each import is measured; the best counts.
ROUNDS = 2
FIGURES = [
    ("import a 10,000-note package with 100,000 revlog entries", "≤ 2× Anki's own import"),
]


def bench_anki_import(smoke: bool) -> list[Row]:
    """The Anki import figure, on a freshly generated package in a temp folder."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _anki_import(package: Path, folder: Path) -> float:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    start = time.perf_counter()
    col = Collection(str(folder / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(package),
                options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True),
            )
        )
    finally:
        col.close()
    return time.perf_counter() - start


def _quizapp_import(package: Path, folder: Path, expected: int) -> float:
    from quizapp.services.importer import import_paths
    from quizapp.store.db import open_database

    database = open_database(folder / "quizapp.db", auto_backup=False)
    try:
        start = time.perf_counter()
        report = import_paths(database, [package])
        elapsed = time.perf_counter() - start
    finally:
        database.close()
    if not report.ok or report.new != expected:
        raise RuntimeError(f"quizapp's import went wrong: {report.new} new, {report.errors[:1]}")
    return elapsed


def _run(smoke: bool) -> list[Row]:
    from bench.generate_anki import write_package

    notes, reviews = (200, 2_000) if smoke else (10_000, 100_000)
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-anki-") as tmp:
        root = Path(tmp)
        generated = write_package(root / "generated.apkg", notes, reviews)
        # warm both: the library's first call and quizapp's imports (html-to-markdown, FSRS)
        small = write_package(root / "warm.apkg", 40, 200, seed=1)
        _anki_import(small.path, Path(tempfile.mkdtemp(dir=root)))
        _quizapp_import(small.path, Path(tempfile.mkdtemp(dir=root)), small.cards)
        anki: list[float] = []
        ours: list[float] = []
        for _round in range(1 if smoke else ROUNDS):
            anki.append(_anki_import(generated.path, Path(tempfile.mkdtemp(dir=root))))
            ours.append(
                _quizapp_import(generated.path, Path(tempfile.mkdtemp(dir=root)), generated.cards)
            )
        size = os.path.getsize(generated.path)
    best_anki, best_ours = min(anki), min(ours)
    ratio = best_ours / best_anki
    what = (
        f"import a {notes:,}-note package ({generated.cards:,} cards, "
        f"{generated.revlog:,} revlog entries, {size / 1e6:.1f} MB)"
    )
    return [
        Row(
            PART,
            what,
            f"{fmt_s(best_ours)} = {ratio:.2f}× Anki (best of {len(ours)})",
            f"Anki's import_anki_package {fmt_s(best_anki)} (best of {len(anki)})",
            "≤ 2× Anki",
            verdict(ratio <= 2.0, smoke),
        )
    ]
