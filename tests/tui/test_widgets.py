"""The small widgets on their own: the review heatmap, the rating bar and the session bar,
each mounted in a bare app (or, for the heatmap, drawn) and checked by what it shows and
what it says."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import Button, ProgressBar, Static

from quizapp.services.study import EarlyReview
from quizapp.tui.widgets.heatmap import SHADES, heatmap_text, sparkline
from quizapp.tui.widgets.rating_bar import RatingBar
from quizapp.tui.widgets.session_bar import SessionBar, format_elapsed

from .conftest import MessageLog

TODAY = date(2026, 3, 4)  # a Wednesday
STARTED = datetime(2026, 3, 4, 9, tzinfo=UTC)
EARLY = EarlyReview(due_in_days=8, interview_in_days=40).wordings()


def _cell(rows: list[str], day: date, weeks: int) -> str:
    """The glyph the heatmap draws for ``day`` (rows are header + Monday…Sunday)."""
    start = TODAY - timedelta(days=TODAY.weekday()) - timedelta(weeks=weeks - 1)
    week, weekday = divmod((day - start).days, 7)
    return rows[1 + weekday][3 + week]


def test_heatmap_shades_days_by_their_share_of_the_busiest() -> None:
    counts = {TODAY: 8, TODAY - timedelta(days=1): 1, TODAY - timedelta(days=7): 4}
    rows = heatmap_text(counts, TODAY, weeks=5).plain.split("\n")
    assert _cell(rows, TODAY, 5) == "█"
    assert _cell(rows, TODAY - timedelta(days=1), 5) == "░"
    assert _cell(rows, TODAY - timedelta(days=7), 5) == "▒"
    assert _cell(rows, TODAY - timedelta(days=2), 5) == "·"  # no reviews
    assert _cell(rows, TODAY + timedelta(days=1), 5) == " "  # the future stays blank
    assert rows[-1] == "   less " + "".join(SHADES) + " more"


def test_heatmap_labels_months_and_weekdays() -> None:
    rows = heatmap_text({}, TODAY, weeks=53).plain.split("\n")
    assert len(rows) == 9  # months, seven weekdays, the legend
    assert [row[:2] for row in rows[1:8]] == ["Mo", "  ", "We", "  ", "Fr", "  ", "Su"]
    for month in ("Mar", "Jun", "Sep", "Dec", "Feb"):
        assert month in rows[0]
    assert all(len(row) == 3 + 53 for row in rows[1:4])  # up to today's weekday, full width
    assert set(rows[1][3:]) == {"·"}  # an empty year is all "no reviews", never blank


def test_sparkline_scales_to_the_top_value() -> None:
    assert sparkline([0, 4, 8]) == " ▄█"
    assert sparkline([0, 0]) == "  "
    assert sparkline([]) == ""


class _BarApp(App[None]):
    def __init__(self, bar: RatingBar | SessionBar) -> None:
        super().__init__()
        self.bar = bar

    def compose(self) -> ComposeResult:
        yield self.bar


async def test_rating_bar_posts_the_rating_of_the_pressed_button() -> None:
    log = MessageLog()
    app = _BarApp(RatingBar())
    async with app.run_test(size=(80, 3), message_hook=log) as pilot:
        await pilot.click("#rate-3")
        await pilot.click("#rate-1")
        await pilot.pause()
    assert [m.rating for m in log.of(RatingBar.Rated)] == [3, 1]


async def test_rating_bar_shows_each_ratings_interval() -> None:
    bar = RatingBar()
    app = _BarApp(bar)
    async with app.run_test(size=(100, 3)) as pilot:
        bar.show_previews(["1m", "6m", "1d", "4d"])
        await pilot.pause()
        labels = [str(app.query_one(f"#rate-{r}", Button).label) for r in (1, 2, 3, 4)]
    assert labels == ["1 Again · 1m", "2 Hard · 6m", "3 Good · 1d", "4 Easy · 4d"]


async def test_session_bar_shows_progress_and_time() -> None:
    bar = SessionBar("Due cards", STARTED)
    app = _BarApp(bar)
    async with app.run_test(size=(80, 3)) as pilot:
        bar.total = 5
        bar.done = 2
        bar.tick(STARTED + timedelta(minutes=1, seconds=5))
        await pilot.pause()
        label = str(app.query_one("#session-label", Static).render())
        count = str(app.query_one("#session-count", Static).render())
        progress = app.query_one(ProgressBar)
        timer = str(app.query_one("#session-timer", Static).render())
    assert label.startswith("Due cards") and count.strip() == "2/5"
    assert (progress.progress, progress.total) == (2, 5)
    assert timer.strip() == "1:05"


async def test_session_bar_keeps_its_total_and_shows_added_cards_and_early_ones() -> None:
    bar = SessionBar("Due cards", STARTED)
    app = _BarApp(bar)
    async with app.run_test(size=(100, 3)) as pilot:
        bar.total, bar.added, bar.done = 3, 2, 4
        bar.early = EARLY
        await pilot.pause()
        label = str(app.query_one("#session-count", Static).render()).strip()
        early = app.query_one("#session-early", Static)
        progress = app.query_one(ProgressBar)
        assert label == "4/3 +2 added"
        assert (progress.progress, progress.total) == (4, 5)
        assert early.display and "interview in 40 days" in str(early.render())
        bar.early = ()
        bar.added = 0
        await pilot.pause()
        assert not early.display
        assert str(app.query_one("#session-count", Static).render()).strip() == "4/3"


async def _bar_at(width: int, label: str, added: int) -> dict[str, object]:
    """What a session bar ``width`` cells wide shows of ``EARLY`` beside ``label``."""
    bar = SessionBar(label, STARTED)
    app = _BarApp(bar)
    async with app.run_test(size=(width, 3)) as pilot:
        bar.total, bar.added, bar.done = 20, added, 3
        bar.early = EARLY
        await pilot.pause()
        early = app.query_one("#session-early", Static)
        label_box = app.query_one("#session-label", Static)
        timer = app.query_one("#session-timer", Static)
        shown = str(early.render()).strip()
        return {
            "early": shown,
            "early whole": early.content_region.width >= cell_len(shown),
            "label whole": label_box.content_region.width >= cell_len(label),
            "timer on screen": timer.region.right <= width,
            "bar": app.query_one(ProgressBar).display,
        }


@pytest.mark.parametrize("added", [0, 2])
async def test_session_bar_says_early_in_full_where_it_fits_and_shorter_at_80_columns(
    added: int,
) -> None:
    """The early marker is never cut: at 120 columns in full, at 80 in a shorter wording
    (the progress bar narrowed or hidden first), the label and the timer whole beside it."""
    wide = await _bar_at(120, "review: all cards", added)
    assert wide["early"] == EARLY[0] and wide["bar"]
    narrow = await _bar_at(80, "review: all cards", added)
    assert narrow["early"] in EARLY[1:]
    assert re.fullmatch(r"early: interview (in )?40d, due (in )?8d", str(narrow["early"]))
    assert narrow["early whole"] and narrow["label whole"] and narrow["timer on screen"]
    for shown in (wide, narrow):
        assert shown["early whole"] and shown["label whole"] and shown["timer on screen"]


async def test_session_bar_gives_the_label_way_before_the_early_marker() -> None:
    """A label too long for any wording beside it is the one that is shortened."""
    label = "review: tags Attention, Transformers, Backpropagation · hard · cram"
    shown = await _bar_at(80, label, 2)
    assert shown["early"] == EARLY[-1] and shown["early whole"]
    assert not shown["label whole"] and shown["timer on screen"]
    bar = SessionBar(label, STARTED)
    async with _BarApp(bar).run_test(size=(80, 3)):
        assert str(bar.query_one("#session-label", Static).tooltip) == label  # whole on hover


def test_session_timer_format() -> None:
    assert [format_elapsed(s) for s in (0, 59, 61, 3600 + 62, -3)] == [
        "0:00",
        "0:59",
        "1:01",
        "1:01:02",
        "0:00",
    ]
