"""``quizapp exercise CARD_ID`` without ``--answer``: the exercise as a conversation.

The one-shot ``--answer NAME=EXPR`` form suits scripts, but a person wants what the app
gives: one ask at a time, the verdict and its diagnosis at once, another try after a
wrong answer, a hint when stuck and the answer when beaten. So the command asks each
ask in turn at a ``NAME>`` prompt: an answer is checked exactly as ``--answer`` checks
it (same verdicts, same diagnoses; a refused answer is not a wrong try), ``?`` shows the
next level of the ask's hint (the idea, then the step, then the part of the card's step
that gives no later ask away), ``!`` reveals the ask. When every ask is settled the
attempt is stored with its suggested rating, as in the app. End of input (Ctrl+D) leaves
without storing anything; Ctrl+C too, with exit status 130. Up and Down recall earlier
inputs when the input is a terminal (Python's readline).
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from quizapp.cli.exercise_cmd import matrix_lines, print_values
from quizapp.cli.terminal import safe_text
from quizapp.text import plural

if TYPE_CHECKING:
    from quizapp.exercises import ExerciseInstance, ExerciseSession, Verdict
    from quizapp.exercises.spec import Ask
    from quizapp.services.hint_steps import HintStep
    from quizapp.store.db import Database
    from quizapp.store.records import StoredCard

#: Rating numbers as FSRS names them.
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
#: Exit status when the learner interrupts with Ctrl+C (the shell's 128 + SIGINT).
INTERRUPTED = 130

Reader = Callable[[str], str | None]


class Interrupted(Exception):
    """The learner pressed Ctrl+C at the prompt."""


def _line(text: str) -> str:
    return safe_text(text, keep_newlines=False)


def read_line(prompt: str) -> str | None:
    """One line typed at ``prompt``; None at the end of input (Ctrl+D). Input that does
    not come from a terminal is echoed, so that the output reads as a transcript."""
    try:
        typed = input(prompt)
    except EOFError:
        click.echo("")
        return None
    except KeyboardInterrupt:
        click.echo("")
        raise Interrupted from None
    if not sys.stdin.isatty():
        click.echo(typed)
    return typed


def verdict_text(verdict: Verdict) -> str:
    """The verdict as the one-shot form prints it, without the echo of the answer."""
    if verdict.correct:
        return "  ✓ correct"
    if verdict.verdict == "invalid":
        return _line(f"  ✗ invalid: {verdict.message} (not counted as a wrong try)")
    text = f"  ✗ {verdict.message}"
    if verdict.diagnosis and verdict.diagnosis != verdict.message:
        text += f" — {verdict.diagnosis}"
    return _line(text)


def _render(markdown: str) -> str:
    """A card step's Markdown as the terminal shows it (math drawn; raw if that fails)."""
    from quizapp.cards.display_markdown import plain, tidy
    from quizapp.mathtext import render_markdown_math

    width = max(40, min(shutil.get_terminal_size((100, 24)).columns - 4, 100))
    text = plain(tidy(markdown))
    try:
        return render_markdown_math(text, width=width)
    except Exception:  # a formula that does not draw is shown as written
        return text


class _Hints:
    """How far each ask's hint has been shown."""

    def __init__(self, stored: StoredCard, instance: ExerciseInstance) -> None:
        self.stored = stored
        self.instance = instance
        self.shown: dict[str, int] = {}

    def next(self, ask: Ask) -> list[str]:
        """The lines of the ask's next hint level: the idea, the step, then the card's
        step without what names a later ask; after that, a pointer to ``!``."""
        levels = list(ask.hints or ((ask.hint,) if ask.hint else ()))
        level = self.shown.get(ask.name, 0)
        self.shown[ask.name] = level + 1
        step = self._step(ask)
        if level < len(levels):
            label = "hint" if level == 0 else "step"
            more = level + 1 < len(levels) or step is not None
            return [_line(f"  {label}: {levels[level]}" + ("  (? again: more)" if more else ""))]
        if level == len(levels) and step is not None:
            body = [safe_text(f"    {line}") for line in _render(step.text).splitlines()]
            return [_line(f"  from the card: {step.title}"), *body]
        if not levels and step is None:
            return ["  no hint for this one (! reveals the answer)"]
        return ["  no more hints (! reveals the answer)"]

    def _step(self, ask: Ask) -> HintStep | None:
        """The part of the card's step for ``ask`` that names no later ask."""
        from quizapp.services.hint_steps import AskLabel, hint_step

        asks = list(self.instance.asks)
        later = [AskLabel.of(a.name, a.prompt) for a in asks[asks.index(ask) + 1 :]]
        return hint_step(self.stored.card, ask.step, ask.prompt, later)


def _ask_heading(session: ExerciseSession, ask: Ask) -> list[str]:
    asks = list(session.instance.asks)
    lines = [
        _line(f"Ask {asks.index(ask) + 1} of {len(asks)}: {ask.prompt} = ?   answer {ask.name}")
    ]
    names = session.instance.scope_for(ask.name, session.values)
    if names:
        lines.append(_line(f"  you can use: {', '.join(names)}"))
    return lines


def _wrong_tries(session: ExerciseSession) -> int:
    from quizapp.exercises.rating import wrong_tries

    return wrong_tries([v.verdict for v in verdicts] for verdicts in session.verdicts.values())


def run_prompt(
    database: Database,
    stored: StoredCard,
    instance: ExerciseInstance,
    *,
    read: Reader = read_line,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> bool:
    """Work through ``instance`` ask by ask, reading with ``read``; store the attempt
    when every ask is settled. Returns False when the learner left first (nothing is
    stored). Raises ``Interrupted`` on Ctrl+C (nothing is stored either)."""
    from quizapp.exercises import ExerciseSession
    from quizapp.services.exercises import answer_ask, save_attempt

    session = ExerciseSession(instance, clock=clock)
    hints = _Hints(stored, instance)
    print_values(stored.card.id, instance)
    click.echo(
        "\nAnswer each ask with a number, a matrix (1 2; 3 4) or an expression over the "
        "names listed; ? shows a hint, ! reveals the answer, Ctrl+D leaves."
    )
    while (ask := session.current) is not None:
        click.echo("")
        click.echo("\n".join(_ask_heading(session, ask)))
        while not session.is_settled(ask.name):
            typed = read(f"{ask.name}> ")
            if typed is None:
                click.echo("Left the exercise before its last ask: nothing stored.")
                return False
            text = typed.strip()
            if not text:
                continue
            if text == "?":
                click.echo("\n".join(hints.next(ask)))
            elif text == "!":
                value = session.reveal(ask.name)
                click.echo("\n".join(matrix_lines(_line(f"{ask.name} (revealed)"), value)))
            else:
                click.echo(verdict_text(answer_ask(session, ask.name, text)))
    attempt = session.finish()
    save_attempt(database, stored, attempt)
    rating = attempt.suggested_rating
    click.echo(
        "\n"
        + " · ".join(
            [
                "Exercise done",
                plural(len(attempt.asks), "ask"),
                plural(_wrong_tries(session), "wrong try"),
                f"{len(attempt.revealed)} revealed",
                f"{attempt.duration_ms / 1000:.0f}s",
            ]
        )
    )
    click.echo(f"Suggested rating: {rating} {RATING_NAMES[rating]} (attempt saved)")
    return True


def use_line_editing() -> None:
    """Up and Down recall earlier inputs at the prompt, when typing at a terminal."""
    if sys.stdin.isatty():
        # Importing readline gives input() line editing; Windows has none: plain input.
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401
