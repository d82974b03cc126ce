"""How a notes vault (Obsidian's, above all) names its notes.

In a vault the file name *is* the note's name: Obsidian shows it as the title and links
by it (``[[Bias-Variance Tradeoff]]``, ``[[Bias-Variance Tradeoff|the tradeoff]]``,
``[[Bias-Variance Tradeoff#Proof]]``). So a card remembers the name of its file
(:func:`link_name`, ``Card.link_name``), related questions resolve by it as they do by
title, alias and id, and a note without a real title heading is titled by it
(:func:`title_from_name`). A file name may also carry the note's difficulty as a suffix,
``Adam optimizer--hard.md`` (:func:`split_difficulty_suffix`).
"""

from __future__ import annotations

import re

#: ``name--easy`` / ``--medium`` / ``--hard`` at the end of a file name, any case.
_DIFFICULTY_SUFFIX = re.compile(r"^(?P<name>.+?)\s*--(?P<level>easy|medium|hard)$", re.I)


def link_name(source: str) -> str:
    """The name a note is linked by: its file name without the folder and ``.md``.

    ``source`` is the file's posix path under its import root (``Card.source``);
    ``"ml/Bias-Variance Tradeoff.md"`` gives ``"Bias-Variance Tradeoff"``. Any other
    suffix is kept, as Obsidian keeps it (``[[table.csv]]``).
    """
    name = source.rsplit("/", 1)[-1]
    if len(name) > 3 and name[-3:].casefold() == ".md":
        return name[:-3]
    return name


def split_difficulty_suffix(name: str) -> tuple[str, str | None]:
    """``name`` without a ``--easy``/``--medium``/``--hard`` suffix, and that difficulty
    (lower case), or ``(name, None)`` when it has none."""
    match = _DIFFICULTY_SUFFIX.match(name)
    if match is None:
        return name, None
    return match.group("name"), match.group("level").lower()


def title_from_name(source: str) -> str:
    """The title a note's file name gives: its link name without a difficulty suffix."""
    return split_difficulty_suffix(link_name(source))[0].strip()
