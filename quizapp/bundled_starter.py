"""The bundled deck, shipped already imported: a starter database built ahead of time.

Why: the very first run after installing (or ``uv run quizapp`` on a fresh clone) has no
starter copy in the cache folder yet (``quizapp/starter_copy.py``), and importing the
deck there loaded SQLAlchemy and Alembic, ran every migration and parsed 122 files:
5-6 times a Textual hello world's start-up. So quizapp ships the result of that import,
``quizapp/starter/<fingerprint>.sqlite``, made by

    uv run python -m quizapp.bundled_starter

which imports ``content/`` into a new database through the store exactly as a first run
does, then makes it machine-neutral: paths under a placeholder folder, file times zero,
dates fixed. A first run copies it into place, and the store (``location.relocate_starter``) moves
it to the installed deck and dates it now.

The fingerprint names everything its contents depend on: the schema revision,
``FORMAT`` (raise it when the card parser or the importer changes what they store), and
every file of the deck by relative path and SHA-256. Nothing of the machine is in it, so
the name is the same wherever it is computed. A deck that does not match (content edited
and the file not rebuilt) finds no file by that name, and the first run imports the deck
the normal way. ``tests/test_bundled_starter.py`` fails when the shipped file is stale or
differs from a fresh import of ``content/``, so CI catches a forgotten rebuild.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from quizapp.store.location import HEAD_REVISION, relocate_starter
from quizapp.store.records import FileStamp

#: Raise when what an import of the deck stores changes while the deck's files do not
#: (the parser, the importer): the shipped file then no longer matches, by name.
FORMAT = "1"
#: Where the shipped starter database lives (in the package, so in the wheel).
SHIPPED_FOLDER = Path(__file__).resolve().parent / "starter"
#: The folder the shipped database's paths are under until it is put in place.
PLACEHOLDER_ROOT = PurePosixPath("/quizapp-bundled-deck")
#: The import date the shipped database carries until it is put in place.
PLACEHOLDER_DATE = datetime(2000, 1, 1, tzinfo=UTC)
SUFFIX = ".sqlite"


@dataclass(frozen=True)
class DeckFile:
    """One file of the deck, as the fingerprint and the relocation need it."""

    sha256: str
    stamp: FileStamp


def deck_files(deck: Path) -> dict[str, DeckFile]:
    """Every file under ``deck`` by its path relative to it (with ``/``). Raises OSError."""
    deck = deck.resolve()
    files: dict[str, DeckFile] = {}
    for path in sorted(deck.rglob("*")):
        if path.is_file():
            stat = path.stat()
            files[path.relative_to(deck).as_posix()] = DeckFile(
                hashlib.sha256(path.read_bytes()).hexdigest(),
                FileStamp(stat.st_size, stat.st_mtime_ns),
            )
    return files


def fingerprint(files: dict[str, DeckFile]) -> str:
    """The name of the shipped starter database for a deck of ``files`` (see the module)."""
    digest = hashlib.sha256(f"bundled starter\0{FORMAT}\0{HEAD_REVISION}\n".encode())
    for name in sorted(files):
        digest.update(f"{name}\0{files[name].sha256}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:32]


def shipped_path(files: dict[str, DeckFile]) -> Path:
    """Where the shipped starter database for ``files`` is (it may not exist)."""
    return SHIPPED_FOLDER / f"{fingerprint(files)}{SUFFIX}"


def build(deck: Path, folder: Path | None = None) -> tuple[Path, int]:
    """Import ``deck`` into a new database and keep it, machine-neutral, in ``folder``
    (default ``SHIPPED_FOLDER``) under its fingerprint; other versions there are deleted.
    Returns the file and its number of cards. Raises RuntimeError when the deck does not
    import cleanly (nothing is written then)."""
    from quizapp.services.importer import import_paths
    from quizapp.services.library import card_count
    from quizapp.store.db import open_database

    folder = folder or SHIPPED_FOLDER
    files = deck_files(deck)
    loose = sorted(name for name in files if "/" not in name and name.endswith(".md"))
    if loose:
        # Such a card's deck is named after the deck's own folder, which is content/ in a
        # checkout and _content/ when installed: the same file would not give one database.
        raise RuntimeError(f"{deck / loose[0]}: bundled cards belong in a deck folder")
    target = folder / f"{fingerprint(files)}{SUFFIX}"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="quizapp-starter-") as tmp:
        made = Path(tmp) / "import.db"
        db = open_database(made, auto_backup=False)
        try:
            report = import_paths(db, [deck], check_cards=False)
            cards = card_count(db)
        finally:
            db.close()
        if not report.ok or report.failed_files or cards == 0:
            raise RuntimeError(f"{deck}: the bundled deck did not import cleanly: {report}")
        staged = Path(tmp) / "starter.sqlite"
        source = sqlite3.connect(made)
        copy = sqlite3.connect(staged)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            copy.close()
            source.close()
        neutral = {name: FileStamp(file.stamp.size, 0) for name, file in files.items()}
        if not relocate_starter(staged, PLACEHOLDER_ROOT, neutral, PLACEHOLDER_DATE):
            raise RuntimeError(f"{deck}: the imported deck could not be made machine-neutral")
        vacuum = sqlite3.connect(staged)
        try:
            vacuum.execute("VACUUM")
        finally:
            vacuum.close()
        os.replace(staged, target)
    for old in folder.glob(f"*{SUFFIX}"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()
    return target, cards


def main() -> None:
    """``python -m quizapp.bundled_starter``: rebuild the shipped starter database."""
    from quizapp.content import bundled_deck_dir
    from quizapp.text import plural

    try:
        path, cards = build(bundled_deck_dir())
    except (OSError, RuntimeError) as error:
        print(f"quizapp: error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"wrote {path} ({plural(cards, 'card')})")


if __name__ == "__main__":
    main()
