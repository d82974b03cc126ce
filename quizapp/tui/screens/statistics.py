"""Statistics: heatmap, charts, forecast, true retention, states, ratings, recall, fitting.

The five charts (``widgets.stats_charts``) draw series the core computes in the same
worker as the rest, so opening the screen never waits on the database or NumPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from quizapp.text import plural
from quizapp.tui.widgets.heatmap import heatmap_text, sparkline
from quizapp.tui.widgets.key_footer import KeyFooter
from quizapp.tui.widgets.name_table import NameTable
from quizapp.tui.widgets.stats_charts import CHARTS, StatsChart

if TYPE_CHECKING:
    from quizapp.scheduling.optimize import OptimizeResult
    from quizapp.scheduling.stats import Statistics
    from quizapp.tui.app import QuizApp


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


class StatisticsScreen(Screen[None]):
    """What the learner has done and what is coming, from ``services.stats``."""

    HELP_TITLE = "Statistics"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("O", "optimize", "Optimize parameters", id="stats.optimize"),
        Binding("R", "refresh", "Refresh", id="stats.refresh"),
        Binding("escape", "leave", "Back", id="stats.leave"),
    ]

    DEFAULT_CSS = """
    StatisticsScreen #stats-body { height: 1fr; }
    StatisticsScreen #heatmap { width: auto; overflow-x: auto; }
    StatisticsScreen .row { height: auto; }
    StatisticsScreen .row > .panel { width: 1fr; }
    StatisticsScreen #recall-table { height: auto; max-height: 14; }
    """

    class Loaded(Message):
        """The statistics were computed."""

        def __init__(self, stats: Statistics) -> None:
            super().__init__()
            self.stats = stats

    class Optimized(Message):
        """Parameter fitting finished."""

        def __init__(self, result: OptimizeResult) -> None:
            super().__init__()
            self.result = result

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        from quizapp.tui.app import QuizApp

        assert isinstance(self.app, QuizApp)
        return self.app

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-body"):
            heat = Static(Text("Computing…"), id="heatmap", classes="panel")
            heat.border_title = "Reviews, last 12 months"
            yield heat
            for chart_id, title, draw in CHARTS:
                yield StatsChart(draw, title, id=chart_id)
            with Horizontal(classes="row"):
                forecast = Static("", id="forecast", classes="panel")
                forecast.border_title = "Due, next 30 days"
                yield forecast
                retention = Static("", id="retention", classes="panel")
                retention.border_title = "True retention"
                yield retention
            with Horizontal(classes="row"):
                states = Static("", id="states", classes="panel")
                states.border_title = "Cards by state"
                yield states
                ratings = Static("", id="ratings", classes="panel")
                ratings.border_title = "Answers by rating"
                yield ratings
            # The tag column takes the width the figures leave: a vault's tags are paths
            # (shortened by their end to fit, whole under the table for the cursor's row).
            table = NameTable(
                "tag",
                [("cards", 5), ("due", 4), ("recall now", 10), ("at interview", 12)],
                id="recall-table",
                classes="panel",
            )
            table.border_title = "Predicted recall by tag"
            yield table
            optimize = Static(
                Text("O: fit FSRS parameters to your own reviews (log loss before → after)"),
                id="optimize",
                classes="panel",
            )
            optimize.border_title = "Personal parameters"
            yield optimize
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    def action_refresh(self) -> None:
        """Recompute."""
        self.load()

    def action_leave(self) -> None:
        """Back to home."""
        self.dismiss()

    @work(thread=True, exclusive=True, group="stats", name="statistics")
    def load(self) -> None:
        """Compute the statistics in a thread."""
        from quizapp.services.stats import collection_statistics

        db = self.quiz.db
        assert db is not None
        self.post_message(
            self.Loaded(collection_statistics(db, clock=self.quiz.clock, zone=self.quiz.zone))
        )

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        stats = message.stats
        counts = {day.date: day.reviews for day in stats.reviews_per_day}
        heat = heatmap_text(counts, stats.today)
        total = sum(counts.values())
        streak = plural(stats.streak, "day")
        heat.append(f"\n{plural(total, 'review')} · streak {streak}", style="bold")
        self.query_one("#heatmap", Static).update(heat)
        for chart in self.query(StatsChart):
            chart.draw_series(stats.charts)
        forecast = list(stats.forecast)[:30]
        text = Text(sparkline(forecast) + "\n", style="cyan")
        text.append(
            f"today {forecast[0] if forecast else 0} · "
            f"week {sum(forecast[:7])} · month {sum(forecast)}"
        )
        self.query_one("#forecast", Static).update(text)
        retention = Text()
        for window in stats.retention:
            retention.append(
                f"{window.days:>3} days  {_pct(window.rate):>6}  "
                f"({window.passed}/{window.reviews})\n"
            )
        self.query_one("#retention", Static).update(retention)
        states = Text(
            "\n".join(f"{name:<11}{count:>6}" for name, count in stats.cards_by_state.items())
        )
        self.query_one("#states", Static).update(states)
        ratings = Text("\n".join(f"{name:<7}{count:>6}" for name, count in stats.ratings.items()))
        self.query_one("#ratings", Static).update(ratings)
        self.query_one("#recall-table", NameTable).show_rows(
            [
                (
                    group.name,
                    (
                        Text(str(group.cards), justify="right"),
                        Text(str(group.due), justify="right"),
                        Text(_pct(group.mean_recall), justify="right"),
                        Text(_pct(group.interview_recall), justify="right"),
                    ),
                )
                for group in stats.tags
            ]
        )

    def action_optimize(self) -> None:
        """Fit FSRS-6 parameters to the review history (in a thread)."""
        self.query_one("#optimize", Static).update(Text("Fitting parameters…"))
        self._optimize()

    @work(thread=True, exclusive=True, group="optimize", name="optimize")
    def _optimize(self) -> None:
        from quizapp.services.settings import optimize_parameters

        db = self.quiz.db
        assert db is not None
        self.post_message(self.Optimized(optimize_parameters(db)))

    @on(Optimized)
    def _optimized(self, message: Optimized) -> None:
        result = message.result
        text = Text()
        if result.before is not None and result.after is not None:
            text.append(
                f"log loss {result.before.log_loss:.4f} → {result.after.log_loss:.4f} · "
                f"RMSE(bins) {result.before.rmse_bins:.4f} → {result.after.rmse_bins:.4f} "
                f"on {plural(result.scored_reviews, 'held-out review')}\n",
                style="bold",
            )
        text.append(
            ("Parameters updated. " if result.changed else "Parameters unchanged. ") + result.reason
        )
        self.query_one("#optimize", Static).update(text)
