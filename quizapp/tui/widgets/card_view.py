"""A card's question and its derivation steps, revealed one at a time.

The review, preview and exercise screens all show cards through this widget, so a card
looks the same everywhere: literal text, math drawn by ``quizapp.mathtext``, a heading
with a "step 3/9" counter for each revealed step. Each kind of card is shown as
``quizapp.cards.kinds.present`` says: a cloze asks with its deletions hidden and its
first reveal fills them in where they stand; a question-only card's reveal says that
there is no written answer.

Text is drawn as Obsidian draws it (``quizapp.cards.display_markdown``): no quote marker
around the question, no closing ``---`` rule, a question that only repeats the title
not shown twice. A card written in several languages is shown in one (the ``language``
asked for, else the one it was stored in) and :meth:`CardView.show_language` switches to
another; a card's follow-ups, references and links are in a "More" panel under the
answer (:class:`~quizapp.tui.widgets.more_panel.MorePanel`), shown once the whole answer
is, or whenever :meth:`CardView.toggle_more` asks.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from quizapp.cards import wikilinks
from quizapp.cards.display_markdown import tidy, tidy_question, without_title
from quizapp.cards.kinds import Presentation, present
from quizapp.cards.model import Card, CardKind, Step
from quizapp.tui.literal import visible
from quizapp.tui.widgets.badges import Badges
from quizapp.tui.widgets.math_markdown import MathMarkdown, line_text
from quizapp.tui.widgets.more_panel import MorePanel

#: ``show_card(..., revealed=REVEAL_ALL)`` shows a card with everything revealed.
REVEAL_ALL = 1 << 30

#: Revealed steps are mounted this many at a time (each is two widgets before its
#: Markdown fills in): see :meth:`CardView._mount_steps`.
STEP_BATCH = 4


class StepHeading(Static):
    """A revealed step's heading path with its counter, above the step's Markdown."""

    DEFAULT_CSS = """
    StepHeading {
        height: 1; padding: 0 1; background: $boost; color: $accent; text-style: bold;
    }
    """

    def __init__(self, step: Step, number: int, total: int) -> None:
        heading = line_text(step.title or "Answer", "bold", no_wrap=True, overflow="ellipsis")
        heading.append(f"  step {number}/{total}", style="not bold dim")
        super().__init__(heading, classes="step-heading")


class StepView(MathMarkdown):
    """One revealed step's Markdown, below its :attr:`heading`.

    The heading is the card view's child beside it, not a child of a container around
    both: with one widget fewer per step, a card of many steps is laid out again faster
    when the terminal is resized (``bench/parts/card_display.py``).
    """

    DEFAULT_CSS = """
    StepView { margin: 0 0 1 0; }
    """

    def __init__(self, step: Step, number: int, total: int, *, pin_on_mount: bool = False) -> None:
        super().__init__()
        self.add_class("step")
        self.step = step
        self.number = number
        self.total = total
        self.pin_on_mount = pin_on_mount
        self.heading = StepHeading(step, number, total)

    def on_mount(self) -> None:
        """Fill in the Markdown from a worker, so that revealing a step never makes the
        card view wait for its formulas to be drawn (keys reach the screen meanwhile)."""
        self.run_worker(self._fill(), group="step", exit_on_error=False)

    async def _fill(self) -> None:
        """Render the Markdown, then (for a newly revealed step) bring it into view.

        Scrolling waits for the Markdown's blocks, or it would aim at a step of height 0.
        """
        await self.update(visible(tidy(self.step.text)))
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
    CardView > #card-title.-alone { margin: 0 0 1 0; }
    CardView > #card-question { margin: 0 0 1 0; }
    CardView > #answer-rule { color: $secondary; height: 1; padding: 0 1; }
    CardView > #card-more { height: auto; display: none; }
    """

    revealed: reactive[int] = reactive(0, init=False)
    """How many reveals are shown (a step each, and a cloze's filling in first); 0 shows
    the question only."""

    more_shown: reactive[bool | None] = reactive(None, init=False)
    """Whether the "More" panel shows: None to show it once the whole answer does, or
    True/False as the learner toggled it for this card."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pinned: StepView | None = None
        self.card: Card | None = None
        self.shown: Presentation | None = None
        self.state: str | None = None
        self._mounted_steps = 0
        self._filled = False
        self._languages: tuple[str, ...] = ()
        self._showing = False
        self._early = 0

    def compose(self) -> ComposeResult:
        yield Badges(id="card-badges")
        yield Static("", id="card-title", markup=False)
        yield MathMarkdown("", id="card-question")
        yield Static("", id="answer-rule", markup=False)
        yield Vertical(id="card-more")

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
        if step is not None and step.is_attached and step.heading.is_attached:
            top = step.heading.virtual_region.y
            self.scroll_to(y=top, animate=False, force=True, immediate=True)

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

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the card on display can be shown in, the current one first, then
        the others in the order :meth:`show_language` cycles through them; empty for a
        card written in one."""
        card = self.card
        if card is None or not card.alternates or not card.language:
            return ()
        order = self._languages
        if card.language in order:
            at = order.index(card.language)
            return (*order[at:], *order[:at])
        return (card.language, *(alternate.language for alternate in card.alternates))

    @property
    def has_more(self) -> bool:
        """True when the card on display has sections for the "More" panel."""
        return self.card is not None and bool(self.card.extras)

    async def show_card(
        self,
        card: Card,
        state: str | None = None,
        revealed: int = 0,
        *,
        language: str | None = None,
    ) -> None:
        """Replace the card on display, showing ``revealed`` reveals (at most all), in
        ``language`` when it is written in that one too.

        Keys keep arriving while the new card's widgets are replaced: a reveal asked
        meanwhile is counted and made once the card is in place, never lost or undone.
        """
        self._showing = True
        self._early = 0
        try:
            await self._replace(card, state, language)
        finally:
            self._showing = False
        self.revealed = min(revealed + self._early, self.total_steps)
        await self._sync_steps()

    async def _replace(self, card: Card, state: str | None, language: str | None) -> None:
        """Put ``card`` (in ``language``) in place of the one on display, unrevealed."""
        if language:
            card = card.in_language(language)
        if card.language not in self._languages or self.card is None or (self.card.id != card.id):
            self._languages = (card.language, *(alt.language for alt in card.alternates))
        self.card = card
        shown = self.shown = present(card)
        self.state = state
        self._pinned = None
        await self.query("StepView, StepHeading").remove()
        self._mounted_steps = 0
        self._filled = False
        self.query_one(Badges).show(card, state)
        title = self.query_one("#card-title", Static)
        title.update(line_text(shown.title))
        question = tidy_question(shown.question)
        untitled = without_title(wikilinks.plain(shown.title), question)
        if shown.kind is CardKind.CLOZE:
            # A cloze is asked in its question, whose gap the reveal fills in: a title that
            # only repeats the sentence is not shown above it too.
            title.display = untitled == question
        else:
            question = untitled
            title.display = True
        asked = self.query_one("#card-question", MathMarkdown)
        asked.display = bool(question.strip())
        title.set_class(not asked.display, "-alone")
        await asked.update(visible(question))
        self.query_one("#answer-rule", Static).update("")
        more = self.query_one("#card-more", Vertical)
        if more.children:
            await more.remove_children()
        if card.extras:
            await more.mount(MorePanel(card.extras))
        self.set_reactive(CardView.revealed, 0)
        self.set_reactive(CardView.more_shown, None)
        self.scroll_home(animate=False)

    async def show_language(self, language: str) -> None:
        """Show the card on display in ``language``, as far revealed as it is now."""
        if self.card is not None and language in self.languages[1:]:
            await self.show_card(self.card, self.state, self.revealed, language=language)

    def toggle_more(self) -> bool:
        """Show the "More" panel and scroll to it if it is hidden or out of view, else
        hide it; False when the card has none."""
        if not self.has_more:
            return False
        more = self.query_one("#card-more", Vertical)
        self.more_shown = not (more.display and self._in_view(more))
        if self.more_shown:
            self._pinned = None
            self.call_after_refresh(self.scroll_to_widget, more, animate=False, top=True)
        return True

    def _in_view(self, widget: Widget) -> bool:
        """True when all of ``widget`` is in view, or, taller than the view, it is
        scrolled to its top."""
        region = widget.virtual_region
        top, height = int(self.scroll_y), self.scrollable_content_region.height
        if region.height > height:
            return region.y == top
        return top <= region.y and region.bottom <= top + height

    def watch_more_shown(self) -> None:
        self._show_more()

    def _show_more(self) -> None:
        """Show the "More" panel as :attr:`more_shown` says."""
        shown = self.more_shown
        visible_now = self.fully_revealed if shown is None else shown
        self.query_one("#card-more", Vertical).display = self.has_more and visible_now

    def reveal_next(self) -> bool:
        """Show one more step; False when everything was already shown."""
        if self._showing:
            self._early += 1
            return True
        if self.card is None or self.fully_revealed:
            return False
        self.revealed += 1
        return True

    def reveal_all(self) -> None:
        """Show every step."""
        if self._showing:
            self._early = REVEAL_ALL
            return
        self.revealed = self.total_steps

    async def watch_revealed(self) -> None:
        await self._sync_steps()

    async def _sync_steps(self) -> None:
        shown = self.shown
        if self.card is None or shown is None:
            return
        self._show_more()
        lead = 0
        if shown.filled is not None:  # a cloze: the first reveal fills in its gaps in place
            lead = 1
            if self.revealed >= 1 and not self._filled:
                self._filled = True
                await self.query_one("#card-question", MathMarkdown).update(
                    visible(tidy_question(shown.filled))
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
        await self._mount_steps(shown, new)

    async def _mount_steps(self, shown: Presentation, steps: list[StepView]) -> None:
        """Mount newly revealed steps :data:`STEP_BATCH` at a time, each batch in turns of
        the event loop of its own, so that revealing every step of a long card at once
        never holds up the screen for all their widgets (``bench/parts/card_display.py``).
        Stops when another card (or language) has replaced ``shown`` meanwhile."""
        for start in range(0, len(steps), STEP_BATCH):
            if start:
                await asyncio.sleep(0)  # let the screen and the keys have a turn
            if self.shown is not shown:
                return
            batch = steps[start : start + STEP_BATCH]
            widgets = [widget for step in batch for widget in (step.heading, step)]
            await self.mount_all(widgets, before="#card-more")
