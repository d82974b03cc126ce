"""``quizapp stats [--json]``: review statistics of the collection."""

from __future__ import annotations

import json

import click

from quizapp.cli.context import CliError, open_db
from quizapp.scheduling.settings import SettingError
from quizapp.text import plural


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Reviews per day, streak, forecast, retention, and per-tag/difficulty recall."""
    from quizapp.cli.terminal import safe_text
    from quizapp.services.stats import collection_statistics

    database = open_db(ctx)
    try:
        result = collection_statistics(database)
    except SettingError as error:
        raise CliError(str(error)) from None
    data = result.to_dict()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"Today: {data['today']}    streak: {plural(data['streak'], 'day')}")
    states = ", ".join(f"{name} {count}" for name, count in data["cards_by_state"].items())
    click.echo(f"Cards: {states}")
    ratings = ", ".join(f"{name} {count}" for name, count in data["ratings"].items())
    click.echo(f"Ratings: {ratings}")
    for days, entry in data["true_retention"].items():
        rate = "-" if entry["rate"] is None else f"{entry['rate']:.1%}"
        reviews = plural(entry["reviews"], "review")
        click.echo(f"True retention, last {days} days: {rate} of {reviews}")
    upcoming = " ".join(str(day["due"]) for day in data["forecast"][:14])
    click.echo(f"Due in the next 14 days: {upcoming}")
    if data["tags"]:
        click.echo("Tag                          cards   due  recall")
        for row in data["tags"]:
            name = safe_text(row["name"], keep_newlines=False)[:28]
            click.echo(f"{name:<28} {row['cards']:>5} {row['due']:>5}  {_pct(row['mean_recall'])}")
    for row in data["difficulties"]:
        click.echo(
            f"difficulty {row['name']:<17} {row['cards']:>5} {row['due']:>5}  "
            f"{_pct(row['mean_recall'])}"
        )
    interview = data["interview"]
    if interview is not None:
        click.echo(
            f"Predicted recall on the interview day {interview['date']}: "
            f"{_pct(interview['mean_recall'])}"
        )


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{value:.0%}".rjust(4)
