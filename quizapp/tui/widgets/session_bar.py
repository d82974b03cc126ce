"""The review screen's top line: what the session is, a progress bar, and the timer.

The count reads "4/12" against the total the session started with, and cards that join
later (learning cards coming back, cards brought forward for an interview) show apart as
"+2 added", so the total never creeps up under the learner. A card shown before its due
day says so beside the count ("early: interview in 40 days, due in 8 days"), in the
longest wording that fits beside the label whole: at 80 columns "early: interview in
40d, due in 8d", beside a narrower progress bar (hidden only when need be: the count
says how far the session is). Nothing on the line is cut unless even the shortest
wording leaves no room for the label.
"""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
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
        width: auto; color: $warning; padding: 0 0 0 2;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    SessionBar > ProgressBar { width: auto; padding: 0 1; }
    SessionBar > ProgressBar Bar { width: 16; }
    SessionBar.-narrow-bar > ProgressBar Bar { width: 8; }
    SessionBar.-no-bar > ProgressBar { display: none; }
    SessionBar > #session-timer { width: 8; text-align: right; }
    """

    #: Cells the line's content gives, besides the label, the count, the progress bar and
    #: the early marker's words: the padding of the marker and of the count, the timer.
    FIXED = 2 + 1 + 8

    #: The progress bar's width; narrower, then hidden (the count says as much), when the
    #: early marker needs the room.
    BAR_WIDTHS = (16, 8, 0)

    done: reactive[int] = reactive(0)
    """Cards answered so far in this session."""

    total: reactive[int] = reactive(0)
    """The cards the session planned when it started (answered plus waiting then)."""

    added: reactive[int] = reactive(0)
    """Cards that joined the session after it started."""

    early: reactive[tuple[str, ...]] = reactive(())
    """Why the card on screen is shown before its due day, in wordings from the longest to
    the shortest (the line shows the longest that fits); empty when it is due."""

    def __init__(self, label: str, started: datetime) -> None:
        super().__init__()
        self.label = label
        self.started = started

    def compose(self) -> ComposeResult:
        label = Static(Text(self.label, no_wrap=True, overflow="ellipsis"), id="session-label")
        # A custom session's description can outrun a narrow line: whole under the mouse.
        label.tooltip = Content(self.label)
        yield label
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

    def watch_early(self) -> None:
        self._fit_early()

    def on_resize(self) -> None:
        self._fit_early()

    def early_wording(self, width: int) -> tuple[str, int]:
        """The wording of the early marker for a line whose content (inside its padding)
        is ``width`` cells wide, and the progress bar's width beside it (0: hidden): the
        longest wording that leaves the label whole beside the widest bar that leaves room
        for it; the bar is hidden only when no wording fits beside a narrow one (its count
        is beside it). When none fits at all, the shortest (the label then gives way)."""
        if not self.early:
            return "", self.BAR_WIDTHS[0]
        used = self.FIXED + cell_len(self.label) + cell_len(self._count_text())
        shown, hidden = self.BAR_WIDTHS[:-1], self.BAR_WIDTHS[-1:]
        for bars in (shown, hidden):
            for wording in self.early:
                for bar in bars:
                    if used + (bar + 2 if bar else 0) + cell_len(wording) <= width:
                        return wording, bar
        return self.early[-1], self.BAR_WIDTHS[-1]

    def _fit_early(self) -> None:
        if not self.is_mounted:
            return
        wording, bar = self.early_wording(self.size.width)
        self.set_class(bar == self.BAR_WIDTHS[1], "-narrow-bar")
        self.set_class(bar == 0, "-no-bar")
        marker = self.query_one("#session-early", Static)
        marker.update(Text(wording, no_wrap=True, overflow="ellipsis", end=""))
        marker.display = bool(wording)

    def _count_text(self) -> str:
        return f"{self.done}/{self.total}" + (f" +{self.added} added" if self.added else "")

    def _update_progress(self) -> None:
        if not self.is_mounted:
            return
        bar = self.query_one(ProgressBar)
        whole = max(self.total + self.added, 1)
        bar.update(total=whole, progress=min(self.done, whole))
        self.query_one("#session-count", Static).update(Text(self._count_text(), no_wrap=True))
        self._fit_early()

    def tick(self, now: datetime) -> None:
        """Redraw the timer for ``now``."""
        elapsed = (now - self.started).total_seconds()
        self.query_one("#session-timer", Static).update(format_elapsed(elapsed))
