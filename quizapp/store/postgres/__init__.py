"""PostgreSQL as the store: connecting, and what differs from SQLite (docs/postgres.md)."""
