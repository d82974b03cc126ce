"""Reading one card file for an import: bytes, hash, parse and card checks, nothing stored.

This is the part of an import that costs: everything else is a stat, a look-up or a bulk
write. It is one pure function of a :class:`ReadJob`, with a picklable
:class:`ReadResult`, so that the importer can run it in its own process or spread it over a
process pool (``parse_pool.py``) and get the same answer either way. It imports neither the
store nor textual, which keeps a pool worker's start-up short.

The bytes are read once and the same bytes are hashed and parsed, so that the hash the
importer records always belongs to the text it stored (``cards/source.py`` reads a file
that changes while it is read again).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from quizapp.cards.model import ParsedFile, Problem

if TYPE_CHECKING:
    from quizapp.cards.formats import FormatRegistry


class ReadOutcome(StrEnum):
    """What reading a file came to."""

    UNREADABLE = "unreadable"
    """Not read at all (missing, not a regular file, too big): ``errors`` says why."""
    UNCHANGED = "unchanged"
    """Its bytes hash to what was stored from it: not parsed."""
    REMEMBERED = "remembered"
    """Its bytes hash to a file remembered as giving no cards: not parsed."""
    PARSED = "parsed"
    """Parsed and its cards checked: ``parsed`` and the problems hold the result."""


@dataclass(frozen=True, slots=True)
class ReadJob:
    """One file to read, with what the importer already knows about it.

    ``path`` is the file as discovery found it and ``root`` its import root (ids and the
    deck come from the path under it); ``display`` names it in messages. ``stored_sha256``
    is the hash of its stored text and ``remembered_sha256`` that of a remembered file with
    no cards (either None): bytes with either hash are not parsed again.
    ``previous_ids`` are its cards' ids at its last import, in file order.
    ``question_only`` is the import's ``--question-only``
    (:attr:`~quizapp.cards.formats.FileContext.question_only`). ``audit`` (a
    check, not an import) also runs the exercises' 200-seed gameability audit, keeping
    its results in the folder ``audit_cache`` (``services/audit_cache.py``) when given.
    ``check_cards`` false skips the card checks (exercises verified, formulas' LaTeX):
    only for the bundled deck, which ``quizapp check`` checks and audits in CI
    (``tests/content``), so that a first run does not spend half a second on them again.
    """

    path: str
    root: str
    display: str
    stored_sha256: str | None = None
    remembered_sha256: str | None = None
    previous_ids: tuple[str, ...] = ()
    question_only: bool = False
    audit: bool = False
    audit_cache: str | None = None
    check_cards: bool = True


@dataclass(slots=True)
class ReadResult:
    """What one file gave. ``size``, ``mtime_ns`` and ``sha256`` are those of the bytes
    read (unset when unreadable). ``warnings`` and ``errors`` are every problem of the file
    in the order they were found: the parser's, then each card's checks; a file with any
    error keeps no cards."""

    outcome: ReadOutcome
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""
    parsed: ParsedFile | None = None
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


def read_file(
    job: ReadJob, *, format: str | None = None, registry: FormatRegistry | None = None
) -> ReadResult:
    """Read, hash, parse and check one file. Never raises for bad input.

    ``format`` forces a format by name for a file that names none; ``registry`` replaces
    the default set of formats.
    """
    from quizapp.cards.parser import parse_bytes
    from quizapp.cards.source import read_stable
    from quizapp.services.card_checks import check_card

    read = read_stable(job.path)
    if isinstance(read, str):
        return ReadResult(ReadOutcome.UNREADABLE, errors=[Problem(job.display, 1, read)])
    data, stat = read
    digest = hashlib.sha256(data).hexdigest()
    result = ReadResult(ReadOutcome.PARSED, stat.st_size, stat.st_mtime_ns, digest)
    if digest == job.stored_sha256:
        result.outcome = ReadOutcome.UNCHANGED
        return result
    if digest == job.remembered_sha256:
        result.outcome = ReadOutcome.REMEMBERED
        return result
    parsed = parse_bytes(
        data,
        job.path,
        job.root,
        format=format,
        registry=registry,
        previous_ids=job.previous_ids,
        question_only=job.question_only,
    )
    result.warnings = list(parsed.warnings)
    result.errors = list(parsed.errors)
    for card in parsed.cards if job.check_cards else ():
        warnings, errors = check_card(
            card,
            job.display,
            audit=job.audit,
            audit_cache=job.audit_cache,
            data=data,
        )
        result.warnings.extend(warnings)
        result.errors.extend(errors)
    if result.errors:
        parsed.cards = []  # a file with errors is imported without any of its cards
        parsed.schedules = {}
    result.parsed = parsed
    return result
