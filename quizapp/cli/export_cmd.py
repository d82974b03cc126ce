"""``quizapp export OUT.apkg``: cards out to Anki, to study them on a phone."""

from __future__ import annotations

from pathlib import Path

import click

from quizapp.cli.context import CliError, open_db
from quizapp.cli.filter_options import (
    deck_option,
    difficulty_option,
    options_text,
    require_cards,
    tag_option,
)
from quizapp.cli.terminal import safe_json, safe_text
from quizapp.text import plural


@click.command("export")
@click.argument("out", metavar="OUT.apkg", type=click.Path(path_type=Path))
@tag_option()
@difficulty_option()
@deck_option("Only cards of this deck and its sub-decks.")
@click.option(
    "--with-history",
    is_flag=True,
    help="Include the review log and each card's schedule, so Anki continues where "
    "quizapp stopped (import it with its learning progress).",
)
@click.option(
    "--legacy", is_flag=True, help="Write the older package format, for Anki before 2.1.50."
)
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.pass_context
def export_command(
    ctx: click.Context,
    out: Path,
    tags: tuple[str, ...],
    difficulties: tuple[str, ...],
    deck: str | None,
    with_history: bool,
    legacy: bool,
    as_json: bool,
) -> None:
    """Export cards to an Anki package (.apkg) that Anki, AnkiDroid and AnkiMobile open.

    Exporting again and importing into Anki updates the notes instead of adding copies.
    """
    from quizapp.interop.anki.export_writer import AnkiExportError
    from quizapp.scheduling.filters import StudyFilter
    from quizapp.services.anki_export import ExportError, check_target, export_anki

    try:
        check_target(out)  # before opening the database: a typo costs nothing
        database = open_db(ctx, starter_deck=True)
        wanted = StudyFilter(
            tags_all=tags, difficulties=tuple(d.lower() for d in difficulties), deck=deck
        )
        require_cards(database, wanted, options_text(tags, difficulties, deck))
        report = export_anki(
            database,
            out,
            tags=tags,
            difficulties=difficulties,
            deck=deck,
            with_history=with_history,
            legacy=legacy,
        )
    except (ExportError, AnkiExportError) as error:
        raise CliError(str(error)) from None
    if as_json:
        click.echo(safe_json(report.to_dict()))
        return
    reviews = plural(report.reviews, "review")
    history = f", {reviews} and each card's schedule" if with_history else ""
    click.echo(
        safe_text(
            f"Exported {plural(report.cards, 'card')} as "
            f"{plural(report.notes, 'Anki note')}{history} "
            f"to {report.path}",
            keep_newlines=False,
        )
    )
