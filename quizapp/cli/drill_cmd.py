"""``quizapp drill CARD_ID``: recall a card's formulas, checked by numeric equivalence.

Without ``--answer`` it lists the card's drills (or, on a terminal, asks for the chosen
one); with ``--answer`` it checks one answer, typed in LaTeX or in the exercise language,
and prints the verdict (``--json``: ``{verdict, diagnosis, formula, points_checked, …}``).
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TYPE_CHECKING

import click

from quizapp.cli.context import CliError, open_db
from quizapp.cli.terminal import safe_json, safe_text

if TYPE_CHECKING:
    from quizapp.drills.checking import DrillVerdict
    from quizapp.drills.drill import Drill

_RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def _line(text: str) -> str:
    return safe_text(text, keep_newlines=False)


def _show(drill: Drill) -> None:
    from quizapp.drills.drawing import prompt_line, prose

    if drill.heading:
        click.echo(click.style(_line(prose(drill.heading)), bold=True))
    if drill.sentence:
        click.echo(_line(prose(drill.sentence)))
    click.echo(_line(f"  [{drill.number}]  {prompt_line(drill.lhs)}"))
    click.echo(_line(f"  symbols: {drill.symbols_line()}"))


def _reveal(drill: Drill) -> None:
    """The card's equation drawn as math (every side of a chain), then its LaTeX source,
    labelled, for copying."""
    from quizapp.drills.drawing import formula_lines

    width = max(20, shutil.get_terminal_size((80, 24)).columns - 4)
    click.echo("  answer:")
    for line in formula_lines(drill.revealed, width):
        click.echo(_line(f"    {line}".rstrip()))
    click.echo(_line(f"  LaTeX: {drill.revealed}"))


def _verdict_line(verdict: DrillVerdict) -> str:
    mark = "✓" if verdict.correct else "✗"
    message = f"invalid: {verdict.message}" if verdict.verdict == "invalid" else verdict.message
    text = f"{mark} {message}"
    if verdict.diagnosis and verdict.diagnosis != verdict.message:
        text += f" — {verdict.diagnosis}"
    return _line(text)


@click.command("drill")
@click.argument("card_id", metavar="CARD_ID")
@click.option(
    "--formula",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Which of the card's drills (1, 2, …; `quizapp drill CARD_ID` lists them).",
)
@click.option(
    "--answer",
    default=None,
    metavar="LATEX_OR_EXPR",
    help="Check this answer to the right side: LaTeX (`\\sigma(z)(1-\\sigma(z))`) or the "
    "exercise language (`sigmoid(z) * (1 - sigmoid(z))`).",
)
@click.option(
    "--reveal",
    is_flag=True,
    help="Print the card's equation, drawn as math and as its LaTeX source.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def drill(
    ctx: click.Context,
    card_id: str,
    formula: int | None,
    answer: str | None,
    reveal: bool,
    as_json: bool,
) -> None:
    """Recall a formula of a card: type its right side, checked at random points.

    Every display formula `lhs = rhs` that quizapp can evaluate is a drill. Without
    --answer, lists them (or asks, on a terminal, with --formula). Exit status: 0 done
    (even with a wrong answer), 1 unknown card or no drills, 2 usage error.
    """
    from quizapp.services.drills import check, drills_for, find_drill
    from quizapp.services.exercises import ExerciseRequestError

    database = open_db(ctx, starter_deck=True)
    try:
        card, chosen = find_drill(database, card_id, formula)
    except ExerciseRequestError as error:
        raise CliError(error.message, exit_code=2 if error.usage else 1) from None
    if answer is None and formula is None and not reveal:
        found = drills_for(card)
        if as_json:
            click.echo(safe_json({"card": card.id, "drills": [d.to_dict() for d in found.drills]}))
            return
        for item in found.drills:
            _show(item)
            click.echo("")
        click.echo(_line(f"Answer with: quizapp drill {card.id} --formula N --answer '…'"))
        return
    if answer is None and not reveal and _on_a_terminal() and not as_json:
        _interactive(chosen)
        return
    result: dict[str, object] = {"drill": chosen.to_dict()}
    if answer is not None:
        verdict = check(chosen, answer)
        result |= verdict.to_dict()
    if reveal:
        result["reference"] = chosen.rhs
        result["equation"] = chosen.revealed
    if as_json:
        click.echo(safe_json(result))
        return
    _show(chosen)
    if answer is not None:
        click.echo(_verdict_line(verdict))
    if reveal:
        _reveal(chosen)


def _on_a_terminal() -> bool:
    """Whether answers can be asked for (stdin is a terminal)."""
    return sys.stdin.isatty()


def _interactive(chosen: Drill) -> None:
    """Ask until right, revealed (empty answer) or quit (Ctrl+D); suggest a rating."""
    from quizapp.services.drills import check, suggest_drill_rating

    _show(chosen)
    started = time.monotonic()
    verdicts: list[str] = []
    revealed = False
    while True:
        try:
            text = click.prompt("  answer (empty: reveal)", default="", show_default=False)
        except (EOFError, click.Abort):
            click.echo("")
            return
        if not text.strip():
            revealed = True
            _reveal(chosen)
            break
        verdict = check(chosen, text)
        click.echo("  " + _verdict_line(verdict))
        verdicts.append(verdict.verdict)
        if verdict.correct:
            break
    rating = suggest_drill_rating([(verdicts, revealed)], time.monotonic() - started)
    click.echo(f"Suggested rating: {rating} {_RATING_NAMES[rating]}")
