"""A large import reads its files in a process pool, with the outcome of reading them here.

The threshold is lowered through ``pool_min_files`` so that a small folder takes the pool's
path; ``pool_min_files`` set past the folder's size takes the one-process path. Both must
give the same report, line for line, and the same rows.

The tests taking ``db`` run on SQLite and PostgreSQL (``db`` is ``backend_db`` here): the
pool reads, and the writes it hands on are the backend's.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats import FileContext, FormatRegistry
from quizapp.cards.formats.native import NativeFormat
from quizapp.cards.model import Card
from quizapp.services.importer import ImportReport, check_paths, import_paths
from quizapp.services.parse_pool import ParsePool
from quizapp.store.db import Database, open_database, run_sql

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
#: Reading in a pool of two from the first file on, or never.
POOLED = 1
NEVER = 1_000_000
TABLES = [
    "cards",
    "card_states",
    "tags",
    "card_tags",
    "related",
    "decks",
    "source_files",
    "unimported_files",
]


@pytest.fixture
def db(backend_db: Database) -> Iterator[Database]:
    """The tests taking ``db`` on each backend."""
    yield backend_db


def card(title: str, *, answer: str = "It squashes.", front: str = "", extra: str = "") -> str:
    return (
        f"{front}# {title}\n\n## Question\n\nWhat does {title} do?\n\n## Answer\n\n{answer}\n\n"
        f"## Tags\n\n#T{len(title) % 3} #Shared\n\n## Related Questions\n\n- {title}x\n{extra}"
    )


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def mixed_folder(root: Path) -> Path:
    """Cards in folders, a broken card file, a note that is no card file, two files that
    claim one id, and a card with a LaTeX command no one knows."""
    for index in range(40):
        write(root, f"topic{index % 4}/card{index:02d}.md", card(f"Card {index}"))
    write(root, "topic0/broken.md", card("Broken", extra="```exercise\nx: [1,\n```\n"))
    write(root, "notes.md", "# Notes\n\nNothing here.\n")
    write(root, "a-first.md", card("First", front="---\nid: shared\n---\n"))
    write(root, "b-second.md", card("Second", front="---\nid: shared\n---\n"))
    write(root, "odd.md", card("Odd", answer="Here $\\foozle{x}$ appears."))
    return root


def pooled(db: Database, root: Path, **options: Any) -> ImportReport:
    return import_paths(db, [root], pool_min_files=POOLED, workers=2, **options)


def serial(db: Database, root: Path, **options: Any) -> ImportReport:
    return import_paths(db, [root], pool_min_files=NEVER, **options)


def pooled_check(root: Path, **options: Any) -> ImportReport:
    return check_paths([root], pool_min_files=POOLED, workers=2, **options)


def serial_check(root: Path, **options: Any) -> ImportReport:
    return check_paths([root], pool_min_files=NEVER, **options)


def rows(db: Database) -> list[list[tuple[object, ...]]]:
    return [run_sql(db, f"SELECT * FROM {table} ORDER BY 1, 2") for table in TABLES]


def shown(report: ImportReport) -> dict[str, object]:
    return report.to_dict()


def test_pool_gives_the_serial_outcome_line_for_line(tmp_path: Path) -> None:
    root = mixed_folder(tmp_path / "deck")
    serial_db = open_database(tmp_path / "serial.db", auto_backup=False)
    pool_db = open_database(tmp_path / "pool.db", auto_backup=False)
    try:
        first = serial(serial_db, root, now=NOW)
        assert first.new == 42 and first.failed_files == 2 and first.skipped == 1
        assert first.warnings and first.errors
        assert shown(pooled(pool_db, root, now=NOW)) == shown(first)
        assert rows(pool_db) == rows(serial_db)
        # Edits, a vanished file, a fixed one and a touched one: the second import too.
        write(root, "topic1/card01.md", card("Card 1", answer="Edited."))
        (root / "topic2/card02.md").unlink()
        write(root, "topic0/broken.md", card("Broken"))
        os.utime(root / "topic3/card03.md", ns=(7, 7))
        again = serial(serial_db, root, now=NOW)
        assert (again.new, again.updated, again.missing) == (1, 1, 1)
        assert shown(pooled(pool_db, root, now=NOW)) == shown(again)
        assert rows(pool_db) == rows(serial_db)
    finally:
        serial_db.close()
        pool_db.close()


def test_check_and_dry_run_in_the_pool_match_serial(db: Database, tmp_path: Path) -> None:
    root = mixed_folder(tmp_path / "deck")
    assert shown(pooled_check(root)) == shown(serial_check(root))
    dry = pooled(db, root, dry_run=True)
    assert shown(dry) == shown(serial(db, root, dry_run=True))
    assert run_sql(db, "SELECT count(*) FROM cards") == [(0,)]


def test_pool_reports_progress_to_the_end(db: Database, tmp_path: Path) -> None:
    root = mixed_folder(tmp_path / "deck")
    steps: list[tuple[int, int]] = []
    report = pooled(db, root, progress=lambda *step: steps.append(step))
    total = 2 * report.files
    assert steps[-1] == (total, total)
    assert {seen for _done, seen in steps} == {total}
    done = [step for step, _total in steps]
    assert done == sorted(done) and len(done) >= 2  # while reading, and at the end


def _interrupt_after(step: int) -> Callable[[int, int], None]:
    def progress(done: int, total: int) -> None:
        if done >= step and done < total:
            raise KeyboardInterrupt

    return progress


def test_ctrl_c_during_a_pooled_import_leaves_whole_files_and_no_workers(
    db: Database, tmp_path: Path
) -> None:
    root = tmp_path / "deck"
    for index in range(450):
        write(root, f"f{index // 100}/c{index:03d}.md", card(f"C{index}"))
    # Progress counts files read plus files written: 400 once the first batch of 200 files
    # is written, while the pool is still reading the rest.
    with pytest.raises(KeyboardInterrupt):
        pooled(db, root, progress=_interrupt_after(400), now=NOW)
    assert multiprocessing.active_children() == []
    per_file = run_sql(
        db,
        "SELECT s.path, count(c.id) FROM source_files s LEFT JOIN cards c"
        " ON c.source_path = s.path GROUP BY s.path",
    )
    assert len(per_file) == 200 and {count for _path, count in per_file} == {1}
    assert run_sql(db, "SELECT count(*) FROM cards") == [(200,)]
    assert run_sql(db, "SELECT count(*) FROM card_states") == [(200,)]
    if db.backend == "SQLite":
        assert run_sql(db, "PRAGMA integrity_check") == [("ok",)]
    rest = pooled(db, root, now=NOW)
    assert (rest.new, rest.unchanged, rest.errors) == (250, 200, [])


def test_ctrl_c_while_the_pool_reads_writes_nothing(db: Database, tmp_path: Path) -> None:
    root = mixed_folder(tmp_path / "deck")
    with pytest.raises(KeyboardInterrupt):
        pooled(db, root, progress=_interrupt_after(1))
    assert multiprocessing.active_children() == []
    assert run_sql(db, "SELECT count(*) FROM cards") == [(0,)]
    assert run_sql(db, "SELECT count(*) FROM unimported_files") == [(0,)]


def test_workers_are_spawned_clean_of_textual_and_the_store() -> None:
    import textual  # noqa: F401 - loaded here, so that a forked worker would have it

    with ParsePool(2) as pool:
        assert not pool.has_module("textual")
        assert not pool.has_module("sqlalchemy")


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="waits on a pidfd (Linux)")
def test_workers_end_with_a_killed_importer(tmp_path: Path) -> None:
    """A worker waiting for work must not outlive an importer killed with SIGKILL."""
    script = tmp_path / "hold.py"
    script.write_text(
        textwrap.dedent(
            """
            import os, sys
            from quizapp.services.parse_pool import ParsePool

            if __name__ == "__main__":
                pool = ParsePool(2)
                print(pool.call(os.getpid), flush=True)
                sys.stdin.readline()  # held here until the test kills this process
            """
        ),
        encoding="utf-8",
    )
    child = subprocess.Popen(
        [sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    try:
        worker = int(child.stdout.readline())
        watch = os.pidfd_open(worker)
    finally:
        child.kill()
        child.wait()
    try:
        ready, _, _ = select.select([watch], [], [], 60)
        if not ready:
            os.kill(worker, signal.SIGKILL)  # leave no orphan behind a failed test
    finally:
        os.close(watch)
    assert ready == [watch]


class DiesInWorker(NativeFormat):
    """The native format, except that it kills any worker process that uses it."""

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        if multiprocessing.parent_process() is not None:
            os._exit(3)
        return super().read(text, context, diagnostics)


class FailsInWorker(NativeFormat):
    """The native format, except that it raises in a worker process (or whatever keeps a
    worker's results from coming back)."""

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        if multiprocessing.parent_process() is not None:
            raise RuntimeError("not in a worker")
        return super().read(text, context, diagnostics)


@pytest.mark.parametrize("failing", [DiesInWorker, FailsInWorker])
def test_files_a_worker_could_not_read_are_read_here(
    tmp_path: Path, failing: type[NativeFormat]
) -> None:
    root = mixed_folder(tmp_path / "deck")
    native = FormatRegistry([NativeFormat()])
    expected = shown(serial_check(root, registry=native))
    assert shown(pooled_check(root, registry=FormatRegistry([failing()]))) == expected
    assert multiprocessing.active_children() == []


def test_a_registry_that_cannot_be_sent_is_read_here(tmp_path: Path) -> None:
    class Local(NativeFormat):
        """Defined in a function: it cannot be pickled for a worker."""

    root = mixed_folder(tmp_path / "deck")
    expected = shown(serial_check(root, registry=FormatRegistry([NativeFormat()])))
    assert shown(pooled_check(root, registry=FormatRegistry([Local()]))) == expected


class _SaysWhenFreed:
    """Writes ``path`` when freed: at an interpreter's teardown, when it is still held."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __del__(self) -> None:
        Path(self.path).write_text("torn down", encoding="utf-8")


_held: list[_SaysWhenFreed] = []


def _hold_until_teardown(path: str) -> int:
    _held.append(_SaysWhenFreed(path))
    return os.getpid()


def test_a_worker_ends_without_the_interpreters_teardown(tmp_path: Path) -> None:
    """Its results are all sent when the pool closes, so it exits there and then: the
    objects it still holds are never freed one by one (which kept the importer waiting
    in close() after the last file)."""
    marker = tmp_path / "teardown"
    with ParsePool(2) as pool:
        pool.call(_hold_until_teardown, str(marker))
    assert not marker.exists()
    _SaysWhenFreed(str(marker)).__del__()  # the marker is written where one is freed
    assert marker.read_text(encoding="utf-8") == "torn down"


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no scheduling priority to compare")
def test_workers_run_below_the_importers_priority() -> None:
    """The importer's process writes every card (and draws the TUI): it goes first."""
    from quizapp.services.parse_pool import WORKER_NICENESS

    here = os.nice(0)
    with ParsePool(2) as pool:
        assert pool.call(os.nice, 0) == min(19, here + WORKER_NICENESS)


def test_a_pool_starts_under_a_captured_standard_error(tmp_path: Path) -> None:
    """Inside the TUI, Textual's capture of ``sys.stderr`` has ``fileno() == -1``, which
    multiprocessing's resource tracker was handed as it started: every import of 300
    files or more from the Import screen failed with "bad value(s) in fds_to_keep". A
    fresh process is needed, since the tracker starts once per process."""
    for number in range(3):
        (tmp_path / f"card{number}.md").write_text(
            f"# Card {number}\n\n## Question\n\nWhat is {number}?\n\n## Answer\n\n{number}.\n",
            encoding="utf-8",
        )
    script = tmp_path / "captured.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys
            from quizapp.services.importer import check_paths

            class Capture:  # as textual.app._PrintCapture
                def write(self, text): pass
                def flush(self): pass
                def fileno(self): return -1

            if __name__ == "__main__":
                sys.stderr = Capture()
                report = check_paths([sys.argv[1]], pool_min_files=1, workers=2)
                print(report.new, len(report.errors))
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout.split()) == (0, ["3", "0"]), done.stderr
