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

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            self.post_message(self.Rated(int(event.button.id.removeprefix("rate-"))))
