"""A read-only look at one card, with every step shown (browse's Enter, related links)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen

from quizapp.store.records import StoredCard
from quizapp.tui.widgets.card_view import REVEAL_ALL, CardView
from quizapp.tui.widgets.key_footer import KeyFooter


class CardPreview(ModalScreen[None]):
    """Shows ``stored`` fully revealed; nothing is scheduled from here."""

    HELP_TITLE = "Card preview"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="preview.close"),
    ]

    DEFAULT_CSS = """
    CardPreview { align: center middle; }
    CardPreview > Vertical {
        width: 95%; height: 95%; border: round $primary; background: $surface;
    }
    """

    def __init__(self, stored: StoredCard) -> None:
        super().__init__()
        self.stored = stored

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Preview"
            yield CardView()
        yield KeyFooter()

    async def on_mount(self) -> None:
        view = self.query_one(CardView)
        stored = self.stored
        await view.show_card(stored.card, stored.memory.display_state, REVEAL_ALL)
        view.focus()
