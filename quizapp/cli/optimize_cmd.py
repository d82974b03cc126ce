"""``quizapp optimize [--json]``: fit personal FSRS-6 parameters to the review history."""

from __future__ import annotations

import json

import click

from quizapp.cli.context import CliError, open_db
from quizapp.scheduling.settings import SettingError


@click.command("optimize")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def optimize(ctx: click.Context, as_json: bool) -> None:
    """Fit FSRS parameters to your reviews; keep the defaults when there is too little."""
    from quizapp.services.settings import optimize_parameters

    database = open_db(ctx)
    try:
        result = optimize_parameters(database)
    except SettingError as error:
        raise CliError(str(error)) from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    click.echo(result.reason)
    if result.before is not None and result.after is not None:
        click.echo(
            f"held-out later reviews: {result.after.reviews}; "
            f"log loss {result.before.log_loss:.4f} -> {result.after.log_loss:.4f}; "
            f"RMSE(bins) {result.before.rmse_bins:.4f} -> {result.after.rmse_bins:.4f}"
        )
    if result.changed:
        click.echo("stored the new parameters; they are used from now on")
