"""What the home screen shows, gathered from the services in thread-side calls.

Two phases, because the learner first wants to know how much there is to do: ``load_today``
is a few indexed counts (drawn at once), ``load_overview`` runs the statistics service for
the streak, tags, difficulties and predicted recall (drawn when it arrives).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.scheduling.stats import GroupStats
    from quizapp.store.db import Database


@dataclass(frozen=True)
class Today:
    """Cards left to study today, within the daily limits."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        """All cards the learner can study now."""
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class GroupCount:
    """A deck, tag or difficulty: its cards, the reviews due now and its mean recall."""

    name: str
    cards: int
    due: int
    recall: float | None = None
    recall_interview: float | None = None
    new: int = 0


@dataclass(frozen=True)
class Overview:
    """The rest of the home screen: streak, groups, the interview outlook."""

    total_cards: int
    streak: int
    decks: list[GroupCount] = field(default_factory=list)
    tags: list[GroupCount] = field(default_factory=list)
    difficulties: list[GroupCount] = field(default_factory=list)
    interview_date: date | None = None
    interview_recall: float | None = None
    answers_ever: int = 0


_LEVELS = {"easy": 0, "medium": 1, "hard": 2}


def load_today(db: Database, clock: Callable[[], datetime], zone: tzinfo | None) -> Today:
    """Today's counts, as the study session will serve them."""
    from quizapp.services.study import StudySession

    progress = StudySession(db, clock=clock, zone=zone).progress()
    return Today(new=progress.new, learning=progress.learning, review=progress.review)


def load_overview(db: Database, clock: Callable[[], datetime], zone: tzinfo | None) -> Overview:
    """Streak, decks, tags, difficulties and recall (runs in a thread worker)."""
    from quizapp.scheduling.filters import StudyFilter
    from quizapp.scheduling.queue import day_window, local_timezone
    from quizapp.services.stats import collection_statistics
    from quizapp.store.card_repo import CardRepository
    from quizapp.store.study_repo import StudyRepository

    stats = collection_statistics(db, clock=clock, zone=zone)
    repo = StudyRepository(db)
    now = clock()
    window = day_window(now, repo.load_settings().day_rollover_hour, zone or local_timezone())
    decks = []
    for name in CardRepository(db).deck_names():
        counts = repo.due_counts(StudyFilter(deck=name), now, window)
        decks.append(
            GroupCount(name, counts.learning + counts.review + counts.new,
                       counts.learning + counts.review, new=counts.new)
        )
    return Overview(
        total_cards=sum(stats.cards_by_state.values()),
        streak=stats.streak,
        decks=decks,
        tags=[_group(group) for group in stats.tags],
        difficulties=sorted(
            (_group(group) for group in stats.difficulties),
            key=lambda group: _LEVELS.get(group.name, len(_LEVELS)),
        ),
        interview_date=stats.interview_date,
        interview_recall=stats.interview_recall,
        answers_ever=sum(stats.ratings.values()),
    )


def _group(group: GroupStats) -> GroupCount:
    return GroupCount(group.name, group.cards, group.due, group.mean_recall,
                      group.interview_recall)
