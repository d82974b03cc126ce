"""Crash safety of import (issue 9): SIGKILL in the middle of importing 2,000 cards.

Each round forks a child that imports the folder while the parent kills it with SIGKILL
after a seeded, random number of progress reports, so kills land at different points of
the write pass (inside and between transactions). Between rounds a seeded random set of
files is edited, added or deleted, so that every round has real work to be killed in.
After every kill the database must pass ``PRAGMA integrity_check``, every file must be
either fully imported (its recorded hash and its card agree) or not at all, no card may be
half-written, and the next run must work without repair.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from quizapp.services.importer import import_paths
from quizapp.store.db import open_database

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


def run_and_kill(db_path: Path, folder: Path, kill_after: int) -> bool:
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


def check_consistent(db_path: Path, deck: Deck) -> None:
    """Whole files or nothing, no half card, and an intact database."""
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        sources = dict(raw.execute("SELECT path, sha256 FROM source_files").fetchall())
        cards = raw.execute(
            "SELECT c.id, c.source_path, c.steps, c.missing,"
            " (SELECT count(*) FROM card_states s WHERE s.card_id = c.id),"
            " (SELECT count(*) FROM card_tags t WHERE t.card_id = c.id),"
            " (SELECT count(*) FROM related r WHERE r.card_id = c.id)"
            " FROM cards c"
        ).fetchall()
    raw.close()
    by_path: dict[str, list[tuple[str, bool]]] = {}
    for _pk, source_path, steps, missing, states, tags, related in cards:
        assert (states, tags, related) == (1, 2, 1), "a half-written card"
        steps = json.loads(steps)
        assert len(steps) == 2
        by_path.setdefault(source_path, []).append((steps[0]["text"], bool(missing)))
    for path, sha in sources.items():
        version = deck.versions[path][sha]
        present = [text for text, missing in by_path.get(path, []) if not missing]
        assert present == [f"version {version} of card {Path(path).stem[4:].lstrip('0') or '0'}"]
    for path, entries in by_path.items():
        if any(not missing for _text, missing in entries):
            assert path in sources, f"{path}: a card without its file record"


def test_sigkill_during_import_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    deck = Deck(tmp_path / "deck")
    for index in range(CARDS):
        deck.write(index, 0)
    # Warm up in this process: the forked children then start with every module loaded.
    warm = open_database(tmp_path / "warm.db", auto_backup=False)
    import_paths(warm, [deck.path(0)])
    warm.close()
    db_path = tmp_path / "crash.db"
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
    with sqlite3.connect(db_path) as raw:
        recorded = dict(raw.execute("SELECT path, sha256 FROM source_files").fetchall())
        live = raw.execute("SELECT count(*) FROM cards WHERE missing = 0").fetchone()[0]
    raw.close()
    assert live == len(deck.current)
    for index, version in deck.current.items():
        path = str(deck.path(index))
        assert deck.versions[path][recorded[path]] == version
