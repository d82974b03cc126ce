"""What the importer checks in each parsed card beyond its format: LaTeX that the terminal
renderer does not know (a warning) and live exercises that do not verify (an error).

It lives apart from the importer so that the process pool's workers (``parse_pool.py``) can
run it beside the parser without importing the store. The checks keep a small cache of LaTeX
commands already seen to be known: decks reuse a small vocabulary, and the check must stay
cheap next to parsing. Each worker process keeps its own; the results do not depend on it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from quizapp.cards.model import Card, Problem, Severity

_COMMAND = re.compile(r"\\begin\{[^}]*\}|\\[A-Za-z]+")
#: Command names already seen in a formula that mathtext drew without complaint.
_KNOWN_COMMANDS: set[str] = set()
_COMMAND_NAME = re.compile(r"\\[A-Za-z]+")


def _may_have_unknown_commands(text: str) -> bool:
    """False when no formula in ``text`` can name a command not yet known.

    Every command of a formula is also a command of the text it was cut from, so when all
    the text's commands are known (and it has no environment), none of its formulas needs
    looking at. This spares the formula scan for nearly every step of a typical deck.
    """
    if "\\" not in text:
        return False
    if "\\begin" in text:
        return True
    return not _KNOWN_COMMANDS.issuperset(_COMMAND_NAME.findall(text))


@functools.lru_cache(maxsize=4096)
def _unknown_in(formula: str) -> tuple[str, ...]:
    from quizapp.mathtext import unknown_commands

    return tuple(unknown_commands(formula))


def _unknown_commands(formula: str) -> tuple[str, ...]:
    """``mathtext.unknown_commands``, asked only about formulas with a command not yet
    known: decks reuse a small vocabulary, and the check must stay cheap next to parsing."""
    names = set(_COMMAND.findall(formula))
    if not names or names <= _KNOWN_COMMANDS:
        return ()
    unknown = _unknown_in(formula)
    _KNOWN_COMMANDS.update(name for name in names if not any(u in name for u in unknown))
    return unknown


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_card(
    card: Card, display: str, *, audit: bool = False, audit_cache: str | None = None
) -> tuple[list[Problem], list[Problem]]:
    """Warnings for unknown LaTeX commands; errors for exercises that do not verify.

    ``display`` names the card's file in the messages. With ``audit`` (``quizapp check``)
    an exercise must also pass the gameability audit over 200 seeds
    (``exercises/gameability.py``, about half a second per exercise); import skips it.
    ``audit_cache`` is the folder where audits are kept between runs
    (``services/audit_cache.py``); None audits every exercise afresh.
    """
    from quizapp.cards.formulas import formulas

    warnings: list[Problem] = []
    errors: list[Problem] = []
    texts = [
        (card.line, card.question),
        *((step.line or card.line, step.text) for step in card.steps),
    ]
    for line, text in texts:
        if "$" not in text or not _may_have_unknown_commands(text):
            continue
        for formula in formulas(text):
            unknown = _unknown_commands(formula)
            if unknown:
                names = ", ".join(unknown)
                warnings.append(
                    Problem(
                        display,
                        line,
                        f'card "{card.title}": unknown LaTeX {names} in ${_shorten(formula)}$',
                        Severity.WARNING,
                    )
                )
    if not card.exercises:
        return warnings, errors
    from quizapp.exercises import ExerciseError, parse_spec, verify_spec
    from quizapp.services.audit_cache import AuditCache
    from quizapp.services.audit_cache import audit as audit_findings

    cache = AuditCache(Path(audit_cache)) if audit and audit_cache is not None else None
    for exercise in card.exercises:
        try:
            spec = parse_spec(exercise.yaml, line=exercise.line, source=display)
            verify_spec(spec)
            if audit:
                findings = audit_findings(spec, cache)
                if findings:
                    raise findings[0].error()
        except ExerciseError as exc:
            line = exc.line if exc.line is not None else exercise.line
            message = exc.message if exc.ask is None else f"ask `{exc.ask}`: {exc.message}"
            errors.append(Problem(display, line, f'card "{card.title}": exercise: {message}'))
    return warnings, errors
