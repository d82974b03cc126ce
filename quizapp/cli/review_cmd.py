"""``quizapp review``: open the TUI straight into a filtered (or cram) session."""

from __future__ import annotations

import click

from quizapp.cli.filter_options import (
    deck_option,
    difficulty_option,
    options_text,
    require_cards,
    tag_option,
)


@click.command("review")
@tag_option("Only cards with this tag (repeat: any of them).")
@click.option("--all-tags", is_flag=True, help="Cards must carry every --tag, not any.")
@difficulty_option("Only cards of this difficulty (repeatable).")
@deck_option()
@click.option(
    "--text", default=None, metavar="TEXT", help="Only cards whose title or question contain TEXT."
)
@click.option("--cram", is_flag=True, help="Practise without changing the schedule.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many cards.")
@click.pass_context
def review(
    ctx: click.Context,
    tags: tuple[str, ...],
    all_tags: bool,
    difficulties: tuple[str, ...],
    deck: str | None,
    text: str | None,
    cram: bool,
    limit: int | None,
) -> None:
    """Study in the TUI, starting at once with the cards chosen by these filters.

    Exit status: the app's (0); 1 when the filters match no card at all (the tags that
    match nothing are named, with the closest tag names); 2 for usage errors.
    """
    from quizapp.cli.context import open_db, open_tui
    from quizapp.scheduling.filters import StudyFilter
    from quizapp.tui.session_request import SessionRequest

    study_filter = StudyFilter(
        tags_any=() if all_tags else tags,
        tags_all=tags if all_tags else (),
        difficulties=tuple(level.lower() for level in difficulties),
        deck=deck,
        text=text,
    )
    if not study_filter.is_empty:
        database = open_db(ctx, starter_deck=True)
        options = options_text(tags, difficulties, deck, text)
        require_cards(database, study_filter, options, study=True)
        database.close()  # the app opens its own
    request = SessionRequest(filter=study_filter, cram=cram, limit=limit)
    open_tui(ctx, request)
