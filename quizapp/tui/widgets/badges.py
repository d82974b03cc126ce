"""A row of small labels: a card's deck, difficulty, kind (unless basic), the languages
it is written in (when more than one) and tags."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from quizapp.cards.kinds import KIND_LABELS
from quizapp.cards.model import Card, CardKind
from quizapp.tui.literal import visible


def badge_text(card: Card, state: str | None = None) -> Text:
    """The badges of ``card`` as one literal ``Text`` (deck, difficulty, kind, languages,
    state, tags); a basic card's kind goes without saying, and so does the language of a
    card written in one. The language shown comes first: ``EN·ru``."""
    text = Text()
    parts: list[tuple[str, str]] = [(card.deck, "bold reverse")]
    if card.difficulty:
        colour = {"easy": "green", "medium": "yellow", "hard": "red"}.get(card.difficulty, "")
        parts.append((card.difficulty, f"bold {colour}".strip()))
    if card.kind is not CardKind.BASIC:
        parts.append((KIND_LABELS[card.kind], "bold magenta"))
    if card.alternates and card.language:
        others = "·".join(alternate.language for alternate in card.alternates)
        parts.append((f"{card.language.upper()}·{others}", "bold cyan"))
    if state:
        parts.append((state, "italic"))
    parts.extend((f"#{tag}", "dim") for tag in card.tags)
    for index, (label, style) in enumerate(parts):
        if index:
            text.append(" ")
        text.append(f" {visible(label)} ", style=style)
    return text


class Badges(Static):
    """The deck, difficulty, state and tags of the card on screen."""

    DEFAULT_CSS = """
    Badges { height: auto; padding: 0 1; }
    """

    def show(self, card: Card, state: str | None = None) -> None:
        """Show the badges of ``card``."""
        self.update(badge_text(card, state))
