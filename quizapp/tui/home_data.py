"""What the home screen shows, gathered from the services in one thread-side call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.scheduling.stats import GroupStats
    from quizapp.store.db import Database


@dataclass(frozen=True)
class GroupCount:
    """A deck, tag or difficulty with its card count, cards due now and mean recall."""

    name: str
    cards: int
    due: int
    recall: float | None = None
    recall_interview: float | None = None


@dataclass(frozen=True)
class HomeData:
    """Today at a glance: due counts, streak, groups, and the interview outlook."""

    new: int
    learning: int
    review: int
    total_cards: int
    streak: int | None = None
    decks: list[GroupCount] = field(default_factory=list)
    tags: list[GroupCount] = field(default_factory=list)
    difficulties: list[GroupCount] = field(default_factory=list)
    interview_date: date | None = None
    interview_recall: float | None = None
    answers_ever: int = 0

    @property
    def due_today(self) -> int:
        """All cards the learner can study now."""
        return self.new + self.learning + self.review


def load_home(db: Database, clock: Callable[[], datetime], zone: tzinfo | None) -> HomeData:
    """Collect the home screen's figures (runs in a thread worker)."""
    from quizapp.scheduling.filters import StudyFilter
    from quizapp.services.stats import collection_statistics
    from quizapp.services.study import StudySession
    from quizapp.store.card_repo import CardRepository
    from quizapp.store.study_repo import StudyRepository

    session = StudySession(db, clock=clock, zone=zone)
    progress = session.progress()
    stats = collection_statistics(db, clock=clock, zone=zone)
    repo = StudyRepository(db)
    cards = CardRepository(db)
    now = clock()
    window = session._window(now)

    def due_for(study_filter: StudyFilter) -> int:
        counts = repo.due_counts(study_filter, now, window)
        return counts.learning + counts.review + counts.new

    deck_sizes: dict[str, int] = {}
    for stored in cards.find():
        deck_sizes[stored.card.deck] = deck_sizes.get(stored.card.deck, 0) + 1
    decks = [
        GroupCount(name, size, due_for(StudyFilter(deck=name)))
        for name, size in sorted(deck_sizes.items())
    ]
    return HomeData(
        new=progress.new,
        learning=progress.learning,
        review=progress.review,
        total_cards=sum(deck_sizes.values()),
        streak=stats.streak,
        decks=decks,
        tags=[_group(group, due_for(StudyFilter(tags_any=(group.name,)))) for group in stats.tags],
        difficulties=sorted(
            (
                _group(group, due_for(StudyFilter(difficulties=(group.name,))))
                for group in stats.difficulties
            ),
            key=lambda group: _LEVELS.get(group.name, len(_LEVELS)),
        ),
        interview_date=stats.interview_date,
        interview_recall=stats.interview_recall,
        answers_ever=sum(stats.ratings.values()),
    )


_LEVELS = {"easy": 0, "medium": 1, "hard": 2}


def _group(group: GroupStats, due: int) -> GroupCount:
    """A statistics group with ``due`` counted the way the study queue counts it."""
    return GroupCount(group.name, group.cards, due, group.mean_recall, group.interview_recall)
