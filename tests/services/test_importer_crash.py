"""Crash safety of import (issue 9): SIGKILL in the middle of importing 2,000 cards.

Each round forks a child that imports the folder while the parent kills it with SIGKILL
after a seeded, random number of progress reports, so kills land at different points of
the write pass (inside and between transactions). Between rounds a seeded random set of
files is edited, added or deleted, so that every round has real work to be killed in.
After every kill the database must pass ``PRAGMA integrity_check``, every file must be
either fully imported (its recorded hash and its card agree) or not at all, no card may be
half-written, and the next run must work without repair.

Two imports at once (issue 12): both load their caches, parse, and only then write, so
each writes against caches the other makes stale; both must succeed and leave exactly
what one import of the union leaves.

On SQLite and PostgreSQL (``backend_url``). ``PRAGMA integrity_check`` and
``foreign_key_check`` are SQLite's; PostgreSQL checks its foreign keys at every write.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import pytest

from quizapp.services.importer import import_paths
from quizapp.store.db import open_database, run_sql

CARDS = 2000
ROUNDS = 20
SEED = 20260105

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")


def card(index: int, version: int) -> str:
    return (
        f"# Card {index}\n\n## Question\n\nWhat is fact {index}?\n\n## Answer\n\n"
        f"### Fact\n\nversion {version} of card {index}\n\n### More\n\nAnd a second step.\n\n"
        f"## Tags\n\n#T{index % 7} #Crash\n\n## Difficulty\n\nEasy\n\n"
        f"## Related Questions\n\n- Card {index + 1}\n"
    )


class Deck:
    """The card files on disk, and every version each one has had (by sha256)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.versions: dict[str, dict[str, int]] = {}
        self.current: dict[int, int] = {}

    def path(self, index: int) -> Path:
        return self.folder / f"d{index % 20:02d}" / f"card{index:04d}.md"

    def write(self, index: int, version: int) -> None:
        path = self.path(index)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = card(index, version).encode()
        path.write_bytes(data)
        self.versions.setdefault(str(path), {})[hashlib.sha256(data).hexdigest()] = version
        self.current[index] = version

    def delete(self, index: int) -> None:
        self.path(index).unlink()
        del self.current[index]


def read_rows(db_path: str, *queries: str) -> list[list[tuple[object, ...]]]:
    """The rows of each query; on SQLite only after ``integrity_check`` and
    ``foreign_key_check`` pass."""
    db = open_database(db_path, auto_backup=False)
    try:
        if db.backend == "SQLite":
            assert run_sql(db, "PRAGMA integrity_check") == [("ok",)]
            assert run_sql(db, "PRAGMA foreign_key_check") == []
        return [[tuple(row) for row in run_sql(db, sql)] for sql in queries]
    finally:
        db.close()


