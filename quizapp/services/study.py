"""A study session: what the TUI and the CLI call to show cards and record answers.

One ``StudySession`` holds one queue (optionally filtered) and the undo stack of the
answers given in it. It reads settings once when it starts, asks the store for a few
candidates of each queue kind, and lets ``quizapp.scheduling.queue`` choose between
them. Every answer is written at once in its own short transaction, so a crash loses
nothing that was acknowledged and another window sees it immediately.

A cram session practises the filtered cards without touching the schedule: answers go to
``practice_logs`` only, and a card rated "again" comes back at the end of the session.

With the ``bury_siblings`` setting (on by default), answering a card buries its note's
other cards until the next day rollover (``quizapp.scheduling.siblings``), in the
answer's own transaction. Undo unburies them.
"""

from __future__ import annotations

import bisect
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from quizapp.scheduling.clock import utc_now
from quizapp.scheduling.filters import StudyFilter
from quizapp.scheduling.memory import LEARNING, RELEARNING, REVIEW, MemoryState
from quizapp.scheduling.previews import Preview, previews
from quizapp.scheduling.queue import (
    LEARN_AHEAD,
    SIBLING_MEMORY,
    Candidate,
    DailyBudget,
    DayWindow,
    QueueKind,
    daily_budget,
    day_window,
    local_timezone,
    next_rollover,
    pick,
    study_day,
)
from quizapp.scheduling.scheduler import AGAIN, Scheduler, check_rating
from quizapp.scheduling.siblings import buries
from quizapp.store.db import Database
from quizapp.store.errors import StaleCardError, UnknownCardError
from quizapp.store.records import BuriedSibling, DueByGroup, QueuedCard
from quizapp.text import plural

__all__ = [
    "AnswerResult",
    "DueByGroup",
    "EarlyReview",
    "NotInSessionError",
    "Progress",
    "StaleCardError",
    "StudySession",
    "UndoResult",
    "due_by_group",
]

#: How many candidates of one kind are looked at to choose between (sibling spreading).
_CANDIDATES = SIBLING_MEMORY + 2
#: The queue is read from the database at most this often (and at each new study day);
#: in between, cards are served from memory and each is re-checked just before showing.
REFRESH = timedelta(minutes=5)
#: At most this many learning cards due later today are held in memory.
_LEARNING_CAP = 2000


def due_by_group(
    database: Database,
    *,
    clock: Callable[[], datetime] = utc_now,
    zone: tzinfo | None = None,
) -> DueByGroup:
    """Cards due now in every deck (sub-decks included), tag and difficulty, by kind.

    For a home screen listing groups: each count equals what a session filtered on that
    one group reports as due before the daily limits, but all come from one quick read
    (tens of milliseconds on 100,000 cards) instead of one query per group.
    """
    settings = database.settings.load_settings()
    now = clock()
    window = day_window(now, settings.day_rollover_hour, zone or local_timezone())
    return database.stats.due_by_group(now, window)


class NotInSessionError(ValueError):
    """An answer for a card this session is not showing (or when it shows none)."""


@dataclass(frozen=True)
class AnswerResult:
    """What one answer did. ``after`` equals ``before`` in a cram session."""

    card_pk: int
    rating: int
    log_id: int
    before: MemoryState
    after: MemoryState
    cram: bool


@dataclass(frozen=True)
class EarlyReview:
    """Why a card is shown before its due day: the interview date is nearer than the day
    its recall would still be above the desired retention (``_next_interview``). A
    learner who sees a card "due in 8 days" today deserves to be told why."""

    due_in_days: int
    interview_in_days: int

    def describe(self) -> str:
        """One line for the review screen: "early: interview in 40 days, due in 8 days"."""
        return self.wordings()[0]

    def wordings(self) -> tuple[str, ...]:
        """The same line, longest first, down to what fits beside the session's other
        figures at 80 columns ("early: interview 40d, due 8d", days written as the
        rating buttons write intervals): a narrow screen says it shorter, never cut."""
        interview, due = self.interview_in_days, self.due_in_days
        return (
            f"early: interview in {plural(interview, 'day')}, due in {plural(due, 'day')}",
            f"early: interview in {interview}d, due in {due}d",
            f"early: interview {interview}d, due {due}d",
        )


@dataclass(frozen=True)
class UndoResult:
    """The outcome of ``undo``: whether anything was undone, and a line to show."""

    undone: bool
    message: str
    card_pk: int | None = None


@dataclass(frozen=True)
class Progress:
    """Cards left in this session today, by kind, within the daily limits."""

    learning: int
    review: int
    new: int

    @property
    def total(self) -> int:
        """All cards left."""
        return self.learning + self.review + self.new


