"""The exercise's answer box: an Input that remembers what was submitted.

A learner correcting a wrong matrix answer usually wants the previous attempt back,
edited, rather than retyped: Up and Down walk through earlier inputs as a shell does
(Down past the newest brings back what was being typed). The box is a subclass, not a
screen binding, because the scrolling container around it would take Up and Down first.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input


class AnswerBox(Input):
    """An Input with a history of submitted texts, recalled with Up and Down."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "Earlier input", id="exercise.history_back", show=False),
        Binding("down", "history(1)", "Later input", id="exercise.history_forward", show=False),
    ]

    def __init__(
        self,
        placeholder: str = "",
        *,
        id: str | None = None,
        disabled: bool = False,
        compact: bool = False,
        select_on_focus: bool = True,
    ) -> None:
        super().__init__(
            placeholder=placeholder,
            id=id,
            disabled=disabled,
            compact=compact,
            select_on_focus=select_on_focus,
        )
        self.history: list[str] = []
        """Submitted texts, oldest first, without consecutive repeats."""
        self._position: int | None = None
        """Index into ``history`` being shown, or None while editing a fresh line."""
        self._draft = ""
        """What was being typed before the first Up, restored by Down past the newest."""

    def remember(self, text: str) -> None:
        """Add a submitted ``text`` to the history and go back to editing a fresh line."""
        if text.strip() and (not self.history or self.history[-1] != text):
            self.history.append(text)
        self._position = None

    def action_history(self, step: int) -> None:
        """Show the earlier (``step`` -1) or later (+1) input, cursor at the end."""
        if not self.history:
            return
        if self._position is None:
            if step > 0:
                return
            self._draft = self.value
            position = len(self.history) - 1
        else:
            position = self._position + step
        if position < 0:
            return
        if position >= len(self.history):
            self._position = None
            self.value = self._draft
        else:
            self._position = position
            self.value = self.history[position]
        self.cursor_position = len(self.value)
