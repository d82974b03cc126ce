"""Finding the card files named on the command line.

``quizapp import`` takes files, folders and globs. Each file found keeps its *import root*,
the folder its id and deck are relative to: the parent folder of a file argument, the folder
itself for a folder argument, and the part before the first wildcard for a glob. Folders are
walked recursively for ``*.md`` in sorted order; hidden folders (``.git``, ``.obsidian``) are
skipped, symbolic links are followed but a loop is walked only once, and each file is listed
once however many ways lead to it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.cards.model import Problem

_GLOB_CHARACTERS = frozenset("*?[")
_CARD_SUFFIX = ".md"


@dataclass(frozen=True)
class SourceFile:
    """A card file to import and the import root its id and deck are relative to.

    ``file`` is the path as a string and ``info`` its ``stat`` taken while it was found:
    a rescan of 10,000 unchanged files needs nothing more, and building a ``Path`` for
    each would cost more than the rest of that rescan's file handling together.
    """

    file: str
    root: Path
    info: os.stat_result | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def path(self) -> Path:
        """The file's path."""
        return Path(self.file)


@dataclass
class Discovery:
    """The files found, in import order, and the arguments that found nothing."""

    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _is_card_file(name: str) -> bool:
    return name.casefold().endswith(_CARD_SUFFIX) and not name.startswith(".")


def _stat(path: Path | str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _identity(path: Path | str) -> tuple[int, int] | None:
    info = _stat(path)
    return None if info is None else (info.st_dev, info.st_ino)


def _walk(folder: Path, problems: list[Problem]) -> Iterator[str]:
    """Every ``*.md`` file under ``folder``, sorted, through symlinks but never round a
    loop (each real folder is entered once), skipping hidden folders and files."""
    visited: set[tuple[int, int]] = set()

    def unreadable(error: OSError) -> None:
        name = error.filename if error.filename is not None else folder
        problems.append(Problem(str(name), 0, f"cannot read folder: {error.strerror or error}"))

    for current, folders, files in os.walk(folder, onerror=unreadable, followlinks=True):
        identity = _identity(current)
        if identity is None or identity in visited:
            folders[:] = []
            continue
        visited.add(identity)
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if _is_card_file(name):
                yield os.path.join(current, name)


def _glob_root(pattern: str) -> Path:
    """The folder part of a glob before its first wildcard: ``notes/**/*.md`` → ``notes``."""
    parts = Path(pattern).parts
    fixed: list[str] = []
    for part in parts:
        if _GLOB_CHARACTERS & set(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _glob(pattern: str) -> Iterator[Path]:
    """Matches of a glob, sorted. ``pathlib`` is used because its ``**`` does not follow
    symbolic links, so a link loop cannot make the match list explode."""
    root = _glob_root(pattern)
    rest = Path(pattern).relative_to(root) if root != Path(".") else Path(pattern)
    try:
        yield from sorted(root.glob(str(rest)))
    except (OSError, ValueError, NotImplementedError):
        return


def discover(paths: Sequence[str]) -> Discovery:
    """Expand the command line's paths into card files with their import roots.

    A path that does not exist, a glob that matches nothing and a folder without ``.md``
    files are each reported as a :class:`Problem` (line 0: it is not about a line); the
    other paths are still searched.
    """
    result = Discovery()
    seen: set[tuple[int, int]] = set()

    def add(path: Path | str, root: Path) -> bool:
        info = _stat(path)
        if info is None:
            result.problems.append(Problem(str(path), 0, "broken link or unreadable file"))
            return False
        identity = (info.st_dev, info.st_ino)
        if identity not in seen:
            seen.add(identity)
            result.files.append(SourceFile(os.fspath(path), root, info))
        return True

    for argument in paths:
        path = Path(argument)
        if path.is_dir():
            found = [add(file, path) for file in _walk(path, result.problems)]
            if not any(found):
                result.problems.append(Problem(argument, 0, "no .md files in this folder"))
        elif path.is_file():
            add(path, path.parent)
        elif _GLOB_CHARACTERS & set(argument):
            root = _glob_root(argument)
            found = []
            for match in _glob(argument):
                relative = match.relative_to(root).parts if root != Path(".") else match.parts
                if any(part.startswith(".") and part not in (".", "..") for part in relative):
                    continue
                if match.is_dir():
                    found.extend(add(file, root) for file in _walk(match, result.problems))
                elif _is_card_file(match.name):
                    found.append(add(match, root))
            if not any(found):
                result.problems.append(Problem(argument, 0, "no .md files match this pattern"))
        elif path.is_symlink():
            result.problems.append(Problem(argument, 0, "broken symbolic link"))
        else:
            result.problems.append(Problem(argument, 0, "no such file or folder"))
    return result
