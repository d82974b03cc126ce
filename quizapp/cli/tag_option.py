"""``--tag TAG``: a tag as the user types it, refused at once when no card could carry it.

A tag is one word (``clean_tag`` writes inner spaces as ``-`` on import), so ``--tag ''``
or ``--tag 'bad tag!'`` can only ever match nothing. Saying so beats "0 cards".
"""

from __future__ import annotations

import click

from quizapp.cards.metadata import clean_tag


def tag_problem(tag: str) -> str | None:
    """Why ``tag`` can never name a stored tag, or None when it can (a leading ``#`` is
    allowed: ``#ml`` is the tag ``ml``)."""
    written = tag.strip().removeprefix("#")
    if not written:
        return "is empty; give a tag name (quizapp tags lists them)"
    cleaned = clean_tag(written)
    if cleaned != written or any(char in written for char in ",;#"):
        hint = f"; did you mean {cleaned!r}?" if cleaned and cleaned != written else ""
        return f"{tag!r} cannot be a tag (one word: no spaces, commas or '#'){hint}"
    return None


def check_tags(
    _ctx: click.Context, param: click.Parameter, tags: tuple[str, ...]
) -> tuple[str, ...]:
    """The click callback of ``--tag``: a usage error (exit 2) for a tag no card can
    carry; the tags otherwise, without a leading ``#``."""
    for tag in tags:
        problem = tag_problem(tag)
        if problem is not None:
            raise click.BadParameter(problem, param=param)
    return tuple(tag.strip().removeprefix("#") for tag in tags)
