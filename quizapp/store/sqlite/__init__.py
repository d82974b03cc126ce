"""The SQLite store: every query, as SQLAlchemy Core on the shared tables plus the
SQLite-only fast paths (``INDEXED BY``, ``group_concat``, ``json_each``, the backup API).

Nothing outside ``quizapp.store`` imports this package: ``Database`` hands its
repositories out under the protocols of ``quizapp.store.ports``.
"""
