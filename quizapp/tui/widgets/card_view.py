"""A card's question and its derivation steps, revealed one at a time.

The review, preview and exercise screens all show cards through this widget, so a card
looks the same everywhere: literal text, math drawn by ``quizapp.mathtext``, a heading
with a "step 3/9" counter for each revealed step. Each kind of card is shown as
``quizapp.cards.kinds.present`` says: a cloze asks with its deletions hidden and its
first reveal fills them in where they stand; a question-only card's reveal says that
there is no written answer.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from quizapp.cards.kinds import Presentation, present
from quizapp.cards.model import Card, Step
from quizapp.tui.literal import visible
from quizapp.tui.widgets.badges import Badges
from quizapp.tui.widgets.math_markdown import MathMarkdown

#: ``show_card(..., revealed=REVEAL_ALL)`` shows a card with everything revealed.
REVEAL_ALL = 1 << 30


class StepView(Vertical):
    """One revealed step: its heading path with the counter, then its Markdown."""

    DEFAULT_CSS = """
    StepView { height: auto; margin: 0 0 1 0; }
    StepView > .step-heading {
        height: 1; padding: 0 1; background: $boost; color: $accent; text-style: bold;
    }
    """

    def __init__(self, step: Step, number: int, total: int, *, pin_on_mount: bool = False) -> None:
        super().__init__(classes="step")
        self.step = step
        self.number = number
        self.total = total
        self.pin_on_mount = pin_on_mount

    def compose(self) -> ComposeResult:
        heading = Text(visible(self.step.title or "Answer"), style="bold", no_wrap=True,
                       overflow="ellipsis")
        heading.append(f"  step {self.number}/{self.total}", style="not bold dim")
        yield Static(heading, classes="step-heading")
        yield MathMarkdown()

    def on_mount(self) -> None:
        """Fill in the Markdown from a worker, so that revealing a step never makes the
        card view wait for its formulas to be drawn (keys reach the screen meanwhile)."""
        self.run_worker(self._fill(), group="step", exit_on_error=False)

    async def _fill(self) -> None:
        """Render the Markdown, then (for a newly revealed step) bring it into view.

        Scrolling waits for the Markdown's blocks, or it would aim at a step of height 0.
        """
        await self.query_one(MathMarkdown).update(visible(self.step.text))
        if self.pin_on_mount and self.parent is not None:
            self.call_after_refresh(self._bring_into_view)

    def _bring_into_view(self) -> None:
        view = self.parent
        if isinstance(view, CardView):
            view.pin(self)


class CardView(VerticalScroll):
    """Shows ``card``: badges, title, question, and the first ``revealed`` steps.

    Steps are mounted as they are revealed (never re-rendered), and the view scrolls to
    the newest one, so long answers stay readable on a small terminal.
    """

    DEFAULT_CSS = """
    CardView { height: 1fr; }
    CardView > #card-title { padding: 0 1; text-style: bold; color: $text-primary; }
    CardView > #card-question { margin: 0 0 1 0; }
    CardView > #answer-rule { color: $secondary; height: 1; padding: 0 1; }
    """

    revealed: reactive[int] = reactive(0, init=False)
    """How many reveals are shown (a step each, and a cloze's filling in first); 0 shows
    the question only."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pinned: StepView | None = None
        self.card: Card | None = None
        self.shown: Presentation | None = None
        self.state: str | None = None
        self._mounted_steps = 0
        self._filled = False

    def compose(self) -> ComposeResult:
        yield Badges(id="card-badges")
        yield Static("", id="card-title", markup=False)
        yield MathMarkdown("", id="card-question")
        yield Static("", id="answer-rule", markup=False)

    def watch_has_focus(self, _has_focus: bool) -> None:
        """Restyle only the view itself when it gains or loses focus.

        Textual restyles a focused widget's whole subtree, a cost per widget that a long
        card pays on every focus change; nothing inside the card view is styled by its
        focus, so its own node (and scrollbars) is all that changes.
        """
        self.app.stylesheet.update_nodes([self], animate=True)

    def pin(self, step: StepView) -> None:
        """Keep ``step`` at the top while its content is still being laid out."""
        self._pinned = step
        self._scroll_to_pinned()

    def _scroll_to_pinned(self) -> None:
        step = self._pinned
        if step is not None and step.is_attached:
            self.scroll_to(y=step.virtual_region.y, animate=False, force=True, immediate=True)

    def watch_virtual_size(self) -> None:
        """The newest step grew (its formulas were drawn): keep its heading in view."""
        self.call_after_refresh(self._scroll_to_pinned)

    @property
    def total_steps(self) -> int:
        """How many reveals the current card has: its steps, and a cloze's filling in."""
        return self.shown.reveals if self.shown else 0

    @property
    def fully_revealed(self) -> bool:
        """True once every step is shown."""
        return self.card is not None and self.revealed >= self.total_steps

    async def show_card(self, card: Card, state: str | None = None, revealed: int = 0) -> None:
        """Replace the card on display, showing ``revealed`` reveals (at most all)."""
        self.card = card
        shown = self.shown = present(card)
        self.state = state
        self._pinned = None
        await self.query(StepView).remove()
        self._mounted_steps = 0
        self._filled = False
        self.query_one(Badges).show(card, state)
        self.query_one("#card-title", Static).update(Text(visible(shown.title)))
        await self.query_one("#card-question", MathMarkdown).update(visible(shown.question))
        self.query_one("#answer-rule", Static).update("")
        self.set_reactive(CardView.revealed, 0)
        self.scroll_home(animate=False)
        self.revealed = min(revealed, self.total_steps)
        await self._sync_steps()

    def reveal_next(self) -> bool:
        """Show one more step; False when everything was already shown."""
        if self.card is None or self.fully_revealed:
            return False
        self.revealed += 1
        return True

    def reveal_all(self) -> None:
        """Show every step."""
        self.revealed = self.total_steps

    async def watch_revealed(self) -> None:
        await self._sync_steps()

    async def _sync_steps(self) -> None:
        shown = self.shown
        if self.card is None or shown is None:
            return
        lead = 0
        if shown.filled is not None:  # a cloze: the first reveal fills in its gaps in place
            lead = 1
            if self.revealed >= 1 and not self._filled:
                self._filled = True
                await self.query_one("#card-question", MathMarkdown).update(
                    visible(shown.filled)
                )
        first = self._mounted_steps
        steps = shown.steps
        new = [
            StepView(steps[index], index + 1, len(steps), pin_on_mount=index == first)
            for index in range(first, min(self.revealed - lead, len(steps)))
        ]
        if not new:
            return
        if self._mounted_steps == 0:
            rule = Text("─── Answer ", style="bold")
            self.query_one("#answer-rule", Static).update(rule)
        if first == 0:
            new[0].pin_on_mount = False  # keep the question in view above the first step
        self._mounted_steps += len(new)
        await self.mount_all(new)
