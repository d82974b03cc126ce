"""Finding the card files named on the command line.

``quizapp import`` takes files, folders and globs. Each file found keeps its *import root*,
the folder its id and deck are relative to: the parent folder of a file argument, the folder
itself for a folder argument, and the part before the first wildcard for a glob. Folders are
walked recursively, in sorted order, for the suffixes that the registered card formats claim
(``.md``; see ``cards/formats/registry.py``); hidden folders (``.git``, ``.obsidian``,
``.trash``), template folders and a Logseq graph's ``logseq/`` are skipped, and so is
what a ``.quizappignore`` at the import root or an ``--exclude`` glob names
(``cards/ignores.py``); each file is listed once however many ways lead to it.

An import reaches only what was asked for. A symbolic link whose target lies inside the
import root is followed (a loop is walked only once); one that leads out of it is skipped
with a warning, unless the user passes ``--follow-links``: a link to ``/`` in a notes
folder must not make ``check`` walk the whole disk. ``/proc``, ``/sys`` and ``/dev`` are
never searched, followed links or not: their files never end and their trees loop.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.cards.ignores import IgnoreRules, skipped_folder
from quizapp.cards.model import Problem, Severity

_GLOB_CHARACTERS = frozenset("*?[")

#: Never searched, however they are reached: the kernel's virtual file systems.
SYSTEM_TREES = ("/proc", "/sys", "/dev")


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


def _is_card_file(name: str, suffixes: Collection[str]) -> bool:
    """A visible file whose suffix (in any case) some card format claims."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:].casefold() in suffixes


def _suffix_list(suffixes: Collection[str]) -> str:
    """``.md``, or ``.csv, .md or .tsv``: the suffixes searched, for messages."""
    ordered = sorted(suffixes)
    if len(ordered) <= 1:
        return "".join(ordered) or "card"
    return ", ".join(ordered[:-1]) + " or " + ordered[-1]


