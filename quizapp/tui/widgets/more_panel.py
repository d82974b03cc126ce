"""The "More" panel: a card's follow-ups, references, links and the like.

A note's sections that are about the card rather than its answer (``Card.extras``:
Follow-ups, References, See also, Sources, Further reading, Links, in any language of
``cards/languages.py``) are no derivation steps: revealing them one by one would make
every card ten steps long. The card view shows them together in this panel, under the
answer, each under its heading as written.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from quizapp.cards import wikilinks
from quizapp.cards.display_markdown import tidy
from quizapp.cards.model import CardExtra
from quizapp.tui.literal import visible
from quizapp.tui.widgets.math_markdown import MathMarkdown


class MorePanel(Vertical):
    """A titled panel holding ``extras``, each a heading and its Markdown."""

    DEFAULT_CSS = """
    MorePanel {
        height: auto;
        border: round $secondary 70%;
        border-title-color: $text-secondary;
        border-title-style: bold;
        padding: 0 0;
        margin: 0 0 1 0;
    }
    MorePanel > .more-heading { padding: 0 1; color: $text-secondary; text-style: bold; }
    MorePanel > MathMarkdown { margin: 0 0 1 0; }
    MorePanel > MathMarkdown:last-child { margin: 0; }
    MorePanel > MathMarkdown > *:last-child { margin-bottom: 0; }
    """

    def __init__(self, extras: tuple[CardExtra, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.extras = extras
        self.border_title = "More"

    def compose(self) -> ComposeResult:
        for extra in self.extras:
            heading = wikilinks.plain(extra.heading)
            yield Static(Text(visible(heading)), classes="more-heading")
            yield MathMarkdown(visible(tidy(extra.text)))
