"""Built-in exercises shipped in ``content/exercises/*.yaml``, matched to cards by tag.

A card without its own exercise block gets the built-in exercise that shares the most tags
with it (case-insensitive) among those whose ``subject``, when they name one, the card's
title or id contains (``matching.py``); ties go to the first file in name order, so the
choice is stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from quizapp.cards.model import Card
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.matching import fits
from quizapp.exercises.parsing import parse_spec
from quizapp.exercises.spec import ExerciseSpec


def load_builtin_exercises(folder: Path) -> list[ExerciseSpec]:
    """Parse every ``*.yaml`` in ``folder`` (sorted by name); a missing folder gives [].

    A broken file raises ``ExerciseError`` whose message starts with the file name.
    """
    if not folder.is_dir():
        return []
    specs: list[ExerciseSpec] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ExerciseError(f"{path}: cannot read: {exc}") from None
        try:
            specs.append(parse_spec(text, line=1, source=str(path)))
        except ExerciseError as exc:
            where = f"{path}:{exc.line}" if exc.line is not None else str(path)
            ask = f": ask `{exc.ask}`" if exc.ask else ""
            raise ExerciseError(f"{where}{ask}: {exc.message}") from None
    return specs


def builtin_for_tags(
    specs: Sequence[ExerciseSpec],
    tags: Iterable[str],
    title: str | None = None,
    card_id: str = "",
) -> ExerciseSpec | None:
    """The spec sharing the most tags with ``tags`` (case-insensitive, ``#`` ignored), among
    those whose ``subject`` (if any) the card's ``title`` or ``card_id`` names; or None.

    Without a ``title`` the question is about tags alone and subjects are not checked.
    """
    tags = list(tags)
    best: ExerciseSpec | None = None
    best_count = 0
    for spec in specs:
        subject = () if title is None else spec.subject
        count = fits(title or "", card_id, tags, spec.tags, subject)
        if count > best_count:
            best, best_count = spec, count
    return best


def spec_for_card(card: Card, builtins: Sequence[ExerciseSpec] = ()) -> ExerciseSpec | None:
    """The card's own first exercise block, else the built-in for it, else None.

    A broken block raises ``ExerciseError`` with the card line; it never silently falls
    back to a built-in, so the author sees the mistake.
    """
    if card.exercises:
        source = card.exercises[0]
        return parse_spec(source.yaml, line=source.line, source=card.source)
    return builtin_for_tags(builtins, card.tags, card.title, card.id)
