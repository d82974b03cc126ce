"""The one exception the store raises for problems a user can fix.

Front ends print it as a single line (``quizapp: error: …``); anything else escaping the
store is a bug and deserves its traceback.
"""

from __future__ import annotations


class StoreError(Exception):
    """A database that cannot be opened, created, upgraded, backed up or restored.

    The message is one line that names the file at fault and what to do about it.
    """


class DatabaseBusy(StoreError):
    """Another connection held the write lock for longer than the busy timeout.

    Raised once, at the first write that gives up waiting, so that a command writing many
    times (an import of many files) stops there instead of waiting the timeout again for
    every retry and every file.
    """

    #: What the user reads after the database's name.
    REASON = "the database is busy: another quizapp is writing; try again"

    def __init__(self, where: str) -> None:
        super().__init__(f"{where}: {self.REASON}")
        self.where = where


class StaleCardError(StoreError):
    """The card's state changed underneath this session (answered in another window)."""


class UnknownCardError(StoreError):
    """No card has this id."""


class HistoryChanged(StoreError):
    """Answers were added to an imported card while the import ran."""


class WriteFailed(StoreError):
    """The database refused a write (a constraint, a damaged file): nothing of it was kept.

    The message is ``database error: `` and the driver's first line, for the importer to
    report against the file whose batch failed.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(f"database error: {reason}")
        self.reason = reason


class NotOnThisBackend(StoreError):
    """The store has no implementation of this work for the database's backend yet.

    PostgreSQL holds a collection (``copy-db``, ``backup``, ``list``, ``show``, ``tags``)
    before it runs everything: studying, statistics, importing new cards and the doctor
    still use SQL written for SQLite. Asking for them there is one line that says so and
    what to do, never a driver's traceback half-way through a write.
    """

    def __init__(self, what: str, backend: str) -> None:
        super().__init__(
            f"{what} does not run on {backend} yet (docs/postgres.md); to use it, copy the "
            "collection to a SQLite file: quizapp copy-db --from URL --to FILE"
        )
        self.what = what


class ConnectionLost(StoreError):
    """The connection to the database server broke during a statement or a commit.

    During a statement its transaction was never committed, so nothing of the work is
    kept (``saved`` is False). During the commit the server may or may not have committed
    it before the connection broke (``saved`` is None): the message says so rather than
    claiming either. The next command connects again.
    """

    def __init__(self, where: str, *, during_commit: bool) -> None:
        if during_commit:
            outcome = (
                "while saving: the last change may not have been kept; check it, then try again"
            )
        else:
            outcome = "before the work was saved: nothing of it was kept; try again"
        super().__init__(
            f"{where}: the connection to the PostgreSQL server was lost"
            f" (the server restarted or ended the session) {outcome}"
        )
        self.where = where
        self.saved: bool | None = None if during_commit else False


class StatementTimedOut(StoreError):
    """The server cancelled a statement that ran past the statement timeout.

    Its transaction is rolled back with it, so nothing of the work is kept.
    """

    def __init__(self, where: str, timeout: str) -> None:
        super().__init__(
            f"{where}: a statement ran past the statement timeout ({timeout}) and the server"
            " cancelled it; nothing of the work was kept (to allow longer, add"
            " ?statement_timeout=5min to the URL)"
        )
        self.where = where
        self.timeout = timeout