def run_and_kill(db_path: str, folder: Path, kill_after: int) -> bool:
    """Import in a forked child; SIGKILL it after ``kill_after`` progress reports.

    Returns True when the child was killed, False when it finished first.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: import, reporting progress through the pipe
        code = 0
        try:
            os.close(read_fd)
            db = open_database(db_path, auto_backup=False)

            def report(done: int, total: int) -> None:
                os.write(write_fd, b".")

            import_paths(db, [folder], progress=report)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    seen = 0
    with os.fdopen(read_fd, "rb", buffering=0) as reader:
        while seen < kill_after:
            chunk = reader.read(1)
            if not chunk:
                break
            seen += 1
        if seen >= kill_after:
            os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status)


def check_consistent(db_path: str, deck: Deck) -> None:
    """Whole files or nothing, no half card, and an intact database."""
    source_rows, cards = read_rows(
        db_path,
        "SELECT path, sha256 FROM source_files",
        "SELECT c.id, c.source_path, c.steps, c.missing,"
        " (SELECT count(*) FROM card_states s WHERE s.card_id = c.id),"
        " (SELECT count(*) FROM card_tags t WHERE t.card_id = c.id),"
        " (SELECT count(*) FROM related r WHERE r.card_id = c.id)"
        " FROM cards c",
    )
    sources = {str(path): str(sha) for path, sha in source_rows}
    by_path: dict[str, list[tuple[str, bool]]] = {}
    for _pk, source_path, stored_steps, missing, states, tags, related in cards:
        assert (states, tags, related) == (1, 2, 1), "a half-written card"
        # text on SQLite, decoded JSON on PostgreSQL
        steps: list[dict[str, str]] = cast(
            "list[dict[str, str]]",
            json.loads(stored_steps) if isinstance(stored_steps, str) else stored_steps,
        )
        assert len(steps) == 2
        by_path.setdefault(str(source_path), []).append((steps[0]["text"], bool(missing)))
    for path, sha in sources.items():
        version = deck.versions[path][sha]
        present = [text for text, missing in by_path.get(path, []) if not missing]
        assert present == [f"version {version} of card {Path(path).stem[4:].lstrip('0') or '0'}"]
    for path, entries in by_path.items():
        if any(not missing for _text, missing in entries):
            assert path in sources, f"{path}: a card without its file record"


def test_sigkill_during_import_loses_nothing(tmp_path: Path, backend_url: str) -> None:
    rng = random.Random(SEED)
    deck = Deck(tmp_path / "deck")
    for index in range(CARDS):
        deck.write(index, 0)
    # Warm up in this process: the forked children then start with every module loaded.
    warm = open_database(tmp_path / "warm.db", auto_backup=False)
    import_paths(warm, [deck.path(0)])
    warm.close()
    db_path = backend_url
    open_database(db_path, auto_backup=False).close()  # schema first, as a normal open does
    next_index = CARDS
    killed = 0
    for round_number in range(ROUNDS):
        if round_number:
            for index in rng.sample(sorted(deck.current), 100):
                deck.write(index, deck.current[index] + 1)
            for index in rng.sample(sorted(deck.current), 5):
                deck.delete(index)
            for _ in range(5):
                deck.write(next_index, 0)
                next_index += 1
        events = 2 * len(deck.current) // 25  # progress: every 25 files parsed, then written
        killed += run_and_kill(db_path, deck.folder, rng.randint(events // 2, events - 1))
        check_consistent(db_path, deck)
    assert killed >= ROUNDS * 3 // 4
    # The next run needs no repair and brings everything up to date.
    db = open_database(db_path, auto_backup=False)
    report = import_paths(db, [deck.folder])
    db.close()
    assert report.errors == []
    check_consistent(db_path, deck)
    recorded_rows, ((live,),) = read_rows(
        db_path,
        "SELECT path, sha256 FROM source_files",
        "SELECT count(*) FROM cards WHERE NOT missing",
    )
    recorded = {str(path): str(sha) for path, sha in recorded_rows}
    assert live == len(deck.current)
    for index, version in deck.current.items():
        path = str(deck.path(index))
        assert deck.versions[path][recorded[path]] == version


# -- two imports at once (issue 12) ------------------------------------------------------------

#: Files per folder: each import reads 50, so its progress reports at 25 and at 50, the end
#: of its read pass, where the test holds it until the other one gets there too.
RACE_FILES = 25


def race_deck(root: Path) -> dict[str, Path]:
    """Three folders whose cards share new decks (``x``, ``y``) and new tags."""
    folders = {}
    for name in ("a", "b", "c"):
        folder = root / name
        for index in range(RACE_FILES):
            path = folder / ("x" if index % 2 else "y") / f"{name}{index:02d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                f"# Card {name}{index}\n\n## Question\n\nWhat is {name}{index}?\n\n"
                f"## Answer\n\n### Fact\n\nfact {name}{index}\n\n"
                f"## Tags\n\n#Race #T{index % 5} #Only{name.upper()}\n\n"
                f"## Difficulty\n\nEasy\n\n"
                f"## Related Questions\n\n- Card {'abc'[('abc'.index(name) + 1) % 3]}{index}\n",
                encoding="utf-8",
            )
        folders[name] = folder
    return folders


def import_at_the_same_time(db_path: str, runs: list[list[Path]]) -> list[int]:
    """Fork one importer per run; both finish parsing before either writes a row.

    Each child waits at a barrier in its progress callback once its read pass is done
    (its writer's caches were loaded before that), so both write against caches that the
    other's commits make stale. Returns the exit codes: 0 for an import without errors.
    """
    import multiprocessing

    barrier = multiprocessing.get_context("fork").Barrier(len(runs), timeout=120)
    pids = []
    for paths in runs:
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                db = open_database(db_path, auto_backup=False)

                def report(done: int, total: int) -> None:
                    if done * 2 == total:
                        barrier.wait()

                result = import_paths(db, paths, progress=report)
                for problem in result.errors:
                    print(f"child {paths}: {problem}", file=sys.stderr)
                code = 0 if result.ok and result.files == 2 * RACE_FILES else 1
            except BaseException as exc:
                print(f"child {paths}: {exc!r}", file=sys.stderr)
                code = 2
            finally:
                os._exit(code)
        pids.append(pid)
    codes = []
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        codes.append(os.waitstatus_to_exitcode(status))
    return codes


def collection(db_path: str) -> dict[str, list[tuple[object, ...]]]:
    """Everything an import writes, by uid and name rather than by key."""
    queries = {
        "cards": "SELECT c.uid, c.title, d.name, c.source, c.source_path, c.content_hash,"
        " c.missing, c.suspended FROM cards c JOIN decks d ON d.id = c.deck_id",
        "states": "SELECT c.uid, s.state, s.step, s.reps, s.lapses, s.due FROM card_states s"
        " JOIN cards c ON c.id = s.card_id",
        "decks": "SELECT name FROM decks",
        "tags": "SELECT key, name FROM tags",
        "card_tags": "SELECT c.uid, t.key, ct.position FROM card_tags ct"
        " JOIN cards c ON c.id = ct.card_id JOIN tags t ON t.id = ct.tag_id",
        "related": "SELECT c.uid, r.position, r.text, t.uid FROM related r"
        " JOIN cards c ON c.id = r.card_id LEFT JOIN cards t ON t.id = r.target_id",
        "sources": "SELECT path, size, mtime_ns, sha256, root FROM source_files",
    }
    read = read_rows(db_path, *queries.values())
    return {name: sorted(found) for name, found in zip(queries, read, strict=True)}


@pytest.fixture
def union_url(backend_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A second new collection on the same backend as ``backend_url``."""
    if "://" not in backend_url:
        return str(tmp_path / "union.db")
    server = request.getfixturevalue("postgres_server")
    return str(server.url(server.new_database()))


def test_two_imports_of_overlapping_folders_at_once(
    tmp_path: Path, backend_url: str, union_url: str
) -> None:
    """Both create the same new decks, tags and (folder b) cards; both succeed, and the
    database ends exactly as one import of the union would leave it."""
    folders = race_deck(tmp_path / "deck")
    db_path = backend_url
    open_database(db_path, auto_backup=False).close()
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    codes = import_at_the_same_time(
        db_path, [[folders["a"], folders["b"]], [folders["b"], folders["c"]]]
    )
    assert codes == [0, 0]
    union_path = union_url
    union = open_database(union_path, auto_backup=False)
    report = import_paths(union, [folders["a"], folders["b"], folders["c"]])
    union.close()
    assert report.ok and report.new == 3 * RACE_FILES
    raced, expected = collection(db_path), collection(union_path)
    # Due times are each import's own "now"; everything else must be equal.
    for rows in (raced["states"], expected["states"]):
        rows[:] = [(*row[:-1], now) for row in rows]
    assert raced == expected
    again = open_database(db_path, auto_backup=False)
    rerun = import_paths(again, [folders["a"], folders["b"], folders["c"]])
    again.close()
    assert (rerun.new, rerun.updated, rerun.unchanged, rerun.errors) == (0, 0, 75, [])
