"""Review: one card at a time, steps revealed on demand, rated 1–4, with undo.

Every database call (next card, answer, undo, suspend, bury) runs in one exclusive thread
worker group and reports back with a Message, so the screen never freezes and the calls
happen in the order the learner pressed the keys.

A card written in several languages is shown in the ``language`` setting's, and ``l``
shows it in the next one; ``m`` shows or hides its "More" panel (follow-ups, references,
links), which otherwise appears with the whole answer.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from quizapp.cards.model import CardKind
from quizapp.store.errors import StaleCardError, StoreError
from quizapp.text import plural
from quizapp.tui.session_request import SessionRequest
from quizapp.tui.widgets.card_view import CardView
from quizapp.tui.widgets.key_footer import KeyFooter
from quizapp.tui.widgets.rating_bar import RatingBar
from quizapp.tui.widgets.session_bar import SessionBar, format_elapsed

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp
    from quizapp.tui.study_adapter import CardTurn, SessionSummary, StudyAdapter

_RATE = Binding.Group("Rate", compact=True)


def _asking_hint(view: CardView, exercise: bool = False, drills: bool = False) -> str:
    """The line under a card not yet revealed: what the first reveal will do."""
    kind = view.shown.kind if view.shown is not None else CardKind.BASIC
    extra = _extra_keys(view, exercise, drills)
    if kind is CardKind.CLOZE:
        return f"space: fill in the gap · a: show all{extra} · ? help"
    if kind is CardKind.QUESTION_ONLY:
        return f"answer aloud, then space: reveal{extra} · ? help"
    return f"space: reveal step 1/{view.total_steps} · a: show all{extra} · ? help"


def _extra_keys(view: CardView, exercise: bool = False, drills: bool = False) -> str:
    """The keys a card's exercise, formula drills, languages and "More" panel add to the
    hint (`` · e: exercise · f: formula drills · l: RU``): the footer has no room for them
    at 80 columns."""
    keys = " · e: exercise" if exercise else ""
    if drills:
        keys += " · f: formula drills"
    languages = view.languages
    if len(languages) > 1:
        keys += f" · l: {languages[1].upper()}"
    if view.has_more:
        keys += " · m: more"
    return keys


class ReviewScreen(Screen[None]):
    """Study a session: reveal, rate, undo, suspend, bury, exercise, related, edit."""

    HELP_TITLE = "Review"
    HELP_NOTES = (
        'Top bar: cards answered / the total planned; cards that join later show as "+N '
        'added". With an interview date set, cards due later are brought forward, marked '
        '"early: interview in M days, due in N days" (on a narrow screen "Md", "Nd"). '
        "Escape after an answer shows the summary first (u: take the answer back)."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "reveal", "Next step", id="review.reveal"),
        # Shown in the line under the card instead: the footer must fit 80 columns.
        Binding("a", "reveal_all", "Show all", id="review.reveal_all", show=False),
        Binding("1", "rate(1)", "Again", id="review.rate_again", group=_RATE),
        Binding("2", "rate(2)", "Hard", id="review.rate_hard", group=_RATE),
        Binding("3", "rate(3)", "Good", id="review.rate_good", group=_RATE),
        Binding("4", "rate(4)", "Easy", id="review.rate_easy", group=_RATE),
        Binding("u", "undo", "Undo", id="review.undo"),
        Binding("e", "exercise", "Exercise", id="review.exercise", show=False),
        Binding("f", "drill", "Formula drills", id="review.drill", show=False),
        Binding("s", "suspend", "Suspend", id="review.suspend", show=False),
        Binding("b", "bury", "Bury", id="review.bury", show=False),
        Binding("r", "related", "Related", id="review.related", show=False),
        Binding("l", "language", "Other language", id="review.language", show=False),
        Binding("m", "more", "More", id="review.more", show=False),
        Binding("o", "edit", "Edit source", id="review.edit", show=False),
        Binding("escape,q", "leave", "End session", id="review.leave"),
        Binding("escape,q", "back", "Back", id="review.back"),
    ]

    DEFAULT_CSS = """
    ReviewScreen #review-body { height: 1fr; }
    ReviewScreen #answer-hint { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    ReviewScreen RatingBar { margin: 0 1; }
    ReviewScreen #summary-view { padding: 1 2; height: 1fr; }
    """

    class TurnReady(Message):
        """The next card (or, with ``turn`` None, the end of the session) is known."""

        def __init__(self, turn: CardTurn | None, note: str | None = None) -> None:
            super().__init__()
            self.turn = turn
            self.note = note

    class SummaryReady(Message):
        """The end-of-session summary."""

        def __init__(self, summary: SessionSummary) -> None:
            super().__init__()
            self.summary = summary

    class Failed(Message):
        """A session call failed with a one-line reason."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, request: SessionRequest | None = None) -> None:
        super().__init__()
        self.request = request or SessionRequest()
        self.adapter: StudyAdapter | None = None
        self.turn: CardTurn | None = None
        self.shown_at: datetime | None = None
        self.complete = False
        """True while the session-complete summary is shown (undo can bring a card back)."""
        self._busy = False
        self._key_state: tuple[bool, bool, bool, bool, bool] | None = None
        self._left_early = 0
        """Cards not reached when the learner ended the session with escape (0: it ran
        to its end, or goes on)."""

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        from quizapp.tui.app import QuizApp

        assert isinstance(self.app, QuizApp)
        return self.app

    def compose(self) -> ComposeResult:
        label = self.request.describe()
        yield SessionBar(label, self.quiz.clock())
        with Vertical(id="review-body"):
            yield CardView(id="card-view")
            yield Static("", id="answer-hint")
            yield RatingBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#answer-hint", Static).update(Text("Loading the session…"))
        self.query_one(RatingBar).display = False
        self.set_interval(1.0, self._tick)
        self.open_session()

    def _tick(self) -> None:
        self.query_one(SessionBar).tick(self.quiz.clock())

    # ----------------------------------------------------------------- workers

    @work(thread=True, exclusive=False, group="study", name="open session")
    def open_session(self) -> None:
        """Build the session and fetch its first card."""
        from quizapp.tui.study_adapter import StudyAdapter

        try:
            assert self.quiz.db is not None
            self.adapter = StudyAdapter(self.quiz.db, self.request, self.quiz.clock)
            turn = self.adapter.current()
        except (ValueError, StoreError) as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.TurnReady(turn))

    @work(thread=True, group="study", name="session step")
    def _call(self, method: str, *args: Any) -> None:
        """Run one session method, then fetch the card to show next."""
        adapter = self.adapter
        assert adapter is not None
        try:
            note = getattr(adapter, method)(*args)
            turn = adapter.current()
        except StaleCardError as exc:
            # Another window answered the card first, and the session let it go: show the
            # card afresh, in its new state, or no key could answer what is on screen.
            self.post_message(self.Failed(str(exc)))
            note = None
            try:
                turn = adapter.current()
            except (ValueError, StoreError) as again:
                self.post_message(self.Failed(str(again)))
                return
        except (ValueError, StoreError) as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.TurnReady(turn, note if isinstance(note, str) else None))

    @work(thread=True, group="study", name="session summary")
    def _summarise(self) -> None:
        adapter = self.adapter
        assert adapter is not None
        self.post_message(self.SummaryReady(adapter.summary()))

    # ----------------------------------------------------------------- results

    @on(TurnReady)
    async def _show_turn(self, message: TurnReady) -> None:
        self._busy = False
        if message.note:
            self.notify(message.note, markup=False)
        turn = message.turn
        self.turn = turn
        if turn is not None:
            self._left_early = 0  # an undo from the summary carries on with the session
        bar = self.query_one(SessionBar)
        if turn is None:
            bar.done = self.adapter.answered if self.adapter else 0
            bar.total = min(bar.total, bar.done) if bar.total else bar.done
            bar.added = bar.done - bar.total
            bar.early = ()
            self._summarise()
            return
        self.complete = False
        bar.total = turn.planned
        bar.added = turn.added
        bar.done = turn.done
        bar.early = turn.early
        view = self.query_one(CardView)
        await view.show_card(
            turn.stored.card, turn.stored.memory.display_state, language=self._preferred_language()
        )
        await self.query("#summary-view").remove()
        view.display = True
        self.query_one(RatingBar).show_previews(turn.previews)
        self._update_answer_area()
        self.shown_at = self.quiz.clock()
        view.focus()
        if self.request.formula_recall:
            self._open_drills(recall=True)

    @on(SummaryReady)
    async def _show_summary(self, message: SummaryReady) -> None:
        summary = message.summary
        view = self.query_one(CardView)
        view.display = False
        self.query_one(RatingBar).display = False
        text = Text()
        if self._left_early:
            text.append("Session ended\n\n", style="bold")
        else:
            text.append("Session complete\n\n", style="bold")
        text.append(f"Cards reviewed   {summary.reviewed}\n")
        if self._left_early:
            text.append(f"Not reached      {plural(self._left_early, 'card')} (still due)\n")
        again = f"{summary.again_rate:.0%}" if summary.reviewed else "—"
        text.append(f"Again rate       {again}\n")
        text.append(f"Time spent       {format_elapsed(summary.seconds)}\n")
        text.append(f"Next card due    {summary.next_due_text}\n")
        if summary.cram:
            text.append("\nCram session: no schedule was changed.\n", style="italic")
        undo = "u undo the last answer · " if summary.reviewed else ""
        text.append(f"\n{undo}escape back to {self.back_to()}", style="dim")
        if not self.query("#summary-view"):
            await self.query_one("#review-body").mount(Static(text, id="summary-view"), before=0)
        else:
            self.query_one("#summary-view", Static).update(text)
        self.query_one("#answer-hint", Static).update("")
        self.complete = True
        self._refresh_keys()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._busy = False
        self.notify(message.error, title="Not done", severity="error", markup=False)

    def _preferred_language(self) -> str:
        """The ``language`` setting: cards written in several are shown in it first."""
        adapter = self.adapter
        return adapter.session.settings.language if adapter is not None else ""

    # ----------------------------------------------------------------- actions

    def back_to(self) -> str:
        """The name of the screen that ending the session returns to (Home, Browse …)."""
        stack = self.app.screen_stack
        below = stack[stack.index(self) - 1] if self in stack and stack.index(self) else None
        return str(getattr(below, "HELP_TITLE", "Home"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Rating needs a revealed answer; card actions need a card. Once the session is
        complete the card keys leave the footer, and escape is "Back", not "End session"."""
        if action in ("leave", "back"):
            return self.complete == (action == "back")
        if self.complete:
            return action == "undo"
        if action == "rate":
            # Not dimmed before the answer is shown (action_rate ignores it then): a footer
            # redraw per card would cost more than the whole database round trip.
            return None if self.turn is None else True
        if action == "edit" and not self.quiz.capabilities.edit_source:
            return False  # served to a browser: no editor on the server's terminal
        if action in ("reveal", "reveal_all", "suspend", "bury", "related", "edit", "drill"):
            return None if self.turn is None else True
        if action == "language":
            return None if self.turn is None or not self.query_one(CardView).languages else True
        if action == "more":
            return None if self.turn is None or not self.query_one(CardView).has_more else True
        if action == "exercise":
            return None if self.turn is None or not self.turn.has_exercise else True
        return True

    def _has_exercise(self) -> bool:
        return self.turn is not None and self.turn.has_exercise

    def _has_drills(self) -> bool:
        return self.turn is not None and self.turn.has_drills

    def _update_answer_area(self) -> None:
        view = self.query_one(CardView)
        hint = self.query_one("#answer-hint", Static)
        bar = self.query_one(RatingBar)
        if view.revealed == 0:
            hint.update(Text(_asking_hint(view, self._has_exercise(), self._has_drills())))
            bar.display = False
        else:
            left = view.total_steps - view.revealed
            more = f"space: {left} more step{'s' if left != 1 else ''} · " if left else ""
            keys = _extra_keys(view, self._has_exercise(), self._has_drills())
            keys = keys.removeprefix(" · ")
            keys = f" · {keys}" if keys else ""
            hint.update(Text(f"{more}rate 1 again · 2 hard · 3 good · 4 easy{keys}"))
            bar.display = True
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        """Redraw the footer only when which actions are available has changed.

        The footer rebuilds its keys on every refresh, which is most of the cost of showing
        the next card; the availability below is all that ``check_action`` depends on.
        """
        view = self.query_one(CardView)
        state = (
            self.complete,
            self.turn is None,
            self.turn is not None and self.turn.has_exercise,
            bool(view.languages),
            view.has_more,
        )
        if state != self._key_state:
            self._key_state = state
            self.refresh_bindings()

    def action_reveal(self) -> None:
        """Reveal the next step (or, with all shown, nothing)."""
        view = self.query_one(CardView)
        if self.turn is not None and view.reveal_next():
            self._update_answer_area()

    def action_reveal_all(self) -> None:
        """Reveal every remaining step."""
        if self.turn is not None:
            self.query_one(CardView).reveal_all()
            self._update_answer_area()

    async def action_language(self) -> None:
        """Show the card in its next language (the setting's first), as far revealed."""
        view = self.query_one(CardView)
        languages = view.languages
        if self.turn is None or len(languages) < 2:
            self.notify("This card is written in one language.", markup=False)
            return
        await view.show_language(languages[1])
        self._update_answer_area()

    def action_more(self) -> None:
        """Show or hide the card's "More" panel: follow-ups, references, links."""
        view = self.query_one(CardView)
        if self.turn is None or not view.toggle_more():
            self.notify("This card has nothing more.", markup=False)

    def action_rate(self, rating: int) -> None:
        """Answer the card on screen with ``rating`` (1 again … 4 easy)."""
        if self.turn is None or self._busy or self.query_one(CardView).revealed == 0:
            return
        self._busy = True
        self._call("answer", rating, self._duration_ms())

    @on(RatingBar.Rated)
    def _rated(self, message: RatingBar.Rated) -> None:
        self.action_rate(message.rating)

    def _duration_ms(self) -> int:
        if self.shown_at is None:
            return 0
        return max(int((self.quiz.clock() - self.shown_at).total_seconds() * 1000), 0)

    def action_undo(self) -> None:
        """Take back the last answer and show that card again."""
        if self.adapter is not None and not self._busy:
            self._busy = True
            self._call("undo")

    def action_suspend(self) -> None:
        """Suspend the card on screen; it leaves every session until unsuspended."""
        if self.turn is not None and not self._busy:
            self._busy = True
            self._call("suspend")

    def action_bury(self) -> None:
        """Hide the card on screen until tomorrow."""
        if self.turn is not None and not self._busy:
            self._busy = True
            self._call("bury")

    def action_leave(self) -> None:
        """End the session: with answers given, its summary first (the cards answered,
        the again rate, the time, what was not reached; escape again goes back to where the
        session began, ``u`` takes the last answer back and carries on); otherwise straight
        back there."""
        turn = self.turn
        answered = self.adapter.answered if self.adapter is not None else 0
        if turn is None or answered == 0 or self._busy:
            self.dismiss()
            return
        self._left_early = turn.remaining
        self.turn = None
        bar = self.query_one(SessionBar)
        bar.total = min(bar.total, answered)
        bar.added = answered - bar.total
        bar.done = answered
        bar.early = ()
        self._summarise()

    def action_back(self) -> None:
        """Leave the session-complete summary for the screen the session began on."""
        self.dismiss()

    def action_exercise(self) -> None:
        """Open the card's live exercise; its suggested rating comes back as an answer."""
        if self.turn is None or not self.turn.has_exercise:
            self.notify("This card has no exercise.", markup=False)
            return
        from quizapp.tui.screens.exercise import ExerciseScreen

        def rated(rating: int | None) -> None:
            if rating is not None:
                self.query_one(CardView).reveal_all()
                self._busy = True
                self._call("answer", rating, self._duration_ms())

        self.app.push_screen(ExerciseScreen(self.turn.stored), rated)

    def action_drill(self) -> None:
        """Open the card's formula drills; their suggested rating comes back as an answer."""
        self._open_drills(recall=False)

    def _open_drills(self, recall: bool) -> None:
        """The drill screen for the card on screen (``recall``: opened by a formula recall
        session, and left at once, with a note, when the card has no drill)."""
        if self.turn is None:
            return
        from quizapp.tui.screens.drill import DrillScreen

        def rated(rating: int | None) -> None:
            if rating is not None:
                self.query_one(CardView).reveal_all()
                self._busy = True
                self._call("answer", rating, self._duration_ms())

        self.app.push_screen(DrillScreen(self.turn.stored, recall=recall), rated)

    def action_related(self) -> None:
        """List the related questions; choosing a linked one previews that card."""
        if self.turn is None:
            return
        from quizapp.tui.dialogs.related import RelatedDialog

        self.app.push_screen(RelatedDialog(self.turn.stored))

    def action_edit(self) -> None:
        """Open the card's source file in $EDITOR, then re-import it."""
        if self.turn is None or not self.quiz.capabilities.edit_source:
            return
        path = self.turn.stored.source_path
        if not path or not os.path.exists(path):
            self.notify(
                f"Source file not found: {path or '(none)'}", severity="warning", markup=False
            )
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        from textual.app import SuspendNotSupported

        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(editor), path], check=False)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor.", severity="warning")
            return
        except (OSError, ValueError) as exc:
            self.notify(f"Could not run {editor}: {exc}", severity="error", markup=False)
            return
        self._busy = True
        self._call("reimport", path)
