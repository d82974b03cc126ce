"""Faults after a PostgreSQL collection is open, each one line (against the session's real
server): a pooled connection the server ended is replaced without a word, a connection
lost inside a transaction keeps nothing of it, and a statement past the statement timeout
is cancelled. An administrator's ``pg_terminate_backend`` plays the restarted server."""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from postgres_server import PASSWORD, USER, PostgresServer, require_bindir
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url

from quizapp.cli import cli
from quizapp.services.study import AnswerResult, StudySession
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.errors import ConnectionLost, StaleCardError, StatementTimedOut, StoreError


@pytest.fixture
def db(postgres_url: str) -> Iterator[Database]:
    database = open_database(postgres_url)
    yield database
    database.close()


def _backend(db: Database) -> int:
    ((pid,),) = run_sql(db, "SELECT pg_backend_pid()")
    return int(pid)


def _terminate(server: PostgresServer, pid: int) -> None:
    """End the server process of ``pid``'s session, as a restart would, and wait for it."""
    server.admin(f"SELECT pg_terminate_backend({pid}, 10000)")


def _settings(db: Database) -> list[tuple[object, ...]]:
    return run_sql(db, "SELECT key, value FROM settings WHERE key LIKE 'fault_%' ORDER BY key")


def test_a_pooled_connection_the_server_ended_is_replaced_silently(
    db: Database, postgres_server: PostgresServer
) -> None:
    before = _backend(db)
    _terminate(postgres_server, before)
    assert db.cards.find() == []
    assert _backend(db) != before


def test_a_connection_lost_inside_a_transaction_keeps_nothing(
    db: Database, postgres_server: PostgresServer
) -> None:
    insert = text("INSERT INTO settings (key, value) VALUES (:key, '1')")
    with pytest.raises(ConnectionLost) as caught, db.session(write=True) as session:
        session.execute(insert, {"key": "fault_first"})
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        _terminate(postgres_server, pid)
        session.execute(insert, {"key": "fault_second"})
    message = str(caught.value)
    assert caught.value.saved is False
    assert message.endswith(
        "the connection to the PostgreSQL server was lost (the server restarted or ended"
        " the session) before the work was saved: nothing of it was kept; try again"
    )
    assert message.startswith("postgresql+psycopg://quizapp:***@/")
    assert PASSWORD not in message
    # Nothing of the transaction was kept, and the next command connects again.
    assert _settings(db) == []
    db.settings.save_settings(db.settings.load_settings())


def test_a_connection_lost_before_the_commit_says_the_change_may_be_lost(
    db: Database, postgres_server: PostgresServer
) -> None:
    with pytest.raises(ConnectionLost) as caught, db.session(write=True) as session:
        session.execute(text("INSERT INTO settings (key, value) VALUES ('fault_a', '1')"))
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        _terminate(postgres_server, pid)
    assert caught.value.saved is None
    assert str(caught.value).endswith(
        "while saving: the last change may not have been kept; check it, then try again"
    )
    # Ended before its COMMIT reached the server: the transaction was rolled back whole.
    assert _settings(db) == []


def test_the_statement_timeout_is_set_on_every_connection(
    postgres_url: str, postgres_server: PostgresServer
) -> None:
    default = open_database(postgres_url)
    try:
        assert run_sql(default, "SHOW statement_timeout") == [("1min",)]
        _terminate(postgres_server, _backend(default))
        # A connection made again after a fault has it too.
        assert run_sql(default, "SHOW statement_timeout") == [("1min",)]
    finally:
        default.close()
    short = open_database(postgres_url + "&statement_timeout=250ms&options=-c%20work_mem%3D8MB")
    try:
        assert run_sql(short, "SHOW statement_timeout") == [("250ms",)]
        assert run_sql(short, "SHOW work_mem") == [("8MB",)]
    finally:
        short.close()


@pytest.mark.parametrize("value", ["soon", "5 min", "-1s", "1.5s", "10sec"])
def test_a_bad_statement_timeout_is_one_line(postgres_url: str, value: str) -> None:
    with pytest.raises(StoreError) as caught:
        open_database(f"{postgres_url}&statement_timeout={value}")
    assert str(caught.value) == (
        f"statement_timeout={value}: not a duration PostgreSQL reads"
        " (a number and a unit: 500ms, 30s, 5min; 0 for no limit)"
    )


