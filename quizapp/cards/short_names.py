"""Deck and tag names shortened to what tells them apart, for a column of a given width.

A deck is named by its folder under the import root, so the decks of one vault share a
long start: ``InterviewQuestions/10-Machine-Learning/Basics``,
``InterviewQuestions/20-Deep-Learning/CNN``... Cut to a narrow column from the right,
every one of them reads ``InterviewQuestions``. What tells them apart is their end.

:func:`shortened` keeps a name that fits whole; any other loses the folders every
name starts with, then keeps as many of its last folders as fit, after ``…/``; a last
folder wider than the column keeps its end after ``…``. Names that would read the same
are given more of their path, up to the whole name (which the column may then cut at its
right). A name of one part (a tag, a top-level deck: ``ReinforcementLearning``) has no
shared start to lose and reads best by its start, so it keeps its start before ``…``;
two that would read the same keep their start and their end around a ``…`` instead. The
full names belong in a tooltip or a wider view (browse shows them whole).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

#: What stands for the folders left out at the start of a name.
ELLIPSIS = "…"


def common_prefix(paths: Sequence[Sequence[str]]) -> int:
    """How many leading parts every path shares, leaving each at least one of its own
    (a name that is the shared part itself keeps its last)."""
    if len(paths) < 2:
        return 0
    shared = 0
    for parts in zip(*paths, strict=False):
        if len(set(parts)) != 1:
            break
        shared += 1
    return min(shared, min(len(parts) for parts in paths) - 1)


def _tail(parts: Sequence[str], keep: int, width: int, separator: str) -> str:
    """The last ``keep`` parts (``…/`` before them when some are left out), or the end of
    the last part when even that does not fit ``width``."""
    text = separator.join(parts[-keep:])
    if keep < len(parts):
        text = f"{ELLIPSIS}{separator}{text}"
    if cell_len(text) <= width:
        return text
    last = parts[-1]
    chars: list[str] = []
    for char in reversed(last):
        if cell_len(ELLIPSIS + char + "".join(chars)) > width:
            break
        chars.insert(0, char)
    return ELLIPSIS + "".join(chars)


def _head(name: str, width: int) -> str:
    """The start of a one-part name before ``…``, in ``width`` cells."""
    chars: list[str] = []
    used = cell_len(ELLIPSIS)
    for char in name:
        used += cell_len(char)
        if used > width:
            break
        chars.append(char)
    return "".join(chars) + ELLIPSIS


def _middle(name: str, width: int) -> str:
    """A one-part name's start and end around ``…``, in ``width`` cells: what tells
    ``Regularization-L1`` from ``Regularization-L2`` is their end."""
    room = width - cell_len(ELLIPSIS)
    end: list[str] = []
    used = 0
    for char in reversed(name):
        if used + cell_len(char) > room // 2:
            break
        end.insert(0, char)
        used += cell_len(char)
    start: list[str] = []
    for char in name[: len(name) - len(end)]:
        if used + cell_len(char) > room:
            break
        start.append(char)
        used += cell_len(char)
    return "".join(start) + ELLIPSIS + "".join(end)


def _fitting(parts: Sequence[str], width: int, separator: str) -> int:
    """How many of the last parts fit ``width`` (at least one)."""
    keep = 1
    while keep < len(parts) and cell_len(_tail(parts, keep + 1, 10**6, separator)) <= width:
        keep += 1
    return keep


def shortened(names: Sequence[str], width: int, separator: str = "/") -> list[str]:
    """Each of ``names`` as it fits ``width`` cells and stays told apart from the others
    (see the module's docstring). A name that fits is kept whole; only the others lose
    the folders every name starts with, then their start."""
    width = max(width, 2)
    paths = [name.split(separator) for name in names]
    shared = common_prefix(paths)
    rest = [parts[shared:] for parts in paths]
    whole = [cell_len(name) <= width for name in names]
    keeps = [
        len(parts) if fits else _fitting(parts, width, separator)
        for parts, fits in zip(rest, whole, strict=True)
    ]
    flat = [len(parts) == 1 for parts in paths]
    shown = [
        name if fits else _head(name, width) if one else _tail(parts, keep, width, separator)
        for name, parts, keep, fits, one in zip(names, rest, keeps, whole, flat, strict=True)
    ]
    _part_flat_clashes(names, shown, whole, flat, width)
    for _ in range(max((len(parts) for parts in rest), default=0) + 1):
        seen: dict[str, list[int]] = {}
        for index, text in enumerate(shown):
            seen.setdefault(text, []).append(index)
        clashes = [
            i
            for group in seen.values()
            if len(group) > 1
            for i in group
            if not whole[i] and shown[i] != names[i]
        ]
        if not clashes:
            break
        for index in clashes:
            if flat[index]:  # its start and end did not tell it apart either
                shown[index] = names[index]
            elif keeps[index] < len(paths[index]):
                keeps[index] += 1
                shown[index] = _tail(paths[index], keeps[index], 10**6, separator)
            else:  # one folder cut to the same end as another's: the whole name
                shown[index] = names[index]
    return shown


def _part_flat_clashes(
    names: Sequence[str], shown: list[str], whole: Sequence[bool], flat: Sequence[bool], width: int
) -> None:
    """One-part names whose starts read the same keep their start and end instead."""
    seen: dict[str, list[int]] = {}
    for index, text in enumerate(shown):
        if flat[index] and not whole[index]:
            seen.setdefault(text, []).append(index)
    for group in seen.values():
        if len(group) > 1:
            for index in group:
                shown[index] = _middle(names[index], width)
