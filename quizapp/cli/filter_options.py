"""The card-filter options that ``list``, ``review`` and ``export`` share: one definition
of ``--tag``, ``--difficulty`` and ``--deck``, so their spelling, checks and choices
cannot drift apart between commands."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click

from quizapp.cli.tag_option import check_tags

if TYPE_CHECKING:
    from quizapp.scheduling.filters import StudyFilter
    from quizapp.store.db import Database

F = TypeVar("F", bound=Callable[..., Any])

ALL_TAGS = "Only cards with this tag (repeat: every tag given; ml also matches ml/x)."


def tag_option(help: str = ALL_TAGS) -> Callable[[F], F]:
    """``--tag TAG`` (repeatable), checked by :func:`check_tags`, into ``tags``."""
    return click.option(
        "--tag", "tags", multiple=True, metavar="TAG", callback=check_tags, help=help
    )


def difficulty_option(
    help: str = "Only cards of this difficulty (repeat: any of them).",
) -> Callable[[F], F]:
    """``--difficulty`` (repeatable, easy/medium/hard in any case), into ``difficulties``."""
    return click.option(
        "--difficulty",
        "difficulties",
        multiple=True,
        type=click.Choice(["easy", "medium", "hard"], case_sensitive=False),
        help=help,
    )


def deck_option(help: str = "Only cards of this deck.") -> Callable[[F], F]:
    """``--deck DECK``, into ``deck``."""
    return click.option("--deck", default=None, metavar="DECK", help=help)


def options_text(
    tags: Sequence[str] = (),
    difficulties: Sequence[str] = (),
    deck: str | None = None,
    text: str | None = None,
) -> str:
    """The filter options as the user typed them: ``--tag NoSuchTag --difficulty hard``."""
    words: list[str] = []
    words += [f"--tag {shlex.quote(tag)}" for tag in tags]
    words += [f"--difficulty {level}" for level in difficulties]
    if deck:
        words.append(f"--deck {shlex.quote(deck)}")
    if text:
        words.append(f"--text {shlex.quote(text)}")
    return " ".join(words)


def require_cards(
    database: Database, study_filter: StudyFilter, options: str, *, study: bool = False
) -> None:
    """Exit with status 1 and one line when ``study_filter`` selects no card: "no cards
    match --tag NoSuchTag; no card has the tag 'NoSuchTag' (close: …)". Nothing to do
    when the filter is empty (every card) or selects some. Cards are selected as a study
    session does with ``study`` (``review``), else as ``list`` and ``export`` do (every
    tag, ``ml`` matching ``ml/x``)."""
    from quizapp.cli.context import CliError
    from quizapp.services.session_size import FilterCount, no_match_message, study_count

    if study_filter.is_empty:
        return
    count: FilterCount
    if study:
        count = study_count(database, datetime.now(UTC))
    else:
        from quizapp.services.library import count_cards

        def count(chosen: StudyFilter) -> int:
            return count_cards(
                database,
                tags=(*chosen.tags_any, *chosen.tags_all),
                difficulties=chosen.difficulties,
                deck=chosen.deck,
                text=chosen.text,
            )

    if count(study_filter) == 0:
        raise CliError(no_match_message(database, options, study_filter, count), exit_code=1)
