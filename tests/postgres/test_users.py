"""Several people's collections in one PostgreSQL database (``?user=`` and ``?schema=``):
each in its own schema, with its own migrations, cards, states, logs and settings, and
every command (``copy-db``, ``backup``, ``restore``, ``config``, ``list``) scoped to it."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from postgres_server import PASSWORD, PostgresServer
from sqlalchemy.engine import make_url
from store.full_collection import digests
from store.studied import build_studied

from quizapp.cli import cli
from quizapp.store.db import open_database, run_sql
from quizapp.store.errors import StoreError

ALICE = ("alpha", "beta")
BOB = ("gamma", "delta", "epsilon")
T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--no-bundled", *args])


def scoped(url: str, **params: str) -> str:
    """``url`` with quizapp's query parameters added."""
    return url + "".join(f"&{key}={value}" for key, value in params.items())


def _uids(url: str) -> list[str]:
    db = open_database(url)
    try:
        return sorted(stored.card.id for stored in db.cards.find())
    finally:
        db.close()


@pytest.fixture
def two_users(tmp_path: Path, postgres_url: str) -> tuple[str, str]:
    """One database holding alice's two studied cards and bob's three, each copied there
    from a SQLite collection of their own."""
    urls = []
    for name, uids in (("alice", ALICE), ("bob", BOB)):
        source = build_studied(tmp_path / f"{name}.db", uids)
        url = scoped(postgres_url, user=name)
        copied = run("copy-db", "--from", str(source), "--to", url)
        assert copied.exit_code == 0, copied.output
        assert "user=" + name in copied.output
        urls.append(url)
    return urls[0], urls[1]


def test_each_user_sees_only_their_own_cards_and_logs(
    two_users: tuple[str, str], postgres_url: str
) -> None:
    alice, bob = two_users
    assert _uids(alice) == sorted(ALICE)
    assert _uids(bob) == sorted(BOB)
    listed = run("--db", bob, "list")
    assert listed.exit_code == 0, listed.output
    assert "gamma" in listed.output and "alpha" not in listed.output
    for url, uids in ((alice, ALICE), (bob, BOB)):
        db = open_database(url)
        try:
            # Three answers a card, each user's own, in their own schema.
            assert run_sql(db, "SELECT count(*) FROM review_logs") == [(3 * len(uids),)]
            assert run_sql(db, "SELECT count(*) FROM card_states") == [(len(uids),)]
        finally:
            db.close()
    # The unscoped collection of the same database is a third, empty one.
    assert _uids(postgres_url) == []


def test_stats_doctor_and_export_read_only_the_users_collection(
    tmp_path: Path, two_users: tuple[str, str]
) -> None:
    for url, uids in zip(two_users, (ALICE, BOB), strict=True):
        stats = run("--db", url, "stats", "--json")
        assert stats.exit_code == 0, stats.output
        figures = json.loads(stats.output)
        assert sum(figures["cards_by_state"].values()) == len(uids)
        assert sum(figures["ratings"].values()) == 3 * len(uids)
        doctor = run("--db", url, "doctor")
        assert doctor.exit_code == 0, doctor.output
        package = tmp_path / f"{len(uids)}.apkg"
        exported = run("--db", url, "export", "--with-history", str(package))
        assert exported.exit_code == 0, exported.output
        assert f"{len(uids)} cards" in exported.output


def test_each_user_has_their_own_settings(two_users: tuple[str, str]) -> None:
    alice, bob = two_users
    assert run("--db", alice, "config", "set", "desired_retention", "0.8").exit_code == 0
    assert run("--db", bob, "config", "set", "desired_retention", "0.95").exit_code == 0
    assert run("--db", alice, "config", "get", "desired_retention").output.strip() == "0.8"
    assert run("--db", bob, "config", "get", "desired_retention").output.strip() == "0.95"


