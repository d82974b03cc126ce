"""Formula drills: a card's equations recalled one by one, checked by numeric equivalence.

Opened with ``f`` in review. Each drill shows the step's heading, the sentence before the
formula and ``lhs = ?``; the learner types the right side in LaTeX or in the exercise
language. A right answer moves on, a wrong one stays with its diagnosis, ``ctrl+r`` reveals
the card's formula, ``ctrl+n`` skips. After the last drill (or ``ctrl+o``) the screen
suggests a rating by the exercises' rules, which the learner confirms or overrides; the
screen is dismissed with it (None when they leave).

Translation and checking run in daemon threads the screen can abandon
(``tui/abandonable.py``), as the exercise screen's do: escape leaves at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from quizapp.drills.drawing import prose
from quizapp.exercises.rating import wrong_tries
from quizapp.store.records import StoredCard
from quizapp.text import plural
from quizapp.tui.abandonable import in_daemon_thread
from quizapp.tui.literal import visible
from quizapp.tui.widgets.answer_box import AnswerBox
from quizapp.tui.widgets.key_footer import KeyFooter
from quizapp.tui.widgets.math_markdown import MathMarkdown, line_text
from quizapp.tui.widgets.rating_bar import RatingBar, outcome_summary

if TYPE_CHECKING:
    from quizapp.drills.checking import DrillVerdict
    from quizapp.drills.drill import Drill
    from quizapp.tui.app import QuizApp


def prompt_markdown(drill: Drill) -> str:
    """The drill as Markdown: the sentence before the formula, then ``lhs = ?``."""
    sentence = f"{drill.sentence}\n\n" if drill.sentence else ""
    return f"{sentence}$$ {drill.lhs} = \\;? $$"


def symbols_text(drill: Drill) -> Text:
    """The names the learner may type, each with its drawn form where the two differ."""
    text = Text("symbols: ", style="dim")
    text.append(visible(drill.symbols_line()))
    return text


def revealed_text(drill: Drill, total: int, width: int) -> Text:
    """The card's equation (every side of a chain) drawn as math: display math when it
    fits ``width`` cells, else one line. It stays on screen under the next drill, so it
    says which drill it answers."""
    from quizapp.drills.drawing import formula_lines

    label = f"drill {drill.number} of {total}, revealed:"
    lines = formula_lines(drill.revealed, max(20, width - 2))
    if len(lines) == 1:
        return Text(f"{label} {visible(lines[0])}", style="yellow")
    return Text("\n".join([label, *(f"  {visible(line)}" for line in lines)]), style="yellow")


class DrillScreen(Screen[int | None]):
    """Work through the formula drills of ``stored``'s card."""

    HELP_TITLE = "Formula drills"
    HELP_NOTES = (
        "Type the right side in LaTeX (\\sigma(z)(1-\\sigma(z))) or in the exercise language "
        "(sigmoid(z) * (1 - sigmoid(z))), naming symbols as the symbol line does. A formula "
        "in matrix notation is also checked with its symbols as matrices."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reveal", "Reveal", id="drill.reveal"),
        Binding("ctrl+n", "skip", "Skip", id="drill.skip"),
        Binding("ctrl+o", "finish", "Finish", id="drill.finish"),
        Binding("escape", "leave", "Leave", id="drill.leave"),
        Binding("q", "app.quit", "Quit", id="drill.quit", show=False),
        Binding("1", "rate(1)", "Again", id="drill.rate_again", show=False),
        Binding("2", "rate(2)", "Hard", id="drill.rate_hard", show=False),
        Binding("3", "rate(3)", "Good", id="drill.rate_good", show=False),
        Binding("4", "rate(4)", "Easy", id="drill.rate_easy", show=False),
        Binding("enter", "accept", "Accept rating", id="drill.accept", show=False),
    ]

    DEFAULT_CSS = """
    DrillScreen #drill-title { height: auto; padding: 0 1; text-style: bold; }
    DrillScreen #drill-body { height: auto; max-height: 60%; }
    DrillScreen #drill-heading { height: auto; padding: 0 1; color: $accent; }
    DrillScreen #drill-prompt { height: auto; margin: 0 1; }
    DrillScreen #drill-symbols { height: auto; padding: 0 1; }
    DrillScreen #drill-answer { margin: 0 1; background: $boost; }
    DrillScreen #drill-verdict { height: auto; max-height: 12; padding: 0 1; }
    DrillScreen #drill-summary { height: auto; padding: 0 1; }
    DrillScreen RatingBar { margin: 0 1; }
    DrillScreen .empty { display: none; }
    """

    class Ready(Message):
        """The card's drills were made (or could not be)."""

        def __init__(self, drills: list[Drill], error: str | None = None) -> None:
            super().__init__()
            self.drills = drills
            self.error = error

    class Checked(Message):
        """An answer to drill ``index`` was checked."""

        def __init__(self, index: int, verdict: DrillVerdict) -> None:
            super().__init__()
            self.index = index
            self.verdict = verdict

    def __init__(self, stored: StoredCard, recall: bool = False) -> None:
        super().__init__()
        self.stored = stored
        self.recall = recall
        """Opened by a formula recall session: a card without drills goes straight back."""
        self.drills: list[Drill] = []
        self.index = 0
        """The drill on screen (``len(drills)`` once they are all done)."""
        self.verdicts: dict[int, list[str]] = {}
        """Each worked drill's verdicts, in order."""
        self.revealed: set[int] = set()
        self.settled: set[int] = set()
        """Drills answered right or revealed."""
        self.checking = False
        """True while an answer is being checked (the answer box is disabled meanwhile)."""
        self.suggested: int | None = None
        """The suggested rating, once the drills are finished."""
        self.started: datetime | None = None

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        from quizapp.tui.app import QuizApp

        assert isinstance(self.app, QuizApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Static(Text("Reading the card's formulas…"), id="drill-title")
        with VerticalScroll(id="drill-body"):
            yield Static("", id="drill-heading")
            yield MathMarkdown("", id="drill-prompt")
            yield Static("", id="drill-symbols")
        yield AnswerBox(
            placeholder="the right side, in LaTeX or as an expression (enter checks)",
            id="drill-answer",
            disabled=True,
            compact=True,
            select_on_focus=False,
        )
        yield Static("", id="drill-verdict", classes="empty")
        yield Static("", id="drill-summary", classes="empty")
        yield RatingBar(classes="hidden")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.started = self.quiz.clock()
        self.load()

    # ----------------------------------------------------------------- workers

    @work(exclusive=True, group="drill", name="read drills")
    async def load(self) -> None:
        """Translate the card's formulas into drills (imports NumPy on first use)."""
        card = self.stored.card

        def read() -> tuple[list[Drill], str | None]:
            from quizapp.services.drills import drills_for

            found = drills_for(card)
            if not found.drills:
                return [], "This card has no formula quizapp can drill (quizapp check -v says why)."
            for drill in found.drills:
                drill.modes  # noqa: B018 - draw the points here, off the event loop
            return found.drills, None

        drills, error = await in_daemon_thread(read, name="quizapp drill read")
        self.post_message(self.Ready(drills, error))

    @work(exclusive=True, group="drill", name="check drill answer")
    async def check(self, index: int, text: str) -> None:
        """Check one answer in a thread the screen can abandon."""
        from quizapp.services.drills import check

        drill = self.drills[index]
        verdict = await in_daemon_thread(lambda: check(drill, text), name="quizapp drill check")
        self.post_message(self.Checked(index, verdict))

    # ----------------------------------------------------------------- results

    @on(Ready)
    async def _ready(self, message: Ready) -> None:
        title = self.query_one("#drill-title", Static)
        if not message.drills:
            if self.recall:
                self.notify("No formula to drill on this card: rate it as usual.", markup=False)
                self.dismiss(None)
                return
            title.update(Text(message.error or "No drills.", style="bold red"))
            return
        self.drills = message.drills
        await self._show()

    async def _show(self) -> None:
        """Put the current drill on screen, or finish when none is left."""
        box = self.query_one("#drill-answer", AnswerBox)
        if self.index >= len(self.drills):
            box.disabled = True
            box.display = False
            self._finish()
            return
        drill = self.drills[self.index]
        title = Text("Formula drills · ", style="bold")
        title.append_text(line_text(self.stored.card.title, "bold"))
        title.append(f"   {self.index + 1} of {len(self.drills)}", style="dim")
        if drill.matrix_checked:
            title.append("   checked with matrices too", style="dim cyan")
        self.query_one("#drill-title", Static).update(title)
        self.query_one("#drill-heading", Static).update(Text(visible(prose(drill.heading))))
        await self.query_one("#drill-prompt", MathMarkdown).update(prompt_markdown(drill))
        self.query_one("#drill-symbols", Static).update(symbols_text(drill))
        box.value = ""
        box.disabled = False
        box.display = True
        box.focus()

    def _say(self, selector: str, text: Text) -> None:
        line = self.query_one(selector, Static)
        line.update(text)
        line.remove_class("empty")

    @on(Input.Submitted, "#drill-answer")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.checking or self.index >= len(self.drills) or not event.value.strip():
            return
        self.checking = True
        box = self.query_one("#drill-answer", AnswerBox)
        box.remember(event.value)
        box.disabled = True
        self._say("#drill-verdict", Text("Checking… (escape leaves)", style="dim"))
        self.refresh_bindings()
        self.check(self.index, event.value)

    @on(Checked)
    async def _checked(self, message: Checked) -> None:
        self.checking = False
        box = self.query_one("#drill-answer", AnswerBox)
        box.disabled = False
        box.focus()
        self.refresh_bindings()
        verdict = message.verdict
        self.verdicts.setdefault(message.index, []).append(verdict.verdict)
        text = Text()
        if verdict.correct:
            done = f"drill {message.index + 1} of {len(self.drills)}"
            text.append(f"✓ {done}: {visible(verdict.message)}", style="bold green")
        else:
            text.append("✗ ", style="bold red")
            text.append(visible(verdict.message), style="red")
            if verdict.diagnosis and verdict.diagnosis != verdict.message:
                text.append("\n  " + visible(verdict.diagnosis), style="yellow")
            if not verdict.counts:
                text.append("\n  (not counted as a wrong try)", style="dim")
        self._say("#drill-verdict", text)
        if verdict.correct:
            self.settled.add(message.index)
            self.index += 1
            await self._show()
        else:
            box.select_all()

    def _finish(self) -> None:
        """The summary and the suggested rating of the drills worked."""
        from quizapp.services.drills import suggest_drill_rating

        worked = sorted(set(self.verdicts) | self.revealed)
        text = Text("Drills done. ", style="bold")
        if not worked:
            text.append("None answered — escape goes back to the card.")
            self._say("#drill-summary", text)
            return
        results = [(self.verdicts.get(i, []), i in self.revealed) for i in worked]
        assert self.started is not None
        elapsed = (self.quiz.clock() - self.started).total_seconds()
        suggested = suggest_drill_rating(results, elapsed)
        self.suggested = suggested
        wrong = wrong_tries(self.verdicts.values())
        worked_text = plural(len(worked), "drill")
        self._say(
            "#drill-summary",
            outcome_summary(text, worked_text, wrong, len(self.revealed), elapsed, suggested),
        )
        self.query_one(RatingBar).offer(suggested)
        self.refresh_bindings()

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Rating keys only once finished; drill keys only while a drill is on screen."""
        if action in ("rate", "accept"):
            return self.suggested is not None
        if action in ("reveal", "skip", "finish"):
            if self.index >= len(self.drills):
                return False
            return None if self.checking else True
        return True

    async def action_reveal(self) -> None:
        """Show the card's formula (the drill counts as revealed: Again)."""
        if self.checking or self.index >= len(self.drills):
            return
        drill = self.drills[self.index]
        self.revealed.add(self.index)
        self.settled.add(self.index)
        width = self.query_one("#drill-verdict", Static).size.width or self.size.width
        self._say("#drill-verdict", revealed_text(drill, len(self.drills), width))
        self.index += 1
        await self._show()

    async def action_skip(self) -> None:
        """Go to the next drill; a skipped drill does not count unless it was tried."""
        if self.checking or self.index >= len(self.drills):
            return
        self.index += 1
        self.query_one("#drill-verdict", Static).add_class("empty")
        await self._show()

    async def action_finish(self) -> None:
        """Stop here and rate the drills worked so far."""
        if self.checking or self.index >= len(self.drills):
            return
        self.index = len(self.drills)
        await self._show()

    def action_rate(self, rating: int) -> None:
        """Confirm ``rating`` for the card and go back to the review."""
        if self.suggested is not None:
            self.dismiss(rating)

    def action_accept(self) -> None:
        """Take the suggested rating."""
        if self.suggested is not None:
            self.dismiss(self.suggested)

    @on(RatingBar.Rated)
    def _rated(self, message: RatingBar.Rated) -> None:
        self.action_rate(message.rating)

    def action_leave(self) -> None:
        """Back to the card without rating it."""
        self.dismiss(None)
