"""Finding a card's live exercise, and storing attempts, for the review and exercise screens.

``builtin_for`` only reads the YAML ``tags`` of the built-in exercises, so asking whether a
card has an exercise never loads NumPy; ``spec_for`` parses the real spec (and loads the
engine) only when the exercise screen opens.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.cards.model import Card
    from quizapp.exercises import ExerciseSpec
    from quizapp.store.records import StoredCard


def builtin_folder() -> Path:
    """Where the bundled built-in exercises live (source tree or installed package)."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_content" / "exercises", package.parent / "content" / "exercises"):
        if candidate.is_dir():
            return candidate
    return package.parent / "content" / "exercises"


@lru_cache(maxsize=1)
def _builtin_tags() -> tuple[tuple[Path, frozenset[str]], ...]:
    import yaml

    found: list[tuple[Path, frozenset[str]]] = []
    for path in sorted(builtin_folder().glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        tags = data.get("tags", []) if isinstance(data, dict) else []
        if isinstance(tags, list):
            found.append((path, frozenset(str(tag).strip().casefold() for tag in tags)))
    return tuple(found)


def builtin_for(card: Card) -> Path | None:
    """The built-in exercise file sharing the most tags with ``card``, or None."""
    wanted = {tag.strip().casefold() for tag in card.tags}
    best: Path | None = None
    best_count = 0
    for path, tags in _builtin_tags():
        count = len(wanted & tags)
        if count > best_count:
            best, best_count = path, count
    return best


def spec_for(stored: StoredCard) -> ExerciseSpec | None:
    """The card's own first exercise, or else its matching built-in one (parsed)."""
    from quizapp.exercises import parse_spec

    card = stored.card
    if card.exercises:
        block = card.exercises[0]
        return parse_spec(block.yaml, line=block.line, source=stored.source_path or card.source)
    path = builtin_for(card)
    if path is None:
        return None
    return parse_spec(path.read_text(encoding="utf-8"), line=1, source=str(path))
