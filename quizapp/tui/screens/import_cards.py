"""Import: pick a file or folder, see a dry run, confirm, watch the progress, read the summary.

Files that hold no cards (notes beside the cards) are skipped, not errors: the summary counts
them and ctrl+o lists them with why, as ``quizapp import --verbose`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, DirectoryTree, Input, ProgressBar, Static

from quizapp.text import plural
from quizapp.tui.literal import visible
from quizapp.tui.widgets import add_fixed_columns
from quizapp.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from quizapp.services.importer import ImportReport
    from quizapp.tui.app import QuizApp
    from quizapp.tui.capabilities import Capabilities


#: The problem column's width before the table knows its own; then it is the table's width,
#: and each problem wraps onto as many lines as it needs.
PROBLEM_FIRST_WIDTH = 60


def report_rows(report: ImportReport) -> list[tuple[str, str]]:
    """(what, how many) rows of the summary table: the files each format read come
    under the files."""
    return [
        ("files", str(report.files)),
        *((f"  read as {name}", str(count)) for name, count in sorted(report.formats.items())),
        ("new cards", str(report.new)),
        ("updated", str(report.updated)),
        ("unchanged", str(report.unchanged)),
        ("skipped files", str(report.skipped)),
        ("repaired encodings", str(report.repaired)),
        ("missing (file gone)", str(report.missing)),
        ("warnings", str(len(report.warnings))),
        ("errors", str(len(report.errors))),
    ]


def _outside_roots(path: str, capabilities: Capabilities) -> str:
    """Why a served app refuses ``path``: it names the folders it may read."""
    roots = capabilities.import_roots or ()
    if not roots:
        return f"{path}: import is off for this served collection (quizapp serve --cards DIR)"
    folders = ", ".join(str(root) for root in roots)
    return f"{path}: outside the card folders this collection is served with ({folders})"


class ImportScreen(Screen[None]):
    """Dry run first, then a confirmed import in a worker with a progress bar."""

    HELP_TITLE = "Import"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "dry_run", "Dry run", id="import.dry_run"),
        Binding("ctrl+r", "run_import", "Import", id="import.run"),
        Binding("ctrl+l", "focus_path", "Path", id="import.path"),
        Binding("ctrl+o", "toggle_skipped", "Skipped files", id="import.skipped"),
        Binding("escape", "leave", "Back", id="import.leave"),
    ]

    DEFAULT_CSS = """
    ImportScreen #import-path { margin: 0 1; }
    ImportScreen #import-body { height: 1fr; }
    ImportScreen DirectoryTree { width: 2fr; height: 1fr; }
    ImportScreen #import-results { width: 3fr; height: 1fr; }
    ImportScreen #import-summary { height: auto; max-height: 11; }
    ImportScreen #import-problems { height: 1fr; scrollbar-size-vertical: 1; }
    ImportScreen #import-state { height: auto; padding: 0 1; }
    ImportScreen ProgressBar { padding: 0 1; height: 1; }
    """

    path: reactive[str] = reactive("")
    """The file or folder that the next dry run or import reads."""

    checked_path: reactive[str | None] = reactive(None)
    """The path the last dry run looked at; import is allowed only for it."""

    show_skipped: reactive[bool] = reactive(False)
    """Whether the problem list also lists the skipped files (not card files), with why."""

    class Reported(Message):
        """A dry run or import finished with this report."""

        def __init__(self, report: ImportReport, dry_run: bool) -> None:
            super().__init__()
            self.report = report
            self.dry_run = dry_run

    class Progressed(Message):
        """``done`` of ``total`` files handled."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    class Failed(Message):
        """The import could not run (unreadable path, database error)."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start or Path.cwd()
        self.report: ImportReport | None = None
        """The last dry run's or import's report, shown in the tables."""

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        from quizapp.tui.app import QuizApp

        assert isinstance(self.app, QuizApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Input(placeholder="file or folder to import (Enter: dry run)", id="import-path")
        with Horizontal(id="import-body"):
            if self.quiz.capabilities.can_import:
                tree = DirectoryTree(self.start, id="import-tree")
                tree.border_title = "Files"
                yield tree
            with Vertical(id="import-results"):
                summary: DataTable[Text] = DataTable(id="import-summary", cursor_type="none")
                add_fixed_columns(summary, [("", 20), ("count", 6)])
                yield summary
                problems: DataTable[Text] = DataTable(id="import-problems", cursor_type="row")
                problems.add_column("problem", key="problem", width=PROBLEM_FIRST_WIDTH)
                yield problems
        yield Static(
            Text("Choose a file or folder, then ctrl+t (or enter) for a dry run."),
            id="import-state",
        )
        yield ProgressBar(total=None, show_eta=False, id="import-progress", classes="hidden")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()
        if not self.quiz.capabilities.can_import:
            self._state(
                "Import is off: this collection is served without card folders "
                "(quizapp serve --cards DIR allows one).",
                "bold",
            )

    def action_focus_path(self) -> None:
        """Type a path instead of picking one."""
        self.query_one("#import-path", Input).focus()

    def action_toggle_skipped(self) -> None:
        """List the skipped files below the problems, or stop listing them."""
        self.show_skipped = not self.show_skipped

    def watch_show_skipped(self) -> None:
        self._show_problems()

    def action_leave(self) -> None:
        """Back to where the learner came from."""
        self.dismiss()

    @on(DirectoryTree.FileSelected)
    @on(DirectoryTree.DirectorySelected)
    def _picked(self, event: DirectoryTree.FileSelected | DirectoryTree.DirectorySelected) -> None:
        self.query_one("#import-path", Input).value = str(event.path)
        self.path = str(event.path)

    @on(Input.Changed, "#import-path")
    def _typed(self, event: Input.Changed) -> None:
        self.path = event.value.strip()

    @on(Input.Submitted, "#import-path")
    def _submitted(self) -> None:
        self.action_dry_run()

    def _state(self, text: str, style: str = "") -> None:
        self.query_one("#import-state", Static).update(Text(text, style=style))

    def action_dry_run(self) -> None:
        """Show what importing the chosen path would do, writing nothing."""
        if not self.path:
            self._state("Type a path or pick one in the tree first.", "bold")
            return
        self._state(f"Checking {self.path}…")
        self._run(self.path, dry_run=True)

    def action_run_import(self) -> None:
        """Import the path that the last dry run checked."""
        if not self.path or self.checked_path != self.path:
            self._state("Run a dry run of this path first (ctrl+t).", "bold")
            return
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.remove_class("hidden")
        self._state(f"Importing {self.path}…")
        self._run(self.path, dry_run=False)

    @work(thread=True, exclusive=True, group="import", name="import")
    def _run(self, path: str, dry_run: bool) -> None:
        from quizapp.services.importer import import_paths

        db = self.quiz.db
        assert db is not None
        capabilities = self.quiz.capabilities
        if not capabilities.may_import(path):
            self.post_message(self.Failed(_outside_roots(path, capabilities)))
            return
        if not Path(path).expanduser().exists():
            self.post_message(self.Failed(f"{path}: no such file or folder"))
            return

        def progress(done: int, total: int) -> None:
            self.post_message(self.Progressed(done, total))

        try:
            report = import_paths(
                db,
                [Path(path).expanduser()],
                dry_run=dry_run,
                progress=None if dry_run else progress,
            )
        except (OSError, ValueError) as exc:
            self.post_message(self.Failed(f"{path}: {exc}"))
            return
        self.post_message(self.Reported(report, dry_run))

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        self.query_one(ProgressBar).update(total=max(message.total, 1), progress=message.done)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        """Nothing ran: the previous run's tables and progress go, so that they are not
        read as this path's results, and a new dry run is needed before importing."""
        self.query_one(ProgressBar).add_class("hidden")
        self.report = None
        self.checked_path = None
        self.query_one("#import-summary", DataTable).clear()
        self.query_one("#import-problems", DataTable).clear()
        self._state(message.error, "bold red")

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._show_problems)  # re-wrap at the new width

    def _problem_width(self, problems: DataTable[Text]) -> int:
        """The width that fills the problem table: each problem wraps inside it."""
        spare = problems.styles.scrollbar_size_vertical + 2 * problems.cell_padding
        return max(20, problems.size.width - spare) if problems.size.width else 0

    def _show_problems(self) -> None:
        """Errors, then warnings, then (when asked for) the skipped files, each whole:
        a long message wraps onto more lines instead of running off the table's edge.
        Before any run the empty column fits the table too (no sideways scrollbar)."""
        problems: DataTable[Text] = self.query_one("#import-problems", DataTable)
        width = self._problem_width(problems) or PROBLEM_FIRST_WIDTH
        problems.clear(columns=True)
        problems.add_column("problem", key="problem", width=width)
        if self.report is None:
            return
        lines = [(str(problem), "red") for problem in self.report.errors]
        lines += [(str(problem), "yellow") for problem in self.report.warnings]
        if self.show_skipped:
            lines += [
                (f"skipped: {problem.file}: {problem.message}", "dim")
                for problem in self.report.skipped_files
            ]
        for line, style in lines:
            problems.add_row(Text(visible(line), style=style), height=None)

    @staticmethod
    def _skipped_note(report: ImportReport) -> str:
        """`` 2 files skipped (no cards; ctrl+o lists them).``, or what to do when every file
        was; nothing when none was."""
        if not report.skipped:
            return ""
        if report.nothing_read:
            return (
                f" {plural(report.skipped, 'file')} skipped: none is in a layout quizapp "
                "detects (docs/formats.md shows them; ctrl+o lists the files)."
            )
        return f" {plural(report.skipped, 'file')} skipped (no cards; ctrl+o lists them)."

    @on(Reported)
    def _reported(self, message: Reported) -> None:
        report = self.report = message.report
        summary = self.query_one("#import-summary", DataTable)
        summary.clear()
        for label, count in report_rows(report):
            summary.add_row(Text(label), Text(count, justify="right"))
        self._show_problems()
        skipped = self._skipped_note(report)
        if message.dry_run:
            self.checked_path = self.path
            verdict = (
                f"Dry run: {report.new} new, {report.updated} updated, "
                f"{report.unchanged} unchanged, {plural(len(report.errors), 'error')}.{skipped} "
                "ctrl+r imports."
            )
            self._state(verdict)
        else:
            self.query_one(ProgressBar).update(total=1, progress=1)
            self.checked_path = None
            self._state(
                f"Imported: {report.new} new, {report.updated} updated, "
                f"{report.unchanged} unchanged, "
                f"{plural(report.failed_files, 'file')} failed.{skipped}",
                "bold",
            )
