"""``quizapp import`` on PostgreSQL: a folder imported, imported again after edits, and
what only PostgreSQL can get wrong (keys taken from the sequence, the sequence ahead of
keys copied in, an importer that waits for another one, a busy lock in one line)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from postgres_server import PostgresServer
from sqlalchemy import Connection, create_engine, text
from store.cards_factory import make_card

from quizapp.cards.model import Card
from quizapp.cli import cli
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.errors import ConnectionLost, DatabaseBusy, WriteFailed
from quizapp.store.postgres import import_repo
from quizapp.store.records import SourceFileInfo

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def card(title: str, answer: str = "The derivative of the outer at the inner.") -> str:
    return (
        f"# {title}\n\n## Question\n\nWhat is the {title.lower()}?\n\n## Answer\n\n{answer}\n\n"
        "## Tags\n\nCalculus\n\n## Difficulty\n\neasy\n"
    )


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, "--no-bundled", *args])


@pytest.fixture
def database(postgres_url: str) -> Iterator[Database]:
    opened = open_database(postgres_url, auto_backup=False)
    yield opened
    opened.close()


def test_a_folder_is_imported_then_reimported_with_edits_and_a_file_gone(
    tmp_path: Path, postgres_url: str
) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "chain-rule.md").write_text(card("Chain Rule"), encoding="utf-8")
    (cards / "product-rule.md").write_text(card("Product Rule"), encoding="utf-8")
    (cards / "notes.md").write_text("just a note, no card\n", encoding="utf-8")
    first = run(postgres_url, "import", str(cards))
    assert first.exit_code == 0, first.output
    assert "2 new" in first.output

    again = run(postgres_url, "import", str(cards))
    assert again.exit_code == 0, again.output
    assert "2 unchanged" in again.output

    (cards / "chain-rule.md").write_text(card("Chain Rule", "f'(g(x)) g'(x)"), encoding="utf-8")
    (cards / "product-rule.md").unlink()
    (cards / "quotient-rule.md").write_text(card("Quotient Rule"), encoding="utf-8")
    edited = run(postgres_url, "import", str(cards))
    assert edited.exit_code == 0, edited.output
    assert "1 new" in edited.output and "1 updated" in edited.output
    assert "product-rule" in edited.output  # reported missing

    listed = run(postgres_url, "list")
    assert "chain-rule" in listed.output and "quotient-rule" in listed.output
    shown = run(postgres_url, "show", "chain-rule")
    assert "f'(g(x)) g'(x)" in shown.output


def test_new_cards_take_keys_past_those_copied_in(tmp_path: Path, postgres_url: str) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    for name in ("alpha", "beta", "gamma"):
        (cards / f"{name}.md").write_text(card(name.title()), encoding="utf-8")
    source = tmp_path / "source.db"
    assert run(str(source), "import", str(cards)).exit_code == 0
    copied = CliRunner().invoke(cli, ["copy-db", "--from", str(source), "--to", postgres_url])
    assert copied.exit_code == 0, copied.output

    (cards / "delta.md").write_text(card("Delta"), encoding="utf-8")
    result = run(postgres_url, "import", str(cards))
    assert result.exit_code == 0, result.output
    database = open_database(postgres_url, auto_backup=False)
    try:
        rows = run_sql(database, "SELECT uid, id FROM cards ORDER BY id")
    finally:
        database.close()
    keys = dict(rows)
    assert sorted(keys) == ["alpha", "beta", "delta", "gamma"]
    assert keys["delta"] > max(keys["alpha"], keys["beta"], keys["gamma"])


def test_keys_come_from_the_sequence_so_concurrent_writers_never_share_one(
    database: Database,
) -> None:
    first, second = database.import_writer(), database.import_writer()
    first.write_file(SourceFileInfo("/d/a.md", 1, 1, "0" * 64), [make_card("a")], T0)
    # another session takes keys from the sequence meanwhile (a writer without the lock)
    run_sql(database, "SELECT nextval(pg_get_serial_sequence('cards', 'id'))")
    second.write_file(SourceFileInfo("/d/b.md", 1, 1, "0" * 64), [make_card("b")], T0)
    keys = dict(run_sql(database, "SELECT uid, id FROM cards"))
    assert keys["b"] == keys["a"] + 2


def test_an_import_that_cannot_get_the_lock_in_time_is_busy_in_one_line(
    database: Database, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_repo, "BUSY_TIMEOUT_MS", 50)
    writer = database.import_writer()
    other = create_engine(database.engine.url)
    try:
        with other.begin() as holder:  # another importer, mid-transaction
            holder.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:name || current_schema()))"),
                {"name": "quizapp import"},
            )
            with pytest.raises(DatabaseBusy) as busy:
                writer.write_file(SourceFileInfo("/d/a.md", 1, 1, "0" * 64), [make_card("a")], T0)
        # the holder committed: the same writer now writes
        assert writer.write_file(SourceFileInfo("/d/a.md", 1, 1, "0" * 64), [make_card("a")], T0)
    finally:
        other.dispose()
    message = str(busy.value)
    assert "\n" not in message and "busy" in message
    assert "quizapp-test-password" not in message
    assert run_sql(database, "SELECT uid FROM cards") == [("a",)]


def test_the_import_command_reports_busy_once_and_writes_nothing(
    tmp_path: Path, database: Database, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_repo, "BUSY_TIMEOUT_MS", 50)
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "chain-rule.md").write_text(card("Chain Rule"), encoding="utf-8")
    other = create_engine(database.engine.url)
    try:
        with other.begin() as holder:
            holder.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:name || current_schema()))"),
                {"name": "quizapp import"},
            )
            result = run(postgres_url, "import", str(cards))
    finally:
        other.dispose()
    # as on SQLite: one error for the run (not one per file), then the summary
    assert result.exit_code == 1
    error, summary = result.output.splitlines()
    assert error.startswith("error: postgresql+psycopg://quizapp:***@")
    assert error.endswith(":0: " + DatabaseBusy.REASON)
    assert summary.startswith("Imported: 0 new") and summary.endswith("1 error")
    assert run_sql(database, "SELECT count(*) FROM cards") == [(0,)]


def test_two_users_import_the_same_ids_into_their_own_collections_without_waiting(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_repo, "BUSY_TIMEOUT_MS", 50)
    alice, bob = postgres_url + "&user=alice", postgres_url + "&user=bob"
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "chain-rule.md").write_text(card("Chain Rule"), encoding="utf-8")
    assert run(alice, "import", str(cards)).exit_code == 0
    (cards / "product-rule.md").write_text(card("Product Rule"), encoding="utf-8")
    opened = open_database(alice, auto_backup=False)
    try:
        with opened.begin() as holder:  # alice's importer holds her collection's lock
            holder.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:name || current_schema()))"),
                {"name": "quizapp import"},
            )
            result = run(bob, "import", str(cards))  # bob's import does not wait for it
            assert result.exit_code == 0, result.output
    finally:
        opened.close()
    assert "2 new" in result.output
    for url, expected in ((alice, ["chain-rule"]), (bob, ["chain-rule", "product-rule"])):
        database = open_database(url, auto_backup=False)
        try:
            assert [uid for (uid,) in run_sql(database, "SELECT uid FROM cards ORDER BY uid")] == (
                expected
            )
        finally:
            database.close()


def _file(uid: str) -> tuple[SourceFileInfo, list[Card]]:
    return SourceFileInfo(f"/d/{uid}.md", 1, 1, "0" * 64), [make_card(uid, tags=("t",))]


def test_a_connection_lost_in_the_bulk_copy_keeps_nothing_of_the_batch(
    database: Database, postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = database.import_writer()
    writer.write_file(*_file("a"), T0)
    copying = import_repo.copy_rows

    def dropped(conn: Connection, *args: Any) -> None:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        postgres_server.admin(f"SELECT pg_terminate_backend({pid}, 10000)")  # a restart
        copying(conn, *args)

    monkeypatch.setattr(import_repo, "copy_rows", dropped)
    with pytest.raises(ConnectionLost) as lost:
        writer.write_files([_file("b"), _file("c")], T0)
    monkeypatch.undo()
    assert "nothing of it was kept" in str(lost.value) and "\n" not in str(lost.value)
    assert run_sql(database, "SELECT uid FROM cards") == [("a",)]
    assert writer.classify(_file("b")[1][0], "/d/b.md") == "new"
    outcomes = writer.write_files([_file("b"), _file("c")], T0)  # a new connection
    assert [outcome.new for outcome in outcomes] == [1, 1]


def test_a_row_the_server_refuses_in_the_bulk_copy_is_write_failed(database: Database) -> None:
    writer = database.import_writer()
    (info, cards) = _file("a")
    with pytest.raises(WriteFailed, match=r"^database error: .*cards_uid_key"):
        writer.write_files([(info, cards), (SourceFileInfo("/d/x.md", 1, 1, "0" * 64), cards)], T0)
    assert run_sql(database, "SELECT count(*) FROM cards") == [(0,)]
