"""Importing card files into the database, and checking them without writing.

The importer is where the promises of issue 2 are kept: a file is imported whole or not at
all, a bad file does not stop the others, an unchanged file is skipped without being parsed,
an edited card keeps its review history, and a card whose file disappeared is marked missing,
never deleted. It runs in three passes: read and parse every file, settle which file owns
each card id (the first one wins), then write file by file, one transaction each.

A file that gives no cards (not a card file, or a card file with errors) is remembered with
its problems (``store/sqlite/unimported_repo.py``), so that a rescan reports it again without
reading it. A folder of more than a few hundred files to read is read by a process pool
(``parse_pool.py``) while this process settles ids and writes what has come back, in the
same order and with the same outcome as reading them here one by one (``file_reader.py``).
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.cards.model import Card, ParsedFile, Problem, Severity
from quizapp.scheduling.memory import MemoryState
from quizapp.services.collector_pause import collector_paused
from quizapp.services.file_reader import ReadJob, ReadOutcome, ReadResult, read_file
from quizapp.services.parse_pool import POOL_MIN_FILES, ParsePool, usable_cores
from quizapp.store.db import Database
from quizapp.store.errors import DatabaseBusy, WriteFailed
from quizapp.store.records import FileOutcome, SourceFileInfo, StoredProblem, UnimportedFile
from quizapp.text import plural

if TYPE_CHECKING:
    from quizapp.cards.formats import FormatRegistry
    from quizapp.store.ports import ImportStore

#: Called with (steps done, steps in total) while an import runs: each file counts twice,
#: once when it has been read and parsed and once when it has been written.
Progress = Callable[[int, int], None]

#: Files written together in one transaction (each file is still whole or absent).
_BATCH_FILES = 200
#: ...and at most about this many cards: a batch is written once its last file is back
#: from the pool, so a batch of many small files' cards left the last files' writing to
#: run alone after the readers had finished.
_BATCH_CARDS = 1000
#: The progress callback is called every this many files (and at the end).
_PROGRESS_EVERY = 25


@dataclass
class ImportReport:
    """What an import (or a check) did: counts, and every problem as ``file:line: reason``."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    repaired: int = 0
    missing: int = 0
    files: int = 0
    failed_files: int = 0
    skipped: int = 0
    dry_run: bool = False
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    skipped_files: list[Problem] = field(default_factory=list)
    """The files that hold no cards, each with why (``no cards found (not a card file)``)."""
    formats: dict[str, int] = field(default_factory=dict)
    """How many of the files read this time each format read (files that gave cards; an
    unchanged file is not read again), so that a user sees how a folder was understood."""

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.errors

    @property
    def nothing_read(self) -> bool:
        """Every file was skipped as no card file: the notes are likely in a layout no
        format detects, which the front ends then say."""
        return bool(self.skipped) and not (
            self.errors or self.new or self.updated or self.unchanged
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object documented in docs/cli.md for ``import --json``/``check --json``."""
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "repaired": self.repaired,
            "missing": self.missing,
            "files": self.files,
            "failed_files": self.failed_files,
            "skipped": self.skipped,
            "dry_run": self.dry_run,
            "warnings": [problem.to_dict() for problem in self.warnings],
            "errors": [problem.to_dict() for problem in self.errors],
            "skipped_files": [problem.to_dict() for problem in self.skipped_files],
            "formats": dict(sorted(self.formats.items())),
        }


@dataclass
class _FileWork:
    """One discovered file on its way through the passes."""

    path: str
    root: Path
    key: str
    display: str
    info: SourceFileInfo | None = None
    parsed: ParsedFile | None = None
    kept_uids: list[str] = field(default_factory=list)
    """Ids of cards of a file skipped as unchanged."""
    failed: bool = False
    found: os.stat_result | None = None
    """The file's stat taken when it was discovered."""
    root_path: str | None = None
    """``root`` as an absolute path, as it is recorded with the file."""
    job: ReadJob | None = None
    """What to read, when the file must be read (see ``_Run.plan``)."""
    replay: UnimportedFile | None = None
    """The record of a file that gave no cards, unchanged since: reported again unread."""
    memo: UnimportedFile | None = None
    """What to remember of this file after the run: it gave no cards."""

    @property
    def cards(self) -> list[Card]:
        return self.parsed.cards if self.parsed is not None else []


def _error(work: _FileWork, line: int, message: str) -> Problem:
    return Problem(work.display, line, message, Severity.ERROR)


def _display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working folder when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _prefix(folder: str) -> str:
    """``folder`` with one trailing separator: a path starts with it when it lies inside."""
    return folder if folder.endswith(os.sep) else folder + os.sep


_DIGITS = re.compile(r"(\d+)")


def _natural(text: str) -> tuple[tuple[int, str], ...]:
    """A sort key that compares the runs of digits in ``text`` as numbers."""
    return tuple(
        (1, part.zfill(20)) if index % 2 else (0, part)
        for index, part in enumerate(_DIGITS.split(text))
    )


class _Run:
    """One import or check: the three passes over the discovered files."""

    def __init__(
        self,
        paths: Sequence[str | Path],
        writer: ImportStore | None,
        *,
        dry_run: bool,
        progress: Progress | None,
        follow_links: bool = False,
        format: str | None = None,
        registry: FormatRegistry | None = None,
        now: datetime | None = None,
        workers: int | None = None,
        pool_min_files: int = POOL_MIN_FILES,
        excludes: Sequence[str] = (),
        question_only: bool = False,
        audit_cache: str | None = None,
        check_cards: bool = True,
        on_cards: Callable[[str, list[Card]], None] | None = None,
    ) -> None:
        from quizapp.cards.formats import default_registry

        self.on_cards = on_cards
        """Called with each file that checked clean and its cards, once the run is done
        (``quizapp check`` counts the formula drills with it)."""
        self.registry = registry or default_registry()
        self._own_registry = registry
        """The registry the caller passed, if any: pool workers are sent it, or build the
        default one themselves."""
        if format is not None:
            self.registry.get(format)  # an unknown name fails here, before any work
        self.format = format
        self.audit_cache = audit_cache
        """Where a check keeps its exercise audits between runs (None: audit afresh)."""
        self.check_cards = check_cards
        """False for the bundled deck only: its cards are checked in CI (tests/content)."""
        self.question_only = question_only
        """``--question-only``: every file is read again (not trusted by its stat or hash),
        since a file imported without it may hold questions it would now read."""
        self.paths = [Path(p) for p in paths]
        self.follow_links = follow_links
        self.excludes = tuple(excludes)
        self.writer = writer
        self.dry_run = dry_run or writer is None
        self.progress = progress
        self.report = ImportReport(dry_run=dry_run)
        self.now = now or datetime.now(UTC)
        self.work: list[_FileWork] = []
        self.keys: set[str] = set()
        self._covering: dict[str, str] = {}
        self._written = 0
        """Files written so far (their batches committed)."""
        self.touched: list[SourceFileInfo] = []
        """Files read again only to find their content unchanged: new size and mtime."""
        self._parameters: tuple[float, ...] | None = None
        """The user's FSRS parameters (() for the defaults), read once when needed."""
        self.workers = workers
        """Processes that read files at once; None: one per usable core."""
        self.pool_min_files = pool_min_files
        """Files to read from which a process pool reads them."""
        self.unimported: dict[str, UnimportedFile] = {}
        """The files remembered as giving no cards, by path (loaded by ``run``)."""
        self._forget: set[str] = set()
        """Paths whose record of giving no cards is out of date: they gave cards."""
        self._readers: dict[str | None, str] = {}
        self._insides: dict[str, str] = {}  # each import root with its separator (_prefix)
        self._unread = 0
        """Files still to be read by the pool (for the count of a stopped import)."""
        self._last_step = 0

    # -- import roots --------------------------------------------------------------------------
    def _inside(self, root: str) -> str:
        """``root`` with its separator (``_prefix``), made once per root: it is asked for
        once or twice per file, and a rescan has 10,000 files."""
        inside = self._insides.get(root)
        if inside is None:
            inside = self._insides[root] = _prefix(root)
        return inside

    def _root_for(self, key: str, named: str) -> str:
        """The import root of the file ``key`` that discovery found under ``named``.

        Both are absolute. A card's id and deck come from its path under this root, so it
        must not depend on how the file was named on the command line: a file already
        imported keeps the root it was recorded with, and a new file takes the root its
        imported neighbours have (see ``_covering_root``). Only a file with neither is
        imported against ``named``, as discovery found it.
        """
        if self.writer is None:
            return named
        known = self.writer.sources.get(key)
        root = known.root if known is not None else None
        if root is not None and key.startswith(self._inside(root)):
            return root
        covering = self._covering.get(named)
        if covering is None:
            covering = self._covering[named] = self._covering_root(named)
        return covering

    def _covering_root(self, named: str) -> str:
        """The deepest recorded root at or above ``named`` that covers it, else ``named``.

        A recorded root covers a folder below it when files imported under that root lie
        in the folder, or when the root was imported as a tree (some of its files sit in
        subfolders). The second condition keeps a new file in a new subfolder of an imported
        deck in that deck; the pair keeps the parent folder of one file imported alone
        (``quizapp import ~/x.md``) from swallowing every later import beneath it.
        """
        assert self.writer is not None
        inside = _prefix(named)
        best: str | None = None
        for info in self.writer.sources.values():
            root = info.root
            if root is None or (best is not None and len(root) <= len(best)):
                continue
            above = _prefix(root)
            if root != named and not inside.startswith(above):
                continue
            if info.path.startswith(inside) or os.sep in info.path[len(above) :]:
                best = root
        return best if best is not None else named

    # -- pass 1: find, read and parse ----------------------------------------------------------
    def discover(self) -> None:
        from quizapp.cards import discover

        found = discover(
            [str(path) for path in self.paths],
            follow_links=self.follow_links,
            suffixes=self.registry.suffixes,
            excludes=self.excludes,
        )
        for problem in found.problems:
            self._problem(problem)
        named_roots: dict[Path, str] = {}
        root_paths: dict[str, Path] = {}
        # Each folder's absolute path with its separator, once: abspath and join are slow,
        # and a rescan of 10,000 files feels them.
        folders: dict[str, str] = {}
        for source in found.files:
            folder, name = os.path.split(source.file)
            absolute_folder = folders.get(folder)
            if absolute_folder is None:
                absolute_folder = folders[folder] = _prefix(os.path.abspath(folder))
            key = absolute_folder + name
            if key in self.keys:
                continue
            self.keys.add(key)
            named = named_roots.get(source.root)
            if named is None:
                named = named_roots[source.root] = os.path.abspath(source.root)
            root = self._root_for(key, named)
            inside = self._inside(root)
            display = key[len(inside) :] if key.startswith(inside) else os.path.basename(key)
            self.work.append(
                _FileWork(
                    source.file,
                    root_paths.get(root) or root_paths.setdefault(root, Path(root)),
                    key,
                    display.replace(os.sep, "/"),
                    found=source.info,
                    root_path=root,
                )
            )
        self.report.files = len(self.work)

    def _problem(self, problem: Problem) -> None:
        if problem.severity is Severity.WARNING:
            self.report.warnings.append(problem)
        else:
            self.report.errors.append(problem)

    def plan(self, work: _FileWork) -> None:
        """Decide from the file's stat alone what reading it takes: nothing for a file
        unchanged since it was imported (its cards are kept) or since it gave no cards (it
        is reported again as it was, ``work.replay``); else a job (``work.job``) carrying
        the hashes that spare the parse when the bytes turn out unchanged."""
        known = self.writer.sources.get(work.key) if self.writer is not None else None
        memo = self._remembered(work)
        kept = self._kept(work) if known is not None else []
        if (known is not None or memo is not None) and not self.question_only:
            stat = work.found
            if stat is None:
                try:
                    stat = os.stat(work.path)
                except OSError:
                    stat = None
            if stat is not None:
                seen = (stat.st_size, stat.st_mtime_ns)
                if memo is not None and seen == (memo.size, memo.mtime_ns):
                    work.replay = memo
                    return
                # A record with no cards left is trusted only with a memo: the file may be
                # one that a format added since, or one forced with --format, now claims.
                if known is not None and kept and seen == (known.size, known.mtime_ns):
                    work.info = known
                    work.kept_uids = kept
                    return
        work.job = ReadJob(
            work.path,
            work.root_path or str(work.root),
            work.display,
            stored_sha256=known.sha256
            if known is not None and kept and not self.question_only
            else None,
            remembered_sha256=memo.sha256 if memo is not None else None,
            previous_ids=tuple(self._previous_ids(work)) if known is not None else (),
            question_only=self.question_only,
            audit=self.dry_run,
            audit_cache=self.audit_cache if self.dry_run else None,
            check_cards=self.check_cards,
        )

    def _plan_all(self) -> None:
        # A method of its own, so that no local of ``run`` keeps the last file (_release).
        for work in self.work:
            self.plan(work)

    def read_and_parse(self, work: _FileWork) -> None:
        """Pass 1 for one file in this process: report a remembered file again, or read,
        parse and check it as planned."""
        if work.replay is not None:
            self._replay(work, work.replay)
        elif work.job is not None:
            self._apply(work, read_file(work.job, format=self.format, registry=self.registry))

    def _apply(self, work: _FileWork, result: ReadResult) -> None:
        """Take in what reading one file gave (here or in a pool worker)."""
        work.job = None
        if result.outcome is ReadOutcome.UNREADABLE:
            self._fail(work, result.errors)
            return
        work.info = SourceFileInfo(
            work.key, result.size, result.mtime_ns, result.sha256, work.root_path
        )
        if result.outcome is ReadOutcome.UNCHANGED:
            work.kept_uids = self._kept(work)
            if not self.dry_run and self.writer is not None:
                self.touched.append(work.info)  # recorded in the write pass
            if work.key in self.unimported:
                self._forget.add(work.key)
            return
        if result.outcome is ReadOutcome.REMEMBERED:
            memo = self._remembered(work)
            assert memo is not None
            self._replay(work, memo)
            work.memo = UnimportedFile(
                work.key,
                result.size,
                result.mtime_ns,
                result.sha256,
                memo.reader,
                memo.failed,
                memo.problems,
            )  # the same text under a new mtime
            return
        parsed = result.parsed
        assert parsed is not None
        work.parsed = parsed
        if parsed.skipped:
            self._skip(work, parsed.skipped)
        self.report.warnings.extend(result.warnings)
        if result.errors:
            self._fail(work, result.errors)
            self._remember(work, result, parsed.skipped)
            return
        self.report.repaired += parsed.repaired
        if parsed.skipped:
            self._remember(work, result, parsed.skipped)
            return
        if parsed.format:
            self.report.formats[parsed.format] = self.report.formats.get(parsed.format, 0) + 1
        if work.key in self.unimported:
            self._forget.add(work.key)

    # -- files that gave no cards --------------------------------------------------------------
    def _reader(self, work: _FileWork) -> str:
        """A fingerprint of everything besides a file's bytes that decides what it parses
        to: quizapp's version, the formats in their order, a forced format, --question-only
        and the file's import root. A file remembered under another fingerprint is read
        again. Any new option that changes how files are read must be added here."""
        root = work.root_path
        found = self._readers.get(root)
        if found is None:
            from quizapp import __version__

            parts = [__version__, ",".join(self.registry.names), self.format or "", root or ""]
            if self.question_only:  # a file skipped without it may give cards with it
                parts.append("question-only")
            found = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]
            self._readers[root] = found
        return found

    def _remembered(self, work: _FileWork) -> UnimportedFile | None:
        """The record of the file as giving no cards, if one was made by this reader."""
        memo = self.unimported.get(work.key)
        if memo is None or memo.reader != self._reader(work):
            return None
        return memo

    def _remember(self, work: _FileWork, result: ReadResult, skipped: str) -> None:
        """Keep what a file that gave no cards was reported with, for the next rescan. Not
        when a problem names another file: such a result is not the file's alone."""
        problems: list[StoredProblem] = [("skipped", 0, skipped)] if skipped else []
        for severity, found in (("warning", result.warnings), ("error", result.errors)):
            for problem in found:
                if problem.file != work.display:
                    return
                problems.append((severity, problem.line, problem.message))
        work.memo = UnimportedFile(
            work.key,
            result.size,
            result.mtime_ns,
            result.sha256,
            self._reader(work),
            bool(result.errors),
            tuple(problems),
        )

    def _replay(self, work: _FileWork, memo: UnimportedFile) -> None:
        """Report a remembered file exactly as it was reported when it was read."""
        errors: list[Problem] = []
        for severity, line, message in memo.problems:
            if severity == "skipped":
                self._skip(work, message)
            elif severity == "warning":
                self.report.warnings.append(Problem(work.display, line, message, Severity.WARNING))
            else:
                errors.append(Problem(work.display, line, message))
        if memo.failed:
            self._fail(work, errors)

    def _save_unimported(self) -> None:
        """Record the files that gave no cards, and forget those that give cards again or
        are gone. Only a shortcut is lost if this cannot be written: the next rescan reads
        those files again."""
        if self.writer is None or self.dry_run:
            return
        remember = [
            work.memo
            for work in self.work
            if work.memo is not None and (work.memo.failed or not work.failed)
        ]
        gone = {
            path
            for path in self.unimported
            if path not in self.keys and self._under_roots(path) and not os.path.exists(path)
        }
        with contextlib.suppress(DatabaseBusy):
            self.writer.database.unimported.save_unimported(remember, self._forget | gone, self.now)

    def _kept(self, work: _FileWork) -> list[str]:
        assert self.writer is not None
        return self.writer.uids_from(work.key)

    def _previous_ids(self, work: _FileWork) -> list[str]:
        """The file's present cards at its last import, in file order: by line, then (the
        sibling cards of one note share a line) with numbers in their ids compared as
        numbers, so that ``…/c2`` comes before ``…/c10`` as it does in the file."""
        assert self.writer is not None
        cards = self.writer.cards
        return sorted(
            self.writer.uids_from(work.key), key=lambda uid: (cards[uid].line, _natural(uid))
        )

    def _skip(self, work: _FileWork, reason: str) -> None:
        """Count a file that holds no cards: not a card file, which is not an error. It is
        remembered (``_remember``), so that a rescan need not read it again."""
        self.report.skipped += 1
        self.report.skipped_files.append(Problem(work.display, 0, reason, Severity.WARNING))

    def _fail(self, work: _FileWork, errors: Iterable[Problem]) -> None:
        work.failed = True
        work.parsed = None
        self.report.errors.extend(errors)
        self.report.failed_files += 1

    # -- pass 2: which file owns each id -------------------------------------------------------
    def settle_ids(self) -> None:
        """The first file (in discovery order) to define an id keeps it.

        An id already stored for a file outside this run that still exists stays with that
        file. A later file defining a taken id fails as a whole.
        """
        owners: dict[str, tuple[str, int]] = {}
        for work in self.work:
            self._settle(work, owners)

    def _settle(self, work: _FileWork, owners: dict[str, tuple[str, int]]) -> None:
        """Settle one file's ids against the files before it (``owners``) and the store.
        Only earlier files decide, so files can be settled as they are read."""
        if work.failed:
            return
        entries = [(uid, 1) for uid in work.kept_uids] + [
            (card.id, card.line) for card in work.cards
        ]
        clashes: list[Problem] = []
        for uid, line in entries:
            owner = owners.get(uid)
            if owner is not None:
                clashes.append(
                    _error(
                        work,
                        line,
                        f'duplicate card id "{uid}": already defined in {owner[0]}:{owner[1]};'
                        " the first is kept",
                    )
                )
                continue
            elsewhere = self._stored_elsewhere(uid, work.key)
            if elsewhere is not None:
                clashes.append(
                    _error(
                        work,
                        line,
                        f'duplicate card id "{uid}": already imported from {elsewhere};'
                        " the first is kept",
                    )
                )
        if clashes:
            self._fail(work, clashes)
            return
        for uid, line in entries:
            owners[uid] = (work.display, line)

    def _stored_elsewhere(self, uid: str, key: str) -> str | None:
        if self.writer is None:
            return None
        stored = self.writer.cards.get(uid)
        if stored is None or stored.source_path == key or stored.missing:
            return None
        if stored.source_path in self.keys or not os.path.exists(stored.source_path):
            return None  # its old file is part of this run or gone: the card has moved
        return _display_path(Path(stored.source_path))

    def _report_progress(self, step: int) -> None:
        """Progress over both passes: reading and parsing each file, then writing it."""
        total = 2 * len(self.work)
        if self.progress is not None and (step == total or step % _PROGRESS_EVERY == 0):
            self.progress(step, total)

    # -- pass 3: write -------------------------------------------------------------------------
    def write(self) -> None:
        if self.writer is not None and self.touched:
            self.writer.touch_sources(self.touched, self.now)
        total = len(self.work)
        batch: list[_FileWork] = []
        batch_cards = 0
        for done, work in enumerate(self.work, start=1):
            if work.failed:
                pass
            elif work.parsed is None:
                self.report.unchanged += len(work.kept_uids)
            else:
                batch.append(work)
                batch_cards += len(work.cards)
            if _batch_full(batch, batch_cards) or (done == total and batch):
                self._write_batch(batch)
                batch = []
                batch_cards = 0
            self._report_progress(total + done)
        self._finish_write()

    def _finish_write(self) -> None:
        """After the files: vanished files' cards marked missing, related links resolved."""
        self._mark_vanished_files()
        if self.writer is not None and not self.dry_run and self.writer.changed:
            self.writer.resolve_related()
        self.report.missing = self._count_missing()

    def _write_batch(self, batch: list[_FileWork]) -> None:
        """Write files together in one transaction; if it fails, one by one to isolate."""
        if self.writer is None:
            self.report.new += sum(len(work.cards) for work in batch)
            return
        if self.dry_run:
            for work in batch:
                for card in work.cards:
                    action = self.writer.classify(card, work.key)
                    setattr(self.report, action, getattr(self.report, action) + 1)
            return
        starting = self._starting(batch)
        try:
            self._record(batch, self.writer.write_files(self._payload(batch), self.now, starting))
            return
        except WriteFailed:
            if len(batch) == 1:
                pass
            else:
                for work in batch:
                    self._write_batch([work])
                return
        try:
            self._record(batch, self.writer.write_files(self._payload(batch), self.now, starting))
        except WriteFailed as exc:
            self._fail(batch[0], [_error(batch[0], 1, f"not imported: {exc}")])

    def _starting(self, batch: list[_FileWork]) -> dict[str, MemoryState]:
        """The memory states that the batch's not yet stored cards bring from another app
        (``ParsedFile.schedules``); the writer uses each only if its card is new."""
        assert self.writer is not None
        found: dict[str, MemoryState] = {}
        for work in batch:
            parsed = work.parsed
            if parsed is None or not parsed.schedules:
                continue
            from quizapp.scheduling.imported import imported_memory

            if self._parameters is None:
                self._parameters = self._fsrs_parameters()
            for uid, schedule in parsed.schedules.items():
                if uid not in self.writer.cards:
                    found[uid] = imported_memory(schedule, self.now, self._parameters or None)
        return found

    def _fsrs_parameters(self) -> tuple[float, ...]:
        """The user's FSRS parameters, or () for the defaults."""
        assert self.writer is not None
        return self.writer.database.settings.load_settings().parameters or ()

    @staticmethod
    def _payload(batch: list[_FileWork]) -> list[tuple[SourceFileInfo, list[Card]]]:
        payload = []
        for work in batch:
            assert work.info is not None
            payload.append((work.info, work.cards))
        return payload

    def _record(self, batch: list[_FileWork], outcomes: list[FileOutcome]) -> None:
        self._written += len(batch)
        for work, outcome in zip(batch, outcomes, strict=True):
            self.report.new += outcome.new
            self.report.updated += outcome.updated
            self.report.unchanged += outcome.unchanged
            for uid in outcome.missing:
                self.report.warnings.append(
                    Problem(
                        work.display,
                        1,
                        f'card "{uid}" is no longer in this file; kept and marked missing',
                        Severity.WARNING,
                    )
                )

    def _under_roots(self, source_path: str) -> bool:
        for root in self.paths:
            absolute = os.path.abspath(root)
            if source_path == absolute or source_path.startswith(absolute.rstrip(os.sep) + os.sep):
                return True
            if any(ch in str(root) for ch in "*?[") and fnmatch.fnmatchcase(source_path, absolute):
                return True
        return False

    def _mark_vanished_files(self) -> None:
        if self.writer is None:
            return
        vanished = sorted(
            path
            for path in self.writer.uids_by_source()
            if path not in self.keys and self._under_roots(path) and not os.path.exists(path)
        )
        if not vanished:
            return
        for path in vanished:
            count = len(self.writer.uids_from(path))
            self.report.warnings.append(
                Problem(
                    _display_path(Path(path)),
                    1,
                    f"file not found; its {plural(count, 'card')} "
                    + ("is" if count == 1 else "are")
                    + " kept and marked missing",
                    Severity.WARNING,
                )
            )
        if not self.dry_run:
            self.writer.mark_files_missing(vanished)

    def _count_missing(self) -> int:
        if self.writer is None:
            return 0
        return sum(
            1
            for key in self.writer.cards.values()
            if key.missing and self._under_roots(key.source_path)
        )

    def run(self) -> ImportReport:
        """Discover, plan, read and write; called with the cyclic GC paused (by
        :func:`import_paths` and :func:`check_paths`, ``services/collector_pause.py``):
        parsing makes no reference cycles, yet the collector would keep walking the
        growing heap of parsed cards, about a tenth of a big import."""
        try:
            self.discover()
            if self.writer is not None:
                self.unimported = self.writer.database.unimported.load_unimported()
            self._plan_all()
            pool = self._open_pool()
            if pool is None:
                self._read_all()
                self.settle_ids()
                self.write()
            else:
                with pool:
                    self._pipeline(pool)
            self._save_unimported()
            if self.on_cards is not None:
                for work in self.work:
                    if not work.failed and work.parsed is not None:
                        self.on_cards(work.display, work.cards)
        except DatabaseBusy as exc:
            self._stop_busy(exc)
        finally:
            self._release()
        return self.report

    def _stop_busy(self, exc: DatabaseBusy) -> None:
        """Another process kept the write lock past the busy timeout: one error for the
        whole import, and every file not yet written counts as failed (the files written
        before it are whole; running the import again finishes the rest)."""
        self.report.errors.append(Problem(exc.where, 0, DatabaseBusy.REASON))
        unwritten = sum(1 for work in self.work if not work.failed and work.parsed is not None)
        self.report.failed_files += unwritten + self._unread - self._written

    def _read_all(self) -> None:
        # By index, so that no local keeps the last file's cards (see _release).
        for index in range(len(self.work)):
            self.read_and_parse(self.work[index])
            self._report_progress(index + 1)

    # -- passes 1 to 3 at once, with a process pool ----------------------------------------------
    def _open_pool(self) -> ParsePool | None:
        """A pool of file readers when there are enough files to read and cores to read
        them on; else None, and this process reads them."""
        count = sum(1 for work in self.work if work.job is not None)
        if count == 0 or count < self.pool_min_files:
            return None
        workers = self.workers if self.workers is not None else usable_cores()
        workers = min(workers, count)
        return ParsePool.open(workers, format=self.format, registry=self._own_registry)

    def _pipeline(self, pool: ParsePool) -> None:
        """The three passes over one stream: the pool reads files ahead while this process
        settles each file as its result comes back (only earlier files decide) and writes
        them in batches, so writing overlaps reading instead of following it.

        The outcome is that of the passes run one after the other. So is the report: the
        problems of each pass are gathered apart and joined in pass order at the end.
        Progress counts files read plus files written, out of twice the files.
        """
        report = self.report
        passes: list[tuple[list[Problem], list[Problem]]] = [([], []) for _ in range(3)]
        first_warnings, first_errors = report.warnings, report.errors

        def enter(number: int) -> None:
            report.warnings, report.errors = passes[number]

        jobs = [work.job for work in self.work if work.job is not None]
        self._unread = len(jobs)
        results = pool.read(jobs)
        owners: dict[str, tuple[str, int]] = {}
        batch: list[_FileWork] = []
        batch_cards = 0
        total = 2 * len(self.work)
        written = 0  # files whose write pass is over
        try:
            for index in range(len(self.work)):  # by index: see _read_all
                work = self.work[index]
                enter(0)
                if work.job is not None:
                    self._apply(work, next(results))
                    self._unread -= 1
                elif work.replay is not None:
                    self._replay(work, work.replay)
                enter(1)
                self._settle(work, owners)
                enter(2)
                if work.failed or work.parsed is None:
                    written += 1
                    if not work.failed:
                        report.unchanged += len(work.kept_uids)
                else:
                    batch.append(work)
                    batch_cards += len(work.cards)
                if _batch_full(batch, batch_cards) or (index + 1 == len(self.work) and batch):
                    self._write_batch(batch)
                    written += len(batch)
                    batch = []
                    batch_cards = 0
                self._progress_to(index + 1 + written, total)
            enter(2)
            if self.writer is not None and self.touched:
                self.writer.touch_sources(self.touched, self.now)
            self._finish_write()
        finally:
            report.warnings = first_warnings + [p for found, _e in passes for p in found]
            report.errors = first_errors + [p for _w, found in passes for p in found]

    def _progress_to(self, step: int, total: int) -> None:
        """Report ``step`` of ``total`` whenever it passes a multiple of the reporting
        interval, and at the end."""
        if self.progress is None:
            return
        if step == total or step // _PROGRESS_EVERY > self._last_step // _PROGRESS_EVERY:
            self.progress(step, total)
        self._last_step = step

    def _release(self) -> None:
        """Let go of the parsed cards and the writer's caches as soon as the run ends.

        An exception caught deep inside a LaTeX check keeps its frames, and through them
        this run, in a reference cycle; without this, every card of a big import would
        wait for the cyclic GC, which would then stall the next import.
        """
        self.work = []
        self.keys = set()
        self.writer = None


