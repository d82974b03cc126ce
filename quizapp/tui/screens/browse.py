"""Browse: every card in a sortable table, narrowed by an Anki-like query."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from quizapp.tui.literal import visible

if TYPE_CHECKING:
    from quizapp.store.records import StoredCard
    from quizapp.tui.app import QuizApp

#: Column key, heading, and how a card sorts under it.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("title", "title", 28),
    ("deck", "deck", 10),
    ("tags", "tags", 16),
    ("difficulty", "diff", 6),
    ("state", "state", 9),
    ("due", "due", 8),
    ("stability", "stab", 6),
    ("recall", "recall", 6),
    ("reviews", "revs", 4),
    ("lapses", "lapses", 6),
)

_DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}

#: Up to this many cards the table follows every keystroke; above, the query applies on Enter.
LIVE_FILTER_LIMIT = 3000

#: Rows drawn at most: a table of 10,000 rows takes seconds to fill and nobody scrolls it;
#: the status line says when the query matched more ("study these" still takes them all).
MAX_ROWS = 1000


class BrowseScreen(Screen[None]):
    """The collection as a table; the query box filters it, keys act on the selected card."""

    HELP_TITLE = "Browse"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_query", "Query", id="browse.query"),
        Binding("enter", "preview", "Preview", id="browse.preview"),
        Binding("s", "toggle_suspend", "Suspend/unsuspend", id="browse.suspend"),
        Binding("R", "reset", "Reset", id="browse.reset"),
        Binding("S", "study", "Study these", id="browse.study"),
        Binding("o", "sort", "Sort by column", id="browse.sort"),
        Binding("escape", "leave", "Back", id="browse.leave"),
    ]

    DEFAULT_CSS = """
    BrowseScreen #browse-query { margin: 0 1; }
    BrowseScreen #browse-table { height: 1fr; }
    """

    query_text: reactive[str] = reactive("", init=False)
    """The query in the box; the table shows only the cards it matches."""

    class Loaded(Message):
        """Every card was read from the database (with their retrievability now)."""

        def __init__(self, cards: list[StoredCard], recall: dict[int, float | None]) -> None:
            super().__init__()
            self.cards = cards
            self.recall = recall

    class Changed(Message):
        """An action on cards finished; ``note`` says what happened."""

        def __init__(self, note: str) -> None:
            super().__init__()
            self.note = note

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.cards: list[StoredCard] = []
        self.recall: dict[int, float | None] = {}
        self.shown: list[StoredCard] = []
        self.sort_key = "title"
        self.sort_reverse = False

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        from quizapp.tui.app import QuizApp

        assert isinstance(self.app, QuizApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Input(
            value=self.initial_query,
            placeholder='query: tag:backprop difficulty:hard is:due -tag:x "free text"',
            id="browse-query",
        )
        table: DataTable[Text] = DataTable(id="browse-table", cursor_type="row", zebra_stripes=True)
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table
        yield Static("Loading cards…", id="status-line")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="browse", name="load cards")
    def load(self) -> None:
        """Read every card and its retrievability now."""
        from quizapp.tui.backend import all_cards, retrievabilities

        db = self.quiz.db
        assert db is not None
        cards = all_cards(db)
        self.post_message(self.Loaded(cards, retrievabilities(db, cards, self.quiz.clock())))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.cards = message.cards
        self.recall = message.recall
        self.query_text = self.query_one("#browse-query", Input).value
        self._refill()

    @on(Input.Changed, "#browse-query")
    def _typed(self, event: Input.Changed) -> None:
        if len(self.cards) <= LIVE_FILTER_LIMIT:
            self.query_text = event.value

    @on(Input.Submitted, "#browse-query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value
        self.query_one(DataTable).focus()

    def watch_query_text(self) -> None:
        self._refill()

    def _sort_value(self, stored: StoredCard) -> Any:
        card, memory = stored.card, stored.memory
        key = self.sort_key
        values: dict[str, Any] = {
            "title": card.title.casefold(),
            "deck": card.deck.casefold(),
            "tags": ",".join(card.tags).casefold(),
            "difficulty": _DIFFICULTY_ORDER.get(card.difficulty or "", 3),
            "state": memory.display_state,
            "due": memory.due,
            "stability": memory.stability or 0.0,
            "recall": self.recall.get(stored.pk) or 0.0,
            "reviews": memory.reps,
            "lapses": memory.lapses,
        }
        return values[key]

    def _refill(self) -> None:
        from quizapp.services.query import QueryError, parse_query

        status = self.query_one("#status-line", Static)
        try:
            query = parse_query(self.query_text)
        except QueryError as exc:
            status.update(Text(str(exc), style="bold red"))
            return
        now = self.quiz.clock()
        shown = query.filter(self.cards, now)
        shown.sort(key=self._sort_value, reverse=self.sort_reverse)
        self.shown = shown
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(self._cells(stored, now) for stored in shown[:MAX_ROWS])
        order = "descending" if self.sort_reverse else "ascending"
        drawn = f" (first {MAX_ROWS} shown)" if len(shown) > MAX_ROWS else ""
        status.update(
            Text(
                f"{len(shown)} of {len(self.cards)} cards{drawn} · sorted by {self.sort_key} "
                f"({order}) · / query · enter preview · s suspend · R reset · S study these"
            )
        )

    def _cells(self, stored: StoredCard, now: datetime) -> list[Text]:
        card, memory = stored.card, stored.memory
        state = "suspended" if stored.suspended else memory.display_state
        if stored.missing:
            state = "missing"
        recall = self.recall.get(stored.pk)
        due = "—" if memory.is_new else _relative(memory.due, now)
        return [
            Text(visible(card.title), no_wrap=True, overflow="ellipsis"),
            Text(visible(card.deck)),
            Text(visible(" ".join(card.tags)), no_wrap=True, overflow="ellipsis"),
            Text(card.difficulty or "—"),
            Text(state),
            Text(due, justify="right"),
            Text("—" if memory.stability is None else f"{memory.stability:.1f}d", justify="right"),
            Text("—" if recall is None else f"{recall:.0%}", justify="right"),
            Text(str(memory.reps), justify="right"),
            Text(str(memory.lapses), justify="right"),
        ]

    # ----------------------------------------------------------------- actions

    def _selected(self) -> StoredCard | None:
        table = self.query_one(DataTable)
        if not self.shown or not 0 <= table.cursor_row < min(len(self.shown), MAX_ROWS):
            return None
        return self.shown[table.cursor_row]

    def action_focus_query(self) -> None:
        """Type a query."""
        self.query_one("#browse-query", Input).focus()

    def action_leave(self) -> None:
        """Back to home (escape in the query box returns to the table first)."""
        if self.focused is self.query_one("#browse-query", Input):
            self.query_one(DataTable).focus()
            return
        self.dismiss()

    def action_preview(self) -> None:
        """Show the selected card with every step."""
        stored = self._selected()
        if stored is None:
            return
        from quizapp.tui.dialogs.card_preview import CardPreview

        self.app.push_screen(CardPreview(stored))

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_preview()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        self.sort_reverse = not self.sort_reverse if key == self.sort_key else False
        self.sort_key = key
        self._refill()

    def action_sort(self) -> None:
        """Sort by the column under the cursor (again: reverse)."""
        table = self.query_one(DataTable)
        key = COLUMNS[max(table.cursor_column, 0)][0]
        self.sort_reverse = not self.sort_reverse if key == self.sort_key else False
        self.sort_key = key
        self._refill()

    def action_toggle_suspend(self) -> None:
        """Suspend the selected card, or unsuspend it."""
        stored = self._selected()
        if stored is not None:
            self._change("suspend", stored.pk, not stored.suspended)

    def action_reset(self) -> None:
        """Forget the selected card's schedule (it becomes new; its history is kept)."""
        stored = self._selected()
        if stored is None:
            return
        from quizapp.tui.dialogs.confirm import ConfirmDialog

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._change("reset", stored.pk, True)

        self.app.push_screen(
            ConfirmDialog(f"Reset the schedule of {visible(stored.card.title)!r}?"), confirmed
        )

    @work(thread=True, exclusive=True, group="browse-change")
    def _change(self, what: str, pk: int, flag: bool) -> None:
        from quizapp.tui.backend import reset_card, set_suspended

        db = self.quiz.db
        assert db is not None
        try:
            if what == "suspend":
                set_suspended(db, [pk], flag)
                note = "Suspended." if flag else "Unsuspended."
            else:
                reset_card(db, pk, self.quiz.clock())
                note = "Reset: the card is new again."
        except ValueError as exc:
            note = f"Not done: {exc}"
        self.post_message(self.Changed(note))

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        failed = message.note.startswith("Not done")
        self.notify(message.note, severity="error" if failed else "information", markup=False)
        self.load()

    def action_study(self) -> None:
        """Cram exactly the cards the query shows."""
        if not self.shown:
            self.notify("No cards match the query.", severity="warning")
            return
        from quizapp.tui.session_request import SessionRequest

        pks = tuple(stored.pk for stored in self.shown)
        self.quiz.start_session(SessionRequest(cram=True, card_pks=pks))


def _relative(due: datetime, now: datetime) -> str:
    """"now", "in 3d" or "2d ago" for the due column."""
    from quizapp.scheduling.previews import format_interval

    delta = due - now
    if abs(delta.total_seconds()) < 60:
        return "now"
    if delta.total_seconds() > 0:
        return f"in {format_interval(delta)}"
    return f"{format_interval(-delta)} ago"
