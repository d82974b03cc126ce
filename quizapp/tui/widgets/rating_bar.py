"""The four answer buttons, each with the interval it would schedule."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button
from textual.widgets.button import ButtonVariant

from quizapp.text import plural

#: Rating number, name and button variant, in the order FSRS numbers them.
RATINGS: tuple[tuple[int, str, ButtonVariant], ...] = (
    (1, "Again", "error"),
    (2, "Hard", "warning"),
    (3, "Good", "success"),
    (4, "Easy", "primary"),
)


class RatingBar(Horizontal):
    """Again / Hard / Good / Easy, with interval previews; posts ``Rated`` when pressed.

    Keys 1–4 are bound on the review screen; the buttons are for the mouse and show what
    each rating would do ("10m", "3d") so the learner can rate honestly.
    """

    DEFAULT_CSS = """
    RatingBar { height: 1; width: 1fr; }
    RatingBar > Button {
        width: 1fr; min-width: 10; height: 1; border: none; margin: 0 1 0 0;
        text-style: bold;
    }
    RatingBar > Button:focus { text-style: bold reverse; }
    """

    class Rated(Message):
        """The learner pressed a rating button (1 again … 4 easy)."""

        def __init__(self, rating: int) -> None:
            super().__init__()
            self.rating = rating

    def compose(self) -> ComposeResult:
        for rating, name, variant in RATINGS:
            yield Button(f"{rating} {name}", id=f"rate-{rating}", variant=variant, compact=True)

    def show_previews(self, labels: Sequence[str]) -> None:
        """Put each rating's interval label ("10m", "3d") on its button."""
        for (rating, name, _variant), label in zip(RATINGS, labels, strict=False):
            button = self.query_one(f"#rate-{rating}", Button)
            button.label = Text(f"{rating} {name} · {label}")

    def offer(self, suggested: int) -> None:
        """Show the bar with the suggested rating focused: enter accepts it."""
        self.remove_class("hidden")
        self.query_one(f"#rate-{suggested}").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            self.post_message(self.Rated(int(event.button.id.removeprefix("rate-"))))


def outcome_summary(
    text: Text, worked: str, wrong: int, revealed: int, seconds: float, suggested: int
) -> Text:
    """``text`` with how an exercise or a drill run went and the rating it suggests, as
    both screens end: "2 asks · 1 wrong try · 0 revealed · 41s", then the suggestion."""
    name = next(label for number, label, _ in RATINGS if number == suggested)
    text.append(f"{worked} · {plural(wrong, 'wrong try')} · {revealed} revealed · {seconds:.0f}s\n")
    text.append(f"Suggested rating: {suggested} {name}", style="bold")
    text.append(" — enter accepts, 1–4 overrides, escape leaves without rating")
    return text
