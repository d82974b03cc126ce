"""Alembic environment: migrations always run on a connection quizapp hands in."""

from __future__ import annotations

from alembic import context

from quizapp.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("quizapp migrations run through quizapp.store.migrate, not the alembic CLI")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
