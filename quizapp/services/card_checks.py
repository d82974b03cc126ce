"""What the importer checks in each parsed card beyond its format: LaTeX that the terminal
renderer does not know (a warning) and live exercises that do not verify (an error).
``quizapp check`` also parses every formula and warns about those that cannot be drawn at
all (``$x^$``, an unclosed brace), which the reader would see as raw source; import does not,
since parsing each formula costs a few hundred microseconds (about 0.4 s for the bundled
deck's 2,500 distinct formulas) and the importer's speed is measured against a floor.

It lives apart from the importer so that the process pool's workers (``parse_pool.py``) can
run it beside the parser without importing the store. The checks keep a small cache of LaTeX
commands already seen to be known: decks reuse a small vocabulary, and the check must stay
cheap next to parsing. Each worker process keeps its own; the results do not depend on it.
"""

from __future__ import annotations

import bisect
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
    from quizapp.mathtext import parse_error

    if parse_error(formula) is not None:
        return ()  # nothing was drawn, so nothing it names is known to be drawable
    unknown = _unknown_in(formula)
    _KNOWN_COMMANDS.update(name for name in names if not any(u in name for u in unknown))
    return unknown


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _FormulaLines:
    """Finds the file line where a formula of a card's text is written.

    A card's question and steps carry the line of their heading (or of the card), and a
    step's text has lost its leading blank lines and its exercise blocks, so a line counted
    inside the text would be wrong. The formula is looked for in the file itself instead,
    from the text's line on, and each find moves the search past it so that the same
    formula written twice is reported at both places. A formula not found (a file that is
    not UTF-8 text, ``\\(…\\)`` delimiters) is reported at the text's own line.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._text: str | None = None
        self._line_starts: list[int] = []
        self._cursor: dict[int, int] = {}

    def _load(self) -> str:
        if self._text is None:
            self._text = self._data.decode("utf-8", errors="replace")
            self._line_starts = [0]
            self._line_starts.extend(
                index + 1 for index, char in enumerate(self._text) if char == "\n"
            )
        return self._text

    def line_of(self, formula: str, text_line: int) -> int:
        """The 1-based line of ``formula``'s first source line, searched from ``text_line``."""
        first = next((part.strip() for part in formula.splitlines() if part.strip()), "")
        if not first or not self._data:
            return text_line
        text = self._load()
        if not 1 <= text_line <= len(self._line_starts):
            return text_line
        start = self._cursor.get(text_line, self._line_starts[text_line - 1])
        # A one-line formula is found with its opening dollar, so that prose before it is
        # not taken for it; a block's first line stands alone or follows "$$".
        found = -1 if "\n" in formula.strip() else text.find("$" + first, start)
        found = found + 1 if found >= 0 else text.find(first, start)
        if found < 0:
            return text_line
        self._cursor[text_line] = found + 1
        return bisect.bisect_right(self._line_starts, found)


def _formula_problem(formula: str, *, audit: bool) -> str | None:
    """The warning for one formula, or None: with ``audit``, a formula that does not parse
    (it is drawn as its source); always, the LaTeX commands no table knows."""
    if audit:
        from quizapp.mathtext import parse_error

        error = parse_error(formula)
        if error is not None:
            return f"cannot draw ${_shorten(formula)}$ ({error}); it is shown as source"
    unknown = _unknown_commands(formula)
    if unknown:
        return f"unknown LaTeX {', '.join(unknown)} in ${_shorten(formula)}$"
    return None


def check_card(
    card: Card,
    display: str,
    *,
    audit: bool = False,
    audit_cache: str | None = None,
    data: bytes = b"",
) -> tuple[list[Problem], list[Problem]]:
    """Warnings for unknown LaTeX commands; errors for exercises that do not verify.

    ``display`` names the card's file in the messages; ``data`` is the file's bytes, in
    which a formula's own line is looked up (without them a warning names the line of the
    formula's step). With ``audit`` (``quizapp check``) every formula must also parse (a
    warning names the ones shown as source), and an exercise must pass the gameability
    audit over 200 seeds
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
    lines = _FormulaLines(data)
    for line, text in texts:
        if "$" not in text or not (audit or _may_have_unknown_commands(text)):
            continue
        for formula in formulas(text):
            message = _formula_problem(formula, audit=audit)
            if message is not None:
                warnings.append(
                    Problem(
                        display,
                        lines.line_of(formula, line),
                        f'card "{card.title}": {message}',
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
