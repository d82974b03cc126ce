"""``quizapp evaluate --revlog FILE.csv [--json]``: calibration benchmark on a review log."""

from __future__ import annotations

import json
from pathlib import Path

import click

from quizapp.cli.context import CliError
from quizapp.text import plural


@click.command("evaluate")
@click.option(
    "--revlog",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV with card_id, review_rating, review_time, review_duration.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(revlog: Path, as_json: bool) -> None:
    """Score default, fitted and fsrs-rs reference parameters by 5-fold time-series split."""
    from quizapp.scheduling.evaluate import RevlogError, evaluate_revlog, read_revlog

    try:
        report = evaluate_revlog(read_revlog(revlog))
    except RevlogError as error:
        raise CliError(str(error)) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    click.echo(
        f"{plural(report.reviews, 'review')} of {plural(report.cards, 'card')}; "
        f"{plural(report.fitted.reviews, 'later-day review')} scored in 5 time-series folds"
    )
    click.echo(f"{'parameters':<20} {'log loss':>9} {'RMSE(bins)':>11} {'AUC':>7}")
    for name, scores in (
        ("default", report.default),
        ("fitted (quizapp)", report.fitted),
        ("fsrs-rs reference", report.reference),
    ):
        auc = "-" if scores.auc is None else f"{scores.auc:.4f}"
        click.echo(f"{name:<20} {scores.log_loss:>9.4f} {scores.rmse_bins:>11.4f} {auc:>7}")