@dataclass(frozen=True)
class _Done:
    log_id: int
    card: QueuedCard
    cram: bool
    buried: tuple[BuriedSibling, ...] = ()
    buried_until: datetime | None = None


class StudySession:
    """One study (or cram) session over an optionally filtered set of cards.

    ``clock`` returns the current aware-UTC time and ``zone`` is the local time zone for
    the day rollover; tests pass fixed ones. ``seed`` orders a cram session repeatably.
    """

    def __init__(
        self,
        database: Database,
        study_filter: StudyFilter | None = None,
        *,
        cram: bool = False,
        clock: Callable[[], datetime] = utc_now,
        zone: tzinfo | None = None,
        seed: int | None = None,
    ) -> None:
        self.queue = database.queue
        self.answers = database.answers
        self.siblings = database.siblings
        self.filter = study_filter or StudyFilter()
        self.cram = cram
        self.clock = clock
        self.zone = zone or local_timezone()
        self.settings = database.settings.load_settings()
        self.scheduler = Scheduler(self.settings)
        self._current: QueuedCard | None = None
        self._done: list[_Done] = []
        self._recent: list[str] = []
        self._interview_day: date | None = None
        self._interview: list[int] = []
        self._cram_queue: deque[QueuedCard] = deque()
        self._queues: dict[QueueKind, list[QueuedCard]] = {}
        self._queues_at: datetime | None = None
        self._queues_day: date | None = None
        self._new_done = 0
        self._reviews_done = 0
        if cram:
            cards = self.queue.cram_cards(self.filter, self.clock())
            if seed is not None:
                random.Random(seed).shuffle(cards)
            self._cram_queue.extend(cards)

    # --- showing cards ---------------------------------------------------------------

    @property
    def current(self) -> QueuedCard | None:
        """The card being shown, if any."""
        return self._current

    def next_card(self) -> QueuedCard | None:
        """The card to show now (the same one until it is answered), or None when done."""
        if self._current is None:
            self._current = self._next_cram() if self.cram else self._next_scheduled()
        return self._current

    def early_review(self) -> EarlyReview | None:
        """Why the current card is shown before it is due (None when it is due, or new,
        or crammed): it was brought forward for the interview date."""
        card = self._current
        interview = self.settings.interview_date
        if card is None or card.kind is not QueueKind.INTERVIEW or interview is None:
            return None
        rollover = self.settings.day_rollover_hour
        today = self._window(self.clock()).day
        due_day = study_day(card.memory.due, rollover, self.zone)
        return EarlyReview((due_day - today).days, (interview - today).days)

    def previews(self) -> tuple[Preview, ...]:
        """The interval each rating would give the current card (none while cramming)."""
        card = self._require_current(None)
        if self.cram:
            return ()
        return previews(self.scheduler, card.pk, card.memory, self.clock())

    def progress(self) -> Progress:
        """Cards left today by kind, within the daily limits (cram: all left as review)."""
        if self.cram:
            left = len(self._cram_queue) + (1 if self._current is not None else 0)
            return Progress(0, left, 0)
        now = self.clock()
        window = self._window(now)
        due = self.queue.due_counts(self.filter, now, window)
        budget = self._budget(window)
        return Progress(
            learning=due.learning,
            review=min(due.review, budget.reviews_left),
            new=min(due.new, budget.new_left),
        )

    # --- answering -------------------------------------------------------------------

    def answer(self, rating: int, duration_ms: int, *, card_pk: int | None = None) -> AnswerResult:
        """Record ``rating`` for the card being shown, with the time taken in ms.

        Raises ``RatingError`` for a rating outside 1-4, ``NotInSessionError`` when
        ``card_pk`` is not the card being shown, ``ClockSkewError`` when the clock is
        before the card's last review, and ``StaleCardError`` when another window answered
        the card first (this answer is then not stored; the next card is fetched afresh).
        """
        check_rating(rating)
        card = self._require_current(card_pk)
        buried: tuple[BuriedSibling, ...] = ()
        until: datetime | None = None
        if isinstance(duration_ms, bool) or not isinstance(duration_ms, int) or duration_ms < 0:
            raise ValueError(f"duration {duration_ms!r} ms is not a whole number of ms >= 0")
        now = self.clock()
        if self.cram:
            log_id = self.answers.record_practice(card.pk, rating, now, duration_ms)
            if rating == AGAIN:
                self._cram_queue.append(card)
            after = card.memory
        else:
            after = self.scheduler.review(card.pk, card.memory, rating, now)
            try:
                if self.settings.bury_siblings:
                    until = next_rollover(now, self.settings.day_rollover_hour, self.zone)
                    log_id, buried = self.answers.record_answer_burying(
                        card.pk,
                        card.memory,
                        after,
                        rating,
                        now,
                        duration_ms,
                        until=until,
                        buries=buries,
                    )
                else:
                    log_id = self.answers.record_answer(
                        card.pk, card.memory, after, rating, now, duration_ms
                    )
            except StaleCardError:
                self._current = None
                raise
            self._count(card.memory, +1)
            self._requeue_learning(card, after)
        self._done.append(_Done(log_id, card, self.cram, buried, until))
        self._remember(card.source)
        self._current = None
        return AnswerResult(card.pk, rating, log_id, card.memory, after, self.cram)

    def undo(self) -> UndoResult:
        """Take back the last answer of this session completely, and show that card again.

        Several levels deep; with nothing left to undo it does nothing and says so.
        """
        if not self._done:
            return UndoResult(False, "nothing to undo")
        done = self._done[-1]
        if done.cram:
            self.answers.undo_practice(done.log_id)
            if done.card in self._cram_queue and self._cram_queue[-1] == done.card:
                self._cram_queue.pop()
            if self._current is not None:
                self._cram_queue.appendleft(self._current)
            self._current = done.card
        else:
            try:
                record = self.answers.undo_answer(done.log_id)
            except (StaleCardError, UnknownCardError) as error:
                self._done.pop()
                return UndoResult(False, str(error), done.card.pk)
            self._count(record.before, -1)
            if done.buried and done.buried_until is not None:
                self.siblings.unbury(done.buried, done.buried_until)
                self._queues_at = None  # the siblings may have left the queues: read again
            learning = self._queues.get(QueueKind.LEARNING, [])
            self._queues[QueueKind.LEARNING] = [c for c in learning if c.pk != record.card_pk]
            self._current = self.queue.queued_card(record.card_pk, done.card.kind)
        self._done.pop()
        if self._recent:
            self._recent.pop()
        return UndoResult(True, f"undid the answer to {done.card.title!r}", done.card.pk)

    def suspend(self) -> int:
        """Suspend the card being shown (it leaves every queue until unsuspended)."""
        card = self._require_current(None)
        self.answers.set_suspended([card.pk], True)
        self._current = None
        return card.pk

    def bury(self) -> datetime:
        """Hide the card being shown until the next day rollover; returns when it returns."""
        card = self._require_current(None)
        until = next_rollover(self.clock(), self.settings.day_rollover_hour, self.zone)
        self.answers.bury([card.pk], until)
        self._current = None
        if self.cram:
            self._cram_queue = deque(c for c in self._cram_queue if c.pk != card.pk)
        return until

    # --- internals -------------------------------------------------------------------

    def _require_current(self, card_pk: int | None) -> QueuedCard:
        card = self._current
        if card is None:
            raise NotInSessionError("no card is being shown; call next_card() first")
        if card_pk is not None and card_pk != card.pk:
            raise NotInSessionError(
                f"card {card_pk} is not the card being shown in this session ({card.pk})"
            )
        return card

    def _remember(self, source: str) -> None:
        self._recent.append(source)
        del self._recent[:-SIBLING_MEMORY]

    def _window(self, now: datetime) -> DayWindow:
        return day_window(now, self.settings.day_rollover_hour, self.zone)

    def _budget(self, window: DayWindow) -> DailyBudget:
        today = self.queue.today_counts(window)
        return daily_budget(self.settings, today.reviews, today.new)

    def _count(self, before: MemoryState, step: int) -> None:
        """Keep today's answer counts (read at each refill) current between refills."""
        if before.is_new:
            self._new_done += step
        elif before.state == REVIEW:
            self._reviews_done += step

    def _requeue_learning(self, card: QueuedCard, after: MemoryState) -> None:
        """A card answered into (re)learning comes back later today: keep it queued."""
        if after.state in (LEARNING, RELEARNING) and self._queues_day is not None:
            queue = self._queues.setdefault(QueueKind.LEARNING, [])
            entry = QueuedCard(
                card.pk, card.uid, card.title, card.source, QueueKind.LEARNING, after
            )
            bisect.insort(queue, entry, key=lambda c: (c.memory.due, c.pk))

    def _refill(self, now: datetime, window: DayWindow) -> None:
        """Read today's queues (filtered, within the limits) into memory."""
        today = self.queue.today_counts(window)
        self._new_done, self._reviews_done = today.new, today.reviews
        budget = daily_budget(self.settings, today.reviews, today.new)
        fetch = self.queue.candidates
        self._queues = {
            QueueKind.LEARNING: fetch(
                QueueKind.LEARNING, self.filter, now, window, limit=_LEARNING_CAP, until=window.end
            ),
            QueueKind.REVIEW: fetch(
                QueueKind.REVIEW, self.filter, now, window, limit=budget.reviews_left
            )
            if budget.reviews_left
            else [],
            QueueKind.NEW: fetch(QueueKind.NEW, self.filter, now, window, limit=budget.new_left)
            if budget.new_left
            else [],
        }
        self._queues_at, self._queues_day = now, window.day

    def _take(
        self, kind: QueueKind, now: datetime, due_by: datetime | None = None
    ) -> QueuedCard | None:
        """The next card of one cached queue, re-checked against the database.

        A card that changed since the queue was read (answered in another window,
        suspended, buried) is dropped; the next refill sees it as it is now.
        """
        queue = self._queues.get(kind, [])
        while queue:
            ready = [c for c in queue[:_CANDIDATES] if due_by is None or c.memory.due <= due_by]
            if not ready:
                return None
            chosen = self._choose(ready)
            assert chosen is not None
            # Re-checked before it leaves the queue: a read that fails (a lost connection)
            # must not drop the card from the rest of the session.
            fresh = self.queue.available_card(chosen.pk, chosen.kind, now)
            queue.remove(chosen)
            if fresh is not None and fresh.memory == chosen.memory:
                return fresh
        return None

    def _next_cram(self) -> QueuedCard | None:
        if not self._cram_queue:
            return None
        window = list(self._cram_queue)[:_CANDIDATES]
        chosen = pick([Candidate(c.pk, c.source, c.kind) for c in window], self._recent)
        assert chosen is not None
        card = next(c for c in window if c.pk == chosen.pk)
        self._cram_queue.remove(card)
        return card

    def _next_scheduled(self) -> QueuedCard | None:
        now = self.clock()
        window = self._window(now)
        if (
            self._queues_at is None
            or self._queues_day != window.day
            or now - self._queues_at > REFRESH
            or now < self._queues_at
        ):
            self._refill(now, window)
        budget = daily_budget(self.settings, self._reviews_done, self._new_done)
        card = self._take(QueueKind.LEARNING, now, due_by=now)
        if card is None and budget.reviews_left > 0:
            card = self._take(QueueKind.REVIEW, now) or self._next_interview(now, window, budget)
        if card is None and budget.new_left > 0:
            card = self._take(QueueKind.NEW, now)
        if card is None:
            card = self._take(QueueKind.LEARNING, now, due_by=now + LEARN_AHEAD)
            if card is not None:
                card = QueuedCard(
                    card.pk, card.uid, card.title, card.source, QueueKind.LEARN_AHEAD, card.memory
                )
        return card

    def _choose(self, cards: list[QueuedCard]) -> QueuedCard | None:
        chosen = pick([Candidate(c.pk, c.source, c.kind) for c in cards], self._recent)
        return None if chosen is None else next(c for c in cards if c.pk == chosen.pk)

    def _load_interview(self, now: datetime, window: DayWindow, budget: DailyBudget) -> bool:
        """Read today's cards to bring forward for the interview date (once a day);
        False when no interview date lies ahead."""
        interview = self.settings.interview_date
        if interview is None or window.day >= interview:
            return False
        if self._interview_day != window.day:
            moment = datetime.combine(interview, time(12), tzinfo=self.zone)
            self._interview = self.queue.interview_candidates(
                self.filter,
                now,
                window,
                moment,
                self.scheduler.recall_threshold(),
                limit=budget.reviews_left,
            )
            self._interview_day = window.day
        return True

    def interview_left(self) -> int:
        """Cards still to be brought forward today for the interview date, within the
        review limit left after the due reviews, the one on screen included (0 when
        cramming or no date is set).
        ``progress`` leaves them out (it counts what is due); a session's total adds them,
        so that it does not grow as they come."""
        if self.cram:
            return 0
        now = self.clock()
        window = self._window(now)
        budget = self._budget(window)
        if not self._load_interview(now, window, budget):
            return 0
        due_reviews = self.queue.due_counts(self.filter, now, window).review
        room = max(budget.reviews_left - due_reviews, 0)
        shown = self._current is not None and self._current.kind is QueueKind.INTERVIEW
        return min(len(self._interview), room) + (1 if shown else 0)

    def _next_interview(
        self, now: datetime, window: DayWindow, budget: DailyBudget
    ) -> QueuedCard | None:
        """The weakest card to bring forward for the interview date, if one is set."""
        if not self._load_interview(now, window, budget):
            return None
        while self._interview:
            head = self._interview[:_CANDIDATES]
            cards = [self.queue.queued_card(pk, QueueKind.INTERVIEW) for pk in head]
            fresh = [
                c
                for c in cards
                if c.memory.state == REVIEW and not c.memory.is_new and c.memory.due >= window.end
            ]
            for stale in cards:
                if stale not in fresh:
                    self._interview.remove(stale.pk)
            chosen = self._choose(fresh)
            if chosen is not None:
                self._interview.remove(chosen.pk)
                return chosen
        return None