@pytest.fixture
def locked_settings(postgres_url: str, postgres_server: PostgresServer) -> Iterator[str]:
    """The collection at ``postgres_url``, its settings table locked by another session
    until the test ends (so that reading it waits, however fast the machine)."""
    open_database(postgres_url).close()
    with psycopg.connect(
        host=str(postgres_server.socket_dir),
        user=USER,
        password=PASSWORD,
        dbname=make_url(postgres_url).database,
    ) as other:
        other.execute("LOCK TABLE settings IN ACCESS EXCLUSIVE MODE")
        yield postgres_url
        other.rollback()


def test_a_statement_past_the_timeout_is_one_line(locked_settings: str) -> None:
    db = open_database(locked_settings + "&statement_timeout=50ms")
    try:
        with pytest.raises(StatementTimedOut) as caught:
            db.settings.load_settings()
        assert str(caught.value).endswith(
            ": a statement ran past the statement timeout (50ms) and the server cancelled"
            " it; nothing of the work was kept (to allow longer, add ?statement_timeout=5min"
            " to the URL)"
        )
        # The connection is still good for what is not locked.
        assert db.cards.find() == []
    finally:
        db.close()


def test_the_cli_prints_a_statement_timeout_as_one_error_line(locked_settings: str) -> None:
    url = locked_settings + "&statement_timeout=50ms"
    result = CliRunner().invoke(cli, ["--db", url, "--no-bundled", "config", "get"])
    assert result.exit_code == 1
    assert result.output.startswith("quizapp: error: postgresql+psycopg://quizapp:***@/")
    assert "a statement ran past the statement timeout (50ms)" in result.output
    assert result.output.count("\n") == 1


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    """A server of the test's own, which it may stop and start again."""
    root = Path(tempfile.mkdtemp(prefix="quizapp-pg-", dir="/tmp"))
    server = PostgresServer(bindir=require_bindir(), root=root)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_a_server_that_went_down_is_one_line_and_back_up_works_again(
    own_server: PostgresServer,
) -> None:
    db = open_database(own_server.url(own_server.new_database()))
    try:
        assert db.cards.find() == []
        own_server.stop()
        with pytest.raises(StoreError) as caught:
            db.cards.find()
        assert str(caught.value).endswith(
            f"cannot reach the PostgreSQL server at {own_server.socket_dir} (is it running?)"
        )
        result = CliRunner().invoke(cli, ["--db", db.url, "--no-bundled", "list"])
        assert result.exit_code == 2
        assert result.output.startswith("quizapp: error: ")
        assert result.output.count("\n") == 1
        own_server.launch()
        # The restarted server: the same Database carries on without a word.
        assert db.cards.find() == []
        db.settings.save_settings(db.settings.load_settings())
    finally:
        db.close()


# --- answers in flight when the server ends quizapp's session ----------------------------

EASY = 4
CARDS = 16
START = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
CARD = "# Card {n}\n\n## Question\n\nWhat is {n}?\n\n## Answer\n\nIt is {n}.\n"


