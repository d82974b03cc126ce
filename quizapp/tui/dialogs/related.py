"""The related questions of a card; choosing one that links to a card previews it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quizapp.store.records import StoredCard
from quizapp.tui.widgets.math_markdown import line_text


class RelatedDialog(ModalScreen[None]):
    """Lists ``stored``'s related questions; Enter on a linked one opens its preview."""

    HELP_TITLE = "Related questions"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="related.close"),
    ]

    DEFAULT_CSS = """
    RelatedDialog { align: center middle; }
    RelatedDialog > Vertical {
        width: 80%; max-width: 90; height: auto; max-height: 80%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    RelatedDialog OptionList { height: auto; max-height: 16; }
    RelatedDialog #related-hint { color: $text-muted; }
    """

    class Loaded(Message):
        """The linked card to preview was read from the database."""

        def __init__(self, stored: StoredCard | None) -> None:
            super().__init__()
            self.stored = stored

    def __init__(self, stored: StoredCard) -> None:
        super().__init__()
        self.stored = stored

    def compose(self) -> ComposeResult:
        links = self.stored.related_links
        with Vertical() as box:
            box.border_title = "Related questions"
            if not links:
                yield Static(Text("This card lists no related questions."))
            options = []
            for index, link in enumerate(links):
                text = line_text(link.target_title or link.text)
                if link.target_uid is None:
                    text.append("  (no card yet)", style="dim italic")
                options.append(Option(text, id=str(index), disabled=link.target_uid is None))
            yield OptionList(*options)
            yield Static(Text("enter: preview the card · escape: back"), id="related-hint")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        index = int(event.option.id or 0)
        uid = self.stored.related_links[index].target_uid
        if uid:
            self.load(uid)

    @work(thread=True, exclusive=True)
    def load(self, uid: str) -> None:
        """Read the linked card (by its stable id) in a thread."""
        from quizapp.tui.app import QuizApp
        from quizapp.tui.backend import card_by_uid

        app = self.app
        assert isinstance(app, QuizApp) and app.db is not None
        self.post_message(self.Loaded(card_by_uid(app.db, uid)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.stored is None:
            self.notify("That card is no longer in the collection.", severity="warning")
            return
        from quizapp.tui.dialogs.card_preview import CardPreview

        self.app.push_screen(CardPreview(message.stored))
