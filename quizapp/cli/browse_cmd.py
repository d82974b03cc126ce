"""``quizapp list``, ``show ID`` and ``tags``: reading the stored cards."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from quizapp.cards.kinds import KIND_LABELS, present
from quizapp.cards.model import CardKind
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

if TYPE_CHECKING:
    from quizapp.services.library import CardDetail


def _line(text: str) -> str:
    return safe_text(text, keep_newlines=False)


def _render(markdown: str, width: int) -> str:
    """Step text as the terminal shows it: drawn as Obsidian draws it where plain text
    can (wikilinks as their text, images as placeholders, callout titles, no closing
    rule: ``cards/display_markdown.py``), with its math drawn (raw if that fails)."""
    from quizapp.cards.display_markdown import plain, tidy
    from quizapp.mathtext import render_markdown_math

    text = plain(tidy(markdown))
    try:
        return render_markdown_math(text, width=width)
    except Exception:
        return text


def _render_title(title: str) -> str:
    """A title on one line with its formulas drawn, as the app draws it (imported notes
    often put a formula in the question that becomes the title)."""
    if "$" not in title:  # no formula: the renderer is not even imported (`list` is quick)
        return title
    from quizapp.mathtext import render_line_math

    return render_line_math(title)


#: The header row of ``quizapp list`` (printed above the cards, not above nothing).
_LIST_HEADER = ("ID", "KIND", "DIFFICULTY", "STATE", "DUE", "TITLE")


@click.command("list")
@tag_option()
@difficulty_option()
@deck_option()
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice([kind.value for kind in CardKind], case_sensitive=False),
    help="Only cards of this kind (repeat: any of them).",
)
@click.option("--due", is_flag=True, help="Only cards due now (new cards included).")
@click.option(
    "--text",
    default=None,
    metavar="QUERY",
    help="Only cards whose title, question, answer, id, tags or other language hold this "
    "text (any case, any script; as browse and review --text match).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_context
def list_command(
    ctx: click.Context,
    tags: tuple[str, ...],
    difficulties: tuple[str, ...],
    deck: str | None,
    kinds: tuple[str, ...],
    due: bool,
    text: str | None,
    as_json: bool,
) -> None:
    """List cards, by deck and id."""
    from quizapp.scheduling.filters import StudyFilter
    from quizapp.services.library import list_cards

    database = open_db(ctx, starter_deck=True)
    wanted = StudyFilter(
        tags_all=tags, difficulties=tuple(d.lower() for d in difficulties), deck=deck, text=text
    )
    require_cards(database, wanted, options_text(tags, difficulties, deck, text))
    cards = list_cards(
        database,
        tags=tags,
        difficulties=difficulties,
        deck=deck,
        due=due,
        now=datetime.now(UTC),
        kinds=[kind.lower() for kind in kinds],
        text=text,
    )
    if as_json:
        click.echo(safe_json([card.to_dict() for card in cards]))
        return
    rows = [
        (
            _line(card.id),
            KIND_LABELS[card.kind],
            card.difficulty or "-",
            card.state,
            card.due.astimezone().strftime("%Y-%m-%d %H:%M"),
            _line(_render_title(card.title)),  # formulas drawn, as `show` and the app do
        )
        for card in cards
    ]
    if rows:
        rows.insert(0, _LIST_HEADER)
    widths = [max(len(row[column]) for row in rows) for column in range(5)] if rows else []
    for row in rows:
        cells = [f"{cell:<{width}}" for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[5]]))
    click.echo(plural(len(cards), "card"), err=True)


def _detail_dict(detail: CardDetail, width: int) -> dict[str, object]:
    from quizapp.cards.display_markdown import tidy_question

    return {
        "id": detail.id,
        "title": detail.title,
        "question": _render(tidy_question(detail.question), width),
        "steps": [
            {"path": list(step.path), "text": _render(step.text, width), "markdown": step.text}
            for step in detail.steps
        ],
        "tags": list(detail.tags),
        "difficulty": detail.difficulty,
        "related": [
            {"text": link.text, "id": link.target_uid, "title": link.target_title}
            for link in detail.related
        ],
        "source": detail.source,
        "deck": detail.deck,
        "due": detail.memory.due.isoformat(),
        "state": detail.memory.display_state,
        "missing": detail.missing,
        "kind": str(detail.kind),
        "note": detail.note,
    }


@click.command("show")
@click.argument("card_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the card as one JSON object.")
@click.option(
    "--width",
    type=click.IntRange(min=20),
    default=None,
    help="Width to draw math for (default: the terminal's, at most 100).",
)
@click.pass_context
def show(ctx: click.Context, card_id: str, as_json: bool, width: int | None) -> None:
    """Show one card: question, answer steps in order, tags, difficulty, related, source."""
    import shutil

    from quizapp.cards import wikilinks
    from quizapp.cards.display_markdown import tidy_question, without_title
    from quizapp.services.library import show_card

    database = open_db(ctx, starter_deck=True)
    detail = show_card(database, card_id)
    if detail is None:
        raise CliError(f'no card with id "{card_id}" (see `quizapp list`)')
    width = width or min(shutil.get_terminal_size((80, 24)).columns, 100)
    if as_json:
        click.echo(safe_json(_detail_dict(detail, width)))
        return
    shown = present(detail.card) if detail.card is not None else None
    title = wikilinks.plain(shown.title if shown else detail.title)
    click.echo(click.style(_line(_render_title(title)), bold=True))
    meta = [f"id {detail.id}", f"deck {detail.deck}", f"difficulty {detail.difficulty or '-'}"]
    if detail.kind is not CardKind.BASIC:
        meta.append(f"kind {KIND_LABELS[detail.kind]}")
    click.echo(_line("  ·  ".join(meta)))
    if detail.tags:
        click.echo("tags: " + _line(", ".join(detail.tags)))
    click.echo(
        _line(f"source: {detail.source}:{detail.line}")
        + ("  (missing: file or card no longer found)" if detail.missing else "")
    )
    if shown is None:
        click.echo("\n" + click.style("Question", bold=True))
        click.echo(safe_text(_render(tidy_question(detail.question), width)))
        steps = detail.steps
    else:
        question = tidy_question(shown.question)
        if shown.kind is not CardKind.CLOZE:
            question = without_title(title, question)  # not the title twice
        if question.strip():
            click.echo("\n" + click.style("Question", bold=True))
            click.echo(safe_text(_render(question, width)))
        if shown.filled is not None:
            click.echo("\n" + click.style("Answer", bold=True))
            click.echo(safe_text(_render(shown.filled, width)))
        steps = shown.steps
    for number, step in enumerate(steps, start=1):
        title = step.title or "Answer"
        click.echo("\n" + click.style(f"{number}. {_line(title)}", bold=True))
        click.echo(safe_text(_render(step.text, width)))
    extras = detail.card.extras if detail.card is not None else ()
    if extras:
        click.echo("\n" + click.style("More", bold=True))
        for extra in extras:
            click.echo(click.style(_line(extra.heading), bold=True))
            click.echo(safe_text(_render(extra.text, width)))
    if detail.related:
        click.echo("\n" + click.style("Related", bold=True))
        for link in detail.related:
            target = f"  → {link.target_uid}" if link.target_uid else ""
            click.echo(f"- {_line(link.text)}{_line(target)}")


@click.command("tags")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {name, count}.")
@click.pass_context
def tags(ctx: click.Context, as_json: bool) -> None:
    """List tags with the number of cards carrying each."""
    from quizapp.services.library import tag_counts

    database = open_db(ctx, starter_deck=True)
    counts = tag_counts(database)
    if as_json:
        click.echo(safe_json([{"name": tag.name, "count": tag.count} for tag in counts]))
        return
    for tag in counts:
        click.echo(f"{tag.count:>5}  {_line(tag.name)}")
