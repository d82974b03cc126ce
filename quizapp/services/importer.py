"""Importing card files into the database, and checking them without writing.

The importer is where the promises of issue 2 are kept: a file is imported whole or not at
all, a bad file does not stop the others, an unchanged file is skipped without being parsed,
an edited card keeps its review history, and a card whose file disappeared is marked missing,
never deleted. It runs in three passes: read and parse every file, settle which file owns
each card id (the first one wins), then write file by file, one transaction each.
"""

from __future__ import annotations

import fnmatch
import functools
import gc
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from quizapp.cards.model import Card, ParsedFile, Problem, Severity
from quizapp.store.db import Database
from quizapp.store.import_repo import FileOutcome, ImportWriter, SourceFileInfo

#: Called with (steps done, steps in total) while an import runs: each file counts twice,
#: once when it has been read and parsed and once when it has been written.
Progress = Callable[[int, int], None]

#: Files written together in one transaction (each file is still whole or absent).
_BATCH_FILES = 200
#: The progress callback is called every this many files (and at the end).
_PROGRESS_EVERY = 25

#: How often a file that keeps changing while it is read is retried before giving up.
_READ_ATTEMPTS = 3

_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?![\s$])((?:\\\$|[^$\n])+?)(?<![\s\\])\$(?!\d)")


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
    dry_run: bool = False
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.errors

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
            "dry_run": self.dry_run,
            "warnings": [problem.to_dict() for problem in self.warnings],
            "errors": [problem.to_dict() for problem in self.errors],
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


#: O_NONBLOCK: opening a FIFO named ``x.md`` must not wait for a writer.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)


