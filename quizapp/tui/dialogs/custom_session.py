"""The custom session dialog: choose tags, difficulties, deck, text, cram and a limit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import Integer
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    Switch,
)

from quizapp.scheduling.filters import StudyFilter
from quizapp.tui.literal import visible
from quizapp.tui.session_request import SessionRequest

DIFFICULTIES = ("easy", "medium", "hard")


class CustomSessionDialog(ModalScreen[SessionRequest | None]):
    """Builds a ``SessionRequest``; dismissed with None when cancelled."""

    HELP_TITLE = "Custom session"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="custom.cancel"),
        Binding("ctrl+s", "start", "Start", id="custom.start"),
    ]

    DEFAULT_CSS = """
    CustomSessionDialog { align: center middle; }
    CustomSessionDialog > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    CustomSessionDialog Label { margin: 1 0 0 0; text-style: bold; }
    CustomSessionDialog SelectionList { height: auto; max-height: 8; }
    CustomSessionDialog RadioSet { layout: horizontal; height: auto; width: auto; }
    CustomSessionDialog .row { height: auto; width: 100%; }
    CustomSessionDialog .row > Checkbox { width: auto; }
    CustomSessionDialog .row > Static { width: 1fr; padding: 1 1; }
    CustomSessionDialog #text, CustomSessionDialog #limit { width: 1fr; }
    CustomSessionDialog #buttons { height: auto; margin: 1 0 0 0; align: right middle; }
    CustomSessionDialog #buttons > Button { margin: 0 0 0 1; }
    """

    def __init__(self, tags: Sequence[tuple[str, int]], decks: Sequence[str]) -> None:
        super().__init__()
        self.tags = list(tags)
        self.decks = list(decks)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Custom session"
            yield Label("Tags")
            yield SelectionList[str](
                *[(Text(f"{visible(tag)} ({count})"), tag) for tag, count in self.tags],
                id="tags",
            )
            with RadioSet(id="tag-mode"):
                yield RadioButton("any of these tags", value=True, id="tags-any")
                yield RadioButton("all of these tags", id="tags-all")
            yield Label("Difficulty")
            with Horizontal(classes="row"):
                for level in DIFFICULTIES:
                    yield Checkbox(level, id=f"difficulty-{level}")
            yield Label("Deck and text")
            with Horizontal(classes="row"):
                yield Select[str](
                    [(Text(visible(deck)), deck) for deck in self.decks],
                    prompt="any deck",
                    id="deck",
                )
                yield Input(placeholder="text in title or question", id="text")
            yield Label("Mode")
            with Horizontal(classes="row"):
                yield Switch(value=False, id="cram")
                yield Static("cram: practise without rescheduling (off: due cards only)")
            with Horizontal(classes="row"):
                yield Input(
                    placeholder="card limit (empty: no limit)",
                    validators=[Integer(minimum=1)],
                    id="limit",
                    type="integer",
                )
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Start", variant="primary", id="start")

    def request(self) -> SessionRequest | None:
        """The session described by the form, or None when the limit is invalid."""
        tags = tuple(self.query_one("#tags", SelectionList).selected)
        all_mode = self.query_one("#tags-all", RadioButton).value
        difficulties = tuple(
            level
            for level in DIFFICULTIES
            if self.query_one(f"#difficulty-{level}", Checkbox).value
        )
        deck_value = self.query_one("#deck", Select).value
        deck = deck_value if isinstance(deck_value, str) else None
        text = self.query_one("#text", Input).value.strip() or None
        limit_text = self.query_one("#limit", Input).value.strip()
        if limit_text and not (limit_text.isdigit() and int(limit_text) > 0):
            return None
        study_filter = StudyFilter(
            tags_any=() if all_mode else tags,
            tags_all=tags if all_mode else (),
            difficulties=difficulties,
            deck=deck,
            text=text,
        )
        return SessionRequest(
            filter=study_filter,
            cram=self.query_one("#cram", Switch).value,
            limit=int(limit_text) if limit_text else None,
        )

    def action_start(self) -> None:
        """Start the session described by the form."""
        request = self.request()
        if request is None:
            self.notify("The card limit must be a whole number above 0.", severity="error")
            self.query_one("#limit", Input).focus()
            return
        self.dismiss(request)

    def action_cancel(self) -> None:
        """Close without starting anything."""
        self.dismiss(None)

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_start()
