"""Exporting cards to an Anki package: what ``quizapp export OUT.apkg`` calls.

It picks the cards as ``list`` does (tags, difficulties, deck), reads them and, with
history, their answers from the store (``store/sqlite/export_repo.py``), names each card's live
exercise, translates everything (``interop/anki/export.py``) and has the ``anki``
library write the package (``interop/anki/export_writer.py``). The file appears whole or
not at all: the package is written beside it under a temporary name and moved into
place, so a failed export never leaves half a file or replaces a good one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from quizapp.interop.anki.export import ExercisePrompt
from quizapp.services.collector_pause import collector_paused
from quizapp.store.db import Database
from quizapp.store.records import CardFilter, StoredCard


class ExportError(Exception):
    """An export that cannot be made, in one line naming what is wrong."""


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: the file, how many notes and cards, how many answers went
    out as revlog rows (0 without history), and the Anki decks."""

    path: Path
    notes: int
    cards: int
    reviews: int
    decks: tuple[str, ...]
    with_history: bool

    def to_dict(self) -> dict[str, object]:
        """The JSON shape documented in docs/cli.md."""
        return {
            "path": str(self.path),
            "notes": self.notes,
            "cards": self.cards,
            "reviews": self.reviews,
            "decks": list(self.decks),
            "with_history": self.with_history,
        }


def check_target(out: Path) -> None:
    """Refuse, in one line, an output path an Anki package cannot be written to."""
    if out.suffix.casefold() != ".apkg":
        raise ExportError(f"{out}: an Anki package's name must end in .apkg")
    if out.is_dir():
        raise ExportError(f"{out}: is a folder; give the package's file name")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent}: no such folder; create it first")


def exercise_prompts(cards: Sequence[StoredCard]) -> dict[int, ExercisePrompt]:
    """The live exercise of each card that has one, by card pk: its title and first
    prompt (both empty when its spec does not parse: the card still says it has one)."""
    from quizapp.services.exercises import exercise_for, with_exercises

    prompts: dict[int, ExercisePrompt] = {}
    for stored in with_exercises(cards):
        try:
            spec = exercise_for(stored)
        except Exception:  # a broken block: `quizapp check` names it; the note says it exists
            prompts[stored.pk] = ExercisePrompt("", "")
            continue
        if spec is not None:
            first = spec.asks[0].prompt if spec.asks else ""
            prompts[stored.pk] = ExercisePrompt(spec.title, first)
    return prompts


def export_anki(
    database: Database,
    out: Path | str,
    *,
    tags: Sequence[str] = (),
    difficulties: Sequence[str] = (),
    deck: str | None = None,
    with_history: bool = False,
    legacy: bool = False,
    now: datetime | None = None,
    zone: tzinfo | None = None,
) -> ExportReport:
    """Write the cards the filters pick to the Anki package ``out``.

    ``tags``: every one given (``ml`` also matches ``ml/optim``); ``difficulties``: any;
    ``deck``: that deck and its sub-decks; missing cards never. ``with_history`` adds the
    review log and each card's scheduling, counted in days from ``now`` in ``zone`` (the
    machine's time and zone by default). Raises :class:`ExportError` for a bad target or
    no matching card, ``AnkiExportError`` when the library is missing or refuses a note.
    """
    # Reading and translating make no reference cycles (rows, cards and fields are
    # trees), yet the cyclic GC would rescan the growing heap of 10,000 cards again and
    # again: a quarter of the export's Python time. Paused for the run, as the import does.
    with collector_paused():
        return _export(
            database, Path(out), tags, difficulties, deck, with_history, legacy, now, zone
        )


def _export(
    database: Database,
    out: Path,
    tags: Sequence[str],
    difficulties: Sequence[str],
    deck: str | None,
    with_history: bool,
    legacy: bool,
    now: datetime | None,
    zone: tzinfo | None,
) -> ExportReport:
    """:func:`export_anki`'s work, with the collector paused."""
    from quizapp.interop.anki.export import HistoryOptions, anki_decks, plan_export
    from quizapp.interop.anki.export_schedule import DayClock
    from quizapp.interop.anki.export_writer import DeckPreset, open_writer
    from quizapp.scheduling.queue import local_timezone
    from quizapp.scheduling.scheduler import Scheduler

    check_target(out)
    card_filter = CardFilter(
        tags=tuple(tags), difficulties=tuple(level.lower() for level in difficulties), deck=deck
    )
    repo = database.exports
    cards = repo.cards(card_filter)
    if not cards:
        raise ExportError("no cards match these filters (see `quizapp list` with the same ones)")
    settings = database.settings.load_settings()
    reviews = repo.reviews(card_filter) if with_history else None
    prompts = exercise_prompts(cards)
    preset = DeckPreset(
        learning_steps=tuple(step.total_seconds() / 60 for step in settings.learning_steps),
        relearning_steps=tuple(step.total_seconds() / 60 for step in settings.relearning_steps),
        maximum_interval=settings.maximum_interval,
        new_per_day=settings.new_cards_per_day,
        reviews_per_day=settings.max_reviews_per_day,
        bury_siblings=settings.bury_siblings,
        desired_retention=settings.desired_retention,
        parameters=Scheduler(settings).parameters,
    )
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    with open_writer() as writer:
        history = None
        if with_history:
            clock = DayClock(
                now or datetime.now(UTC),
                settings.day_rollover_hour,
                zone or local_timezone(),
                writer.today,
            )
            history = HistoryOptions(
                clock, len(settings.learning_steps), len(settings.relearning_steps)
            )
        # The notes go to Anki chunk by chunk, added in the background while the next
        # chunk is translated (``export_writer``).
        writer.prepare(anki_decks(cards), with_history=with_history, preset=preset)
        plan = plan_export(
            cards,
            renderer=writer.renderer,
            reviews=reviews,
            history=history,
            exercises=prompts,
            on_notes=writer.add,
        )
        try:
            writer.write(plan, partial, with_history=with_history, preset=preset, legacy=legacy)
            os.replace(partial, out)
        except OSError as error:
            raise ExportError(f"{out}: cannot write the package ({error.strerror})") from None
        finally:
            partial.unlink(missing_ok=True)
    return ExportReport(
        out, len(plan.notes), plan.card_count, plan.revlog_count, plan.decks, with_history
    )
