"""The live exercise: fresh numbers, each ask answered in turn, checked with a diagnosis.

NumPy and the exercise engine are imported here, off the event loop, the first time an
exercise opens; nothing else in the TUI loads them. The screen is dismissed with the
rating the learner confirmed (or None when they leave), and the attempt is stored.

Drawing, checking and revealing run in daemon threads the screen can abandon
(``tui/abandonable.py``): however long a check takes, escape leaves at once and ``q``
quits at once, and the process really exits. While a check runs, the answer box is
disabled, so those keys reach the screen instead of being typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Collapsible, Input, Static

from quizapp.exercises.rating import wrong_tries
from quizapp.store.records import StoredCard
from quizapp.text import plural
from quizapp.tui.abandonable import in_daemon_thread
from quizapp.tui.literal import visible
from quizapp.tui.widgets.answer_box import AnswerBox
from quizapp.tui.widgets.givens import Givens, join_rows, value_block
from quizapp.tui.widgets.key_footer import KeyFooter
from quizapp.tui.widgets.math_markdown import MathMarkdown, line_text
from quizapp.tui.widgets.rating_bar import RatingBar, outcome_summary

if TYPE_CHECKING:
    from quizapp.exercises import ExerciseAttempt, Verdict
    from quizapp.exercises.attempt import ExerciseSession
    from quizapp.tui.app import QuizApp


def matrix_block(name: str, lines: list[str]) -> Text:
    """A named value drawn as an aligned matrix with its shape beside its name."""
    return Text("\n").join(value_block(name, lines))


class ExerciseScreen(Screen[int | None]):
    """Work through one exercise instance for ``stored``'s card."""

    HELP_TITLE = "Exercise"
    HELP_NOTES = (
        "ctrl+t and ctrl+r work while typing in the answer box (h and r only outside it). "
        "ctrl+t again shows the step, then the card's step for this ask, then folds the "
        "hint. pageup/pagedown scroll the values."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "hint", "Hint", id="exercise.hint"),
        Binding("ctrl+r", "reveal", "Reveal", id="exercise.reveal"),
        Binding("h", "hint", "Hint", id="exercise.hint_key", show=False),
        Binding("r", "reveal", "Reveal", id="exercise.reveal_key", show=False),
        Binding("escape", "leave", "Leave", id="exercise.leave"),
        Binding("q", "app.quit", "Quit", id="exercise.quit", show=False),
        Binding("1", "rate(1)", "Again", id="exercise.rate_again", show=False),
        Binding("2", "rate(2)", "Hard", id="exercise.rate_hard", show=False),
        Binding("3", "rate(3)", "Good", id="exercise.rate_good", show=False),
        Binding("4", "rate(4)", "Easy", id="exercise.rate_easy", show=False),
        Binding("enter", "accept", "Accept rating", id="exercise.accept", show=False),
        Binding("pageup", "scroll_values(-1)", "Values up", id="exercise.page_up", show=False),
        Binding("pagedown", "scroll_values(1)", "Values down", id="exercise.page_down", show=False),
    ]

    DEFAULT_CSS = """
    ExerciseScreen #exercise-title { height: auto; padding: 0 1; text-style: bold; }
    ExerciseScreen #exercise-body { height: 1fr; }
    ExerciseScreen #asks { height: auto; padding: 0 1; }
    ExerciseScreen #prompt { height: auto; margin: 1 1 0 1; }
    ExerciseScreen #answer { margin: 0 1; background: $boost; }
    ExerciseScreen #verdict { height: auto; max-height: 12; padding: 0 1; }
    ExerciseScreen #hint {
        margin: 0 1; padding: 0 1; border-top: none; background: $boost;
    }
    ExerciseScreen #hint Contents { padding: 0 0 0 2; }
    ExerciseScreen #hint-body { height: auto; max-height: 40vh; }
    ExerciseScreen #summary { height: auto; padding: 0 1; }
    ExerciseScreen RatingBar { margin: 0 1; }
    ExerciseScreen .empty { display: none; }
    """

    class Ready(Message):
        """The instance was drawn (or could not be)."""

        def __init__(self, session: ExerciseSession | None, error: str | None = None) -> None:
            super().__init__()
            self.session = session
            self.error = error

    class Checked(Message):
        """An answer was checked."""

        def __init__(self, ask: str, verdict: Verdict) -> None:
            super().__init__()
            self.ask = ask
            self.verdict = verdict

    class Revealed(Message):
        """The reference value of an ask, as matrix lines."""

        def __init__(self, ask: str, lines: list[str]) -> None:
            super().__init__()
            self.ask = ask
            self.lines = lines

    class Finished(Message):
        """Every ask is settled; the attempt with its suggested rating."""

        def __init__(self, attempt: ExerciseAttempt) -> None:
            super().__init__()
            self.attempt = attempt

    def __init__(self, stored: StoredCard, seed: int | None = None) -> None:
        super().__init__()
        self.stored = stored
        self.seed = seed
        self.session: ExerciseSession | None = None
        self.attempt: ExerciseAttempt | None = None
        self.checking = False
        """True while an answer is being checked: the answer box is disabled and reveal
        waits, so that the check and a reveal never change the session at once."""
        self._hint_levels: dict[str, int] = {}
        """How many levels of each ask's hint were shown (the idea first, then the step)."""

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        from quizapp.tui.app import QuizApp

        assert isinstance(self.app, QuizApp)
        return self.app

    def compose(self) -> ComposeResult:
        # The values scroll; the hint, prompt and answer box stay below them, so that a
        # tall matrix or an open hint never pushes the box off an 80x24 screen.
        yield Static(Text("Drawing fresh numbers…"), id="exercise-title")
        with VerticalScroll(id="exercise-body"):
            yield Givens(id="values")
            yield Static("", id="asks")
        hint = Collapsible(VerticalScroll(id="hint-body"), title="Hint", id="hint")
        hint.display = False
        yield hint
        yield Static("", id="prompt")
        # select_on_focus off: the box is refocused after every check; a wrong answer
        # is selected explicitly (typing replaces it, an arrow key keeps it to edit).
        yield AnswerBox(
            placeholder="number, [[1, 2]], 1 2; 3 4, or an expression (enter checks, "
            "up/down recall)",
            id="answer",
            disabled=True,
            compact=True,
            select_on_focus=False,
        )
        yield Static("", id="verdict", classes="empty")
        yield Static("", id="summary", classes="empty")
        yield RatingBar(classes="hidden")
        yield KeyFooter()

    def on_mount(self) -> None:
        for title in self.query("#hint CollapsibleTitle"):
            title.can_focus = False  # a click toggles it; focus stays in the answer box
        self.draw()

    # ----------------------------------------------------------------- workers

    @work(exclusive=True, group="exercise", name="draw exercise")
    async def draw(self) -> None:
        """Parse the spec and draw an instance (imports NumPy on first use)."""
        seed = self.seed if self.seed is not None else self.quiz.seed
        clock = self.quiz.clock
        stored = self.stored

        def draw() -> tuple[ExerciseSession | None, str | None]:
            from quizapp.exercises import ExerciseError, new_instance
            from quizapp.exercises.attempt import ExerciseSession
            from quizapp.services.exercises import exercise_for

            try:
                spec = exercise_for(stored)
                if spec is None:
                    return None, "This card has no exercise."
                instance = new_instance(spec, seed)
            except ExerciseError as exc:
                return None, str(exc)
            return ExerciseSession(instance, clock=clock), None

        session, error = await in_daemon_thread(draw, name="quizapp exercise draw")
        self.post_message(self.Ready(session, error))

    @work(exclusive=True, group="exercise", name="check answer")
    async def check(self, ask: str, text: str) -> None:
        """Check one answer (diagnosing a wrong one) in a thread the screen can abandon."""
        session = self.session
        assert session is not None
        verdict = await in_daemon_thread(
            lambda: session.answer(ask, text), name="quizapp exercise check"
        )
        self.post_message(self.Checked(ask, verdict))

    @work(exclusive=True, group="exercise", name="reveal")
    async def reveal(self, ask: str) -> None:
        """Fetch the reference value of ``ask``."""
        session = self.session
        assert session is not None

        def reveal() -> list[str]:
            from quizapp.exercises import format_matrix

            return format_matrix(session.reveal(ask))

        lines = await in_daemon_thread(reveal, name="quizapp exercise reveal")
        self.post_message(self.Revealed(ask, lines))

    @work(exclusive=True, group="exercise", name="finish")
    async def finish(self) -> None:
        """Build the attempt and its suggested rating."""
        session = self.session
        assert session is not None
        attempt = await in_daemon_thread(session.finish, name="quizapp exercise finish")
        self.post_message(self.Finished(attempt))

    @work(thread=True, exclusive=True, group="exercise-save", name="save attempt")
    def save(self, attempt: ExerciseAttempt) -> None:
        """Store the attempt with the rating the learner confirmed."""
        from quizapp.services.exercises import save_attempt

        db = self.quiz.db
        assert db is not None
        save_attempt(db, self.stored, attempt)

    # ----------------------------------------------------------------- results

    @on(Ready)
    async def _ready(self, message: Ready) -> None:
        if message.session is None:
            self.query_one("#exercise-title", Static).update(
                Text(message.error or "No exercise.", style="bold red")
            )
            return
        from quizapp.exercises import format_matrix

        self.session = session = message.session
        instance = session.instance
        title = Text(visible(instance.spec.title), style="bold")
        title.append(f"   seed {instance.seed}", style="dim")
        self.query_one("#exercise-title", Static).update(title)
        # A name the spec both gives and shows is drawn once, as a given.
        values = {**instance.given, **instance.shown}
        blocks = [value_block(name, format_matrix(value)) for name, value in values.items()]
        self.query_one("#values", Givens).show(blocks)
        self._next_ask()

    def _say(self, selector: str, text: Text) -> None:
        """Show ``text`` in the verdict or summary line (hidden while they are empty)."""
        line = self.query_one(selector, Static)
        line.update(text)
        line.remove_class("empty")

    def _current(self) -> Any:
        return self.session.current if self.session is not None else None

    def _next_ask(self) -> None:
        ask = self._current()
        answer = self.query_one("#answer", Input)
        self._update_asks()
        self.query_one("#hint", Collapsible).display = False
        if ask is None:
            answer.disabled = True
            answer.display = False
            self.query_one("#prompt", Static).update("")
            self.finish()
            return
        self.query_one("#prompt", Static).update(self._prompt_text(ask))
        answer.value = ""
        answer.disabled = False
        answer.focus()

    def _prompt_text(self, ask: Any) -> Text:
        """The prompt with the ask's name and the names an answer to it may use (given,
        shown and earlier asks), so that nobody learns them from an "unknown name" error."""
        assert self.session is not None
        text = Text(visible(ask.prompt) + " = ?", style="bold")
        text.append(f"   answer {visible(ask.name)}", style="cyan")
        names = self.session.instance.scope_for(ask.name, self.session.values)
        if names:
            text.append("\n  you can use: ", style="dim")
            text.append(", ".join(visible(name) for name in names), style="dim")
        return text

    def _update_asks(self) -> None:
        """The asks in order with their state, each kept whole on one line (packed by
        width as the values are), so "∂L/∂Q (3×2)" is never parted from "(dQ)"."""
        assert self.session is not None
        segments: list[list[Text]] = []
        for ask in self.session.instance.asks:
            if ask.name in self.session.revealed:
                mark, style = "◌", "yellow"
            elif self.session.is_settled(ask.name):
                mark, style = "✓", "green"
            elif ask is self._current():
                mark, style = "▶", "bold"
            else:
                mark, style = "·", "dim"
            segment = Text(f"{mark} {visible(ask.prompt)} ", style=style)
            segment.append(f"({visible(ask.name)})", style="dim")
            segments.append([segment])
        asks = self.query_one("#asks", Static)
        width = asks.content_region.width or self.size.width - 2
        asks.update(join_rows(segments, max(width, 1), gap=3, between=""))

    def on_resize(self) -> None:
        if self.session is not None:
            self.call_after_refresh(self._update_asks)

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        ask = self._current()
        if ask is None or self.checking or not event.value.strip():
            return
        self.checking = True
        box = self.query_one("#answer", AnswerBox)
        box.remember(event.value)
        box.disabled = True
        self._say("#verdict", Text("Checking… (escape leaves, q quits)", style="dim"))
        self.refresh_bindings()
        self.check(ask.name, event.value)

    @on(Checked)
    def _checked(self, message: Checked) -> None:
        self.checking = False
        answer = self.query_one("#answer", Input)
        answer.disabled = False
        answer.focus()
        self.refresh_bindings()
        verdict = message.verdict
        text = Text()
        if verdict.correct:
            text.append("✓ correct", style="bold green")
        else:
            text.append("✗ ", style="bold red")
            text.append(visible(verdict.message), style="red")
            # A refused answer's diagnosis repeats its reason: print it once.
            if verdict.diagnosis and verdict.diagnosis != verdict.message:
                text.append("\n  " + visible(verdict.diagnosis), style="yellow")
            if verdict.verdict == "invalid":
                text.append("\n  (not counted as a wrong try)", style="dim")
        self._say("#verdict", text)
        if verdict.correct:
            self._next_ask()
        else:
            # Keep the wrong answer, selected: typing replaces it, an arrow key edits it.
            answer.select_all()

    @on(Revealed)
    def _revealed(self, message: Revealed) -> None:
        shown = matrix_block(f"{message.ask} (revealed)", message.lines)
        self._say("#verdict", shown)
        self._next_ask()

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        attempt = message.attempt
        self.attempt = attempt
        suggested = attempt.suggested_rating
        summary = outcome_summary(
            Text("Exercise done. ", style="bold"),
            plural(len(attempt.asks), "ask"),
            wrong_tries(attempt.verdicts.values()),
            len(attempt.revealed),
            attempt.duration_ms / 1000,
            suggested,
        )
        self._say("#summary", summary)
        self.query_one(RatingBar).offer(suggested)
        self.refresh_bindings()

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Rating keys work only once the exercise is finished (they are digits otherwise)."""
        if action in ("rate", "accept"):
            return self.attempt is not None
        if action == "reveal" and self.checking:
            return None  # shown but inactive until the check is back
        if action in ("hint", "reveal"):
            # Hidden (not just greyed) before the first ask and once the exercise is done.
            return self._current() is not None
        return True

    def action_hint(self) -> None:
        """Show the ask's hint, one level per press (the idea, then the step), and with the
        last level the part of the card step it comes from that gives no later ask away.
        Once everything is shown, the key folds the panel and unfolds it again."""
        ask = self._current()
        if ask is None or self.session is None:
            return
        hint = self.query_one("#hint", Collapsible)
        levels = ask.hints or ((ask.hint,) if ask.hint else ())
        before = self._hint_levels.get(ask.name, 0)
        if hint.display and before >= max(len(levels), 1):
            hint.collapsed = not hint.collapsed
            return
        shown = min(before + 1, max(len(levels), 1))
        self._hint_levels[ask.name] = shown
        more = shown < len(levels)
        hint.title = f"Hint ({self._key_for('exercise.hint')} again: the step)" if more else "Hint"
        widgets: list[Static | MathMarkdown] = [
            Static(Text(visible(level))) for level in levels[:shown]
        ] or [Static(Text("No hint for this one."))]
        if not more:
            step = self._hint_step(ask)
            if step is not None:
                heading = Text("From the card: ", style="bold")
                heading.append_text(line_text(step.title, "bold"))
                widgets.append(Static(heading))
                widgets.append(MathMarkdown(step.text))
        body = self.query_one("#hint-body", VerticalScroll)
        body.remove_children()
        body.mount_all(widgets)
        hint.display = True
        hint.collapsed = False
        body.scroll_home(animate=False)

    def _key_for(self, binding_id: str) -> str:
        """The key that now triggers ``binding_id`` (a keymap may have changed it)."""
        for bindings in self._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id == binding_id:
                    return self.app.get_key_display(binding)
        return binding_id

    def _hint_step(self, ask: Any) -> Any:
        """The card step the ask links to, without what names a later ask."""
        from quizapp.services.hint_steps import AskLabel, hint_step

        assert self.session is not None
        asks = list(self.session.instance.asks)
        later = [AskLabel.of(a.name, a.prompt) for a in asks[asks.index(ask) + 1 :]]
        return hint_step(self.stored.card, ask.step, ask.prompt, later)

    def action_scroll_values(self, direction: int) -> None:
        """Scroll the values by a page (the answer box keeps the focus)."""
        body = self.query_one("#exercise-body", VerticalScroll)
        if direction < 0:
            body.scroll_page_up(animate=False)
        else:
            body.scroll_page_down(animate=False)

    def action_reveal(self) -> None:
        """Show the reference answer (the suggested rating becomes Again)."""
        ask = self._current()
        if ask is not None and not self.checking:
            self.reveal(ask.name)

    def action_rate(self, rating: int) -> None:
        """Confirm ``rating`` for the card and go back to the review."""
        if self.attempt is None:
            return
        attempt = self.attempt.with_rating(rating)
        self.save(attempt)
        self.dismiss(rating)

    def action_accept(self) -> None:
        """Take the suggested rating."""
        if self.attempt is not None:
            self.action_rate(self.attempt.suggested_rating)

    @on(RatingBar.Rated)
    def _rated(self, message: RatingBar.Rated) -> None:
        self.action_rate(message.rating)

    def action_leave(self) -> None:
        """Back to the card without rating it (an unfinished attempt is not stored)."""
        self.dismiss(None)
