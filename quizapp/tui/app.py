"""The quizapp Textual application: the App, its start-up, and ``run``.

Start-up is arranged for speed: this module imports Textual and nothing heavy, the first
frame (the home screen, "opening…") is drawn before the database is touched, and the
database is opened in a thread worker (SQLAlchemy and, when needed, Alembic load there).
NumPy is imported only when an exercise opens.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from quizapp.tui.capabilities import LOCAL, Capabilities
from quizapp.tui.keymap import KeymapError, load_keymap
from quizapp.tui.messages import DatabaseFailed, DatabaseReady

if TYPE_CHECKING:
    from quizapp.content import FirstRun
    from quizapp.store.db import Database
    from quizapp.tui.screens.home import HomeScreen
    from quizapp.tui.session_request import SessionRequest as SessionSpec

#: Seconds the database worker waits for the first frame before going on anyway.
FIRST_FRAME_WAIT = 5.0

#: A function returning "now" as an aware UTC datetime; tests pass a fixed one.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


class QuizApp(App[None]):
    """Practise interview questions with spaced repetition.

    The App owns the open ``Database`` and the clock; screens ask the services for data in
    thread workers and get it back as Messages. ``session_spec`` opens the app straight
    into a study session (``quizapp review --tag …``).
    """

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "quizapp"
    SUB_TITLE = "spaced repetition for ML interviews"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("f2", "go('home')", "Home", show=False, id="app.home"),
        Binding("f3", "go('browse')", "Browse", show=False, id="app.browse"),
        Binding("f4", "go('import')", "Import", show=False, id="app.import"),
        Binding("f5", "go('stats')", "Statistics", show=False, id="app.stats"),
        Binding("f6", "go('settings')", "Settings", show=False, id="app.settings"),
    ]

    #: The screens reachable from anywhere, by name, with their palette descriptions.
    PLACES: ClassVar[dict[str, str]] = {
        "home": "Today's due counts, decks and tags",
        "browse": "Every card in a searchable table",
        "import": "Import Markdown cards from a file or folder",
        "stats": "Review heatmap, forecast, retention, parameter fitting",
        "settings": "Desired retention, daily limits, interview date, theme",
    }

    def __init__(
        self,
        db_target: str | Path | None = None,
        session_spec: SessionSpec | None = None,
        *,
        clock: Clock | None = None,
        zone: tzinfo | None = None,
        config_dir: Path | None = None,
        seed: int | None = None,
        first_run_import: bool = True,
        freeze_heap: bool = False,
        capabilities: Capabilities = LOCAL,
    ) -> None:
        super().__init__()
        self.capabilities = capabilities
        """What this app may do on the machine it runs on (less when served to a browser)."""
        self.freeze_heap = freeze_heap
        """Move what start-up built out of the collector's reach once the database is
        ready (see :meth:`_freeze_heap`); only the real app does, never a test's."""
        self.db_target = db_target
        self.session_spec = session_spec
        self.clock: Clock = clock or system_clock
        self.zone = zone
        self.config_dir = config_dir
        self.seed = seed
        self.first_run_import = first_run_import
        self.startup_error: str | None = None
        """Why the app stopped before it could start (the database would not open)."""
        self.db: Database | None = None
        self.welcome: str | None = None
        self._on_ready: list[Callable[[], Any]] = []

    # ------------------------------------------------------------------ start-up

    def on_load(self) -> None:
        """Take the saved theme before anything is composed, so that the home screen is
        styled once, in it (set later, every widget would be restyled)."""
        from quizapp.tui.preferences import load_theme

        theme = load_theme(self.config_dir)
        if theme and theme in self.available_themes:
            self.theme = theme

    def get_default_screen(self) -> Screen[Any]:
        """Home is the bottom screen, composed with the app itself.

        Pushed from ``on_mount`` instead (over Textual's blank default screen), it was
        mounted inside the app's start-up batch: its first frame was rendered and thrown
        away, and drawn again only once the batch ended, some 50-80 ms later.
        """
        from quizapp.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        """Open the database behind the home screen's first frame."""
        from quizapp.tui.screens.home import HomeScreen

        keymap_file = self.config_dir / "keymap.toml" if self.config_dir else None
        try:
            keymap = load_keymap(keymap_file)
        except KeymapError as exc:
            self.notify(str(exc), title="Keymap ignored", severity="warning", markup=False)
        else:
            if keymap.keys:
                self.set_keymap(keymap.keys)
        # A first run's new database file is seeded here, before the first frame, not in
        # the worker: it is some 20 ms of small file and sqlite3 calls, each of which
        # gives up the GIL, and each time the worker waited for the UI thread (busy drawing)
        # to hand it back: 100-190 ms in the worker, against 20 ms here.
        first_run = None
        if self.first_run_import:
            from quizapp.content import prepare_first_run

            first_run = prepare_first_run(self.db_target, now=self.clock())
        home = self.screen_stack[0]
        assert isinstance(home, HomeScreen)
        # The worker starts now but waits for the first frame to be on the screen: all it
        # does holds the GIL for a while (the peek at today's counts is some 40 ms of
        # imports for 2 ms of sqlite3; opening the database imports SQLAlchemy), and run
        # beside the UI thread it delayed the first frame by about as much.
        first_frame = threading.Event()
        self.call_after_refresh(first_frame.set)
        self.open_database(home, first_frame, first_run)

    @work(thread=True, exclusive=True, group="database", name="open database")
    def open_database(
        self,
        home: HomeScreen | None = None,
        first_frame: threading.Event | None = None,
        first_run: FirstRun | None = None,
    ) -> None:
        """Open (and on first run, fill) the database in a thread: the UI never waits.

        Once ``first_frame`` is set (home drawn, "Opening your collection…"), ``home``
        gets today's counts read with plain sqlite3, drawn while SQLAlchemy (about 0.65 s)
        is still loading; the home screen's own workers replace them later.
        ``first_run`` is what ``on_mount`` found: a new database file seeded from a starter
        database of the bundled deck (``quizapp/starter_copy.py``) has its counts at
        once, and, made seconds ago, nothing to back up.
        """
        if first_frame is not None:
            first_frame.wait(timeout=FIRST_FRAME_WAIT)
        if home is not None:
            home.peek_today(self.db_target, self.clock(), self.zone)
        from quizapp.store.db import open_database
        from quizapp.store.errors import StoreError

        seeded = first_run is not None and first_run.seeded
        try:
            database = open_database(
                self.db_target, on_problem=self.store_problem, auto_backup=not seeded
            )
        except StoreError as exc:
            self.post_message(DatabaseFailed(str(exc)))
            return
        welcome: str | None = None
        if self.first_run_import:
            from quizapp.tui.backend import import_bundled_deck_if_empty

            welcome = import_bundled_deck_if_empty(database, first_run)
        self.post_message(DatabaseReady(database, welcome))

    def store_problem(self, problem: str) -> None:
        """Show a problem the store met but worked around (a failed daily backup, a
        damaged row skipped) as a warning toast; called from any thread."""
        self.notify(problem, title="Database", severity="warning", markup=False, timeout=10)

    @on(DatabaseReady)
    def _database_ready(self, message: DatabaseReady) -> None:
        self.db = message.database
        self.welcome = message.welcome
        pending, self._on_ready = self._on_ready, []
        for callback in pending:
            callback()
        if self.session_spec is not None:
            self.start_session(self.session_spec)
            self.session_spec = None
        self.screen.post_message(DatabaseReady(message.database, message.welcome))
        if self.freeze_heap:
            self.call_after_refresh(self._freeze_heap)

    @staticmethod
    def _freeze_heap() -> None:
        """Freeze the objects start-up made (modules, SQLAlchemy, Textual's classes, the
        store: some 250,000) so that the garbage collector's full passes stop scanning
        them. Unfrozen, each full pass took about 100 ms and landed while a card was on
        the screen (``bench cards`` reports the pauses); frozen, about 25-40 ms. They live
        as long as the app anyway, so nothing is kept that would have been freed."""
        import gc

        gc.freeze()

    @on(DatabaseFailed)
    def _database_failed(self, message: DatabaseFailed) -> None:
        self.startup_error = message.error
        self.exit(return_code=2)

    def when_ready(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` now if the database is open, or as soon as it is."""
        if self.db is not None:
            callback()
        else:
            self._on_ready.append(callback)

    def on_unmount(self) -> None:
        """Release the database's file handles."""
        if self.db is not None:
            self.db.close()

    # ------------------------------------------------------------------ navigation

    def start_session(self, spec: SessionSpec | None = None) -> None:
        """Open the review screen on a session (today's reviews when ``spec`` is None)."""
        from quizapp.tui.screens.review import ReviewScreen

        self.when_ready(lambda: self.push_screen(ReviewScreen(spec)))

    def watch_theme(self, theme: str) -> None:
        """Remember the theme the learner picked (settings screen or command palette)."""
        if self.is_running and (self.config_dir is not None or not self.is_headless):
            from quizapp.tui.preferences import save_theme

            save_theme(theme, self.config_dir)

    def make_screen(self, place: str) -> Screen[Any]:
        """A fresh screen for one of ``PLACES``."""
        if place == "browse":
            from quizapp.tui.screens.browse import BrowseScreen

            return BrowseScreen()
        if place == "import":
            from quizapp.tui.screens.import_cards import ImportScreen

            return ImportScreen(self.capabilities.import_start())
        if place == "stats":
            from quizapp.tui.screens.statistics import StatisticsScreen

            return StatisticsScreen()
        if place == "settings":
            from quizapp.tui.screens.settings import SettingsScreen

            return SettingsScreen()
        raise ValueError(f"unknown place {place!r}")

    async def action_go(self, place: str) -> None:
        """Go to one of the main screens, leaving whatever is open above home."""
        from quizapp.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            await self.pop_screen()
        if place != "home":
            screen = self.make_screen(place)
            self.when_ready(lambda: self.push_screen(screen))

    def action_help(self) -> None:
        """Show every binding of the screen in front."""
        from quizapp.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # ------------------------------------------------------------------ palette

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every quizapp action of the current screen, the main places, and Textual's theme,
        quit and screenshot commands, each once.

        Only bindings with an id (quizapp's own) are listed: Textual's scrolling, focus and
        copy keys are not actions a learner looks for. A binding that opens one of the main
        places is listed as "Go to …" with its key, not a second time under its own name.
        """
        places = {f"go('{place}')": place for place in self.PLACES}
        keys: dict[str, str] = {}
        titles: set[str] = set()
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.action in places:
                keys.setdefault(binding.action, self.get_key_display(binding))
                continue
            if (
                not binding.id
                or not binding.description
                or binding.action in seen
                or not active.enabled
            ):
                continue
            seen.add(binding.action)
            titles.add(binding.description)
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} ({self.get_key_display(binding)})",
                _runner(self, binding.action, active.node),
            )
        for action, place in places.items():
            title = "Statistics" if place == "stats" else place.capitalize()
            key = f" ({keys[action]})" if action in keys else ""
            titles.add(f"Go to {title}")
            yield SystemCommand(
                f"Go to {title}", f"{self.PLACES[place]}{key}", _runner(self, action, self)
            )
        for command in super().get_system_commands(screen):
            if command.title in titles or command.title in TEXTUAL_COMMANDS_LEFT_OUT:
                continue
            titles.add(command.title)
            yield command


#: Textual's own palette commands that quizapp has better versions of: its help screen
#: lists every key (Textual's "Keys" panel would list the widgets' scrolling keys too).
TEXTUAL_COMMANDS_LEFT_OUT = frozenset({"Keys"})


def _runner(app: App[Any], action: str, node: Any) -> Callable[[], Any]:
    async def run() -> None:
        await app.run_action(action, node)

    return run


class StartupFailed(Exception):
    """The app stopped before it could start; the message is the one-line reason, which
    the command line prints as ``quizapp: error: …`` with exit status 2, as for ``--db``."""


def run(
    db_target: str | Path | None = None,
    session_spec: SessionSpec | None = None,
    *,
    first_run_import: bool = True,
) -> int:
    """Run the TUI on ``db_target`` (None: ``$QUIZAPP_DB`` or the default database).

    Returns the exit code. Raises ``StartupFailed`` when the database could not be
    opened, so that the reason is printed the way every command prints its errors.
    ``first_run_import`` false: an empty database stays empty (``--no-bundled``).
    """
    app = QuizApp(db_target, session_spec, first_run_import=first_run_import, freeze_heap=True)
    app.run()
    if app.startup_error is not None:
        raise StartupFailed(app.startup_error)
    return app.return_code or 0
