"""Opening an Anki package (.apkg, .colpkg) with the official ``anki`` library.

Every package format Anki has written is a zip: the legacy ``collection.anki2`` (2.1.x
with the v1 scheduler) and ``collection.anki21``, and the current zstd-compressed
``collection.anki21b`` described by a ``meta`` file. quizapp never reads these collections
itself: the library's own ``import_collection_package`` unpacks whichever the package
holds (refusing one from a newer Anki than it knows) into a private folder, and the
collection is then opened with ``anki.collection.Collection``, so every version Anki
writes is read the way Anki reads it.

Before the library is asked, the zip is checked here, so that bad input gets one line that
names the file and the thing at fault: a file that is not a zip, a zip without a
collection, a media name that would lead outside the media folder, a media file over
:data:`MAX_MEDIA_BYTES`. The library checks the names again (it refuses any with a path
separator); the sizes of the current format's compressed media are checked again after
unpacking, before anything is copied into quizapp's media folder.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anki.collection import Collection

#: The largest media file a package may bring (100 MiB, AnkiWeb's own limit for one
#: file): a larger one is refused, and nothing of the package is imported.
MAX_MEDIA_BYTES = 100 * 1024 * 1024
#: What to run to get the library, said in the one line an import without it prints.
INSTALL_HINT = "pip install 'quizapp[anki]' (or, in a checkout: uv sync --extra anki)"
#: The collection files a package may hold, newest first.
COLLECTION_NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")
#: How a zstd frame starts: the current format's media list is one.
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Suffixes read as Anki packages.
PACKAGE_SUFFIXES = (".apkg", ".colpkg")


class AnkiPackageError(ValueError):
    """A package that cannot be imported, with the one line that says why and names it."""


class AnkiNotInstalled(AnkiPackageError):
    """The ``anki`` extra is not installed."""


def is_package(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names an Anki package by its suffix (.apkg or .colpkg)."""
    return os.fspath(path).casefold().endswith(PACKAGE_SUFFIXES)


def require_anki() -> None:
    """Raise :class:`AnkiNotInstalled` when the ``anki`` library cannot be imported."""
    try:
        import anki.collection  # noqa: F401
    except ImportError:
        raise AnkiNotInstalled(
            f"importing Anki packages needs the anki library: {INSTALL_HINT}"
        ) from None


@dataclass(frozen=True)
class OpenedPackage:
    """A package unpacked into a private folder: its collection, open, and its media files
    by the name the notes use (each checked against :data:`MAX_MEDIA_BYTES`)."""

    path: Path
    collection: Collection
    media: dict[str, Path]
    format: str
    """Which collection file the package held: one of :data:`COLLECTION_NAMES`."""


def safe_media_name(name: str) -> bool:
    """Whether a media file name stays inside the media folder: one plain component, no
    ``..``, no separator of either kind, no drive."""
    if not name or name in (".", "..") or "\x00" in name:
        return False
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    return (
        len(posix.parts) == 1
        and len(windows.parts) == 1
        and not windows.drive
        and not posix.is_absolute()
        and posix.parts[0] not in (".", "..")
    )


