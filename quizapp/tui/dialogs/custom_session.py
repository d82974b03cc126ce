"""The custom session dialog: choose tags, difficulties, deck, text, cram, formula recall
and a limit.

It opens on the tag list; typing there filters the tags (the filter box takes the
keys), and the line under the form counts, as the form changes, the cards the filters
match and how many the session would show (due ones, or all of them when cramming),
read in a worker. A session that would be empty is not started: the dialog stays open
with its count at 0 and says why. Start (ctrl+s) and Cancel (escape) are in the footer
and stay on screen, with the buttons, however short the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
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
from quizapp.text import plural
from quizapp.tui.literal import visible
from quizapp.tui.session_request import SessionRequest
from quizapp.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from quizapp.services.session_size import SessionSize

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
    CustomSessionDialog > #dialog {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    CustomSessionDialog #form { height: auto; }
    CustomSessionDialog #actions { dock: bottom; height: auto; }
    CustomSessionDialog Label { margin: 1 0 0 0; text-style: bold; }
    CustomSessionDialog .row { margin: 0 0 0 1; }
    CustomSessionDialog .row > Checkbox { margin: 0 2 0 0; }
    CustomSessionDialog #tag-mode { margin: 0 0 0 1; }
    CustomSessionDialog #deck { width: 1fr; margin: 0 1 0 0; }
    CustomSessionDialog #tag-filter { margin: 0 0 0 0; }
    CustomSessionDialog SelectionList { height: auto; max-height: 8; }
    CustomSessionDialog RadioSet { layout: horizontal; height: auto; width: auto; }
    CustomSessionDialog .row { height: auto; width: 100%; }
    CustomSessionDialog .row > Checkbox { width: auto; }
    CustomSessionDialog .row > Static { width: 1fr; padding: 0 1; }
    CustomSessionDialog #text, CustomSessionDialog #limit { width: 1fr; }
    CustomSessionDialog #count { height: auto; margin: 1 0 0 0; }
    CustomSessionDialog #limit { margin: 1 0 0 0; }
    CustomSessionDialog #count.-empty { color: $error; text-style: bold; }
    CustomSessionDialog #buttons { height: auto; align: right middle; }
    CustomSessionDialog #buttons > Button { margin: 0 0 0 1; }
    """

    def __init__(self, tags: Sequence[tuple[str, int]], decks: Sequence[str]) -> None:
        super().__init__()
        self.tags = list(tags)
        self.decks = list(decks)
        self._hidden_chosen: set[str] = set()
        """Chosen tags the tag filter now hides (kept chosen)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Custom session"
            with VerticalScroll(id="form"):
                yield Label("Tags", id="tags-label")
                yield Input(
                    placeholder="type to filter the tags",
                    id="tag-filter",
                    compact=True,
                    select_on_focus=False,
                )
                yield SelectionList[str](*self._tag_options(""), id="tags")
                with RadioSet(id="tag-mode", compact=True):
                    yield RadioButton("any of these tags", value=True, id="tags-any", compact=True)
                    yield RadioButton("all of these tags", id="tags-all", compact=True)
                yield Label("Difficulty")
                with Horizontal(classes="row"):
                    for level in DIFFICULTIES:
                        yield Checkbox(level, id=f"difficulty-{level}", compact=True)
                yield Label("Deck and text")
                with Horizontal(classes="row"):
                    yield Select[str](
                        [(Text(visible(deck)), deck) for deck in self.decks],
                        prompt="any deck",
                        id="deck",
                        compact=True,
                    )
                    yield Input(placeholder="text in title or question", id="text", compact=True)
                yield Label("Mode")
                with Horizontal(classes="row"):
                    yield Switch(value=False, id="cram")
                    yield Static("cram: practise without rescheduling (off: due cards only)")
                with Horizontal(classes="row"):
                    yield Switch(value=False, id="formula-recall")
                    yield Static("formula recall: each card opens its formula drills")
                with Horizontal(classes="row"):
                    yield Input(
                        placeholder="card limit (empty: no limit)",
                        validators=[Integer(minimum=1)],
                        id="limit",
                        type="integer",
                        compact=True,
                    )
            with Vertical(id="actions"):
                yield Static(Text("Counting…", style="dim"), id="count")
                with Horizontal(id="buttons"):
                    yield Button("Cancel", id="cancel")
                    yield Button("Start", variant="primary", id="start")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#tags", SelectionList).focus()
        self.recount()

    # ----------------------------------------------------------------- tags

    def _tag_options(self, needle: str) -> list[tuple[Text, str, bool]]:
        wanted = needle.strip().casefold()
        chosen = self.chosen_tags() if self.is_mounted else set()
        return [
            (Text(f"{visible(tag)} ({count})"), tag, tag in chosen)
            for tag, count in self.tags
            if wanted in tag.casefold()
        ]

    def chosen_tags(self) -> set[str]:
        """The tags chosen, those the filter hides included."""
        return self._hidden_chosen | set(self.query_one("#tags", SelectionList).selected)

    @on(Input.Changed, "#tag-filter")
    def _filter_tags(self, event: Input.Changed) -> None:
        tags = self.query_one("#tags", SelectionList)
        chosen = self.chosen_tags()
        options = self._tag_options(event.value)
        shown = {value for _, value, _ in options}
        self._hidden_chosen = chosen - shown
        tags.clear_options()
        tags.add_options([(label, value, value in chosen) for label, value, _ in options])
        self._label_tags()

    def _label_tags(self) -> None:
        chosen = len(self.chosen_tags())
        hidden = len(self._hidden_chosen)
        text = "Tags" + (f" ({chosen} chosen" if chosen else "")
        text += f", {hidden} hidden by the filter)" if hidden else (")" if chosen else "")
        self.query_one("#tags-label", Label).update(text)

    def on_key(self, event: events.Key) -> None:
        """Typing on the tag list filters it: the filter box takes the keys."""
        tags = self.query_one("#tags", SelectionList)
        char = event.character or ""
        # Only what a tag can hold: other keys (space to choose, ? for help) stay keys.
        if not tags.has_focus or len(char) != 1 or not (char.isalnum() or char in "-_/."):
            return
        box = self.query_one("#tag-filter", Input)
        box.focus()
        box.insert_text_at_cursor(char)
        event.stop()
        event.prevent_default()

    # ----------------------------------------------------------------- the count

    @on(SelectionList.SelectedChanged)
    @on(Checkbox.Changed)
    @on(RadioSet.Changed)
    @on(Select.Changed)
    @on(Switch.Changed)
    @on(Input.Changed, "#text")
    def _form_changed(self) -> None:
        self._label_tags()
        self.recount()

    def recount(self) -> None:
        """Count the cards the form selects, in a worker (the latest form wins)."""
        self._count(self.request_filter())

    @work(thread=True, exclusive=True, group="custom-count", name="count session")
    def _count(self, study_filter: StudyFilter) -> None:
        from quizapp.services.session_size import session_size
        from quizapp.tui.app import QuizApp

        app = self.app
        if not isinstance(app, QuizApp) or app.db is None:
            return
        size = session_size(app.db, study_filter, clock=app.clock, zone=app.zone)
        self.app.call_from_thread(self._show_count, study_filter, size)

    def _show_count(self, study_filter: StudyFilter, size: SessionSize) -> None:
        if study_filter != self.request_filter():
            return  # the form changed since: its own count is on the way
        cram = self.query_one("#cram", Switch).value
        line = self.query_one("#count", Static)
        line.set_class(size.for_session(cram) == 0, "-empty")
        line.update(Text(count_line(size, cram)))

    # ----------------------------------------------------------------- the request

    def request_filter(self) -> StudyFilter:
        """The filter the form describes."""
        tags = tuple(tag for tag, _ in self.tags if tag in self.chosen_tags())
        all_mode = self.query_one("#tags-all", RadioButton).value
        difficulties = tuple(
            level
            for level in DIFFICULTIES
            if self.query_one(f"#difficulty-{level}", Checkbox).value
        )
        deck_value = self.query_one("#deck", Select).value
        deck = deck_value if isinstance(deck_value, str) else None
        text = self.query_one("#text", Input).value.strip() or None
        return StudyFilter(
            tags_any=() if all_mode else tags,
            tags_all=tags if all_mode else (),
            difficulties=difficulties,
            deck=deck,
            text=text,
        )

    def request(self) -> SessionRequest | None:
        """The session described by the form, or None when the limit is invalid."""
        limit_text = self.query_one("#limit", Input).value.strip()
        if limit_text and not (limit_text.isdigit() and int(limit_text) > 0):
            return None
        return SessionRequest(
            filter=self.request_filter(),
            cram=self.query_one("#cram", Switch).value,
            limit=int(limit_text) if limit_text else None,
            formula_recall=self.query_one("#formula-recall", Switch).value,
        )

    def action_start(self) -> None:
        """Start the session described by the form, unless it would be empty."""
        request = self.request()
        if request is None:
            self.notify("The card limit must be a whole number above 0.", severity="error")
            self.query_one("#limit", Input).focus()
            return
        self._start(request)

    @work(thread=True, exclusive=True, group="custom-count", name="start session")
    def _start(self, request: SessionRequest) -> None:
        """Count once more (the form may have changed since the last count), then start,
        or stay open saying why not."""
        from quizapp.services.session_size import session_size
        from quizapp.tui.app import QuizApp

        app = self.app
        if not isinstance(app, QuizApp) or app.db is None:
            return
        size = session_size(app.db, request.filter, clock=app.clock, zone=app.zone)
        self.app.call_from_thread(self._started, request, size)

    def _started(self, request: SessionRequest, size: SessionSize) -> None:
        self._show_count(request.filter, size)
        if size.for_session(request.cram):
            self.dismiss(request)
            return
        if size.available and not request.cram:
            why = "Nothing is due among these cards: switch on cram to practise them."
        else:
            why = "No cards match these filters: the session would be empty."
        self.notify(why, severity="warning")

    def action_cancel(self) -> None:
        """Close without starting anything."""
        self.dismiss(None)

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "tag-filter":
            self.query_one("#tags", SelectionList).focus()  # back to the list to choose
            return
        self.action_start()


def count_line(size: SessionSize, cram: bool) -> str:
    """ "12 cards match · 3 due now", "12 cards match · cram practises 12", or why the
    session would be empty."""
    if size.matching == 0:
        return "No cards match these filters (0 cards)."
    parts = [f"{plural(size.matching, 'card')} match"]
    if size.available < size.matching:
        parts.append(f"{size.matching - size.available} suspended or buried")
    if cram:
        parts.append(f"cram practises {size.available}")
    else:
        parts.append(f"{size.due} due now" + ("" if size.due else " (cram to practise them)"))
    return " · ".join(parts)
