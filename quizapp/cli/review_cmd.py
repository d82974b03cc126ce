"""``quizapp review``: open the TUI straight into a filtered (or cram) session."""

from __future__ import annotations

import click

from quizapp.cli.tag_option import check_tags


@click.command("review")
@click.option("--tag", "tags", multiple=True, metavar="TAG", callback=check_tags,
              help="Only cards with this tag (repeat: any of them).")
@click.option("--all-tags", is_flag=True, help="Cards must carry every --tag, not any.")
@click.option("--difficulty", "difficulties", multiple=True,
              type=click.Choice(["easy", "medium", "hard"], case_sensitive=False),
              help="Only cards of this difficulty (repeatable).")
@click.option("--deck", default=None, metavar="DECK", help="Only cards of this deck.")
@click.option("--text", default=None, metavar="TEXT",
              help="Only cards whose title or question contain TEXT.")
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
    """Study in the TUI, starting at once with the cards chosen by these filters."""
    from quizapp.cli.context import open_tui
    from quizapp.scheduling.filters import StudyFilter
    from quizapp.tui.session_request import SessionRequest

    study_filter = StudyFilter(
        tags_any=() if all_tags else tags,
        tags_all=tags if all_tags else (),
        difficulties=tuple(level.lower() for level in difficulties),
        deck=deck,
        text=text,
    )
    request = SessionRequest(filter=study_filter, cram=cram, limit=limit)
    open_tui(ctx, request)