def check_archive(path: Path, media_limit: int = MAX_MEDIA_BYTES) -> str:
    """Check the zip before the library reads it; return the collection file it holds.

    Raises :class:`AnkiPackageError` with one line for a file that is not a zip, a zip
    without a collection, an unsafe media name or a media file over ``media_limit``.
    """
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise AnkiPackageError(f"{path}: not an Anki package: not a zip file") from None
    except OSError as exc:
        raise AnkiPackageError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    with archive:
        members = {info.filename: info for info in archive.infolist()}
        found = next((name for name in COLLECTION_NAMES if name in members), None)
        if found is None:
            raise AnkiPackageError(
                f"{path}: a zip file but not an Anki package: it holds no "
                + ", ".join(COLLECTION_NAMES)
            )
        names: dict[str, str] = {}
        listing = archive.read("media") if "media" in members else b""
        if listing and not listing.startswith(ZSTD_MAGIC):
            # legacy packages list their media as JSON: {"0": "photo.jpg", ...}; the
            # current format's list is compressed, and the library checks its names
            try:
                listed = json.loads(listing)
            except ValueError:
                raise AnkiPackageError(f"{path}: its media list is damaged") from None
            if not isinstance(listed, dict):
                raise AnkiPackageError(f"{path}: its media list is damaged")
            for number, name in listed.items():
                if not isinstance(name, str) or not safe_media_name(name):
                    raise AnkiPackageError(
                        f"{path}: media file name {name!r} would be written outside the "
                        "media folder; nothing was imported"
                    )
                names[str(number)] = name
        # A legacy package stores its media as they are; the current one compresses each
        # file, which can only grow one by a fraction: over this slack it is surely over.
        slack = 0 if names or not listing else media_limit // 100 + 4096
        for member, info in members.items():
            if member.isdigit() and info.file_size > media_limit + slack:
                shown = names.get(member, f"number {member}")
                raise AnkiPackageError(
                    f"{path}: media file {shown!r} is {info.file_size:,} bytes, over the "
                    f"{media_limit:,}-byte limit for one media file; nothing was imported"
                )
    return found


def _library_error(path: Path, exc: Exception) -> AnkiPackageError:
    """The library's refusal as one line: a newer package, a damaged one, or its text."""
    from anki.errors import AnkiException

    text = " ".join(str(exc).split()) or type(exc).__name__
    name = type(exc).__name__
    if "newer" in text.casefold() or "TooNew" in text:
        return AnkiPackageError(
            f"{path}: made by a newer Anki than the anki library installed here reads "
            f"({text}); update it with pip install -U anki"
        )
    if isinstance(exc, AnkiException):
        return AnkiPackageError(f"{path}: Anki could not read the package: {text} ({name})")
    return AnkiPackageError(f"{path}: Anki could not read the package: {text}")


@contextmanager
def open_package(
    path: str | os.PathLike[str], media_limit: int = MAX_MEDIA_BYTES
) -> Iterator[OpenedPackage]:
    """Unpack the package at ``path`` with the ``anki`` library into a private temporary
    folder and yield it open; the folder is removed afterwards.

    Raises :class:`AnkiNotInstalled` without the library and :class:`AnkiPackageError`
    for anything the package is refused for (see the module's docstring).
    """
    require_anki()
    from anki._backend import RustBackend
    from anki.collection import Collection

    package = Path(path)
    found = check_archive(package, media_limit)
    with tempfile.TemporaryDirectory(prefix="quizapp-anki-") as tmp:
        folder = Path(tmp)
        col_path = folder / "collection.anki2"
        media_folder = folder / "media"
        try:
            backend = RustBackend()
            backend.import_collection_package(
                col_path=str(col_path),
                backup_path=str(package),
                media_folder=str(media_folder),
                media_db=str(folder / "media.db"),
            )
        except Exception as exc:  # the library's errors have no common base beyond this
            raise _library_error(package, exc) from None
        media: dict[str, Path] = {}
        if media_folder.is_dir():
            for entry in os.scandir(media_folder):
                if not entry.is_file(follow_symlinks=False):
                    continue
                size = entry.stat().st_size
                if size > media_limit:
                    raise AnkiPackageError(
                        f"{package}: media file {entry.name!r} is {size:,} bytes, over the "
                        f"{media_limit:,}-byte limit for one media file; nothing was imported"
                    )
                media[entry.name] = Path(entry.path)
        try:
            collection = Collection(str(col_path))
        except Exception as exc:
            raise _library_error(package, exc) from None
        try:
            yield OpenedPackage(package, collection, media, found)
        finally:
            if collection.db is not None:  # the reader may have closed it already
                collection.close(downgrade=False)
