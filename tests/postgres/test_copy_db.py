"""``copy-db`` between SQLite and a real PostgreSQL server, both ways: equal content, key
sequences moved past the copied keys, a non-empty target refused, bad URLs one line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from postgres_server import PostgresServer
from store.full_collection import build_full, digests

from quizapp.cli import cli
from quizapp.store.db import open_database, run_sql


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_sqlite_to_postgres_and_back_is_equal(tmp_path: Path, postgres_url: str) -> None:
    source = build_full(tmp_path / "a.db")
    there = run("copy-db", "--from", str(source), "--to", postgres_url)
    assert there.exit_code == 0, there.output
    assert "quizapp-test-password" not in there.output
    back = run("copy-db", "--from", postgres_url, "--to", str(tmp_path / "b.db"))
    assert back.exit_code == 0, back.output
    a, pg, b = open_database(source), open_database(postgres_url), open_database(tmp_path / "b.db")
    try:
        assert digests(a) == digests(pg) == digests(b)
        assert all(table.rows > 0 for table in digests(b))
        kinds = "SELECT id, review_kind FROM review_logs ORDER BY id"
        assert run_sql(pg, kinds) == run_sql(a, kinds)
        # The sequences moved past the copied keys: a new row gets the next free id.
        run_sql(
            pg,
            "INSERT INTO practice_logs (card_id, rating, reviewed_at, duration_ms)"
            " VALUES (1, 3, now(), 5)",
        )
        assert run_sql(pg, "SELECT max(id) FROM practice_logs") == [(2,)]
        # The planner has the copied tables' statistics at once, not after autovacuum.
        stats = (
            "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = '{}'"
        )
        assert all(run_sql(pg, stats.format(name))[0][0] > 0 for name in ("cards", "review_logs"))
    finally:
        for db in (a, pg, b):
            db.close()


def test_a_postgres_target_holding_a_collection_needs_force(
    tmp_path: Path, postgres_url: str
) -> None:
    source = build_full(tmp_path / "a.db")
    assert run("copy-db", "--from", str(source), "--to", postgres_url).exit_code == 0
    pg = open_database(postgres_url)
    run_sql(pg, "DELETE FROM settings WHERE key = 'desired_retention'")
    before = digests(pg)
    pg.close()
    refused = run("copy-db", "--from", str(source), "--to", postgres_url)
    assert refused.exit_code == 1
    assert "already holds a collection" in refused.output
    assert refused.output.count("\n") == 1
    pg = open_database(postgres_url)
    assert digests(pg) == before
    pg.close()
    forced = run("copy-db", "--from", str(source), "--to", postgres_url, "--force")
    assert forced.exit_code == 0, forced.output
    a, pg = open_database(source), open_database(postgres_url)
    assert digests(a) == digests(pg)
    a.close()
    pg.close()


def test_a_bad_postgres_url_is_one_line(tmp_path: Path, postgres_server: PostgresServer) -> None:
    source = build_full(tmp_path / "a.db")
    for url, expected in (
        (postgres_server.url("postgres", password="wrong"), "refused the password"),
        (postgres_server.url("absent_db"), "the database absent_db does not exist"),
    ):
        result = run("copy-db", "--from", str(source), "--to", url)
        assert result.exit_code == 2
        assert result.output.startswith("quizapp: error: ")
        assert expected in result.output
        assert result.output.count("\n") == 1
        assert "wrong" not in result.output
