"""Which cards a study session (or a cram session) draws from.

A filter is plain data so a front end can build it from a form or from CLI flags and the
store can turn it into one SQL condition; an empty filter means the whole collection.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StudyFilter:
    """Cards matching every given criterion.

    ``tags_any``: at least one of these tags. ``tags_all``: every one of these tags.
    ``difficulties``: one of these difficulty labels. ``deck``: this deck or a deck under
    it (``deep-learning`` also matches ``deep-learning/cnn``). ``text``: free text as browse
    matches it (title, question, steps, id, tags, other languages; case-insensitive in
    every script). ``card_pks``: only these cards (by database
    key), as "study these" from a browse query picks them; empty means no such limit.
    """

    tags_any: tuple[str, ...] = ()
    tags_all: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = ()
    deck: str | None = None
    text: str | None = None
    card_pks: tuple[int, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the filter lets every card through."""
        return not (
            self.tags_any
            or self.tags_all
            or self.difficulties
            or self.deck
            or self.text
            or self.card_pks
        )

    def describe(self) -> str:
        """One line for status bars and CLI output."""
        parts = []
        if self.tags_any:
            parts.append("any tag of " + ", ".join(self.tags_any))
        if self.tags_all:
            parts.append("all tags " + ", ".join(self.tags_all))
        if self.difficulties:
            parts.append("difficulty " + "/".join(self.difficulties))
        if self.deck:
            parts.append(f"deck {self.deck}")
        if self.text:
            parts.append(f"text {self.text!r}")
        if self.card_pks:
            count = len(self.card_pks)
            parts.append(f"{count} chosen card" + ("" if count == 1 else "s"))
        return "; ".join(parts) if parts else "all cards"
