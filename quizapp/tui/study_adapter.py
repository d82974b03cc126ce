"""The review screen's view of a ``quizapp.services.study.StudySession``.

It adds what only a front end needs: the full card to draw, the button labels, a card
limit, the counts for the progress bar and the end-of-session summary. All methods are
called from thread workers; none of them decides anything about scheduling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.tui.session_request import SessionRequest

if TYPE_CHECKING:
    from quizapp.store.db import Database
    from quizapp.store.records import StoredCard


@dataclass(frozen=True)
class CardTurn:
    """A card to show: the card, its four interval labels, and the session's progress.

    ``planned`` is the session's total as it stood when it started (it only shrinks, when
    a card is suspended or buried); ``added`` counts the cards that joined since: learning
    cards that come back, cards brought forward for the interview. ``early`` says why a
    card is shown before its due day ("early: interview in 40 days, due in 8 days"), in
    wordings from the longest to the shortest (empty when the card is due).
    """

    stored: StoredCard
    previews: tuple[str, ...]
    done: int
    remaining: int
    has_exercise: bool
    planned: int = 0
    has_drills: bool = False
    added: int = 0
    early: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionSummary:
    """What the session did, for the end-of-session screen."""

    reviewed: int
    again: int
    seconds: float
    next_due_text: str
    cram: bool

    @property
    def again_rate(self) -> float:
        """Share of answers that were "again"."""
        return self.again / self.reviewed if self.reviewed else 0.0


class StudyAdapter:
    """Drives one ``StudySession`` for the review screen."""

    def __init__(
        self,
        db: Database,
        request: SessionRequest,
        clock: Callable[[], datetime],
        seed: int | None = None,
    ) -> None:
        from quizapp.services.study import StudySession

        self.db = db
        self.request = request
        self.clock = clock
        self.started = clock()
        study_filter = request.filter
        if request.card_pks is not None:
            # "Study these" from browse: exactly the chosen cards.
            study_filter = replace(study_filter, card_pks=request.card_pks)
        self.session = StudySession(db, study_filter, cram=request.cram, clock=clock, seed=seed)
        self.ratings: list[int] = []
        self._planned: int | None = None

    @property
    def answered(self) -> int:
        """Answers given (and not undone) in this session."""
        return len(self.ratings)

    def current(self) -> CardTurn | None:
        """The card to show now, or None when the session is over."""
        from quizapp.services.drills import has_drills
        from quizapp.services.exercises import has_exercise
        from quizapp.tui.backend import card_by_pk

        limit = self.request.limit
        if limit is not None and self.answered >= limit:
            return None
        while True:
            queued = self.session.next_card()
            if queued is None:
                return None
            stored = card_by_pk(self.db, queued.pk)
            if stored is not None:
                break
            self.session.suspend()  # pragma: no cover - a card deleted under the session
        previews = tuple(preview.label for preview in self.session.previews())
        if not previews:
            previews = ("again", "practice", "practice", "practice")
        remaining = self.session.progress().total + self.session.interview_left()
        if limit is not None:
            remaining = min(remaining, limit - self.answered)
        remaining = max(remaining, 1)  # the card on screen is still to do
        total = self.answered + remaining
        # The total the session started with stays put; growth shows as "+N added".
        if self._planned is None or total < self._planned:
            self._planned = total
        early = self.session.early_review()
        return CardTurn(
            stored,
            previews,
            self.answered,
            remaining,
            has_exercise(stored),
            planned=self._planned,
            added=total - self._planned,
            early=() if early is None else early.wordings(),
            has_drills=has_drills(stored.card),
        )

    def answer(self, rating: int, duration_ms: int) -> None:
        """Record the learner's rating of the card on screen."""
        self.session.answer(rating, duration_ms)
        self.ratings.append(rating)

    def undo(self) -> str:
        """Take back the last answer; returns the line to show."""
        result = self.session.undo()
        if result.undone and self.ratings:
            self.ratings.pop()
        return result.message

    def suspend(self) -> str:
        """Suspend the card on screen."""
        title = self.session.current.title if self.session.current else "card"
        self.session.suspend()
        return f"Suspended {title!r}."

    def bury(self) -> str:
        """Bury the card on screen until the next day rollover."""
        until = self.session.bury()
        return f"Buried until {until.astimezone():%a %H:%M}."

    def reimport(self, path: str) -> str:
        """Re-import an edited source file; the card on screen is redrawn from it."""
        from quizapp.services.importer import import_paths

        report = import_paths(self.db, [path])
        if report.errors:
            return f"Not re-imported: {report.errors[0]}"
        return f"Re-imported: {report.updated} updated, {report.new} new."

    def summary(self) -> SessionSummary:
        """Counts and the next due time, for the end of the session."""
        seconds = (self.clock() - self.started).total_seconds()
        upcoming = None if self.request.cram else self.db.queue.next_due(self.clock())
        if self.request.cram:
            text = "unchanged (cram)"
        elif upcoming is None:
            text = "nothing scheduled"
        else:
            text = describe_due(upcoming, self.clock())
        return SessionSummary(
            reviewed=self.answered,
            again=sum(1 for rating in self.ratings if rating == 1),
            seconds=seconds,
            next_due_text=text,
            cram=self.request.cram,
        )


def describe_due(due: datetime, now: datetime) -> str:
    """ "in 10m (14:32)", "in 3d (Mon 2 Mar)" or "now"."""
    from quizapp.scheduling.previews import format_interval

    delta = due - now
    if delta.total_seconds() <= 0:
        return "now"
    local = due.astimezone()
    when = f"{local:%H:%M}" if delta.days < 1 else f"{local:%a %d %b}"
    return f"in {format_interval(delta)} ({when})"
