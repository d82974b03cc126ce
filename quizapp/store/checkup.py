"""What ``quizapp doctor`` finds and repairs: the findings, the checkup, the repairs.

Plain values that cross the store's edge (the doctor service and the CLI read them); the
queries that produce them are the backend's (``quizapp.store.sqlite.doctor``, with
PostgreSQL's own statements in ``quizapp.store.postgres.doctor``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from quizapp.scheduling.memory import MemoryState

#: What ``Finding.problem`` names.
UNREADABLE_CONTENT = "content unreadable"


UNREADABLE_STATE = "memory state unreadable"


NO_STATE = "memory state missing"


UNREADABLE_ROW = "unreadable"


ORPHAN = "parent row missing"


@dataclass(frozen=True)
class Finding:
    """One row quizapp cannot use: which table and row, which card, and what is wrong.

    ``row`` is the row's key (``rowid`` on SQLite, the primary key on PostgreSQL, where a
    two-column key reads ``(3, 1)``; the key of a setting); ``card`` the card's id as users
    see it, when known. ``detail`` says what the decoder or SQLite objected to.
    """

    table: str
    row: str
    problem: str
    card: str | None = None
    detail: str = ""
    card_pk: int | None = None
    """The card's integer key, for rows of a card's review log."""

    def subject(self) -> str:
        """Which row: ``card x (card_states row 5)`` or ``settings row interview_date``."""
        if self.card is None:
            return f"{self.table} row {self.row}"
        return f"card {self.card} ({self.table} row {self.row})"

    def line(self) -> str:
        """The one-line report: ``card x (card_states row 5): memory state unreadable: …``."""
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.subject()}: {self.problem}{detail}"

    def to_dict(self) -> dict[str, Any]:
        """The ``doctor --json`` shape of one finding."""
        return {
            "table": self.table,
            "row": self.row,
            "card": self.card,
            "problem": self.problem,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Checkup:
    """What ``check`` found: the database's own verdict, and every row quizapp cannot use."""

    integrity: tuple[str, ...]
    """``PRAGMA integrity_check``'s lines; empty when it said ``ok`` (or did not run)."""
    findings: tuple[Finding, ...] = ()
    integrity_note: str = ""
    """Why no integrity check of the database's own ran, "" when one did. PostgreSQL has
    no ``PRAGMA integrity_check``: the server keeps its pages sound itself (write-ahead
    log, data checksums when enabled), and ``pg_amcheck`` is the operator's tool."""

    @property
    def ok(self) -> bool:
        """True when nothing at all is wrong."""
        return not self.integrity and not self.findings

    @property
    def integrity_verdict(self) -> str:
        """The integrity check's one word: ``ok``, ``FAILED`` or ``not run``."""
        if self.integrity:
            return "FAILED"
        return "not run" if self.integrity_note else "ok"

    def to_dict(self) -> dict[str, Any]:
        """The ``doctor --json`` shape (see docs/cli.md)."""
        return {
            "ok": self.ok,
            "integrity": list(self.integrity) if self.integrity else self.integrity_verdict,
            "integrity_note": self.integrity_note or None,
            "foreign_keys": [f.to_dict() for f in self.findings if f.problem == ORPHAN],
            "rows": [f.to_dict() for f in self.findings if f.problem != ORPHAN],
        }


@dataclass(frozen=True)
class LogEntry:
    """What is readable of one review log, for rebuilding a card's states from it."""

    id: int
    reviewed_at: datetime | None
    rating: int | None
    before: MemoryState | None
    after: MemoryState | None

    @property
    def replayable(self) -> bool:
        """True when the answer itself (time and rating) is known: its states can be
        worked out again. Without them the log says nothing and is removed."""
        return self.reviewed_at is not None and self.rating is not None


@dataclass
class Repairs:
    """What ``repair`` is asked to do.

    ``findings``: the rows to delete, clear or unlink (orphans, unreadable content and
    rows; a review log is only deleted when its answer is unknown, see ``LogEntry``).
    ``states``: rebuilt memory states by card key. ``logs``: review logs whose stored
    states are rewritten, by log id: (state before, state after).
    """

    findings: tuple[Finding, ...] = ()
    states: dict[int, MemoryState] = field(default_factory=dict)
    logs: dict[int, tuple[MemoryState, MemoryState]] = field(default_factory=dict)
