"""The starter copy: a new database holding the bundled deck, kept to be copied into place.

Why: a first run (``quizapp`` on a database that does not exist yet) should show a ready
home screen about as fast as any Textual app starts. Importing the bundled deck the
normal way first loads SQLAlchemy and Alembic, runs every migration and parses 120 files:
several times a hello world's start-up. So the first import of the bundled deck into a
new database on a machine keeps a copy of that database (its schema and the deck,
nothing else) in quizapp's cache folder, and every later first run copies the file into
place and can draw today's counts from it at once with plain sqlite3
(``store.location.peek_today_counts``). The shipped starter database
(``quizapp/bundled_starter.py``) is tried first: it makes even the first run after
installing as quick; this module's copy is for a deck edited since that was built.
Either is copied to a staging file, checked, moved to the deck's folder and dated now by
the store (``store.location.relocate_starter``), then linked into place.

A copy is named by a fingerprint of everything its contents depend on, so a stale copy
is never used: the schema revision, quizapp's own source files (size and mtime of each),
the installed packages (their ``.dist-info`` names, which carry their versions), the
deck's folder and every file in it (path, size, mtime and SHA-256, which the store keeps
for each file it imported). A change to any of them gives another name; making a copy
deletes the copies of other fingerprints. A copy that fails SQLite's quick check, is at
another schema revision or holds no cards is deleted, not used. Only a plain SQLite file
that does not exist yet is ever seeded, and an existing file is never replaced. The
cache is only ever a saving: when it cannot be read or written, the deck is imported.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

from quizapp.store.location import HEAD_REVISION, relocate_starter
from quizapp.store.records import FileStamp

#: Changes when what a starter copy holds, or how it is made, changes.
_FORMAT = "1"
#: The environment variable that moves quizapp's caches (as ``services/audit_cache.py``).
CACHE_ENV_VAR = "QUIZAPP_CACHE_DIR"


def starter_folder() -> Path:
    """``$QUIZAPP_CACHE_DIR/starter``, else ``starter`` in the user cache folder."""
    override = os.environ.get(CACHE_ENV_VAR)
    if override:
        return Path(override).expanduser() / "starter"
    from platformdirs import user_cache_path

    return user_cache_path("quizapp", appauthor=False) / "starter"


def fingerprint(deck: Path) -> str:
    """The name of the starter copy of ``deck`` made by this quizapp (see the module)."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        digest.update("\0".join(str(part) for part in parts).encode("utf-8", "surrogateescape"))
        digest.update(b"\n")

    add("starter copy", _FORMAT, HEAD_REVISION)
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        add(path.relative_to(package).as_posix(), stat.st_size, stat.st_mtime_ns)
    add("packages", *_installed_packages())
    deck = deck.resolve()
    add("deck", deck)
    for path in sorted(deck.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            stat = path.stat()
            add(
                path.relative_to(deck).as_posix(),
                stat.st_size,
                stat.st_mtime_ns,
                hashlib.sha256(data).hexdigest(),
            )
    return digest.hexdigest()[:32]


def _installed_packages() -> list[str]:
    """The ``.dist-info`` folders beside SQLAlchemy (name and version of each package)."""
    import importlib.util

    spec = importlib.util.find_spec("sqlalchemy")
    if spec is None or spec.origin is None:
        return []
    site = Path(spec.origin).resolve().parents[1]
    try:
        return sorted(name for name in os.listdir(site) if name.endswith(".dist-info"))
    except OSError:
        return []


def copy_path(deck: Path) -> Path:
    """Where the starter copy of ``deck`` is kept (it may not exist)."""
    return starter_folder() / f"{fingerprint(deck)}.db"


def seed(path: Path, deck: Path, now: datetime) -> bool:
    """Make the new database file ``path`` a copy of a starter database of ``deck``,
    moved to ``deck`` and dated ``now``: the shipped one (``quizapp/bundled_starter.py``)
    when it matches ``deck``, else the cache folder's copy.

    False, with nothing written, when ``path`` exists (it is never replaced) or an earlier
    file's journal or WAL is still beside it, when there is no usable copy, or when the
    file cannot be made. The copy is staged beside ``path``, checked (quick check, schema
    revision, cards), moved and dated (``store.location.relocate_starter``), and put in place
    with a hard link, which fails rather than replace a file another process made
    meanwhile: a first run never finds a half-made database.
    """
    from quizapp.bundled_starter import deck_files, shipped_path

    try:
        if path.exists() or path.is_symlink() or _has_leftovers(path):
            return False
        files = deck_files(deck)
    except OSError:
        return False
    stamps = {name: file.stamp for name, file in files.items()}
    shipped = shipped_path(files)
    if shipped.is_file() and _place(shipped, path, deck.resolve(), stamps, now, is_cache=False):
        return True
    try:
        cached = copy_path(deck)  # reads the deck again, with quizapp's code and packages
    except OSError:
        return False
    return cached.is_file() and _place(cached, path, deck.resolve(), stamps, now, is_cache=True)


def _place(
    copy: Path,
    path: Path,
    deck: Path,
    stamps: dict[str, FileStamp],
    now: datetime,
    *,
    is_cache: bool,
) -> bool:
    """Stage ``copy``, check and relocate it, and link it to ``path``; False on any failure
    (a cache copy that fails its check is deleted, never offered again)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
        os.close(handle)
    except OSError:
        return False
    temporary = Path(name)
    try:
        shutil.copyfile(copy, temporary)
        if not _usable(temporary):
            if is_cache:
                with contextlib.suppress(OSError):
                    copy.unlink()  # damaged or wrong: never offered again
            return False
        if not relocate_starter(temporary, deck, stamps, now):
            return False
        _flush(temporary)  # whole on disk before its name is
        os.link(temporary, path)
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
        for suffix in ("-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{temporary}{suffix}").unlink()
    return True


def _flush(path: Path) -> None:
    """Write ``path``'s contents to the disk (a crash after it is linked into place must
    not leave a database with pages missing)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _has_leftovers(path: Path) -> bool:
    """Whether a journal or WAL of an earlier file by that name is still there: SQLite
    could take it for the new file's, so such a name is left to ``open_database``."""
    return any(
        Path(f"{path}{suffix}").exists() or Path(f"{path}{suffix}").is_symlink()
        for suffix in ("-wal", "-journal", "-shm")
    )


def remember(database: Path, deck: Path) -> None:
    """Keep ``database``, a new database into which ``deck`` was just imported and nothing
    else, as the starter copy of ``deck``. Best effort: a cache folder that cannot be
    written costs only the saving."""
    folder = starter_folder()
    target = copy_path(deck)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        os.close(handle)
    except OSError:
        return
    temporary = Path(name)
    try:
        source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(temporary)
            try:
                source.backup(copy)  # a consistent snapshot, the WAL's pages included
                copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                copy.close()
        finally:
            source.close()
        if not _usable(temporary):
            return
        os.replace(temporary, target)
    except (OSError, sqlite3.Error):
        return
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    for old in folder.glob("*.db"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()


def _usable(path: Path) -> bool:
    """True when ``path`` is an intact quizapp database at the current schema with cards."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            check = connection.execute("PRAGMA quick_check").fetchone()
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            cards = connection.execute("SELECT count(*) FROM cards").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return (
        check is not None
        and check[0] == "ok"
        and revision is not None
        and revision[0] == HEAD_REVISION
        and cards is not None
        and cards[0] > 0
    )
