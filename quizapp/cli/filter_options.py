"""The card-filter options that ``list``, ``review`` and ``export`` share: one definition
of ``--tag``, ``--difficulty`` and ``--deck``, so their spelling, checks and choices
cannot drift apart between commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from quizapp.cli.tag_option import check_tags

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
