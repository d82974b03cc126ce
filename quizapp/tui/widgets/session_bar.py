"""The review screen's top line: what the session is, a progress bar, and the timer."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import ProgressBar, Static


def format_elapsed(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for the session timer."""
    whole = max(int(seconds), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class SessionBar(Horizontal):
    """Session description, cards done out of the total, and time spent so far."""

    DEFAULT_CSS = """
    SessionBar { height: 1; background: $panel; padding: 0 1; }
    SessionBar > #session-label { width: 1fr; color: $text-muted; }
    SessionBar > ProgressBar { width: auto; padding: 0 1; }
    SessionBar > ProgressBar Bar { width: 16; }
    SessionBar > #session-timer { width: 8; text-align: right; }
    """

    done: reactive[int] = reactive(0)
    """Cards answered so far in this session."""

    total: reactive[int] = reactive(0)
    """Cards answered plus cards still waiting."""

    def __init__(self, label: str, started: datetime) -> None:
        super().__init__()
        self.label = label
        self.started = started

    def compose(self) -> ComposeResult:
        yield Static(Text(self.label, no_wrap=True, overflow="ellipsis"), id="session-label")
        yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="session-progress")
        yield Static("0:00", id="session-timer")

    def watch_done(self) -> None:
        self._update_progress()

    def watch_total(self) -> None:
        self._update_progress()

    def _update_progress(self) -> None:
        if not self.is_mounted:
            return
        bar = self.query_one(ProgressBar)
        bar.update(total=max(self.total, 1), progress=min(self.done, max(self.total, 1)))
        label = Text(self.label, no_wrap=True, overflow="ellipsis")
        label.append(f"  {self.done}/{self.total}", style="bold")
        self.query_one("#session-label", Static).update(label)

    def tick(self, now: datetime) -> None:
        """Redraw the timer for ``now``."""
        elapsed = (now - self.started).total_seconds()
        self.query_one("#session-timer", Static).update(format_elapsed(elapsed))
