"""Exporting 10,000 cards to an Anki package (issue 15), against Anki's own export of a
collection of the same size, measured in the same run.

The cards are the cached 10,000-card collection of ``bench/history_db.py`` (reference-shaped
cards with a dozen display formulas and a code block each, 100,000 review logs).
quizapp's figure is the whole of ``services.anki_export.export_anki``: reading the cards,
naming their exercises, translating them (Markdown and math to HTML), building the
package with the ``anki`` library and writing it. Anki's figure is
``Collection.export_anki_package`` of a collection that holds exactly the notes quizapp
wrote (its package imported into a fresh collection): the same notes, the same size.
Each is the best of a few runs, interleaved, since the machine is shared. With history,
the same against Anki exporting with scheduling. A last row says where quizapp's time
goes, from one run of each stage on its own.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC
from pathlib import Path

from bench.parts.common import guarded, verdict
from bench.report import Row, fmt_s

PART = "anki-export"
ROUNDS = 3
FIGURES = [
    ("export 10,000 cards to .apkg", "≤ 2× Anki's export_anki_package"),
    ("export 10,000 cards with history (100,000 answers)", "—"),
    ("where the export's time goes", "—"),
]


def bench_anki_export(smoke: bool) -> list[Row]:
    """The export figures (``python -m bench anki-export``)."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _anki_export(package: Path, folder: Path, scheduling: bool, rounds: int) -> float:
    """Best time of Anki's own export of a collection holding ``package``'s notes."""
    from anki.collection import (
        Collection,
        ExportAnkiPackageOptions,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    col = Collection(str(folder / f"anki-{scheduling}.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=scheduling)
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=options)
        )
        best = float("inf")
        for attempt in range(rounds):
            out = folder / f"anki-{scheduling}-{attempt}.apkg"
            start = time.perf_counter()
            col.export_anki_package(
                out_path=str(out),
                options=ExportAnkiPackageOptions(
                    with_scheduling=scheduling,
                    with_deck_configs=scheduling,
                    with_media=False,
                    legacy=False,
                ),
                limit=None,
            )
            best = min(best, time.perf_counter() - start)
        return best
    finally:
        col.close()


def _stages(database: object, folder: Path) -> str:
    """One run of each stage of a plain export, on its own."""
    from quizapp.interop.anki.export import plan_export
    from quizapp.interop.anki.export_writer import open_writer
    from quizapp.services.anki_export import exercise_prompts
    from quizapp.store.sqlite.export_repo import ExportRepository

    times: dict[str, float] = {}
    start = time.perf_counter()
    cards = ExportRepository(database).cards()  # type: ignore[arg-type]
    times["read"] = time.perf_counter() - start
    start = time.perf_counter()
    prompts = exercise_prompts(cards)
    times["exercises"] = time.perf_counter() - start
    start = time.perf_counter()
    with open_writer() as writer:
        times["open Anki"] = time.perf_counter() - start
        start = time.perf_counter()
        plan = plan_export(cards, renderer=writer.renderer, exercises=prompts)
        times["translate"] = time.perf_counter() - start
        start = time.perf_counter()
        writer.write(plan, folder / "stages.apkg", with_history=False)
        times["build and write"] = time.perf_counter() - start
    return ", ".join(f"{name} {fmt_s(seconds)}" for name, seconds in times.items())


def _run(smoke: bool) -> list[Row]:
    from bench import history_db
    from bench.clock import NOW
    from quizapp.services.anki_export import export_anki
    from quizapp.store.db import open_database

    cards, logs = (200, 2_000) if smoke else (10_000, 100_000)
    rounds = 1 if smoke else ROUNDS
    built = history_db.collection(cards, logs)
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-anki-export-") as tmp:
        folder = Path(tmp)
        database = open_database(history_db.working_copy(built.path, folder), auto_backup=False)
        try:
            # Warm imports and caches (the anki library, the exercises) on a few cards.
            export_anki(database, folder / "warm.apkg", deck="attention/part0", now=NOW, zone=UTC)
            ours: dict[bool, float] = {False: float("inf"), True: float("inf")}
            reports = {}
            for attempt in range(rounds):
                for history in (False, True):
                    out = folder / f"quizapp-{history}-{attempt}.apkg"
                    start = time.perf_counter()
                    reports[history] = export_anki(
                        database, out, with_history=history, now=NOW, zone=UTC
                    )
                    ours[history] = min(ours[history], time.perf_counter() - start)
            anki = {
                history: _anki_export(reports[history].path, folder, history, rounds)
                for history in (False, True)
            }
            stages = _stages(database, folder)
        finally:
            database.close()
    plain, full = reports[False], reports[True]
    return [
        Row(
            PART,
            f"export {plain.cards:,} cards to .apkg ({plain.notes:,} notes)",
            f"{fmt_s(ours[False])} = {ours[False] / anki[False]:.2f}× Anki (best of {rounds})",
            f"Anki's export_anki_package of the same notes {fmt_s(anki[False])}",
            "≤ 2× Anki's export",
            verdict(ours[False] <= 2 * anki[False], smoke),
        ),
        Row(
            PART,
            f"export {full.cards:,} cards with history ({full.reviews:,} answers)",
            f"{fmt_s(ours[True])} = {ours[True] / anki[True]:.2f}× Anki (best of {rounds})",
            f"Anki's export with scheduling of the same notes {fmt_s(anki[True])}",
            "—",
            None,
        ),
        Row(PART, "where a plain export's time goes (one run each)", stages, "", "—", None),
    ]
