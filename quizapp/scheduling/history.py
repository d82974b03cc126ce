"""Review histories turned into the items FSRS trains and is scored on.

FSRS counts time in whole days, with the day starting at the rollover hour in the
learner's local time. Each review that comes on a later day than the card's previous
review yields one item: the card's reviews up to and including it, each with the days
since the one before. Reviews on the same day as the previous one are kept in the
history (they shape the short-term memory state) but never scored themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from fsrs_rs_python import FSRSItem, FSRSReview

from quizapp.scheduling.queue import study_day


@dataclass(frozen=True)
class HistoryItem:
    """One scored review and the history before it: ``(rating, days since previous)``.

    ``at`` is when the scored (last) review happened; items are ordered by it, so a
    split by position is a split in time.
    """

    reviews: tuple[tuple[int, int], ...]
    at: datetime

    @property
    def rating(self) -> int:
        """The scored review's rating."""
        return self.reviews[-1][0]

    @property
    def elapsed_days(self) -> int:
        """Days between the scored review and the one before it."""
        return self.reviews[-1][1]

    def fsrs_item(self) -> FSRSItem:
        """The whole item for fsrs-rs-python (training and the reference evaluation)."""
        return FSRSItem([FSRSReview(rating, days) for rating, days in self.reviews])

    def history_item(self) -> FSRSItem:
        """The reviews before the scored one, to compute the memory state it was made in."""
        return FSRSItem([FSRSReview(rating, days) for rating, days in self.reviews[:-1]])


def build_items(
    histories: Mapping[Any, Sequence[tuple[datetime, int]]],
    rollover_hour: int,
    zone: tzinfo,
) -> list[HistoryItem]:
    """Every scorable item of every card, ordered by the time of the scored review.

    ``histories`` maps a card to its (aware time, rating) reviews, in any order.
    """
    items: list[HistoryItem] = []
    for reviews in histories.values():
        items.extend(
            _card_items(sorted(reviews, key=lambda review: review[0]), rollover_hour, zone)
        )
    items.sort(key=lambda item: item.at)
    return items


def _card_items(
    reviews: Iterable[tuple[datetime, int]], rollover_hour: int, zone: tzinfo
) -> Iterable[HistoryItem]:
    steps: list[tuple[int, int]] = []
    previous = None
    for at, rating in reviews:
        day = study_day(at, rollover_hour, zone)
        days = 0 if previous is None else (day - previous).days
        steps.append((rating, days))
        previous = day
        if days > 0:
            yield HistoryItem(tuple(steps), at)
