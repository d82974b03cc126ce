"""The statistics screen's charts, drawn by plotext (textual-plotext) from ``ChartSeries``.

Each chart is a ``StatsChart`` that draws one series of ``scheduling.chart_series``; the
numbers are computed in the core (in the screen's worker), so drawing is only laying out
a few dozen points at the widget's size. Colours are fixed per series, so a snapshot
does not depend on plotext's colour cycle, and the background follows the app's theme.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from quizapp.scheduling.chart_series import CHART_DAYS, FORECAST_STATES, ChartSeries

#: Colours of the forecast's states, bottom to top.
STATE_COLOURS = {"learning": "orange", "review": "green", "relearning": "red"}


def _day_ticks(first: date, days: int, step: int) -> tuple[list[float], list[str]]:
    """Tick positions every ``step`` days from ``first``, labelled month-day."""
    ticks = [float(t) for t in range(0, days, step)]
    return ticks, [(first + timedelta(days=int(t))).strftime("%m-%d") for t in ticks]


def draw_forecast(plt: Plot, charts: ChartSeries) -> None:
    """Due cards on each of the next 30 days, stacked learning / review / relearning."""
    days = list(range(CHART_DAYS))
    stacks = [list(charts.forecast_by_state[state]) for state in FORECAST_STATES]
    if not any(any(stack) for stack in stacks):
        plt.title("nothing due in the next 30 days")
        return
    # plotext's bundled stubs name the keyword ``label`` and want one colour; the function
    # takes ``labels`` and a colour per stack.
    figure: Any = plt
    figure.stacked_bar(
        days,
        stacks,
        labels=list(FORECAST_STATES),
        color=[STATE_COLOURS[state] for state in FORECAST_STATES],
    )
    plt.xticks(*_day_ticks(charts.today, CHART_DAYS, 7))
    plt.ylabel("cards")


def draw_reviews(plt: Plot, charts: ChartSeries) -> None:
    """Answers on each of the last 30 days, with their 7-day moving average as a line."""
    series = charts.daily_reviews
    if not any(d.reviews for d in series):
        plt.title("no answers in the last 30 days")
        return
    days = list(range(len(series)))
    plt.bar(days, [d.reviews for d in series], color="blue", label="answers")
    plt.plot(
        days, [d.average for d in series], color="magenta", marker="braille", label="7-day average"
    )
    plt.xticks(*_day_ticks(series[0].date, len(series), 7))


def draw_retention(plt: Plot, charts: ChartSeries) -> None:
    """True retention of each of the last 12 weeks (%), against the desired retention."""
    weeks = charts.weekly_retention
    points = [(i, w.rate * 100) for i, w in enumerate(weeks) if w.rate is not None]
    target = charts.target_retention * 100
    if not points:
        plt.title("no reviews in the last 12 weeks")
        return
    xs, ys = zip(*points, strict=True)
    plt.plot(list(xs), list(ys), color="cyan", marker="dot", label="true retention")
    plt.hline(target, color="red")
    plt.text(f"target {target:g}%", 0, target, color="red", alignment="left")
    bottom = max(0, int(min(min(ys), target) // 10) * 10 - 10)
    plt.ylim(bottom, 100)
    levels = [float(t) for t in range(bottom, 101, 10)]
    plt.yticks(levels, [f"{t:g}" for t in levels])
    plt.xlim(0, len(weeks) - 1)
    step = 2 if len(weeks) > 6 else 1
    starts = list(range(0, len(weeks), step))
    plt.xticks([float(t) for t in starts], [weeks[t].start.strftime("%m-%d") for t in starts])
    plt.ylabel("% passed")


def draw_calibration(plt: Plot, charts: ChartSeries) -> None:
    """Observed against predicted recall per bin, with each bin's count; the diagonal is ideal."""
    full = [b for b in charts.calibration if b.count]
    if not full:
        plt.title("no review answers to compare yet")
        return
    plt.plot([0, 100], [0, 100], color="gray", marker="braille", label="ideal")
    xs = [100 * (b.predicted or 0.0) for b in full]
    ys = [100 * (b.observed or 0.0) for b in full]
    plt.scatter(xs, ys, color="cyan", marker="●", label="observed")
    for x, y, b in zip(xs, ys, full, strict=True):
        # below the point (above it near the bottom), so the count never hides it
        plt.text(
            f"n={b.count}", x, y - 12 if y >= 20 else y + 12, color="yellow", alignment="center"
        )
    plt.xlim(0, 100)
    plt.ylim(0, 100)
    quarters = [0.0, 25.0, 50.0, 75.0, 100.0]
    plt.yticks(quarters, [f"{q:g}" for q in quarters])
    plt.xlabel("predicted recall %")
    plt.ylabel("observed %")


def draw_stability(plt: Plot, charts: ChartSeries) -> None:
    """Answered cards per stability bin (days until recall falls to 90%)."""
    bins = charts.stability
    if not any(b.cards for b in bins):
        plt.title("no answered cards yet")
        return
    plt.bar([b.label for b in bins], [b.cards for b in bins], color="green")
    plt.ylabel("cards")


#: Every chart: its widget id, its panel title, and how it is drawn.
CHARTS: tuple[tuple[str, str, Callable[[Plot, ChartSeries], None]], ...] = (
    ("chart-forecast", "Due, next 30 days, by state", draw_forecast),
    ("chart-reviews", "Answers per day, 7-day average", draw_reviews),
    ("chart-retention", "True retention per week vs target", draw_retention),
    ("chart-calibration", "Predicted vs observed recall", draw_calibration),
    ("chart-stability", "Stability of answered cards", draw_stability),
)


class StatsChart(PlotextPlot):
    """One chart of the statistics screen; ``show`` draws it from a ``ChartSeries``."""

    DEFAULT_CSS = """
    StatsChart {
        height: 14;
        width: 1fr;
        border: round $primary-background;
        border-title-color: $text;
    }
    """

    def __init__(
        self, draw: Callable[[Plot, ChartSeries], None], title: str, *, id: str | None = None
    ) -> None:
        super().__init__(id=id, classes="chart")
        self._draw = draw
        self.border_title = title

    def draw_series(self, charts: ChartSeries) -> None:
        """Replace what is drawn with this chart of ``charts``."""
        self.plt.clear_figure()
        self._draw(self.plt, charts)
        self.refresh()
