"""Building ``Card`` objects for store tests without going through the parser."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from quizapp.cards.model import Card, Step

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
) -> Card:
    """A small card whose content hash covers everything given."""
    title = title or uid.replace("-", " ").title()
    steps = (Step(("Overview",), text, line + 4), Step(("Detail", "More"), text + "!", line + 6))
    digest = hashlib.sha256(
        repr((uid, title, text, tags, difficulty, related, deck, aliases)).encode()
    ).hexdigest()
    return Card(
        id=uid,
        title=title,
        question=f"What is {title}?",
        steps=steps,
        tags=tags,
        difficulty=difficulty,
        related=related,
        deck=deck,
        aliases=aliases,
        source=f"{uid}.md",
        line=line,
        content_hash=digest,
    )
