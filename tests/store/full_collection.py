"""A small SQLite collection with a row in every table, for copying and backups: the
studied collection (cards, states, review logs) plus practice logs, settings, exercise
attempts, related questions and an unimported file."""

from __future__ import annotations

from pathlib import Path

from quizapp.store.canonical import TableDigest, collection_tables, table_digest
from quizapp.store.db import Database, open_database, run_sql
from store.studied import build_studied


def build_full(file: Path) -> Path:
    """Write the collection to ``file`` (a new SQLite database) and return it."""
    build_studied(file)
    db = open_database(file, auto_backup=False)
    try:
        for sql in (
            "INSERT INTO practice_logs (card_id, rating, reviewed_at, duration_ms)"
            " VALUES (1, 3, '2026-01-06 10:00:00.250000', 900)",
            "INSERT INTO settings (key, value) VALUES ('desired_retention', '0.87'),"
            ' (\'leech\', \'{"threshold": 8, "action": "tag", "ä": [1.5, null]}\')',
            "INSERT INTO exercise_attempts (card_id, exercise_id, seed, attempt,"
            " suggested_rating, created_at) VALUES (2, 'softmax', 2147483000,"
            ' \'{"answers": {"y": "np.exp(x)"}, "ok": true}\', 3, \'2026-01-06 11:00:00\')',
            "INSERT INTO tags (id, key, name) VALUES (1, 'linalg', 'LinAlg')",
            "INSERT INTO card_tags (card_id, tag_id, position) VALUES (1, 1, 0), (2, 1, 0)",
            "INSERT INTO related (card_id, position, text, target_id)"
            " VALUES (1, 0, 'See beta', 2), (1, 1, 'Вопрос без ответа', NULL)",
            "INSERT INTO unimported_files (path, size, mtime_ns, sha256, reader, failed,"
            " problems, recorded_at) VALUES ('/c/notes.txt', 12, 1765000000123456789, 'ab',"
            " 'r1', 1, '[[\"error\", 3, \"bad\"]]', '2026-01-06 12:00:00')",
        ):
            run_sql(db, sql)
    finally:
        db.close()
    return file


def digests(db: Database) -> list[TableDigest]:
    """Every table's row count and digest."""
    with db.begin() as connection:
        return [table_digest(connection, table) for table in collection_tables()]
