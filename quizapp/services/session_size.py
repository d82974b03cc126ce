"""How many cards a session filter selects, and what to say when it selects none.

A filter that matches nothing used to open an empty session ("Session complete"), which
reads as "you are done" when the learner only mistyped a tag. Both front ends ask here
first: the custom-session dialog shows the counts live as the form changes (and will not
start on zero), and ``quizapp review``/``list`` refuse a filter that matches no card,
naming the tags that match nothing with the closest stored tag names (difflib).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from quizapp.scheduling.clock import utc_now
from quizapp.scheduling.filters import StudyFilter
from quizapp.store.db import Database

#: How many close tag names a message suggests.
SUGGESTIONS = 3


@dataclass(frozen=True)
class SessionSize:
    """The cards behind a session filter.

    ``matching``: present cards the filter selects. ``available``: those not suspended
    or buried, what a cram session practises. ``due``: what a due-only session would
    show now, within the daily limits, cards brought forward for an interview included.
    """

    matching: int
    available: int
    due: int

    def for_session(self, cram: bool) -> int:
        """The cards a session of this kind would show."""
        return self.available if cram else self.due


def session_size(
    database: Database,
    study_filter: StudyFilter,
    *,
    clock: Callable[[], datetime] = utc_now,
    zone: tzinfo | None = None,
) -> SessionSize:
    """Count the cards ``study_filter`` selects (see ``SessionSize``)."""
    from quizapp.services.study import StudySession

    matching, available = database.queue.filter_counts(study_filter, clock())
    if not available:
        return SessionSize(matching, 0, 0)
    session = StudySession(database, study_filter, clock=clock, zone=zone)
    return SessionSize(matching, available, session.progress().total + session.interview_left())


def close_tags(database: Database, tag: str, limit: int = SUGGESTIONS) -> list[str]:
    """The stored tag names closest to ``tag`` (case ignored), best first."""
    from quizapp.services.library import tag_counts

    names = {count.name.casefold(): count.name for count in tag_counts(database)}
    close = difflib.get_close_matches(tag.casefold(), list(names), n=limit, cutoff=0.6)
    return [names[key] for key in close]


def close_decks(database: Database, deck: str, limit: int = SUGGESTIONS) -> list[str]:
    """The deck names closest to ``deck`` (case ignored), best first."""
    names = {name.casefold(): name for name in database.cards.deck_names()}
    close = difflib.get_close_matches(deck.casefold(), list(names), n=limit, cutoff=0.6)
    return [names[key] for key in close]


#: Counts the present cards a filter selects (the semantics of the command asking).
FilterCount = Callable[[StudyFilter], int]


def study_count(database: Database, now: datetime) -> FilterCount:
    """``FilterCount`` as a study session selects cards (``review``, the dialog)."""
    repo = database.queue
    return lambda study_filter: repo.filter_counts(study_filter, now)[0]


def no_match_message(
    database: Database, options: str, study_filter: StudyFilter, count: FilterCount
) -> str:
    """One line for a filter that matches no card: "no cards match --tag NoSuchTag; no
    card has the tag 'NoSuchTag' (close: NoSQL, Norms)", and the same for a deck that
    holds no card. ``options`` is the filter as the user gave it; ``count`` tells which
    of its tags and deck select nothing on their own."""
    parts = [f"no cards match {options}"]
    for tag in (*study_filter.tags_any, *study_filter.tags_all):
        if count(StudyFilter(tags_all=(tag,))) == 0:
            close = close_tags(database, tag)
            hint = f" (close: {', '.join(close)})" if close else " (quizapp tags lists them)"
            parts.append(f"no card has the tag {tag!r}{hint}")
    deck = study_filter.deck
    if deck and count(StudyFilter(deck=deck)) == 0:
        close = close_decks(database, deck)
        hint = f" (close: {', '.join(close)})" if close else ""
        parts.append(f"no deck {deck!r} holds a card{hint}")
    return "; ".join(parts)
