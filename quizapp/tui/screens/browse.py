"""Browse: every card in a sortable table, narrowed by an Anki-like query.

The table names each card's kind (basic, cloze, reversed, q-only for question only;
``kind:cloze`` in the query keeps one kind), and shows a cloze's title with its gaps filled in.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from quizapp.cards.kinds import KIND_SHORT_LABELS, display_title
from quizapp.text import plural
from quizapp.tui.literal import visible
from quizapp.tui.widgets.card_table import CardTable
from quizapp.tui.widgets.key_footer import KeyFooter
from quizapp.tui.widgets.math_markdown import line_text

if TYPE_CHECKING:
    from quizapp.services.query import BrowsePage, CardQuery
    from quizapp.store.records import StoredCard
    from quizapp.tui.app import QuizApp

#: The query the search box suggests; it finds cards in the bundled deck (a test checks).
EXAMPLE_QUERY = "tag:attention diff:hard softmax"

#: Rows read per page: the first page is what the learner waits for; more come on demand
#: (the cursor reaching the last row, or ``m``).
PAGE_SIZE = 100


class BrowseScreen(Screen[None]):
    """The collection as a table; the query box filters it, keys act on the selected card."""

    HELP_TITLE = "Browse"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_query", "Query", id="browse.query"),
        Binding("enter", "preview", "Preview", id="browse.preview"),
        Binding("s", "toggle_suspend", "Suspend", id="browse.suspend"),
        Binding("R", "reset", "Reset", id="browse.reset"),
        Binding("S", "study", "Cram", id="browse.study"),
        Binding("o", "sort", "Sort", id="browse.sort"),
        Binding("m", "more", "More rows", id="browse.more", show=False),
        # A priority binding, so that it wins over the query box's own (idle) ↓ and shows
        # in the footer there; check_action leaves ↓ to the table everywhere else.
        Binding("down", "to_table", "Rows", id="browse.rows", key_display="↓", priority=True),
        Binding("escape", "leave", "Back", id="browse.leave"),
    ]

    DEFAULT_CSS = """
    BrowseScreen #browse-query { margin: 0 1; }
    BrowseScreen #browse-table { height: 1fr; }
    BrowseScreen #browse-card { height: 2; padding: 0 1; color: $text-muted; }
    """

    query_text: reactive[str] = reactive("", init=False)
    """The query in the box; the table shows only the cards it matches."""

    class Loaded(Message):
        """A page of matching cards was read (with their retrievability now)."""

        def __init__(self, page: BrowsePage, offset: int, query: str) -> None:
            super().__init__()
            self.page = page
            self.offset = offset
            self.query = query

    class Changed(Message):
        """An action on cards finished; ``note`` says what happened."""

        def __init__(self, note: str) -> None:
            super().__init__()
            self.note = note

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.recall: dict[int, float | None] = {}
        self.shown: list[StoredCard] = []
        self.total = 0
        self.loading = False

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        from quizapp.tui.app import QuizApp

        assert isinstance(self.app, QuizApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Input(
            value=self.initial_query,
            placeholder=f"search, e.g. {EXAMPLE_QUERY} · is:due kind:cloze -tag:x",
            id="browse-query",
        )
        yield CardTable(id="browse-table")
        yield Static("", id="browse-card", markup=False)
        yield Static("Loading cards…", id="status-line")
        yield KeyFooter()

    def on_mount(self) -> None:
        # Typing searches at once, as in Anki's browser: with the table focused, a query
        # typed straight away ran its letters as the table's keys (s suspends a card).
        # A query given on the way in (a deck or tag picked at home) has its rows to
        # look at, so the table takes the keys then.
        if self.initial_query:
            self.query_one(DataTable).focus()
        else:
            self.query_one("#browse-query", Input).focus()
        self.query_text = self.query_one("#browse-query", Input).value
        self.load()

    def load(self, offset: int = 0) -> None:
        """Read the page of matching cards starting at ``offset`` (0: start over)."""
        from quizapp.services.query import QueryError, parse_query

        try:
            query = parse_query(self.query_text)
        except QueryError as exc:
            self.query_one("#status-line", Static).update(Text(str(exc), style="bold red"))
            return
        self.loading = True
        table = self.query_one(CardTable)
        self._load_page(query, offset, self.query_text, table.sort_key, table.sort_reverse)

    @work(thread=True, exclusive=True, group="browse", name="load cards")
    def _load_page(
        self, query: CardQuery, offset: int, text: str, order: str, descending: bool
    ) -> None:
        from quizapp.services.query import browse_page

        db = self.quiz.db
        assert db is not None
        page = browse_page(
            db,
            query,
            now=self.quiz.clock(),
            order=order,
            descending=descending,
            limit=PAGE_SIZE,
            offset=offset,
        )
        self.post_message(self.Loaded(page, offset, text))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.loading = False
        if message.query != self.query_text:
            return
        table = self.query_one(CardTable)
        if message.offset == 0:
            self.shown, self.recall = [], {}
        elif message.offset != len(self.shown):
            return
        page = message.page
        self.total = page.total
        self.recall.update(page.recall)
        self.shown.extend(page.cards)
        now = self.quiz.clock()
        rows = [self._cells(stored, now) for stored in page.cards]
        table.set_rows(rows, replace=message.offset == 0)
        self._status()
        self._show_card_line()

    def _status(self) -> None:
        table = self.query_one(CardTable)
        arrow = "▼" if table.sort_reverse else "▲"
        more = f" ({len(self.shown)} shown, m for more)" if self.total > len(self.shown) else ""
        self.query_one("#status-line", Static).update(
            Text(
                f"{plural(self.total, 'card')} match{more} · by {table.sort_key} {arrow}"
                " · ←→ column, o sort",
                no_wrap=True,
                overflow="ellipsis",
            )
        )

    @on(Input.Changed, "#browse-query")
    def _typed(self, event: Input.Changed) -> None:
        self.query_text = event.value

    @on(Input.Submitted, "#browse-query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value
        self.query_one(DataTable).focus()

    def watch_query_text(self) -> None:
        self.load()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_card_line()
        if event.cursor_row >= len(self.shown) - 1:
            self.action_more()

    def _show_card_line(self) -> None:
        """The highlighted card's title, deck and tags in full, under the table: at 80
        columns the title and tags columns have room only for their start."""
        stored = self._selected()
        line = Text(no_wrap=True, overflow="ellipsis")
        if stored is not None:
            card = stored.card
            line.append_text(line_text(display_title(card), "bold"))
            line.append("\n")
            line.append("deck ", style="dim")
            line.append(visible(card.deck))
            if card.tags:
                line.append(" · tags ", style="dim")
                line.append(visible(" ".join(card.tags)))
        self.query_one("#browse-card", Static).update(line)

    def action_more(self) -> None:
        """Read the next page of matching cards."""
        if not self.loading and len(self.shown) < self.total:
            self.load(len(self.shown))

    def _cells(self, stored: StoredCard, now: datetime) -> dict[str, Text]:
        card, memory = stored.card, stored.memory
        state = "suspended" if stored.suspended else memory.display_state
        if stored.missing:
            state = "missing"
        recall = self.recall.get(stored.pk)
        due = "—" if memory.is_new else _relative(memory.due, now)
        stability = "—" if memory.stability is None else f"{memory.stability:.1f}d"
        return {
            "title": line_text(display_title(card), no_wrap=True, overflow="ellipsis"),
            "kind": Text(KIND_SHORT_LABELS[card.kind], no_wrap=True, overflow="ellipsis"),
            "deck": Text(visible(card.deck), no_wrap=True, overflow="ellipsis"),
            "tags": Text(visible(" ".join(card.tags)), no_wrap=True, overflow="ellipsis"),
            "difficulty": Text(card.difficulty or "—"),
            "state": Text(state),
            "due": Text(due, justify="right"),
            "stability": Text(stability, justify="right"),
            "recall": Text("—" if recall is None else f"{recall:.0%}", justify="right"),
            "reviews": Text(str(memory.reps), justify="right"),
            "lapses": Text(str(memory.lapses), justify="right"),
        }

    # ----------------------------------------------------------------- actions

    def _selected(self) -> StoredCard | None:
        table = self.query_one(DataTable)
        if not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def action_focus_query(self) -> None:
        """Type a query."""
        self.query_one("#browse-query", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_table":
            return True if self.focused is self.query_one("#browse-query", Input) else None
        return super().check_action(action, parameters)

    def action_to_table(self) -> None:
        """Move from the query to the rows (↓ in the query box; the table moves itself)."""
        self.query_one(DataTable).focus()

    def action_leave(self) -> None:
        """Back to where browse was opened from, from the query box as from the rows (↓,
        enter or tab go from the box to the rows)."""
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
        self.query_one(CardTable).sort_on(str(event.column_key.value))
        self.load()

    def action_sort(self) -> None:
        """Sort by the column under the column cursor (←/→ move it; again: reverse)."""
        table = self.query_one(CardTable)
        table.sort_on(table.cursor_key)
        self.load()

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
        """Cram exactly the cards the query matches (all of them, not only those read)."""
        if not self.shown:
            self.notify("No cards match the query.", severity="warning")
            return
        from quizapp.services.query import parse_query

        self._study(parse_query(self.query_text))

    @work(thread=True, exclusive=True, group="browse-study")
    def _study(self, query: CardQuery) -> None:
        from quizapp.services.query import matching_ids
        from quizapp.tui.session_request import SessionRequest

        db = self.quiz.db
        assert db is not None
        pks = tuple(matching_ids(db, query, self.quiz.clock()))
        request = SessionRequest(cram=True, card_pks=pks)
        self.app.call_from_thread(self.quiz.start_session, request)


def _relative(due: datetime, now: datetime) -> str:
    """ "now", "in 3d" or "2d ago" for the due column."""
    from quizapp.scheduling.previews import format_interval

    delta = due - now
    if abs(delta.total_seconds()) < 60:
        return "now"
    if delta.total_seconds() > 0:
        return f"in {format_interval(delta)}"
    return f"{format_interval(-delta)} ago"