class Ticking:
    """A clock one second later at every reading, so that every answer has its own time."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def imported(tmp_path: Path, postgres_url: str) -> str:
    """A PostgreSQL collection of ``CARDS`` new cards."""
    from quizapp.services.importer import import_paths

    folder = tmp_path / "cards"
    folder.mkdir()
    for n in range(CARDS):
        (folder / f"card-{n:02}.md").write_text(CARD.format(n=n), encoding="utf-8")
    db = open_database(postgres_url)
    try:
        assert import_paths(db, [folder], now=START).new == CARDS
    finally:
        db.close()
    return postgres_url


@pytest.fixture
def studying(imported: str) -> Iterator[tuple[Database, StudySession]]:
    """A study session over the collection ``imported``."""
    db = open_database(imported)
    yield db, StudySession(db, clock=Ticking(), zone=UTC)
    db.close()


def _stored(db: Database) -> tuple[dict[int, tuple[int, datetime]], dict[int, datetime | None]]:
    """Each review log's card and time by id, and each answered card's last review."""
    logs = run_sql(db, "SELECT id, card_id, reviewed_at FROM review_logs")
    states = run_sql(db, "SELECT card_id, last_review FROM card_states")
    return (
        {int(i): (int(card), at.replace(tzinfo=UTC)) for i, card, at in logs},
        {int(card): None if at is None else at.replace(tzinfo=UTC) for card, at in states},
    )


def _check_nothing_half_written(db: Database, acknowledged: list[AnswerResult]) -> None:
    """Every acknowledged answer is stored, log and state; every stored log belongs to a
    card whose state went with it (its last review is the card's newest log)."""
    logs, last_review = _stored(db)
    for result in acknowledged:
        assert result.log_id in logs
        assert logs[result.log_id][0] == result.card_pk
        assert result.after.last_review is not None
        assert logs[result.log_id][1] == result.after.last_review
    newest: dict[int, datetime] = {}
    for card, reviewed_at in logs.values():
        newest[card] = max(reviewed_at, newest.get(card, reviewed_at))
    for card, stored in last_review.items():
        assert stored == newest.get(card)


def _backend_pid(connection: Connection) -> int:
    dbapi = connection.connection.dbapi_connection
    assert dbapi is not None
    return int(dbapi.info.backend_pid)


@pytest.mark.parametrize(
    ("moment", "statement"),
    [
        # One statement on PostgreSQL: the compare-and-set, the log and the note's read.
        ("before the answer's statement", "WITH updated AS"),
        ("before the commit", None),
    ],
)
def test_an_answer_cut_off_by_a_terminated_backend_is_not_saved_and_the_retry_is(
    studying: tuple[Database, StudySession],
    postgres_server: PostgresServer,
    moment: str,
    statement: str | None,
) -> None:
    db, session = studying
    armed = [False]

    def kill(connection: Connection) -> None:
        if armed[0]:
            armed[0] = False
            _terminate(postgres_server, _backend_pid(connection))

    def before_statement(connection: Connection, _c: Any, sql: str, *_rest: Any) -> None:
        if statement is not None and sql.startswith(statement):
            kill(connection)

    def before_commit(connection: Connection) -> None:
        if statement is None:
            kill(connection)

    acknowledged = [session.answer(EASY, 900, card_pk=_shown(session))]
    event.listen(db.engine, "before_cursor_execute", before_statement)
    event.listen(db.engine, "commit", before_commit)
    card = _shown(session)
    armed[0] = True
    with pytest.raises(ConnectionLost) as caught:
        session.answer(EASY, 900, card_pk=card)
    assert caught.value.saved is False, moment  # looked up after a lost commit
    assert "\n" not in str(caught.value)
    logs, _ = _stored(db)
    assert [log_card for log_card, _ in logs.values()].count(card) == 0, moment
    _check_nothing_half_written(db, acknowledged)
    # The same card is still shown, and answering it again stores it once.
    acknowledged.append(session.answer(EASY, 900, card_pk=card))
    acknowledged.append(session.answer(EASY, 900, card_pk=_shown(session)))
    _check_nothing_half_written(db, acknowledged)
    assert len(_stored(db)[0]) == 3


def _shown(session: StudySession) -> int:
    card = session.next_card()
    assert card is not None
    return card.pk


def test_every_acknowledged_answer_is_stored_when_backends_are_killed_during_a_stream(
    studying: tuple[Database, StudySession], postgres_server: PostgresServer
) -> None:
    """The issue's kill test: an administrator ends quizapp's server session again and
    again while a stream of answers is written. The moments are drawn from a seeded
    generator over every statement and commit of the stream (reads, answers, commits), so
    the run repeats exactly and kills always land, wherever they fall."""
    db, session = studying
    moments = random.Random(20)
    killed: list[int] = []

    def maybe_kill(connection: Connection) -> None:
        if len(killed) < 6 and moments.random() < 0.2:
            pid = _backend_pid(connection)
            killed.append(pid)
            _terminate(postgres_server, pid)

    def before_statement(connection: Connection, *_rest: Any) -> None:
        maybe_kill(connection)

    event.listen(db.engine, "before_cursor_execute", before_statement)
    event.listen(db.engine, "commit", maybe_kill)
    acknowledged: list[AnswerResult] = []
    lost = stale = 0
    try:
        while True:
            try:
                card = session.next_card()
                if card is None:
                    break
                acknowledged.append(session.answer(EASY, 900, card_pk=card.pk))
            except ConnectionLost:
                lost += 1
            except StaleCardError:
                stale += 1  # a commit that went through as its connection broke
    finally:
        event.remove(db.engine, "before_cursor_execute", before_statement)
        event.remove(db.engine, "commit", maybe_kill)
    assert len(killed) == 6 and lost >= 1
    _check_nothing_half_written(db, acknowledged)
    logs, _ = _stored(db)
    assert len(logs) == CARDS  # every card answered exactly once, none twice
    assert len(acknowledged) == CARDS - stale


def test_a_read_cut_off_at_its_commit_says_nothing_was_kept(
    db: Database, postgres_server: PostgresServer
) -> None:
    with pytest.raises(ConnectionLost) as caught, db.session() as session:
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        _terminate(postgres_server, pid)
    assert caught.value.saved is False
    assert str(caught.value).endswith(
        "before the work was saved: nothing of it was kept; try again"
    )


async def test_the_study_app_shows_an_answer_that_was_not_saved_and_keeps_the_card(
    imported: str, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    from tui.conftest import MessageLog, settle, settle_until

    from quizapp.tui.app import QuizApp
    from quizapp.tui.screens.home import HomeScreen
    from quizapp.tui.screens.review import ReviewScreen
    from quizapp.tui.widgets.card_view import CardView

    app = QuizApp(
        imported,
        clock=lambda: START + timedelta(hours=1),
        zone=UTC,
        config_dir=tmp_path / "config",
        seed=7,
        first_run_import=False,
    )
    log = MessageLog()
    armed = [True]

    def before_statement(connection: Connection, _c: Any, sql: str, *_rest: Any) -> None:
        if armed[0] and sql.startswith("WITH updated AS"):  # the answer's one statement
            armed[0] = False
            _terminate(postgres_server, _backend_pid(connection))

    async with app.run_test(size=(100, 30), message_hook=log) as pilot:
        await settle_until(pilot, lambda: bool(log.of(HomeScreen.TodayLoaded)), "home's counts")
        await pilot.press("enter")
        await settle_until(
            pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen opened"
        )
        card = app.screen.query_one(CardView).card
        assert card is not None and app.db is not None
        event.listen(app.db.engine, "before_cursor_execute", before_statement)
        await pilot.press("space")
        await pilot.press("3")
        await settle_until(pilot, lambda: bool(log.of(ReviewScreen.Failed)), "the failure")
        (failed,) = log.of(ReviewScreen.Failed)
        assert failed.error.endswith(
            "the connection to the PostgreSQL server was lost (the server restarted or ended"
            " the session) before the work was saved: nothing of it was kept; try again"
        )
        assert app.screen.query_one(CardView).card == card
        await pilot.press("3")
        await settle(pilot)
    stored = open_database(imported)
    try:
        rows = run_sql(
            stored,
            "SELECT c.title, r.rating FROM review_logs r JOIN cards c ON c.id = r.card_id",
        )
    finally:
        stored.close()
    assert rows == [(card.title, 3)]


@pytest.mark.parametrize("committed", [True, False], ids=["kept", "not kept"])
def test_an_answer_whose_commit_lost_its_connection_is_looked_up(
    studying: tuple[Database, StudySession],
    postgres_server: PostgresServer,
    monkeypatch: pytest.MonkeyPatch,
    committed: bool,
) -> None:
    """The one moment the driver cannot tell: the connection breaks during the COMMIT, the
    server having committed the answer (or not). The store asks on a new connection."""
    db, session = studying
    dialect = db.engine.dialect
    real_commit = dialect.do_commit

    def commit_then_lose(pooled: Any) -> None:
        monkeypatch.undo()  # once
        if committed:
            real_commit(pooled)
        raw = pooled.dbapi_connection
        _terminate(postgres_server, raw.info.backend_pid)
        raw.execute("SELECT 1")  # as if the reply never came: the connection broke

    card = _shown(session)
    monkeypatch.setattr(dialect, "do_commit", commit_then_lose)
    if committed:
        result = session.answer(EASY, 900, card_pk=card)
        logs, _ = _stored(db)
        assert logs == {result.log_id: (card, result.after.last_review)}
        assert _shown(session) != card
        _check_nothing_half_written(db, [result])
    else:
        with pytest.raises(ConnectionLost) as caught:
            session.answer(EASY, 900, card_pk=card)
        assert caught.value.saved is False
        assert str(caught.value).endswith("nothing of it was kept; try again")
        assert _stored(db)[0] == {}
        retried = session.answer(EASY, 900, card_pk=card)
        _check_nothing_half_written(db, [retried])
        assert len(_stored(db)[0]) == 1
