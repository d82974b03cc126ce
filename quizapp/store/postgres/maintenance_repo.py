"""Backups and the doctor on PostgreSQL (``ports.MaintenanceStore``).

The doctor's row checks and repairs are SQLite's portable Core with PostgreSQL's own
statements where the two differ (``postgres/doctor.py``). A backup is a portable archive
(``store/archive.py``), the one ``quizapp backup`` writes there: there is no database file
to copy, and the server's own backups (``pg_dump``, base backups) are the operator's.
"""

from __future__ import annotations

from datetime import UTC, datetime

from quizapp.store.archive import default_archive_path, write_archive
from quizapp.store.postgres.doctor import POSTGRES
from quizapp.store.records import BackupInfo
from quizapp.store.sqlite import maintenance_repo


class MaintenanceRepository(maintenance_repo.MaintenanceRepository):
    """The doctor with PostgreSQL's statements, and backups as portable archives."""

    doctor_sql = POSTGRES

    def backup_now(self, *, now: datetime | None = None, keep_all: bool = False) -> BackupInfo:
        """Write a portable archive of the whole collection now (what ``doctor --repair``
        keeps before it changes a row) and return it. Archives are never pruned, so
        ``keep_all`` changes nothing; raises ``StoreError`` when it cannot be written."""
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        report = write_archive(self.database, default_archive_path(self.database, moment))
        return BackupInfo(report.path, moment, report.path.stat().st_size)
