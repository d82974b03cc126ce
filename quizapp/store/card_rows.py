"""Converting between ``Card`` dataclasses and the JSON/column values the cards table holds.

Kept apart from the queries so that reading (``card_repo``) and importing
(``import_repo``) agree on one encoding of steps, aliases and exercises.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.cards.model import Card, ExerciseSource, Step


def steps_to_json(steps: Sequence[Step]) -> list[dict[str, Any]]:
    """Steps as stored: ``[{path: [...], text, line}]``, in reveal order."""
    return [{"path": list(step.path), "text": step.text, "line": step.line} for step in steps]


def steps_from_json(data: Sequence[Mapping[str, Any]]) -> tuple[Step, ...]:
    """Inverse of ``steps_to_json``."""
    return tuple(
        Step(path=tuple(item["path"]), text=item["text"], line=int(item.get("line", 0)))
        for item in data
    )


def exercises_to_json(exercises: Sequence[ExerciseSource]) -> list[dict[str, Any]]:
    """Exercise blocks as stored: ``[{yaml, line}]``."""
    return [{"yaml": ex.yaml, "line": ex.line} for ex in exercises]


def exercises_from_json(data: Sequence[Mapping[str, Any]]) -> tuple[ExerciseSource, ...]:
    """Inverse of ``exercises_to_json``."""
    return tuple(ExerciseSource(yaml=item["yaml"], line=int(item["line"])) for item in data)


def card_values(card: Card, deck_id: int, source_path: str) -> dict[str, Any]:
    """The ``cards`` columns that come from the card file."""
    return {
        "uid": card.id,
        "deck_id": deck_id,
        "title": card.title,
        "question": card.question,
        "steps": steps_to_json(card.steps),
        "difficulty": card.difficulty,
        "aliases": list(card.aliases),
        "exercises": exercises_to_json(card.exercises),
        "source": card.source,
        "source_path": source_path,
        "line": card.line,
        "content_hash": card.content_hash,
        "kind": str(card.kind),
        "note": card.note,
    }


def tag_key(name: str) -> str:
    """How tags are matched: case-insensitively."""
    return name.casefold()


def link_key(text: str) -> str:
    """How a related question is matched to a card's title, id or alias.

    Case-insensitive, whitespace-collapsed, with ``[[wikilink|label]]`` brackets, labels and
    ``#heading`` anchors removed and a trailing question mark ignored.
    """
    value = text.strip()
    if value.startswith("[[") and value.endswith("]]"):
        value = value[2:-2].split("|", 1)[0].split("#", 1)[0]
    value = " ".join(value.split()).rstrip("?").strip()
    return value.casefold()