def test_each_user_has_a_schema_with_its_own_migrations(
    two_users: tuple[str, str], postgres_url: str
) -> None:
    db = open_database(postgres_url)
    try:
        versions = run_sql(
            db,
            "SELECT table_schema FROM information_schema.tables"
            " WHERE table_name = 'alembic_version' ORDER BY table_schema",
        )
        assert versions == [("public",), ("quizapp_alice",), ("quizapp_bob",)]
        # ?user= names a collection, never the login role.
        alice = open_database(two_users[0])
        try:
            assert run_sql(alice, "SELECT current_user, current_schema()") == [
                ("quizapp", "quizapp_alice")
            ]
        finally:
            alice.close()
    finally:
        db.close()


def test_an_explicit_schema_holds_a_collection(tmp_path: Path, postgres_url: str) -> None:
    source = build_studied(tmp_path / "team.db", ("alpha",))
    team = scoped(postgres_url, schema="study_group")
    assert run("copy-db", "--from", str(source), "--to", team).exit_code == 0
    assert _uids(team) == ["alpha"]
    assert _uids(postgres_url) == []
    # Opening it again finds the schema at head, and the same schema by name.
    db = open_database(team, upgrade=False)
    try:
        assert run_sql(db, "SELECT current_schema()") == [("study_group",)]
    finally:
        db.close()


def test_backup_and_restore_stay_in_the_users_collection(
    tmp_path: Path, two_users: tuple[str, str], postgres_url: str
) -> None:
    alice, bob = two_users
    archive = tmp_path / "alice.quizapp.jsonl.gz"
    backed_up = run("--db", alice, "backup", "-o", str(archive))
    assert backed_up.exit_code == 0, backed_up.output
    carol = scoped(postgres_url, user="carol")
    restored = run("--db", carol, "restore", str(archive), "--yes")
    assert restored.exit_code == 0, restored.output
    db_bob = open_database(bob)
    bob_before = digests(db_bob)
    db_bob.close()
    restored_again = run("--db", alice, "restore", str(archive), "--yes")
    assert restored_again.exit_code == 0, restored_again.output
    a, b, c = open_database(alice), open_database(bob), open_database(carol)
    try:
        assert digests(c) == digests(a)
        assert digests(b) == bob_before
    finally:
        for db in (a, b, c):
            db.close()


def test_a_users_backup_is_named_after_them(two_users: tuple[str, str]) -> None:
    from quizapp.store.archive import default_archive_path

    db = open_database(two_users[0])
    try:
        path = default_archive_path(db, datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC))
    finally:
        db.close()
    assert path.name.endswith("-alice-20260304T050607Z.quizapp.jsonl.gz")
    assert path.name.startswith("test_")


def test_copying_one_users_collection_to_another(two_users: tuple[str, str]) -> None:
    alice, bob = two_users
    refused = run("copy-db", "--from", alice, "--to", bob)
    assert refused.exit_code == 1
    assert "already holds a collection" in refused.output
    forced = run("copy-db", "--from", alice, "--to", bob, "--force")
    assert forced.exit_code == 0, forced.output
    assert _uids(bob) == sorted(ALICE)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"user": "Alice"}, "user=Alice: not a quizapp user name"),
        ({"user": "a-b"}, "user=a-b: not a quizapp user name"),
        ({"user": "x" * 56}, f"user={'x' * 56}: not a quizapp user name"),
        ({"schema": "pg_catalog"}, "schema=pg_catalog: not a schema quizapp can use"),
        ({"schema": "a;drop"}, "schema=a;drop: not a schema quizapp can use"),
        ({"user": "alice", "schema": "s"}, "give ?user=alice or ?schema=s, not both"),
    ],
)
def test_a_bad_scope_is_one_line_naming_it(
    postgres_url: str, params: dict[str, str], expected: str
) -> None:
    url = scoped(postgres_url, **params)
    with pytest.raises(StoreError) as caught:
        open_database(url)
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message
    result = run("--db", url, "list")
    assert result.exit_code == 2
    assert result.output == f"quizapp: error: {message}\n"


def test_a_user_name_given_twice_is_refused(postgres_url: str) -> None:
    with pytest.raises(StoreError, match=r"^\?user= is given 2 times; give it once$"):
        open_database(scoped(postgres_url, user="a") + "&user=b")