def _stat(path: Path | str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _identity(path: Path | str) -> tuple[int, int] | None:
    info = _stat(path)
    return None if info is None else (info.st_dev, info.st_ino)


def _inside(real: str, folder: str) -> bool:
    """True when the resolved path ``real`` is ``folder`` or lies under it."""
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def system_tree(real: str) -> str | None:
    """The one of :data:`SYSTEM_TREES` that the resolved path ``real`` lies in, or None."""
    return next((tree for tree in SYSTEM_TREES if _inside(real, tree)), None)


def _warning(path: str, message: str) -> Problem:
    return Problem(path, 0, message, Severity.WARNING)


def _never_searched(path: str, tree: str) -> Problem:
    return _warning(path, f"skipped: {tree} is never searched (nor /proc, /sys, /dev)")


class _Walker:
    """Walks folders below one import root, deciding which links may be followed.

    ``root`` is resolved once; a link is followed when its resolved target lies inside the
    resolved root, or anywhere (but the system trees) with ``follow_links``. Every folder
    is entered at most once by its device and inode, so a loop of links ends.
    """

    def __init__(
        self,
        root: Path,
        follow_links: bool,
        problems: list[Problem],
        suffixes: Collection[str],
        ignore: IgnoreRules | None = None,
    ) -> None:
        self.root = os.path.realpath(root)
        self.follow_links = follow_links
        self.problems = problems
        self.suffixes = suffixes
        self.visited: set[tuple[int, int]] = set()
        #: The import root as named, which ignore rules are relative to.
        self.named_root = os.fspath(root)
        self.ignore = ignore if ignore is not None and ignore.spec is not None else None

    def relative(self, path: str) -> str:
        """``path`` relative to the import root, in posix form, for the ignore rules."""
        return os.path.relpath(path, self.named_root).replace(os.sep, "/")

    def may_follow(self, path: str, real: str) -> bool:
        """Whether the link at ``path``, resolving to ``real``, is followed (else warned)."""
        tree = system_tree(real)
        if tree is not None:
            self.problems.append(_never_searched(path, tree))
            return False
        if self.follow_links or _inside(real, self.root):
            return True
        self.problems.append(
            _warning(
                path,
                f"skipped: symbolic link to {real} leads outside the import root"
                " (--follow-links follows it)",
            )
        )
        return False

    def walk(self, folder: Path) -> Iterator[str]:
        """Every card file under ``folder``, sorted, depth first (a folder's own files
        before its subfolders'), skipping hidden folders and files."""
        real = os.path.realpath(folder)
        tree = system_tree(real)
        if tree is not None:
            self.problems.append(_never_searched(str(folder), tree))
            return
        stack: list[tuple[str, str]] = [(os.fspath(folder), real)]
        while stack:
            current, current_real = stack.pop()
            identity = _identity(current)
            if identity is None or identity in self.visited:
                continue
            self.visited.add(identity)
            try:
                with os.scandir(current) as listing:
                    entries = sorted(listing, key=lambda entry: entry.name)
            except OSError as error:
                reason = error.strerror or str(error)
                self.problems.append(Problem(current, 0, f"cannot read folder: {reason}"))
                continue
            folders: list[tuple[str, str]] = []
            prefix = self.relative(current) + "/" if self.ignore is not None else ""
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                target = ""  # the entry's real path, needed for links and folders only
                try:
                    if entry.is_symlink():
                        target = os.path.realpath(entry.path)
                        if not self.may_follow(entry.path, target):
                            continue
                    is_folder = entry.is_dir()
                except OSError:
                    is_folder = False
                if self.ignore is not None and self.ignore.skips(
                    (prefix + entry.name).removeprefix("./"), is_folder
                ):
                    continue
                if is_folder:
                    target = target or os.path.join(current_real, entry.name)
                    tree = system_tree(target)
                    if tree is not None:
                        self.problems.append(_never_searched(entry.path, tree))
                    elif not skipped_folder(entry.name, entry.path):
                        folders.append((entry.path, target))
                elif _is_card_file(entry.name, self.suffixes):
                    yield entry.path
            stack.extend(reversed(folders))


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


def discover(
    paths: Sequence[str],
    *,
    follow_links: bool = False,
    suffixes: Collection[str] | None = None,
    excludes: Sequence[str] = (),
) -> Discovery:
    """Expand the command line's paths into card files with their import roots.

    Folders and globs yield the files with one of ``suffixes`` (lower case, with the dot;
    by default every suffix a registered card format claims); a file named on its own is
    taken whatever its suffix. A path that does not exist, a glob that matches nothing and
    a folder without card files are each reported as a :class:`Problem` (line 0: it is not
    about a line); the other paths are still searched. Links leading out of an import root
    are skipped with a warning unless ``follow_links``; the system trees are skipped always.
    Below a folder or glob, what the root's ``.quizappignore`` or ``excludes`` (gitignore
    globs, relative to the root) name is skipped; a file named on its own is always taken.
    """
    if suffixes is None:
        from quizapp.cards.formats import default_registry

        suffixes = default_registry().suffixes
    kinds = _suffix_list(suffixes)
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
            rules = IgnoreRules.load(path, excludes)
            walker = _Walker(path, follow_links, result.problems, suffixes, rules)
            found = [add(file, path) for file in walker.walk(path)]
            if not any(found):
                result.problems.append(Problem(argument, 0, f"no {kinds} files in this folder"))
        elif path.is_file():
            tree = system_tree(os.path.realpath(path))
            if tree is not None:
                result.problems.append(_never_searched(argument, tree))
            else:
                add(path, path.parent)
        elif _GLOB_CHARACTERS & set(argument):
            root = _glob_root(argument)
            rules = IgnoreRules.load(root, excludes)
            walker = _Walker(root, follow_links, result.problems, suffixes, rules)
            found = []
            for match in _glob(argument):
                relative = match.relative_to(root).parts if root != Path(".") else match.parts
                if any(part.startswith(".") and part not in (".", "..") for part in relative):
                    continue
                folders = relative[:-1]
                if any(
                    skipped_folder(part, os.path.join(root, *folders[: depth + 1]))
                    for depth, part in enumerate(folders)
                ) or rules.skips("/".join(relative), match.is_dir()):
                    continue
                real = os.path.realpath(match)
                leaves = not _inside(real, walker.root) or system_tree(real) is not None
                if leaves and not walker.may_follow(str(match), real):
                    continue
                if match.is_dir():
                    found.extend(add(file, root) for file in walker.walk(match))
                elif _is_card_file(match.name, suffixes):
                    found.append(add(match, root))
            if not any(found):
                result.problems.append(Problem(argument, 0, f"no {kinds} files match this pattern"))
        elif path.is_symlink():
            result.problems.append(Problem(argument, 0, "broken symbolic link"))
        else:
            result.problems.append(Problem(argument, 0, "no such file or folder"))
    return result
