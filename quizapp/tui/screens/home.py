"""Home: today's due counts, streak, decks and tags, and the way into every other screen.

Deck and tag names are paths that often share a long start (every deck of a vault in
``InterviewQuestions/…``); their columns take the width the terminal gives and show each
name by the end that tells it apart, the full name in a tooltip and under the table
(``widgets/name_table.py``).

The decks and tags panels stand side by side when both show every name whole. When the
terminal is narrower than that (80 columns beside the tags' five figure columns), they
show one at a time, each the full width, and ``g`` turns from one to the other: a name
read whole beats two columns of names cut to their first letters.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from quizapp.text import plural
from quizapp.tui.messages import DatabaseReady
from quizapp.tui.widgets.key_footer import KeyFooter
from quizapp.tui.widgets.name_table import NameTable

if TYPE_CHECKING:
    from quizapp.services.overview import (
        GroupCounts,
        GroupSummary,
        RecallOverview,
        TodayCounts,
    )
    from quizapp.tui.app import QuizApp
    from quizapp.tui.session_request import SessionRequest


def welcome_text(cards: int) -> Text:
    """The first-run banner: two lines that fit 80 columns, shown until the first answer."""
    return Text(
        f"Welcome! {plural(cards, 'interview question')} ready to study; enter starts.\n"
        "space reveals the next step · 1–4 rate · u undo · c custom · ? all keys"
    )


def split_width(width: int, wanted: tuple[int, int], least: tuple[int, int]) -> int:
    """The first of two side-by-side panels' width out of ``width``: what it wants when both
    fit; else a share in proportion to what each wants, never below either's ``least``
    (the second panel takes the rest)."""
    if sum(wanted) <= width:
        return wanted[0]
    share = width * wanted[0] // max(sum(wanted), 1)
    return max(least[0], min(share, width - least[1]))


def percent(value: float | None) -> str:
    """ "87%" or "—" when unknown."""
    return "—" if value is None else f"{value:.0%}"


class HomeScreen(Screen[None]):
    """The first screen: what is due today, and where to go next."""

    HELP_TITLE = "Home"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "study", "Study", id="home.study", priority=True),
        Binding("c", "custom", "Custom", id="home.custom"),
        Binding("b", "go('browse')", "Browse", id="home.browse"),
        Binding("i", "go('import')", "Import", id="home.import"),
        Binding("t", "go('stats')", "Stats", id="home.stats"),
        Binding("comma", "go('settings')", "Settings", id="home.settings"),
        Binding(
            "g",
            "switch_groups",
            "Decks/Tags",
            id="home.groups",
            show=False,
            tooltip="Show the other of the decks and tags panels (one at a time when narrow)",
        ),
        Binding("R", "refresh", "Refresh", id="home.refresh", show=False),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    DEFAULT_CSS = """
    HomeScreen #home-body { height: auto; max-height: 60%; }
    HomeScreen #home-top { height: auto; }
    HomeScreen #today { width: 1fr; min-width: 30; }
    HomeScreen #difficulty { width: 30; }
    HomeScreen #groups { height: 1fr; min-height: 6; }
    HomeScreen #groups > NameTable { height: 1fr; }
    HomeScreen #decks { width: 40; }
    HomeScreen #tags { width: 1fr; }
    HomeScreen #groups.-one-at-a-time > NameTable { width: 1fr; }
    """

    #: The panels' titles, and what they say when one is shown at a time.
    TITLES: ClassVar[dict[str, str]] = {"decks": "Decks", "tags": "Tags"}

    class TodayLoaded(Message):
        """Today's counts were read (the fast first phase: "ready")."""

        def __init__(self, today: TodayCounts) -> None:
            super().__init__()
            self.today = today

    class TodayPeeked(Message):
        """Today's counts read with plain sqlite3 before the database was opened."""

        def __init__(self, today: TodayCounts) -> None:
            super().__init__()
            self.today = today

    class GroupsLoaded(Message):
        """Every deck's, tag's and difficulty's due counts were read (second phase)."""

        def __init__(self, groups: GroupCounts) -> None:
            super().__init__()
            self.groups = groups

    class RecallLoaded(Message):
        """Streak, totals and recall per group were computed (the NumPy phase)."""

        def __init__(self, recall: RecallOverview) -> None:
            super().__init__()
            self.recall = recall

    def __init__(self) -> None:
        super().__init__()
        self.today: TodayCounts | None = None
        self.groups: GroupCounts | None = None
        self.recall: RecallOverview | None = None
        self.one_at_a_time = False
        """The decks and tags panels do not both fit whole side by side: one is shown."""
        self.showing = "decks"
        """Which panel is shown while they are one at a time: "decks" or "tags"."""

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        from quizapp.tui.app import QuizApp

        assert isinstance(self.app, QuizApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="?")
        with VerticalScroll(id="home-body"):
            yield Static("", id="welcome", classes="hidden")
            with Horizontal(id="home-top"):
                today = Static(Text("Opening your collection…"), id="today", classes="panel")
                today.border_title = "Today"
                yield today
                difficulty = Static("", id="difficulty", classes="panel")
                difficulty.border_title = "By difficulty"
                yield difficulty
        with Horizontal(id="groups"):
            decks = NameTable("deck", [("new", 4), ("due", 5)], id="decks", classes="panel")
            decks.border_title = "Decks"
            yield decks
            tags = NameTable("tag", self._tag_figures(False), id="tags", classes="panel")
            tags.border_title = "Tags"
            yield tags
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.quiz.db is not None:
            self.load()

    def on_screen_resume(self) -> None:
        if self.quiz.db is not None:
            self.load()

    @on(DatabaseReady)
    def _ready(self) -> None:
        self.load()

    def load(self) -> None:
        """Gather the figures off the UI thread, cheapest first, each drawn before the next.

        Today's counts need no NumPy; the group counts and the statistics do. Each later
        worker starts only once the previous figures are on the screen, so its imports
        and work never hold the interpreter while the learner waits for the due counts.
        """
        self._load_today()

    def peek_today(self, target: str | Path | None, now: datetime, zone: tzinfo | None) -> None:
        """Draw today's counts read with plain sqlite3, before SQLAlchemy is loaded.

        Called by the app's database worker (in its thread) before it opens the database:
        importing SQLAlchemy takes about 0.65 s, the counts a few ms. Posts nothing when
        ``target`` is not a plain SQLite file of the current schema; either way ``load``
        later draws the service's figures (equal, by test).
        """
        from quizapp.services.overview import peek_today_counts

        counts = peek_today_counts(target, now, zone)
        if counts is not None:
            self.post_message(self.TodayPeeked(counts))

    @on(TodayPeeked)
    def _today_peeked(self, message: TodayPeeked) -> None:
        if self.today is None:
            self.today = message.today
            self._draw_today()

    @work(thread=True, exclusive=True, group="home-today", name="today's counts")
    def _load_today(self) -> None:
        from quizapp.services.overview import today_counts

        db = self.quiz.db
        assert db is not None
        self.post_message(
            self.TodayLoaded(today_counts(db, clock=self.quiz.clock, zone=self.quiz.zone))
        )

    @work(thread=True, exclusive=True, group="home-groups", name="home group counts")
    def _load_groups(self) -> None:
        from quizapp.services.overview import group_counts

        db = self.quiz.db
        assert db is not None
        self.post_message(
            self.GroupsLoaded(group_counts(db, clock=self.quiz.clock, zone=self.quiz.zone))
        )

    @work(thread=True, exclusive=True, group="home-recall", name="home recall")
    def _load_recall(self) -> None:
        from quizapp.services.overview import recall_overview

        db = self.quiz.db
        assert db is not None
        recall = recall_overview(db, clock=self.quiz.clock, zone=self.quiz.zone)
        self.post_message(self.RecallLoaded(recall))

    @on(TodayLoaded)
    def _today_loaded(self, message: TodayLoaded) -> None:
        self.today = message.today
        self._draw_today()
        self.call_after_refresh(self._load_groups)

    @on(GroupsLoaded)
    def _groups_loaded(self, message: GroupsLoaded) -> None:
        self.groups = message.groups
        self._draw_groups()
        self.call_after_refresh(self._load_recall)

    @on(RecallLoaded)
    def _recall_loaded(self, message: RecallLoaded) -> None:
        data = self.recall = message.recall
        welcome = self.query_one("#welcome", Static)
        if data.answers_ever == 0 and data.total_cards:
            welcome.update(welcome_text(data.total_cards))
            welcome.remove_class("hidden")
        else:
            welcome.add_class("hidden")  # gone once the first card is answered
        self._draw_today()
        self._draw_groups()

    def _draw_groups(self) -> None:
        from quizapp.services.overview import with_recall

        if self.groups is None:
            return
        recall = self.recall
        difficulties = self.groups.difficulties
        tag_groups = self.groups.tags
        if recall is not None:
            difficulties = with_recall(difficulties, recall.difficulties)
            tag_groups = with_recall(tag_groups, recall.tags)
        self.query_one("#difficulty", Static).update(self._difficulty_text(difficulties))
        self.query_one("#decks", NameTable).show_rows(
            [
                (
                    group.name,
                    (
                        Text(str(group.new), justify="right"),
                        Text(str(group.due), justify="right", style="bold" if group.due else "dim"),
                    ),
                )
                # "Machine Learning" among "architectures": by name whatever the case
                for group in sorted(self.groups.decks, key=lambda g: g.name.casefold())
            ]
        )
        tags = self.query_one("#tags", NameTable)
        interview = recall is not None and recall.interview_date is not None
        tags.set_figures(self._tag_figures(interview))
        rows: list[tuple[str, list[Text]]] = []
        for group in sorted(tag_groups, key=lambda g: (-g.due, g.name.casefold())):
            cells = [
                *self._counts(group),
                Text(percent(group.recall) if recall else "…", justify="right"),
            ]
            if interview:
                cells.append(Text(percent(group.recall_interview), justify="right"))
            rows.append((group.name, cells))
        tags.show_rows(rows)
        self._size_groups()

    def on_resize(self) -> None:
        self._size_groups()

    def _size_groups(self) -> None:
        """Give the decks panel the width its names need and the tags the rest when both
        fit whole; else show them one at a time, each the full width (names are then
        shortened only when one alone is too narrow for them). The figure columns are
        never cut."""
        decks = self.query_one("#decks", NameTable)
        tags = self.query_one("#tags", NameTable)
        wanted = (decks.wanted_width(), tags.wanted_width())
        self._show_one_at_a_time(sum(wanted) > self.size.width)
        if self.one_at_a_time:
            return
        width = split_width(self.size.width, wanted, (decks.least_width(), tags.least_width()))
        if decks.styles.width is None or decks.styles.width.value != width:
            decks.styles.width = width

    def _show_one_at_a_time(self, one: bool) -> None:
        """Lay the panels out side by side, or one at a time (the one in ``showing``)."""
        groups = self.query_one("#groups", Horizontal)
        changed = one != self.one_at_a_time
        self.one_at_a_time = one
        groups.set_class(one, "-one-at-a-time")
        decks = self.query_one("#decks", NameTable)
        tags = self.query_one("#tags", NameTable)
        if one:
            decks.styles.width = None  # the stylesheet's 1fr
        for key, table in (("decks", decks), ("tags", tags)):
            table.display = not one or key == self.showing
            table.border_title = self._group_title(key)
        if changed:
            self.refresh_bindings()

    def _group_title(self, key: str) -> str:
        """A panel's title; one shown at a time also names the key that shows the other."""
        title = self.TITLES[key]
        if not self.one_at_a_time:
            return title
        other = next(name for name in self.TITLES if name != key)
        return f"{title} · g {self.TITLES[other].lower()}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``g`` turns between the panels only while they are shown one at a time."""
        if action == "switch_groups":
            return self.one_at_a_time
        return True

    def action_switch_groups(self) -> None:
        """Show the other of the decks and tags panels (when they are one at a time)."""
        if not self.one_at_a_time:
            return
        had_focus = self.focused is not None and self.focused.id in self.TITLES
        self.showing = "tags" if self.showing == "decks" else "decks"
        self._show_one_at_a_time(True)
        if had_focus:
            self.query_one(f"#{self.showing}", NameTable).focus()

    def _draw_today(self) -> None:
        if self.today is not None:
            self.query_one("#today", Static).update(self._today_text(self.today, self.recall))

    @staticmethod
    def _tag_figures(interview: bool) -> list[tuple[str, int]]:
        """The tag table's figure columns: with the interview day's recall when set."""
        return [("cards", 5), ("due", 4), ("recall", 6)] + ([("interview", 9)] if interview else [])

    @staticmethod
    def _counts(group: GroupSummary) -> tuple[Text, Text]:
        due_style = "bold" if group.due else "dim"
        return (
            Text(str(group.cards), justify="right"),
            Text(str(group.due), justify="right", style=due_style),
        )

    @staticmethod
    def _today_text(today: TodayCounts, overview: RecallOverview | None) -> Text:
        text = Text()
        text.append(f"{today.total}", style="bold")
        text.append(" to study · ")
        text.append(f"new {today.new}", style="blue")
        text.append(" · ")
        text.append(f"learning {today.learning}", style="red")
        text.append(" · ")
        text.append(f"review {today.review}", style="green")
        if overview is not None:
            streak, total = plural(overview.streak, "day"), plural(overview.total_cards, "card")
            text.append(f"\nstreak {streak} · {total}")
            if overview.interview_date is not None:
                text.append(f"\ninterview {overview.interview_date:%a %d %b %Y}")
                text.append(f" · predicted recall then {percent(overview.interview_recall)}")
        text.append("\n")
        text.append("enter", style="bold reverse")
        text.append(" study today's cards" if today.total else " nothing due: enter to check")
        return text

    @staticmethod
    def _difficulty_text(groups: tuple[GroupSummary, ...]) -> Text:
        """New and due cards per difficulty, named and coloured as the Today panel does.

        New cards waiting are shown beside the due ones: "0 due" alone read as nothing
        to study while 20 new cards waited (issue 17).
        """
        text = Text()
        for index, group in enumerate(groups):
            if index:
                text.append("\n")
            text.append(f"{group.name:<7}", style="bold")
            text.append(f"new {group.new:>3}", style="blue" if group.new else "dim")
            text.append(" · ")
            text.append(f"due {group.due:>3}", style="green" if group.due else "dim")
        return text

    # ----------------------------------------------------------------- actions

    def action_study(self) -> None:
        """Start today's reviews."""
        self.quiz.start_session(None)

    def action_custom(self) -> None:
        """Choose tags, difficulties, deck, text, cram and a limit for a session."""
        self._open_custom()

    @work(thread=True, exclusive=True, group="home-dialog")
    def _open_custom(self) -> None:
        from quizapp.tui.backend import tags_and_decks

        db = self.quiz.db
        if db is None:
            return
        tags, decks = tags_and_decks(db)
        self.app.call_from_thread(self._show_custom, tags, decks)

    def _show_custom(self, tags: list[tuple[str, int]], decks: list[str]) -> None:
        from quizapp.tui.dialogs.custom_session import CustomSessionDialog

        def chosen(request: SessionRequest | None) -> None:
            if request is not None:
                self.quiz.start_session(request)

        self.app.push_screen(CustomSessionDialog(tags, decks), chosen)

    async def action_go(self, place: str) -> None:
        """Open one of the other screens."""
        await self.quiz.action_go(place)

    def action_refresh(self) -> None:
        """Reload the figures."""
        if self.quiz.db is not None:
            self.load()