def _batch_full(batch: list[_FileWork], cards: int) -> bool:
    """Whether a batch of files holding ``cards`` cards is to be written now."""
    return len(batch) >= _BATCH_FILES or cards >= _BATCH_CARDS


def import_paths(
    db: Database,
    paths: Sequence[str | Path],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    format: str | None = None,
    registry: FormatRegistry | None = None,
    follow_links: bool = False,
    now: datetime | None = None,
    workers: int | None = None,
    pool_min_files: int = POOL_MIN_FILES,
    excludes: Sequence[str] = (),
    question_only: bool = False,
    check_cards: bool = True,
) -> ImportReport:
    """Import card files, folders (recursively, every suffix a format claims) and globs
    into ``db``.

    Idempotent: unchanged files are skipped by size/mtime and hash, edited cards keep their
    scheduling and history, vanished cards are marked missing. With ``dry_run`` nothing is
    written and the report says what would happen. ``format`` forces a format by name for
    files that do not name their own (:class:`~quizapp.cards.formats.UnknownFormat` when
    there is no such format); ``registry`` replaces the default set of formats. Files that
    no format claims are skipped and counted in ``report.skipped``. A path ending in
    ``.apkg`` or ``.colpkg`` is an Anki package, imported with its review history by
    ``services/anki_import.py`` into the same report.
    Symbolic links that lead out of an import root are skipped with a warning unless
    ``follow_links``; ``/proc``, ``/sys`` and ``/dev`` are never searched. Below a folder or
    glob, ``excludes`` (gitignore globs relative to its root) and the root's
    ``.quizappignore`` skip more, as do template folders (``cards/ignores.py``). ``now`` is
    the time written as the import's (new cards are due then); the clock's by default.

    From ``pool_min_files`` files to read on, a pool of ``workers`` processes (one per
    usable core by default) reads them, with the same outcome and report; a registry
    passed in is then sent to each worker, so its formats must be importable classes.

    ``question_only`` (``--question-only``) reads questions written without an answer as
    question-only cards in files that hold other cards too (a file's front matter
    ``quizapp-question-only`` overrides it; ``docs/formats.md``). It applies to the files
    this import reads, so every file is read again rather than trusted by its stat or hash.

    ``check_cards`` false stores the cards without their checks (exercises verified,
    formulas' LaTeX): only for the bundled deck, which ``quizapp check`` checks in CI
    (``tests/content``).
    """
    from quizapp.interop.anki.package import is_package

    packages = [path for path in paths if is_package(path)]
    paths = [path for path in paths if not is_package(path)]
    if paths or not packages:
        with collector_paused():  # from loading the stored keys to the last write
            writer = db.import_writer()
            run = _Run(
                paths,
                writer,
                dry_run=dry_run,
                progress=progress,
                format=format,
                registry=registry,
                follow_links=follow_links,
                now=now,
                workers=workers,
                pool_min_files=pool_min_files,
                excludes=excludes,
                question_only=question_only,
                check_cards=check_cards,
            )
            report = run.run()
    else:
        report = ImportReport(dry_run=dry_run)
    if packages:  # Anki packages (.apkg, .colpkg): services/anki_import.py
        from quizapp.services.anki_import import import_package

        for package in packages:
            import_package(db, package, report, now=now, dry_run=dry_run)
    return report


