"""The one exception type of the exercise engine.

Every user mistake in a spec or an answer, and every refused input, ends as an
``ExerciseError``: front ends catch exactly this type and print its one line, so a hostile
or broken exercise can never surface as a traceback.
"""

from __future__ import annotations


class ExerciseError(Exception):
    """A clear one-line error, optionally tied to a card line and an ask.

    ``str(error)`` is the line to show: ``line 12: ask `dW2`: shapes 2×1 and 2×2 don't fit``.
    """

    def __init__(self, message: str, line: int | None = None, ask: str | None = None) -> None:
        self.message = " ".join(message.split())
        self.line = line
        self.ask = ask
        super().__init__(self.message)

    def __str__(self) -> str:
        parts: list[str] = []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.ask is not None:
            parts.append(f"ask `{self.ask}`")
        parts.append(self.message)
        return ": ".join(parts)

    def at(self, line: int | None = None, ask: str | None = None) -> ExerciseError:
        """Return a copy that fills in a missing line or ask, keeping what is already known."""
        return ExerciseError(
            self.message,
            line=self.line if self.line is not None else line,
            ask=self.ask if self.ask is not None else ask,
        )
