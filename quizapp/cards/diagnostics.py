"""Collects the warnings and errors found while reading one file.

The helpers that read front matter, tags or difficulty do not know which file they are in;
they report ``(line, message)`` to a :class:`Diagnostics`, which stamps the file name on each
:class:`~quizapp.cards.model.Problem`. One collector per file keeps the messages in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quizapp.cards.model import Problem, Severity


@dataclass
class Diagnostics:
    """The problems of one file, in the order they were found."""

    file: str
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        """Record a problem that stops the file from being imported."""
        self.errors.append(Problem(self.file, line, message, Severity.ERROR))

    def warn(self, line: int, message: str) -> None:
        """Record a problem that the file survives (the card is still imported)."""
        self.warnings.append(Problem(self.file, line, message, Severity.WARNING))