def check_paths(
    paths: Sequence[str | Path],
    *,
    progress: Progress | None = None,
    format: str | None = None,
    registry: FormatRegistry | None = None,
    follow_links: bool = False,
    workers: int | None = None,
    pool_min_files: int = POOL_MIN_FILES,
    excludes: Sequence[str] = (),
    question_only: bool = False,
    audit_cache: str | Path | None = None,
    on_cards: Callable[[str, list[Card]], None] | None = None,
) -> ImportReport:
    """Validate card files without a database: the same report as an import into an empty
    one. ``workers``, ``pool_min_files``, ``excludes`` and ``question_only`` are as for
    :func:`import_paths`. Exercises are also audited for gameability; ``audit_cache`` is
    a folder where the audits are kept between runs (``services/audit_cache.py``,
    ``quizapp check`` passes one unless ``--no-cache``), None audits every one afresh.
    ``on_cards`` is called with each clean file's display name and cards at the end."""
    from quizapp.interop.anki.package import is_package

    packages = [path for path in paths if is_package(path)]
    paths = [path for path in paths if not is_package(path)]
    report = ImportReport(dry_run=True)
    if paths or not packages:
        with collector_paused():
            report = _Run(
                paths,
                None,
                dry_run=True,
                progress=progress,
                format=format,
                registry=registry,
                follow_links=follow_links,
                workers=workers,
                pool_min_files=pool_min_files,
                excludes=excludes,
                question_only=question_only,
                audit_cache=None if audit_cache is None else str(audit_cache),
                on_cards=on_cards,
            ).run()
    if packages:  # Anki packages: read and translated, nothing written
        from quizapp.services.anki_import import check_package

        for package in packages:
            check_package(package, report, on_cards)
    return report
