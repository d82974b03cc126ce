"""The home summary of a collection: today's counts, groups with their due cards, recall.

Three calls of growing cost, so a front end can draw each part as soon as it is known:
``today_counts`` (a few indexed counts, no NumPy), ``group_counts`` (every deck, tag and
difficulty in one read) and ``recall_overview`` (streak and predicted recall, from the
statistics service). The TUI's home screen and the CLI share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.store.db import Database
    from quizapp.store.records import GroupDue

Clock = Callable[[], datetime]

#: Difficulty labels in teaching order; others follow, by name.
LEVEL_ORDER = {"easy": 0, "medium": 1, "hard": 2}


@dataclass(frozen=True)
class TodayCounts:
    """Cards left to study today, within the daily limits, as a session serves them."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        """All cards the learner can study now."""
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class GroupSummary:
    """A deck, tag or difficulty: its cards, answered cards due now and new cards.

    ``due`` counts learning and review cards due (before the daily limits); ``recall``
    and ``recall_interview`` are the group's mean predicted recall now and on the
    interview day, filled in from ``recall_overview`` (None until known or when no card
    of the group was ever answered).
    """

    name: str
    cards: int
    due: int
    new: int = 0
    recall: float | None = None
    recall_interview: float | None = None


@dataclass(frozen=True)
class GroupCounts:
    """Every deck (sub-decks counted in their parents), tag and difficulty with its counts."""

    decks: tuple[GroupSummary, ...]
    tags: tuple[GroupSummary, ...]
    difficulties: tuple[GroupSummary, ...]


@dataclass(frozen=True)
class GroupRecall:
    """One tag's or difficulty's mean predicted recall, now and on the interview day."""

    recall: float | None
    recall_interview: float | None


@dataclass(frozen=True)
class RecallOverview:
    """The slower half of the summary: streak, totals, predicted recall per group."""

    total_cards: int
    streak: int
    answers_ever: int
    tags: dict[str, GroupRecall]
    difficulties: dict[str, GroupRecall]
    interview_date: date | None = None
    interview_recall: float | None = None


def peek_today_counts(
    target: str | Path | None, now: datetime, zone: tzinfo | None = None
) -> TodayCounts | None:
    """Today's counts read before the database is opened (and SQLAlchemy imported), or
    None when the store has no such fast path for ``target`` (``today_counts`` then).

    Start-up speed: the home screen draws these first; they equal ``today_counts``'s (a
    test keeps them so). Imports nothing slow.
    """
    from quizapp.store.location import peek_today_counts

    counts = peek_today_counts(target, now, zone)
    if counts is None:
        return None
    return TodayCounts(new=counts.new, learning=counts.learning, review=counts.review)


def today_counts(database: Database, *, clock: Clock, zone: tzinfo | None = None) -> TodayCounts:
    """Today's new, learning and review cards, the numbers a study session starts from."""
    from quizapp.services.study import StudySession

    progress = StudySession(database, clock=clock, zone=zone).progress()
    return TodayCounts(new=progress.new, learning=progress.learning, review=progress.review)


def group_counts(database: Database, *, clock: Clock, zone: tzinfo | None = None) -> GroupCounts:
    """Every deck's, tag's and difficulty's cards and due counts, from one quick read."""
    from quizapp.services.study import due_by_group

    groups = due_by_group(database, clock=clock, zone=zone)
    return GroupCounts(
        decks=tuple(_summary(group) for group in groups.decks),
        tags=tuple(_summary(group) for group in groups.tags),
        difficulties=tuple(
            sorted(
                (_summary(group) for group in groups.difficulties),
                key=lambda group: (LEVEL_ORDER.get(group.name, len(LEVEL_ORDER)), group.name),
            )
        ),
    )


def recall_overview(
    database: Database, *, clock: Clock, zone: tzinfo | None = None
) -> RecallOverview:
    """Streak, card and answer totals, and recall per tag and difficulty (NumPy work)."""
    from quizapp.services.stats import collection_statistics

    stats = collection_statistics(database, clock=clock, zone=zone)
    return RecallOverview(
        total_cards=sum(stats.cards_by_state.values()),
        streak=stats.streak,
        answers_ever=sum(stats.ratings.values()),
        tags={g.name: GroupRecall(g.mean_recall, g.interview_recall) for g in stats.tags},
        difficulties={
            g.name: GroupRecall(g.mean_recall, g.interview_recall) for g in stats.difficulties
        },
        interview_date=stats.interview_date,
        interview_recall=stats.interview_recall,
    )


def with_recall(
    groups: tuple[GroupSummary, ...], recall: dict[str, GroupRecall]
) -> tuple[GroupSummary, ...]:
    """``groups`` with each one's recall figures from ``recall`` filled in."""
    filled = []
    for group in groups:
        known = recall.get(group.name)
        if known is None:
            filled.append(group)
        else:
            filled.append(
                GroupSummary(
                    group.name,
                    group.cards,
                    group.due,
                    group.new,
                    known.recall,
                    known.recall_interview,
                )
            )
    return tuple(filled)


def _summary(group: GroupDue) -> GroupSummary:
    return GroupSummary(
        group.name, group.cards, group.due.learning + group.due.review, new=group.due.new
    )
