"""The store: opening a database, the repository protocols it hands out, the schema.

``db.open_database`` gives a ``Database`` whose properties (``cards``, ``queue``,
``answers``, ``settings``…) are the repositories of its backend, typed by the protocols of
``ports``; they return the plain values of ``records`` and ``checkup`` (and
``quizapp.cards.model``). The SQL lives in the backend's package (``sqlite/``). Nothing
outside this package builds queries or sees an ORM row, and services and front ends import
only ``db``, ``ports``, ``records``, ``checkup``, ``errors`` and ``location`` (import-linter
contracts in pyproject.toml).
"""