def _read_upto(descriptor: int, limit: int) -> bytes:
    """Up to ``limit`` bytes from an open file: plain ``os.read`` calls, without the
    buffered file object that would cost more than reading a small card file."""
    data = os.read(descriptor, limit)
    if not data or len(data) >= limit:
        return data
    chunks = [data]
    size = len(data)
    while size < limit:
        chunk = os.read(descriptor, limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _read_stable(path: Path | str, max_bytes: int) -> tuple[bytes, os.stat_result] | str:
    """The file's bytes and the stat they belong to, or why they could not be read.

    A file that changes while it is read (its size or mtime differ before and after) is
    read again, so the hash stored always belongs to the text that was imported. Anything
    but a regular file (a FIFO named ``x.md``) is refused without blocking on it.
    """
    for _ in range(_READ_ATTEMPTS):
        try:
            descriptor = os.open(path, _OPEN_FLAGS)
            try:
                before = os.fstat(descriptor)
                if not stat.S_ISREG(before.st_mode):
                    return "not a regular file"
                if before.st_size > max_bytes:
                    return (
                        f"file is {before.st_size:,} bytes, over the limit of {max_bytes:,} bytes"
                    )
                # One byte more than expected, to notice a file that grew meanwhile.
                data = _read_upto(descriptor, before.st_size + 1)
                after = os.fstat(descriptor)
            finally:
                os.close(descriptor)
        except OSError as exc:
            return f"cannot read the file: {exc.strerror or exc}"
        if len(data) > max_bytes:
            return f"file is over the limit of {max_bytes:,} bytes"
        unchanged = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
        if unchanged and len(data) == after.st_size:
            return data, after
    return "the file kept changing while it was read; import it again once it is saved"


def _prefix(folder: str) -> str:
    """``folder`` with one trailing separator: a path starts with it when it lies inside."""
    return folder if folder.endswith(os.sep) else folder + os.sep


def _relative(path: Path | str, root: Path | str) -> str:
    """The posix path of ``path`` under its import root (the bare name when outside it):
    the same name the parser uses in messages, ids and decks. String operations only:
    this runs for every file of every rescan."""
    absolute = os.path.abspath(path)
    base = os.path.abspath(root)
    prefix = base if base.endswith(os.sep) else base + os.sep
    if absolute.startswith(prefix):
        return absolute[len(prefix) :].replace(os.sep, "/")
    return os.path.basename(absolute)


def parse_bytes(data: bytes, path: Path | str, root: Path) -> ParsedFile:
    """Parse bytes already read from ``path``, exactly as ``cards.parse_file`` would.

    The importer reads each file once, hashes those bytes and parses the same bytes, so
    the stored hash always describes the stored text even if the file changes meanwhile.
    """
    from quizapp.cards import parse_text
    from quizapp.cards.encoding import decode
    from quizapp.cards.identity import deck_for, path_id

    relative = _relative(path, root)
    decoded = decode(data)
    if not isinstance(decoded, str):
        return ParsedFile(path=relative, errors=[Problem(relative, decoded.line, decoded.message)])
    root_name = Path(os.path.abspath(root)).name
    return parse_text(
        decoded, path=relative, default_id=path_id(relative), deck=deck_for(relative, root_name)
    )


def formulas(markdown: str) -> list[str]:
    """The LaTeX of every ``$$…$$`` and ``$…$`` formula in some Markdown."""
    found = [match.group(1) for match in _DISPLAY_MATH.finditer(markdown)]
    rest = _DISPLAY_MATH.sub(" ", markdown)
    rest = re.sub(r"```.*?```|`[^`\n]*`", " ", rest, flags=re.DOTALL)
    found.extend(match.group(1) for match in _INLINE_MATH.finditer(rest))
    return found


_COMMAND = re.compile(r"\\begin\{[^}]*\}|\\[A-Za-z]+")
#: Command names already seen in a formula that mathtext drew without complaint.
_KNOWN_COMMANDS: set[str] = set()
_COMMAND_NAME = re.compile(r"\\[A-Za-z]+")


def _may_have_unknown_commands(text: str) -> bool:
    """False when no formula in ``text`` can name a command not yet known.

    Every command of a formula is also a command of the text it was cut from, so when all
    the text's commands are known (and it has no environment), none of its formulas needs
    looking at. This spares the formula scan for nearly every step of a typical deck.
    """
    if "\\" not in text:
        return False
    if "\\begin" in text:
        return True
    return not _KNOWN_COMMANDS.issuperset(_COMMAND_NAME.findall(text))


@functools.lru_cache(maxsize=4096)
def _unknown_in(formula: str) -> tuple[str, ...]:
    from quizapp.mathtext import unknown_commands

    return tuple(unknown_commands(formula))


def _unknown_commands(formula: str) -> tuple[str, ...]:
    """``mathtext.unknown_commands``, asked only about formulas with a command not yet
    known: decks reuse a small vocabulary, and the check must stay cheap next to parsing."""
    names = set(_COMMAND.findall(formula))
    if not names or names <= _KNOWN_COMMANDS:
        return ()
    unknown = _unknown_in(formula)
    _KNOWN_COMMANDS.update(name for name in names if not any(u in name for u in unknown))
    return unknown


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _validate_card(card: Card, work: _FileWork) -> tuple[list[Problem], list[Problem]]:
    """Warnings for unknown LaTeX commands; errors for exercises that do not verify."""
    warnings: list[Problem] = []
    errors: list[Problem] = []
    texts = [
        (card.line, card.question),
        *((step.line or card.line, step.text) for step in card.steps),
    ]
    for line, text in texts:
        if "$" not in text or not _may_have_unknown_commands(text):
            continue
        for formula in formulas(text):
            unknown = _unknown_commands(formula)
            if unknown:
                names = ", ".join(unknown)
                warnings.append(
                    Problem(
                        work.display,
                        line,
                        f'card "{card.title}": unknown LaTeX {names} in ${_shorten(formula)}$',
                        Severity.WARNING,
                    )
                )
    if not card.exercises:
        return warnings, errors
    from quizapp.exercises import ExerciseError, parse_spec, verify_spec

    for exercise in card.exercises:
        try:
            spec = parse_spec(exercise.yaml, line=exercise.line, source=work.display)
            verify_spec(spec)
        except ExerciseError as exc:
            line = exc.line if exc.line is not None else exercise.line
            message = exc.message if exc.ask is None else f"ask `{exc.ask}`: {exc.message}"
            errors.append(_error(work, line, f'card "{card.title}": exercise: {message}'))
    return warnings, errors


class _Run:
    """One import or check: the three passes over the discovered files."""

    def __init__(
        self,
        paths: Sequence[str | Path],
        writer: ImportWriter | None,
        *,
        dry_run: bool,
        progress: Progress | None,
    ) -> None:
        self.paths = [Path(p) for p in paths]
        self.writer = writer
        self.dry_run = dry_run or writer is None
        self.progress = progress
        self.report = ImportReport(dry_run=dry_run)
        self.now = datetime.now(UTC)
        self.work: list[_FileWork] = []
        self.keys: set[str] = set()
        self._covering: dict[str, str] = {}

    # -- import roots --------------------------------------------------------------------------
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
        if known is not None and known.root is not None and key.startswith(_prefix(known.root)):
            return known.root
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

        found = discover([str(path) for path in self.paths])
        for problem in found.problems:
            self._problem(problem)
        named_roots: dict[Path, str] = {}
        root_paths: dict[str, Path] = {}
        folders: dict[str, str] = {}  # abspath is slow; a rescan of 10,000 files feels it
        for source in found.files:
            folder, name = os.path.split(source.file)
            absolute_folder = folders.get(folder)
            if absolute_folder is None:
                absolute_folder = folders[folder] = os.path.abspath(folder)
            key = os.path.join(absolute_folder, name)
            if key in self.keys:
                continue
            self.keys.add(key)
            named = named_roots.get(source.root)
            if named is None:
                named = named_roots[source.root] = os.path.abspath(source.root)
            root = self._root_for(key, named)
            inside = _prefix(root)
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

    def read_and_parse(self, work: _FileWork) -> None:
        from quizapp.cards import limits

        known = self.writer.sources.get(work.key) if self.writer is not None else None
        if known is not None:
            stat = work.found
            if stat is None:
                try:
                    stat = os.stat(work.path)
                except OSError:
                    stat = None
            if stat is not None and (stat.st_size, stat.st_mtime_ns) == (
                known.size,
                known.mtime_ns,
            ):
                work.info = known
                work.kept_uids = self._kept(work)
                return
        read = _read_stable(work.path, limits.MAX_FILE_BYTES)
        if isinstance(read, str):
            self._fail(work, [_error(work, 1, read)])
            return
        data, stat = read
        digest = hashlib.sha256(data).hexdigest()
        work.info = SourceFileInfo(
            work.key, stat.st_size, stat.st_mtime_ns, digest, work.root_path
        )
        if known is not None and known.sha256 == digest:
            work.kept_uids = self._kept(work)
            if not self.dry_run and self.writer is not None:
                self.writer.touch_source(work.info, self.now)
            return
        parsed = parse_bytes(data, work.path, work.root)
        work.parsed = parsed
        self.report.warnings.extend(parsed.warnings)
        errors = list(parsed.errors)
        for card in parsed.cards:
            warnings, card_errors = _validate_card(card, work)
            self.report.warnings.extend(warnings)
            errors.extend(card_errors)
        if errors:
            self._fail(work, errors)
            return
        self.report.repaired += parsed.repaired

    def _kept(self, work: _FileWork) -> list[str]:
        assert self.writer is not None
        return self.writer.uids_from(work.key)

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
            if work.failed:
                continue
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
                continue
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
        total = len(self.work)
        batch: list[_FileWork] = []
        for done, work in enumerate(self.work, start=1):
            if work.failed:
                pass
            elif work.parsed is None:
                self.report.unchanged += len(work.kept_uids)
            else:
                batch.append(work)
            if len(batch) >= _BATCH_FILES or (done == total and batch):
                self._write_batch(batch)
                batch = []
            self._report_progress(total + done)
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
        try:
            self._record(batch, self.writer.write_files(self._payload(batch), self.now))
            return
        except SQLAlchemyError:
            if len(batch) == 1:
                pass
            else:
                for work in batch:
                    self._write_batch([work])
                return
        try:
            self._record(batch, self.writer.write_files(self._payload(batch), self.now))
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", exc)).splitlines()[0]
            self._fail(batch[0], [_error(batch[0], 1, f"not imported: database error: {reason}")])

    @staticmethod
    def _payload(batch: list[_FileWork]) -> list[tuple[SourceFileInfo, list[Card]]]:
        payload = []
        for work in batch:
            assert work.info is not None
            payload.append((work.info, work.cards))
        return payload

    def _record(self, batch: list[_FileWork], outcomes: list[FileOutcome]) -> None:
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
                    f"file not found; its {count} card(s) are kept and marked missing",
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
        # Parsing makes no reference cycles (markdown-it's tokens and the cards are trees),
        # yet the cyclic GC would keep rescanning the growing heap of parsed cards, about
        # a tenth of a big import. So it is paused for the run and resumed after.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.discover()
            self._read_all()
            self.settle_ids()
            self.write()
        finally:
            self._release()
            if collecting:
                gc.enable()
        return self.report

    def _read_all(self) -> None:
        # By index, so that no local keeps the last file's cards (see _release).
        for index in range(len(self.work)):
            self.read_and_parse(self.work[index])
            self._report_progress(index + 1)

    def _release(self) -> None:
        """Let go of the parsed cards and the writer's caches as soon as the run ends.

        An exception caught deep inside a LaTeX check keeps its frames, and through them
        this run, in a reference cycle; without this, every card of a big import would
        wait for the cyclic GC, which would then stall the next import.
        """
        self.work = []
        self.keys = set()
        self.writer = None

def import_paths(
    db: Database,
    paths: Sequence[str | Path],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import card files, folders (recursively, ``*.md``) and globs into ``db``.

    Idempotent: unchanged files are skipped by size/mtime and hash, edited cards keep their
    scheduling and history, vanished cards are marked missing. With ``dry_run`` nothing is
    written and the report says what would happen.
    """
    return _Run(paths, ImportWriter.load(db), dry_run=dry_run, progress=progress).run()


def check_paths(paths: Sequence[str | Path], *, progress: Progress | None = None) -> ImportReport:
    """Validate card files without a database: the same report as an import into an empty one."""
    return _Run(paths, None, dry_run=True, progress=progress).run()
