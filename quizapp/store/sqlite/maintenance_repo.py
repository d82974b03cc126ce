"""Backups and the doctor's checkup and repairs behind one object (``ports.MaintenanceStore``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from quizapp.store.checkup import Checkup, LogEntry, Repairs
from quizapp.store.db import Database
from quizapp.store.records import BackupInfo
from quizapp.store.sqlite import backup, doctor


class MaintenanceRepository:
    """``backup.backup_now`` and ``doctor``'s ``check``, ``rebuild_inputs`` and ``repair``
    over one open ``Database``."""

    #: The doctor's backend-specific statements (PostgreSQL's repository has its own).
    doctor_sql: doctor.DoctorSql = doctor.SQLITE

    def __init__(self, database: Database) -> None:
        self.database = database

    def backup_now(self, *, now: datetime | None = None, keep_all: bool = False) -> BackupInfo:
        """Make a backup now, prune old ones (unless ``keep_all``), and return the new one."""
        return backup.backup_now(self.database, now=now, keep_all=keep_all)

    def check(self) -> Checkup:
        """Every row quizapp cannot use, and SQLite's own integrity verdict."""
        return doctor.check(self.database, self.doctor_sql)

    def rebuild_inputs(
        self, pks: Iterable[int]
    ) -> dict[int, tuple[datetime | None, list[LogEntry]]]:
        """For each card that exists: when it was created and its review log, oldest first."""
        return doctor.rebuild_inputs(self.database, pks)

    def repair(self, repairs: Repairs, now: datetime) -> list[str]:
        """Write ``repairs`` in one transaction; one line per repair made."""
        return doctor.repair(self.database, repairs, now, self.doctor_sql)
