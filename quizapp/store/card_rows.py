"""Converting between ``Card`` dataclasses and the JSON/column values the cards table holds.

Kept apart from the queries so that reading (``card_repo``) and importing
(``import_repo``) agree on one encoding of steps, aliases and exercises.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from json.encoder import encode_basestring_ascii
from typing import Any

from quizapp.cards.model import Card, CardExtra, ExerciseSource, LanguageVersion, Step
from quizapp.cards.textfold import fold, search_text
from quizapp.cards.vault import link_name


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


def _stored_list(data: Any) -> Sequence[Any]:
    """A JSON list column's value, whether SQLAlchemy decoded it or it was read raw."""
    if isinstance(data, (str, bytes)):
        data = json.loads(data)
    if data is None:
        return []
    if not isinstance(data, list):
        raise TypeError(f"expected a JSON list, found {type(data).__name__}")
    return data


def alternates_to_json(alternates: Sequence[LanguageVersion]) -> list[dict[str, Any]]:
    """The card in its other languages as stored: ``[{language, question, steps}]``."""
    return [
        {"language": alt.language, "question": alt.question, "steps": steps_to_json(alt.steps)}
        for alt in alternates
    ]


def alternates_from_json(data: Any) -> tuple[LanguageVersion, ...]:
    """Inverse of ``alternates_to_json`` (raw JSON text is decoded first)."""
    return tuple(
        LanguageVersion(
            language=str(item["language"]),
            question=str(item["question"]),
            steps=steps_from_json(item.get("steps") or []),
        )
        for item in _stored_list(data)
    )


def extras_to_json(extras: Sequence[CardExtra]) -> list[dict[str, Any]]:
    """The "More" sections as stored: ``[{kind, heading, text, language, line}]``."""
    return [
        {
            "kind": extra.kind,
            "heading": extra.heading,
            "text": extra.text,
            "language": extra.language,
            "line": extra.line,
        }
        for extra in extras
    ]


def extras_from_json(data: Any) -> tuple[CardExtra, ...]:
    """Inverse of ``extras_to_json`` (raw JSON text is decoded first)."""
    return tuple(
        CardExtra(
            kind=str(item["kind"]),
            heading=str(item["heading"]),
            text=str(item["text"]),
            language=str(item.get("language", "")),
            line=int(item.get("line", 0)),
        )
        for item in _stored_list(data)
    )


#: The ``cards`` columns that come from the card file, in the order :func:`file_row`
#: gives their values.
FILE_COLUMNS = (
    "uid",
    "deck_id",
    "title",
    "question",
    "steps",
    "difficulty",
    "aliases",
    "exercises",
    "source",
    "source_path",
    "line",
    "content_hash",
    "kind",
    "note",
    "language",
    "alternates",
    "extras",
    "link_name",
    "search_text",
)

_EMPTY_LIST = json.dumps([])


def card_values(card: Card, deck_id: int, source_path: str) -> dict[str, Any]:
    """The ``cards`` columns that come from the card file, JSON columns as the lists
    SQLAlchemy encodes (for an ``UPDATE``). A card that does not know the name of its file
    (a format that does not set ``link_name``) is named by its path."""
    values = _file_values(card, deck_id, source_path, steps_to_json, _as_list)
    return dict(zip(FILE_COLUMNS, values, strict=True))


def file_row(card: Card, deck_id: int, source_path: str) -> tuple[Any, ...]:
    """:func:`card_values` as a row in :data:`FILE_COLUMNS`' order, with the JSON columns
    already encoded (the text ``json.dumps`` gives, as SQLAlchemy would store them): how a
    new card is inserted. An import writes 10,000 of these at a time, and building them
    this way, with the steps encoded by :func:`steps_text`, is half the work of building
    the dictionaries and having each column converted."""
    return _file_values(card, deck_id, source_path, steps_text, _as_text)


def _file_values(
    card: Card,
    deck_id: int,
    source_path: str,
    encode_steps: Callable[[Sequence[Step]], Any],
    encode_list: Callable[[Sequence[Any], Callable[[Any], list[Any]]], Any],
) -> tuple[Any, ...]:
    """The values of :data:`FILE_COLUMNS`, in order, each JSON column through the
    encoders given (its items and how they become a JSON-ready list)."""
    name = card.link_name or link_name(card.source)
    return (
        card.id,
        deck_id,
        card.title,
        card.question,
        encode_steps(card.steps),
        card.difficulty,
        encode_list(card.aliases, list),
        encode_list(card.exercises, exercises_to_json),
        card.source,
        source_path,
        card.line,
        card.content_hash,
        str(card.kind),
        card.note,
        card.language,
        encode_list(card.alternates, alternates_to_json),
        encode_list(card.extras, extras_to_json),
        name,
        search_text(card, name),
    )


def _as_list(items: Sequence[Any], convert: Callable[[Any], list[Any]]) -> list[Any]:
    return convert(items)


def _as_text(items: Sequence[Any], convert: Callable[[Any], list[Any]]) -> str:
    return json.dumps(convert(items)) if items else _EMPTY_LIST


def steps_text(steps: Sequence[Step]) -> str:
    """``json.dumps(steps_to_json(steps))``, the same text, written directly: the steps
    are most of a card's stored bytes, and this is half the time of building the lists
    and dictionaries only to encode them."""
    encode = encode_basestring_ascii
    return (
        "["
        + ", ".join(
            [
                '{"path": ['
                + ", ".join(map(encode, step.path))
                + '], "text": '
                + encode(step.text)
                + ', "line": '
                + str(int(step.line))
                + "}"
                for step in steps
            ]
        )
        + "]"
    )


def tag_key(name: str) -> str:
    """How tags are matched: case-insensitively."""
    return name.casefold()


def link_key(text: str) -> str:
    """How a related question is matched to a card's file name, title, id or alias.

    Case-insensitive in every script (``cards/textfold.py``), whitespace-collapsed, with
    ``[[wikilink|label]]`` brackets, labels and ``#heading`` anchors removed, a ``.md``
    ending dropped (``[[note.md]]`` names ``note``) and a trailing question mark ignored.
    """
    value = text.strip()
    if value.startswith("[[") and value.endswith("]]"):
        value = value[2:-2].split("|", 1)[0].split("#", 1)[0]
    value = " ".join(value.split()).rstrip("?").strip()
    if value[-3:].casefold() == ".md" and len(value) > 3:
        value = value[:-3].rstrip()
    return fold(value)
