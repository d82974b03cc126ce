"""Importing an Anki package (``quizapp import deck.apkg``), history included (issue 15).

``services/importer.py`` hands every path ending in ``.apkg`` or ``.colpkg`` here, so the
command line and the TUI's Import screen import packages through the same call and get
the same :class:`~quizapp.services.importer.ImportReport`.

The steps, each in its own place:

1. ``interop/anki/package.py`` checks the zip and unpacks it with the ``anki`` library;
   ``reader.py`` reads the collection into plain values.
2. ``notes.py`` makes the cards (note types, fields as Markdown, decks and tags);
   ``history.py`` turns each card's revlog, merged with what is stored, into review logs
   and an FSRS memory state.
3. The store writes the cards (``ImportWriter``, the package as their source file) and,
   in the same transaction, their history (``store/sqlite/history_repo.py``).
4. The package's media files are copied into the media folder beside the database.

Everything that can refuse the package happens before anything is written, so a refused
package leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.cards.model import Card, Problem, Severity
from quizapp.interop.anki.package import (
    MAX_MEDIA_BYTES,
    AnkiPackageError,
    is_package,
    open_package,
)
from quizapp.scheduling.memory import MemoryState
from quizapp.services.collector_pause import collector_paused
from quizapp.store.errors import StoreError
from quizapp.store.records import ImportedCard
from quizapp.text import plural

if TYPE_CHECKING:
    from quizapp.services.importer import ImportReport
    from quizapp.store.db import Database

#: The media folder's name, beside the database file (``quizapp.db`` → ``quizapp.media``).
MEDIA_SUFFIX = ".media"


def media_folder(database: Database) -> Path | None:
    """Where imported media files go: ``<database name>.media`` beside the database file,
    or None for a database that is no file (then media are not copied)."""
    if database.path is None:
        return None
    path = Path(database.path)
    return path.with_name(path.stem + MEDIA_SUFFIX)


def _fingerprint(path: Path) -> tuple[int, int, str]:
    stat = path.stat()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return stat.st_size, stat.st_mtime_ns, digest.hexdigest()


def import_package(
    database: Database,
    path: str | os.PathLike[str],
    report: ImportReport,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    media_limit: int = MAX_MEDIA_BYTES,
) -> None:
    """Import one Anki package into ``database``, adding its counts and problems to
    ``report`` (see the module's docstring)."""
    package = Path(path)
    display = os.fspath(path)
    now = now or datetime.now(UTC)
    report.files += 1
    try:
        with collector_paused():
            _import(database, package, display, report, now, dry_run, media_limit)
    except AnkiPackageError as exc:
        report.failed_files += 1
        reason = str(exc).removeprefix(f"{package}: ")
        report.errors.append(Problem(display, 1, reason, Severity.ERROR))
    except StoreError as exc:  # the lock not had in time, answers added meanwhile, a refused write
        report.failed_files += 1
        report.errors.append(Problem(display, 1, f"not imported: {exc}", Severity.ERROR))


def _import(
    database: Database,
    package: Path,
    display: str,
    report: ImportReport,
    now: datetime,
    dry_run: bool,
    media_limit: int,
) -> None:
    from quizapp.interop.anki.history import HistoryComputer, HistoryRules, suspended
    from quizapp.interop.anki.notes import note_cards
    from quizapp.interop.anki.reader import AnkiReview, read_collection
    from quizapp.scheduling.queue import local_timezone, study_day
    from quizapp.store.records import HistoryWrite, SourceFileInfo

    if not package.is_file():
        raise AnkiPackageError(f"{package}: no such file")
    settings = database.settings.load_settings()
    zone = local_timezone()
    rules = HistoryRules(
        settings.parameters,
        settings.desired_retention,
        settings.maximum_interval,
        settings.day_rollover_hour,
        zone,
    )
    with open_package(package, media_limit) as opened:
        collection = read_collection(
            opened.collection, study_day(now, settings.day_rollover_hour, zone)
        )
        media_files = dict(opened.media)
        made = note_cards(collection, display)
        report.warnings.extend(made.warnings)
        if made.errors:
            report.errors.extend(made.errors)
            report.failed_files += 1
            return
        writer = database.import_writer()
        source_path = str(package.resolve())
        if dry_run:  # counted as they would be written; no history is computed
            for card, _anki in made.cards:
                action = writer.classify(card, source_path)
                setattr(report, action, getattr(report, action) + 1)
            return
        # the revlog comes sorted by card: one group per card, in one pass
        reviews_by_card: dict[int, list[AnkiReview]] = {}
        for card_id, group in groupby(collection.reviews, itemgetter(1)):
            if card_id in reviews_by_card:  # not sorted after all
                reviews_by_card[card_id].extend(group)
            else:
                reviews_by_card[card_id] = list(group)
        stored_pks = {
            card.id: writer.cards[card.id].pk
            for card, _anki in made.cards
            if card.id in writer.cards
        }
        histories = database.histories.load_histories(stored_pks.values())
        computer = HistoryComputer(rules, now, collection.today, collection.today_date)
        imported: list[ImportedCard] = []
        for card, anki_card in made.cards:
            pk = stored_pks.get(card.id)
            stored = histories.get(pk) if pk is not None else None
            memory, logs, practice, fresh = computer.card_rows(
                anki_card,
                reviews_by_card.get(anki_card.id, []),
                stored.reviews if stored is not None else (),
                stored.practice if stored is not None else (),
            )
            imported.append(
                ImportedCard(
                    card,
                    memory,
                    (),
                    practice,
                    suspended(anki_card),
                    history_changed=pk is None or fresh > 0,
                    stored_reviews=logs,
                )
            )
        size, mtime_ns, sha256 = _fingerprint(package)
        info = SourceFileInfo(source_path, size, mtime_ns, sha256, None)
        new_uids = {item.card.id for item in imported if item.card.id not in writer.cards}
        # A card quizapp exported comes back with its id; if its card file is here, the
        # file stays the authority for its content and only the history is merged.
        owned = {
            uid: key.pk
            for item in imported
            if (key := writer.cards.get(uid := item.card.id)) is not None
            and not key.missing
            and not is_package(key.source_path)
        }
        starting: dict[str, MemoryState] = {
            item.card.id: item.memory
            for item in imported
            if item.memory is not None and item.card.id in new_uids
        }
        read_counts = {pk: len(history.reviews) for pk, history in histories.items()}
        outcome = writer.write_files(
            [(info, [item.card for item in imported if item.card.id not in owned])],
            now,
            starting,
            histories=HistoryWrite(imported, owned, read_counts, new_uids, now),
        )[0]
        report.new += outcome.new
        report.updated += outcome.updated
        report.unchanged += outcome.unchanged + len(owned)
        if owned:
            report.warnings.append(
                Problem(
                    display,
                    1,
                    f"{plural(len(owned), 'card')} of this package "
                    f"{'is' if len(owned) == 1 else 'are'} quizapp's own, from card files "
                    "here: their history was merged, their content kept",
                    Severity.WARNING,
                )
            )
        for uid in outcome.missing:
            report.warnings.append(
                Problem(
                    display,
                    1,
                    f'card "{uid}" is no longer in this package; kept and marked missing',
                    Severity.WARNING,
                )
            )
        if writer.changed:
            writer.resolve_related()
        _copy_media(database, media_files, made.media, display, report)


def _copy_media(
    database: Database,
    files: dict[str, Path],
    used: set[str],
    display: str,
    report: ImportReport,
) -> None:
    """Copy the package's media files into the media folder beside the database; a file
    the notes use that the package lacks is a warning, as in Anki."""
    folder = media_folder(database)
    if folder is None:
        if files:
            report.warnings.append(
                Problem(
                    display,
                    1,
                    "media files not copied: the database is not a file",
                    Severity.WARNING,
                )
            )
        return
    if files:
        folder.mkdir(parents=True, exist_ok=True)
    for name, source in sorted(files.items()):
        target = folder / name
        if target.resolve().parent != folder.resolve():  # pragma: no cover - names checked
            continue
        shutil.copyfile(source, target)
    missing = sorted(name for name in used if name not in files and not _is_remote(name))
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        report.warnings.append(
            Problem(
                display,
                1,
                f"{plural(len(missing), 'media file')} used by notes "
                f"{'is' if len(missing) == 1 else 'are'} not in the package: {shown}",
                Severity.WARNING,
            )
        )


def _is_remote(name: str) -> bool:
    return name.startswith(("http://", "https://", "data:"))


def check_package(
    path: str | os.PathLike[str],
    report: ImportReport,
    on_cards: Callable[[str, list[Card]], None] | None = None,
) -> None:
    """Read and translate one Anki package without a database (``quizapp check``): the
    cards it would give are counted as new, its problems reported; ``on_cards`` receives
    them as ``check_paths`` passes a clean file's cards (the formula drill count)."""
    from quizapp.interop.anki.notes import note_cards
    from quizapp.interop.anki.reader import read_collection

    package = Path(path)
    display = os.fspath(path)
    report.files += 1
    try:
        if not package.is_file():
            raise AnkiPackageError(f"{package}: no such file")
        with open_package(package) as opened:
            made = note_cards(read_collection(opened.collection, datetime.now(UTC).date()), display)
    except AnkiPackageError as exc:
        report.failed_files += 1
        reason = str(exc).removeprefix(f"{package}: ")
        report.errors.append(Problem(display, 1, reason, Severity.ERROR))
        return
    report.warnings.extend(made.warnings)
    report.errors.extend(made.errors)
    if made.errors:
        report.failed_files += 1
    else:
        report.new += len(made.cards)
        if on_cards is not None:
            on_cards(display, [card for card, _ in made.cards])
