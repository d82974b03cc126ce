"""The review screen's top line: what the session is, a progress bar, and the timer.

The count reads "4/12" against the total the session started with, and cards that join
later (learning cards coming back, cards brought forward for an interview) show apart as
"+2 added", so the total never creeps up under the learner. A card shown before its due
day says so beside the count ("early: interview in 40 days, due in 8 days").
"""

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
    SessionBar > #session-label {
        width: 1fr; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis;
    }
    SessionBar > #session-count { width: auto; text-style: bold; padding: 0 0 0 1; }
    SessionBar > #session-early {
        width: auto; max-width: 50%; color: $warning; padding: 0 0 0 2;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    SessionBar > ProgressBar { width: auto; padding: 0 1; }
    SessionBar > ProgressBar Bar { width: 16; }
    SessionBar > #session-timer { width: 8; text-align: right; }
    """

    done: reactive[int] = reactive(0)
    """Cards answered so far in this session."""

    total: reactive[int] = reactive(0)
    """The cards the session planned when it started (answered plus waiting then)."""

    added: reactive[int] = reactive(0)
    """Cards that joined the session after it started."""

    early: reactive[str] = reactive("")
    """Why the card on screen is shown before its due day; empty when it is due."""

    def __init__(self, label: str, started: datetime) -> None:
        super().__init__()
        self.label = label
        self.started = started

    def compose(self) -> ComposeResult:
        yield Static(Text(self.label, no_wrap=True, overflow="ellipsis"), id="session-label")
        # Apart from the label, so that a long label (or the early marker) never cuts it.
        yield Static("", id="session-count")
        early = Static("", id="session-early")
        early.display = False
        yield early
        yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="session-progress")
        yield Static("0:00", id="session-timer")

    def watch_done(self) -> None:
        self._update_progress()

    def watch_total(self) -> None:
        self._update_progress()

    def watch_added(self) -> None:
        self._update_progress()

    def watch_early(self, early: str) -> None:
        if self.is_mounted:
            marker = self.query_one("#session-early", Static)
            marker.update(Text(early, no_wrap=True, overflow="ellipsis", end=""))
            marker.display = bool(early)

    def _update_progress(self) -> None:
        if not self.is_mounted:
            return
        bar = self.query_one(ProgressBar)
        whole = max(self.total + self.added, 1)
        bar.update(total=whole, progress=min(self.done, whole))
        count = f"{self.done}/{self.total}" + (f" +{self.added} added" if self.added else "")
        self.query_one("#session-count", Static).update(Text(count, no_wrap=True))

    def tick(self, now: datetime) -> None:
        """Redraw the timer for ``now``."""
        elapsed = (now - self.started).total_seconds()
        self.query_one("#session-timer", Static).update(format_elapsed(elapsed))