def test_a_role_that_may_not_create_the_schema_is_one_line(
    postgres_server_admin: None, postgres_url: str
) -> None:
    url = postgres_url.replace("quizapp:", "visitor:", 1) + "&user=dave"
    with pytest.raises(StoreError) as caught:
        open_database(url)
    message = str(caught.value)
    assert message.startswith("cannot create the schema quizapp_dave for this collection:")
    assert "permission denied" in message
    assert "CREATE SCHEMA quizapp_dave" in message
    assert "\n" not in message


@pytest.fixture
def postgres_server_admin(postgres_server: PostgresServer) -> None:
    """A login role ``visitor`` (same password) without the right to create schemas."""
    postgres_server.admin(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'visitor') THEN"
        f" CREATE ROLE visitor LOGIN PASSWORD '{PASSWORD}'; END IF; END $$"
    )


CARD = """# {title}

## Question

What is card {title}?

## Answer

It is {title}.
"""


def _card_folder(folder: Path, names: tuple[str, ...]) -> Path:
    folder.mkdir()
    for name in names:
        (folder / f"{name}.md").write_text(CARD.format(title=name), encoding="utf-8")
    return folder


def _at_once(work: Callable[[str], object], names: tuple[str, ...]) -> dict[str, object]:
    """Run ``work(name)`` for every name in its own thread, started together; their
    results, or the first exception one of them raised."""
    barrier = threading.Barrier(len(names))
    results: dict[str, object] = {}
    errors: list[BaseException] = []

    def run_one(name: str) -> None:
        try:
            barrier.wait()
            results[name] = work(name)
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run_one, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def test_two_users_importing_and_configuring_at_once_see_only_their_own(
    tmp_path: Path, postgres_url: str
) -> None:
    from quizapp.services.importer import import_paths
    from quizapp.services.settings import load_settings, set_setting

    cards = {
        "alice": ("a-one", "a-two", "a-three"),
        "bob": ("b-one", "b-two"),
    }
    retention = {"alice": "0.8", "bob": "0.95"}
    folders = {name: _card_folder(tmp_path / name, cards[name]) for name in cards}

    def work(name: str) -> tuple[list[str], float]:
        db = open_database(scoped(postgres_url, user=name))  # each its own Database
        try:
            report = import_paths(db, [folders[name]], now=T0)
            assert report.new == len(cards[name])
            set_setting(db, "desired_retention", retention[name])
            uids = sorted(stored.card.id for stored in db.cards.find())
            return uids, load_settings(db).desired_retention
        finally:
            db.close()

    results = _at_once(work, ("alice", "bob"))
    assert results == {
        "alice": (sorted(cards["alice"]), 0.8),
        "bob": (sorted(cards["bob"]), 0.95),
    }
    assert _uids(scoped(postgres_url, user="alice")) == sorted(cards["alice"])
    assert _uids(postgres_url) == []


def test_two_first_opens_of_one_user_at_once_both_succeed(postgres_url: str) -> None:
    def work(_: str) -> str:
        db = open_database(scoped(postgres_url, user="carol"))
        try:
            ((schema,),) = run_sql(db, "SELECT current_schema()")
            return str(schema)
        finally:
            db.close()

    assert set(_at_once(work, ("one", "two", "three")).values()) == {"quizapp_carol"}


