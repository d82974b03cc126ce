"""The SQLite store: schema, migrations, opening the database, and every query.

Nothing outside this package builds queries or sees an ORM row; the repositories here
return the plain dataclasses of ``quizapp.store.records`` and ``quizapp.cards.model``.
"""
