"""Building ``Card`` objects for store tests without going through the parser."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from quizapp.cards.model import Card, CardKind, Step

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def make_card(
    uid: str,
    *,
    title: str | None = None,
    text: str = "Some answer.",
    tags: tuple[str, ...] = (),
    difficulty: str | None = "medium",
    related: tuple[str, ...] = (),
    deck: str = "default",
    aliases: tuple[str, ...] = (),
    line: int = 1,
    kind: CardKind = CardKind.BASIC,
    note: str = "",
    question: str | None = None,
) -> Card:
    """A small card whose content hash covers everything given (a basic card alone hashes
    as it did before cards had kinds)."""
    title = title or uid.replace("-", " ").title()
    steps = (Step(("Overview",), text, line + 4), Step(("Detail", "More"), text + "!", line + 6))
    hashed: tuple[object, ...] = (uid, title, text, tags, difficulty, related, deck, aliases)
    if kind != CardKind.BASIC or note or question is not None:
        hashed = (*hashed, str(kind), note, question)
    digest = hashlib.sha256(repr(hashed).encode()).hexdigest()
    return Card(
        id=uid,
        title=title,
        question=f"What is {title}?" if question is None else question,
        steps=steps,
        tags=tags,
        difficulty=difficulty,
        related=related,
        deck=deck,
        aliases=aliases,
        source=f"{uid}.md",
        line=line,
        content_hash=digest,
        kind=kind,
        note=note,
    )