class Ticking:
    """A clock one second later at every reading."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def test_two_users_answering_at_once_see_only_their_own(tmp_path: Path, postgres_url: str) -> None:
    from quizapp.services.importer import import_paths
    from quizapp.services.study import StudySession

    cards = {
        "alice": tuple(f"a-{n}" for n in range(8)),
        "bob": tuple(f"b-{n}" for n in range(5)),
    }
    rating = {"alice": 4, "bob": 3}
    for name, uids in cards.items():
        db = open_database(scoped(postgres_url, user=name))
        try:
            assert import_paths(db, [_card_folder(tmp_path / name, uids)], now=T0).new == len(uids)
        finally:
            db.close()

    def work(name: str) -> list[str]:
        db = open_database(scoped(postgres_url, user=name))  # each its own Database
        try:
            session = StudySession(db, clock=Ticking(), zone=UTC)
            answered: list[str] = []
            while (card := session.next_card()) is not None and len(answered) < 20:
                session.answer(rating[name], 1000, card_pk=card.pk)
                answered.append(card.uid)
            return sorted(set(answered))
        finally:
            db.close()

    results = _at_once(work, ("alice", "bob"))
    assert results == {name: sorted(uids) for name, uids in cards.items()}
    for name, uids in cards.items():
        db = open_database(scoped(postgres_url, user=name))
        try:
            logged = run_sql(
                db,
                "SELECT DISTINCT c.uid, l.rating FROM review_logs l JOIN cards c"
                " ON c.id = l.card_id ORDER BY c.uid",
            )
            assert logged == [(uid, rating[name]) for uid in sorted(uids)]
            orphans = "SELECT count(*) FROM review_logs WHERE card_id NOT IN (SELECT id FROM cards)"
            assert run_sql(db, orphans) == [(0,)]
            unanswered = "SELECT count(*) FROM card_states WHERE last_review IS NULL"
            assert run_sql(db, unanswered) == [(0,)]
        finally:
            db.close()


@pytest.mark.parametrize("param", ["user=alice", "schema=team"])
def test_a_scope_on_a_sqlite_url_is_refused(tmp_path: Path, param: str) -> None:
    url = f"sqlite:///{tmp_path / 'one.db'}?{param}"
    result = run("--db", url, "list")
    assert result.exit_code == 2
    assert result.output == (
        f"quizapp: error: {url}: ?user= and ?schema= ({param.split('=')[1]}) need PostgreSQL;"
        " a SQLite file holds one collection (give each person their own file)\n"
    )
    assert not (tmp_path / "one.db").exists()


def test_another_roles_collection_is_refused_in_one_line(
    postgres_server_admin: None, postgres_url: str
) -> None:
    open_database(scoped(postgres_url, user="erin")).close()  # made by the role quizapp
    visitor = postgres_url.replace("quizapp:", "visitor:", 1) + "&user=erin"
    with pytest.raises(StoreError) as caught:
        open_database(visitor)
    assert str(caught.value) == (
        "the login role visitor may not use the schema quizapp_erin (another role's"
        " collection; its owner can GRANT USAGE, CREATE ON SCHEMA quizapp_erin TO visitor)"
    )


def test_copying_a_users_collection_onto_itself_is_refused(
    two_users: tuple[str, str], postgres_url: str
) -> None:
    alice = two_users[0]
    for same in (alice + "&statement_timeout=5min", scoped(postgres_url, schema="quizapp_alice")):
        result = run("copy-db", "--from", alice, "--to", same, "--force")
        assert result.exit_code == 2  # as for one SQLite file given twice: a usage fault
        assert result.output.endswith(": --from and --to are the same database\n")
    assert _uids(alice) == sorted(ALICE)


def test_a_search_path_that_does_not_reach_the_server_is_refused(postgres_url: str) -> None:
    """As behind a connection pooler that drops libpq's options: here the URL's own
    ``options`` (which come after quizapp's) set another search path. Every user's rows
    would land in one schema, so nothing is opened, on the first open or any later one."""
    overridden = scoped(postgres_url, user="frank") + "&options=-csearch_path%3Dpublic"
    for _ in range(2):
        with pytest.raises(StoreError) as caught:
            open_database(overridden)
        assert str(caught.value) == (
            "the connection works in the schema public, not quizapp_frank: something between"
            " quizapp and the server dropped its search_path (a connection pooler ignoring"
            " the options startup parameter?); connect to the server directly"
        )
    with psycopg.connect(
        make_url(postgres_url)
        .render_as_string(hide_password=False)
        .replace("postgresql+psycopg", "postgresql", 1)
    ) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema IN ('public', 'quizapp_frank')"
        ).fetchone()
    assert tables == (0,)  # no migration ran anywhere
