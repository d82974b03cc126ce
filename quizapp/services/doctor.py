"""``quizapp doctor``: check the database, and repair what a row-level repair can.

The checks and the writes are the store's (``Database.maintenance``); this service adds what needs
the scheduler (rebuilding a card's memory state from its review log) and the order that
keeps a repair safe: check, refuse when SQLite's own integrity check fails (no row repair
fixes a damaged file: restoring a backup does), back up, repair in one transaction,
check again. Rows and rebuilt states are written in two transactions, each of which
leaves a consistent database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from quizapp.scheduling.clock import utc_now
from quizapp.scheduling.memory import MemoryState
from quizapp.scheduling.scheduler import ClockSkewError, Scheduler, new_memory
from quizapp.store.checkup import NO_STATE, UNREADABLE_STATE, Checkup, LogEntry, Repairs
from quizapp.store.db import Database

__all__ = ["DoctorReport", "RebuiltHistory", "check", "rebuild_history", "repair_database"]


def check(database: Database) -> Checkup:
    """Every row quizapp cannot use, and the database's own integrity verdict."""
    return database.maintenance.check()


@dataclass(frozen=True)
class DoctorReport:
    """What ``doctor --repair`` did: the checkup before, the backup, each repair, after.

    ``refused`` says why nothing was repaired (None when repairs ran or none were due).
    """

    before: Checkup
    backup: Path | None = None
    repaired: tuple[str, ...] = ()
    after: Checkup | None = None
    refused: str | None = None

    @property
    def ok(self) -> bool:
        """True when the database is healthy now."""
        return (self.after or self.before).ok

    def to_dict(self) -> dict[str, Any]:
        """The ``doctor --repair --json`` shape (see docs/cli.md)."""
        return {
            **self.before.to_dict(),
            "ok": self.ok,
            "backup": None if self.backup is None else str(self.backup),
            "repaired": list(self.repaired),
            "refused": self.refused,
            "after": None if self.after is None else self.after.to_dict(),
        }


@dataclass(frozen=True)
class RebuiltHistory:
    """A card's history worked out from its answers: the states of the review logs that
    had to be rewritten (by log id), and the card's memory state after its last answer."""

    logs: dict[int, tuple[MemoryState, MemoryState]]
    state: MemoryState


def rebuild_history(
    pk: int,
    created: datetime | None,
    logs: Sequence[LogEntry],
    scheduler: Scheduler,
    now: datetime,
) -> RebuiltHistory:
    """Walk a card's answers (oldest first) and fill in every state that cannot be read.

    Each answer starts from its recorded state before, else from the state after the
    previous answer, else (the first) from a new card's state; its state after is the
    recorded one, else the scheduler's result for that rating at that time, which is
    exactly what answering gave (the fuzz is seeded by card and repetitions). A card never
    answered is new, due from when it was created. (A card reset to new after answering
    comes back with its answers.)
    """
    rewritten: dict[int, tuple[MemoryState, MemoryState]] = {}
    previous: MemoryState | None = None
    for entry in logs:
        if entry.reviewed_at is None or entry.rating is None:
            continue
        before = entry.before or previous or new_memory(created or entry.reviewed_at)
        after = entry.after
        if after is None:
            try:
                after = scheduler.review(pk, before, entry.rating, entry.reviewed_at)
            except ClockSkewError:
                after = before
        if entry.before is None or entry.after is None:
            rewritten[entry.id] = (before, after)
        previous = after
    return RebuiltHistory(rewritten, previous or new_memory(created or now))


def repair_database(database: Database, *, clock: Callable[[], datetime] = utc_now) -> DoctorReport:
    """Check, and if rows need it (and the file itself is sound), back up and repair.

    Raises ``StoreError`` when the backup cannot be made: nothing is repaired without one.
    """
    before = check(database)
    if before.ok:
        return DoctorReport(before)
    if before.integrity:
        return DoctorReport(
            before,
            refused="SQLite's integrity check fails, which no row repair can fix; restore "
            "the last good backup (quizapp restore)",
        )
    now = clock()
    saved = database.maintenance.backup_now(now=now, keep_all=True)
    # Rows first: the states are then worked out from the repaired log, with the settings
    # as they will be read from now on (a damaged setting already back to its default).
    done = database.maintenance.repair(Repairs(findings=before.findings), now)
    lost_state = {
        int(finding.row)
        for finding in before.findings
        if finding.problem in (UNREADABLE_STATE, NO_STATE)
    }
    damaged_logs = {
        int(finding.row) for finding in before.findings if finding.table == "review_logs"
    }
    scheduler = Scheduler(database.settings.load_settings())
    repairs = Repairs()
    for pk, (created, logs) in database.maintenance.rebuild_inputs(
        lost_state | _cards_of(before)
    ).items():
        history = rebuild_history(pk, created, logs, scheduler, now)
        repairs.logs.update(
            (log_id, states) for log_id, states in history.logs.items() if log_id in damaged_logs
        )
        if pk in lost_state:
            repairs.states[pk] = history.state
    done += database.maintenance.repair(repairs, now)
    return DoctorReport(before, saved.path, tuple(done), check(database))


def _cards_of(checkup: Checkup) -> set[int]:
    """The keys of the cards whose review logs were found unreadable."""
    return {
        finding.card_pk
        for finding in checkup.findings
        if finding.table == "review_logs" and finding.card_pk is not None
    }
