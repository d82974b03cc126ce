"""``quizapp exercise CARD_ID``: draw a card's live exercise, check answers, reveal.

Each invocation draws the instance afresh from its seed, so answering works by repeating
the printed ``--seed`` with ``--answer NAME=EXPR`` options. The text output is for people
and the ``--json`` object for scripts and tests; both come from the same ``ExerciseRun``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from quizapp.cli.context import CliError, open_db
from quizapp.cli.terminal import safe_json, safe_text

if TYPE_CHECKING:
    from quizapp.exercises import ExerciseInstance
    from quizapp.exercises.autodiff import Array
    from quizapp.services.exercises import CheckedAnswer, ExerciseRun
    from quizapp.store.db import Database

#: Rating numbers as FSRS names them.
_RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def _line(text: str) -> str:
    return safe_text(text, keep_newlines=False)


def matrix_lines(label: str, value: Array, width: int = 0) -> list[str]:
    """``label = `` (the label padded to ``width``) then the aligned matrix, its shape
    after the last row."""
    from quizapp.exercises import format_matrix

    *rows, shape = format_matrix(value)
    head = f"  {label.ljust(width)} = "
    pad = " " * len(head)
    lines = [(head if i == 0 else pad) + row for i, row in enumerate(rows)]
    lines[-1] += f"   {shape}"
    return lines


def _verdict_line(answer: CheckedAnswer) -> str:
    verdict = answer.verdict
    mark = "✓" if verdict.correct else "✗"
    message = f"invalid: {verdict.message}" if verdict.verdict == "invalid" else verdict.message
    text = f"  {mark} {verdict.ask} = {answer.text}: {message}"
    if verdict.diagnosis and verdict.diagnosis != verdict.message:
        text += f" — {verdict.diagnosis}"
    return _line(text)


def print_values(card_id: str, instance: ExerciseInstance) -> None:
    """The title, the seed, and the given and shown values (a shown given only once)."""
    click.echo(click.style(_line(instance.spec.title), bold=True))
    click.echo(_line(f"card {card_id}  ·  exercise {instance.spec.id}  ·  seed {instance.seed}"))
    shown = {k: v for k, v in instance.shown.items() if k not in instance.given}
    for heading, values in (("Given", instance.given), ("Shown", shown)):
        if values:
            click.echo(f"\n{heading}")
            width = max(len(name) for name in values)
            for name, value in values.items():
                click.echo("\n".join(matrix_lines(_line(name), value, width)))


def _print_text(run: ExerciseRun) -> None:
    from quizapp.exercises.autodiff import shape_text

    instance = run.instance
    card = run.card.card
    print_values(card.id, instance)
    click.echo("\nAsks")
    for number, ask in enumerate(instance.asks, start=1):
        shape = shape_text(tuple(instance.references[ask.name].shape))
        suffix = "" if shape in ask.prompt else f"   ({shape})"
        click.echo(_line(f"  {number}. {ask.name}: {ask.prompt}{suffix}"))
    if run.answers:
        click.echo("\nAnswers")
        for answer in run.answers:
            click.echo(_verdict_line(answer))
    if run.revealed:
        click.echo("\nReferences")
        width = max(len(ask.name) for ask in instance.asks)
        for ask in instance.asks:
            reference = instance.references[ask.name]
            click.echo("\n".join(matrix_lines(_line(ask.name), reference, width)))
            for level, text in enumerate(ask.hints or ((ask.hint,) if ask.hint else ())):
                label = "hint" if level == 0 else "step"
                click.echo(_line(f"      {label}: {text}"))
    click.echo("")
    if run.attempt is not None:
        rating = run.attempt.suggested_rating
        click.echo(f"Suggested rating: {rating} {_RATING_NAMES.get(rating, '')} (attempt saved)")
    else:
        click.echo(
            _line(
                f"Answer with: quizapp exercise {card.id} --seed {instance.seed} "
                "--answer NAME=EXPR ... (earlier asks may be used by name)"
            )
        )


def _interactive(ctx: click.Context, database: Database, card_id: str, seed: int | None) -> None:
    """Ask the exercise's asks one by one at a prompt (``cli/exercise_prompt.py``)."""
    from quizapp.cli.exercise_prompt import INTERRUPTED, Interrupted, run_prompt, use_line_editing
    from quizapp.exercises import ExerciseError, new_instance
    from quizapp.services.exercises import ExerciseRequestError, find_exercise

    try:
        stored, spec = find_exercise(database, card_id)
        instance = new_instance(spec, seed)
    except ExerciseRequestError as error:
        raise CliError(error.message, exit_code=2 if error.usage else 1) from None
    except ExerciseError as error:
        raise CliError(f"card {card_id!r}: exercise: {error}") from None
    use_line_editing()
    try:
        run_prompt(database, stored, instance)
    except Interrupted:
        click.echo("Interrupted: nothing stored.", err=True)
        ctx.exit(INTERRUPTED)


@click.command("exercise")
@click.argument("card_id", metavar="CARD_ID")
@click.option(
    "--seed",
    type=click.IntRange(min=0, max=2**63 - 1),
    default=None,
    help="Seed of the random draw (default: a fresh one, printed). Repeat it to answer.",
)
@click.option(
    "--answer",
    "answers",
    multiple=True,
    metavar="NAME=EXPR",
    help="Check an answer: a number, a matrix (`1 2; 3 4`) or an expression "
    "(`delta2 @ a1.T`). Repeat; checked in order, earlier answers usable by name.",
)
@click.option("--reveal", is_flag=True, help="Print the reference answers (counts as revealed).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--print",
    "print_only",
    is_flag=True,
    help="Print the exercise and its asks without asking for answers.",
)
@click.pass_context
def exercise(
    ctx: click.Context,
    card_id: str,
    seed: int | None,
    answers: tuple[str, ...],
    reveal: bool,
    as_json: bool,
    print_only: bool,
) -> None:
    """Draw the live exercise of a card (its own, or the built-in matching its tags).

    Prints the given and shown values, then asks each ask in turn at a NAME> prompt:
    type an answer (✓/✗ with a diagnosis, try again after a wrong one), ? for a hint,
    ! to reveal; the finished attempt is stored with its suggested rating. Ctrl+D leaves
    without storing. With --answer (for scripts), checks each answer given and stores the
    attempt; --print, --reveal and --json print without asking.
    Exit status: 0 done (even with wrong answers, or left early), 1 unknown card, no
    exercise or a broken exercise, 2 usage error (a malformed --answer or an unknown ask
    name), 130 interrupted with Ctrl+C.
    """
    from quizapp.exercises import ExerciseError
    from quizapp.services.exercises import ExerciseRequestError, parse_answer_option, run_exercise

    try:
        for text in answers:
            parse_answer_option(text)  # usage errors before the database is even opened
    except ExerciseRequestError as error:
        raise CliError(error.message, exit_code=2) from None
    database = open_db(ctx, starter_deck=True)
    if not (answers or reveal or as_json or print_only):
        _interactive(ctx, database, card_id, seed)
        return
    try:
        run = run_exercise(database, card_id, seed=seed, answers=answers, reveal=reveal)
    except ExerciseRequestError as error:
        raise CliError(error.message, exit_code=2 if error.usage else 1) from None
    except ExerciseError as error:
        raise CliError(f"card {card_id!r}: exercise: {error}") from None
    if answers and seed is None:
        click.echo(
            f"quizapp: note: no --seed given, so the answers were checked against a fresh "
            f"draw (seed {run.instance.seed})",
            err=True,
        )
    if as_json:
        click.echo(safe_json(run.to_dict()))
    else:
        _print_text(run)
