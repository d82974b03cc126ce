"""An Anki card's review log as quizapp review logs and an FSRS memory state.

Every answer in Anki's revlog becomes a quizapp review log with its time, rating and time
taken. The card's memory state is then computed from that history with the FSRS model
quizapp schedules with (fsrs-rs through ``fsrs_rs_python``, the user's parameters), by the
rules Anki itself applies when it computes memory states from a revlog
(``reviews_for_fsrs`` and ``single_card_revlog_to_item`` in Anki's scheduler), so that the
state matches what Anki's FSRS would give for the same history and parameters:

- **Manual entries** (Anki's "set due date", "reset"/"forget", "reposition": kind 4, or
  no button) and **rescheduled** entries (kind 5, written when FSRS reschedules) are not
  answers: they make no review log and are skipped by FSRS. A reset ends the history that
  counts: only what came after it does; a card reset and not answered since is new.
  A due date set by hand after the last answer is kept as the card's due date.
- **Cram answers** (kind 3 in a filtered deck that does not reschedule, ease factor 0)
  never touched Anki's schedule: they become quizapp practice logs (as cramming in quizapp
  does) and FSRS skips them. Answers in a filtered deck that reschedules count as reviews.
- The history FSRS reads starts at the card's last run of learning steps. A revlog that
  has no learning step (truncated by an earlier export) starts from the SM-2 state of its
  first answer (``memory_state_from_sm2`` of its interval and ease), as Anki does.
- Days between answers are counted in study days (the day starts at the rollover hour in
  local time), as both Anki and quizapp's optimiser count them.
- A card with no usable answer but a review interval in Anki starts from its SM-2 state
  (``scheduling/imported.py``); a card never answered is new.

The stored states before and after each answer carry the stability and difficulty after
it; whether the card was then in learning, review or relearning and when it was due come
from Anki's interval (days when positive, seconds when negative). The card is due when its
state says: one FSRS interval at the desired retention after the last review, or when
Anki's (re)learning step ends.

Importing a newer package merges the answers already stored (quizapp's own since the last
import included) with Anki's, by time: an Anki answer already stored (same millisecond and
rating) is not added again, and the states are computed over the merged history.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from operator import attrgetter

from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview
from fsrs_rs_python import MemoryState as FsrsMemory

from quizapp.cards.model import ImportedSchedule
from quizapp.interop.anki.reader import CARD_NEW, QUEUE_SUSPENDED, AnkiCard, AnkiReview
from quizapp.scheduling.imported import SM2_RETENTION, imported_memory
from quizapp.scheduling.memory import LEARNING, RELEARNING, REVIEW, MemoryState
from quizapp.store.records import ImportedPractice, ReviewRecord, StoredReview
from quizapp.store.state_text import number_text, state_text

#: Anki's revlog kinds.
KIND_LEARN, KIND_REVIEW, KIND_RELEARN, KIND_FILTERED, KIND_MANUAL, KIND_RESCHEDULED = range(6)
#: The time of day (UTC) at which a due date taken from Anki falls due.
DUE_HOUR_UTC = 12
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class HistoryRules:
    """What the computation needs from the user's settings: FSRS parameters (None for
    the defaults), desired retention, maximum interval, and the study day's rollover
    hour and time zone."""

    parameters: tuple[float, ...] | None
    desired_retention: float
    maximum_interval: int
    rollover_hour: int
    zone: tzinfo


@functools.lru_cache(maxsize=4)
def _model(parameters: tuple[float, ...] | None) -> FSRS:
    return FSRS(list(parameters) if parameters is not None else list(DEFAULT_PARAMETERS))


class _Event:
    """One entry of the merged history, Anki's or one already stored.

    Whether it is an answer (``graded``), a cram answer (``cram``: in a filtered deck
    that does not reschedule) and one Anki's FSRS reads (``counts_for_fsrs``: not manual,
    rescheduled or cram) are worked out once, here: the passes over a history test them
    for each of 100,000 entries.
    """

    __slots__ = (
        "at",
        "counts_for_fsrs",
        "cram",
        "duration_ms",
        "factor",
        "graded",
        "interval",
        "kind",
        "ms",
        "rating",
        "stored_after",
    )

    def __init__(
        self,
        at: datetime,
        ms: int,
        rating: int,
        kind: int,
        factor: int,
        interval: int,
        duration_ms: int,
        stored_after: MemoryState | None = None,
    ) -> None:
        self.at = at
        self.ms = ms
        self.rating = rating
        self.kind = kind
        self.factor = factor
        self.interval = interval
        self.duration_ms = duration_ms
        self.stored_after = stored_after
        self.graded = graded = 1 <= rating <= 4
        self.cram = cram = kind == KIND_FILTERED and factor == 0
        self.counts_for_fsrs = (
            graded and not cram and kind != KIND_MANUAL and kind != KIND_RESCHEDULED
        )


_BY_TIME = attrgetter("ms")


def _moment(ms: int) -> datetime:
    """An epoch-milliseconds time as an aware UTC datetime. ``fromtimestamp`` of the
    seconds as a float is exact to the microsecond for any time Anki writes (a double
    holds 13 digits of milliseconds with room to spare) and twice as fast as adding a
    timedelta to the epoch, for each of 100,000 revlog entries."""
    return datetime.fromtimestamp(ms / 1000, UTC)


def _ms(moment: datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def _stored_kind(record: ReviewRecord) -> int:
    """The Anki kind of an answer given in quizapp, from the state it was given in."""
    before = record.before
    if before.is_new or before.state == LEARNING:
        return KIND_LEARN
    return KIND_RELEARN if before.state == RELEARNING else KIND_REVIEW


def _stored_interval(record: ReviewRecord) -> int:
    """An answer's new interval in Anki's terms (days, or negative seconds)."""
    gap = record.after.due - record.reviewed_at
    if record.after.state == REVIEW:
        return max(1, gap.days)
    return -max(0, int(gap.total_seconds()))


def merged_events(
    reviews: Sequence[AnkiReview], stored: Sequence[ReviewRecord]
) -> tuple[list[_Event], int]:
    """Anki's entries and the answers already stored, in time order, without an Anki
    answer that is stored already; and how many Anki answers are new."""
    events: list[_Event]
    if not stored:  # a card new to the database: Anki's entries alone
        events = [
            _Event(_moment(ms), ms, ease, kind, factor, interval, millis)
            for ms, _card, ease, interval, _last, factor, millis, kind in reviews
        ]
        events.sort(key=_BY_TIME)
        return events, sum(1 for event in events if event.graded and not event.cram)
    known = {(_ms(record.reviewed_at), record.rating) for record in stored}
    events = []
    fresh = 0
    anki_known: set[tuple[int, int]] = set()
    for ms, _card, ease, interval, _last, factor, millis, kind in reviews:
        if 1 <= ease <= 4:
            if known and (ms, ease) in known:
                anki_known.add((ms, ease))
            elif not (kind == KIND_FILTERED and factor == 0):
                fresh += 1
        events.append(_Event(_moment(ms), ms, ease, kind, factor, interval, millis))
    for record in stored:
        ms = _ms(record.reviewed_at)
        if (ms, record.rating) in anki_known:
            continue  # the Anki entry stands for it, with Anki's own kind
        events.append(
            _Event(
                record.reviewed_at,
                ms,
                record.rating,
                _stored_kind(record),
                1,
                _stored_interval(record),
                record.duration_ms,
                record.after,
            )
        )
    events.sort(key=_BY_TIME)
    return events, fresh


@dataclass(frozen=True)
class _Selection:
    """What Anki's FSRS reads of a history: the entries from ``start`` on that count,
    whether the history is complete (starts with learning steps), and the first answer
    (for the SM-2 starting state of an incomplete one). ``indices`` are the entries'
    positions in the history."""

    start: int
    indices: list[int]
    entries: list[_Event]
    complete: bool
    first_answer: _Event | None


def select_for_fsrs(events: Sequence[_Event]) -> _Selection | None:
    """Anki's ``reviews_for_fsrs`` for memory states: None when nothing counts."""
    first_learn: int | None = None
    first_grade: int | None = None
    complete = False
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.cram:
            continue
        if event.graded:
            first_grade = index
        if event.graded and event.kind == KIND_LEARN:
            first_learn = index
            complete = True
        elif first_learn is not None:
            break
        elif event.kind == KIND_MANUAL and event.factor == 0:  # a reset
            if first_grade is None:
                return None
            complete = False
            break
    if first_learn is not None:
        start = first_learn
    elif first_grade is not None:
        start = first_grade
    else:
        return None
    indices = [index for index in range(start, len(events)) if events[index].counts_for_fsrs]
    if not indices:
        return None
    first_answer = next((event for event in events if event.graded), None)
    return _Selection(start, indices, [events[index] for index in indices], complete, first_answer)


class HistoryComputer:
    """Turns card histories into review logs and memory states with one set of rules."""

    def __init__(self, rules: HistoryRules, now: datetime, today: int, today_date: date) -> None:
        self.rules = rules
        self.now = now
        self.today = today
        self.today_date = today_date
        self.model = _model(rules.parameters)
        parameters = rules.parameters or tuple(DEFAULT_PARAMETERS)
        self.decay = -float(parameters[20])
        self.factor = 0.9 ** (1 / self.decay) - 1
        self._days: dict[int, int] = {}
        self._day_texts: dict[int, str] = {}

    # -- days ------------------------------------------------------------------------------
    def study_day(self, event: _Event) -> int:
        """The study day an entry falls on, as an ordinal, cached per quarter of an hour
        (time zones are offset from UTC by whole quarters, so no quarter straddles the
        rollover)."""
        quarter = event.ms // 900_000
        day = self._days.get(quarter)
        if day is None:
            local = event.at.astimezone(self.rules.zone)
            day = (local - timedelta(hours=self.rules.rollover_hour)).date().toordinal()
            self._days[quarter] = day
        return day

    def interval_days(self, stability: float) -> int:
        """quizapp's interval for a stability at the desired retention (py-fsrs's
        formula, without fuzz)."""
        raw = stability / self.factor * (self.rules.desired_retention ** (1 / self.decay) - 1)
        return int(min(max(round(raw), 1), self.rules.maximum_interval))

    # -- FSRS ------------------------------------------------------------------------------
    def _states(
        self, entries: Sequence[_Event], starting: FsrsMemory | None
    ) -> list[tuple[float, float]]:
        """Stability and difficulty after each of ``entries``."""
        reviews = []
        previous: int | None = None
        days = self._days
        for event in entries:
            day = days.get(event.ms // 900_000)
            if day is None:
                day = self.study_day(event)
            reviews.append(FSRSReview(event.rating, 0 if previous is None else day - previous))
            previous = day
        if starting is None:
            states = self.model.historical_memory_states(FSRSItem(reviews), None)
        else:
            states = self.model.historical_memory_states(FSRSItem(reviews[1:]), starting)
        return [(float(state.stability), float(state.difficulty)) for state in states]

    def _starting_state(self, first: _Event) -> FsrsMemory:
        """The SM-2 state an incomplete history starts from, as Anki infers it."""
        ease = (first.factor if first.factor != 0 else 2500) / 1000
        interval = float(max(first.interval, 1))
        state = self.model.memory_state_from_sm2(ease, interval, SM2_RETENTION)
        if ease <= 1.1:  # an ease written by FSRS itself is a difficulty
            state = FsrsMemory(state.stability, (ease - 0.1) * 9 + 1)
        return state

    def memory_states(self, events: Sequence[_Event]) -> dict[int, tuple[float, float]]:
        """Stability and difficulty after each answer, by index in ``events``: Anki's
        selection decides the final state; answers before it (before a reset, or earlier
        runs of learning) get the states of their own run."""
        by_index: dict[int, tuple[float, float]] = {}
        selection = select_for_fsrs(events)
        start = selection.start if selection is not None else len(events)
        earlier = [index for index in range(start) if events[index].counts_for_fsrs]
        if earlier:
            states = self._states([events[index] for index in earlier], None)
            by_index.update(zip(earlier, states, strict=True))
        if selection is not None:
            starting = None
            if not selection.complete:
                if selection.first_answer is None or len(selection.entries) < 2:
                    return by_index  # Anki treats this as no usable history
                starting = self._starting_state(selection.first_answer)
            states = self._states(selection.entries, starting)
            by_index.update(zip(selection.indices, states, strict=True))
        return by_index

    # -- one card --------------------------------------------------------------------------
    def anki_due(self, card: AnkiCard) -> datetime:
        """The due date Anki gave a review card (its day number), at noon UTC."""
        day = self.today_date + timedelta(days=card.due - self.today)
        return datetime.combine(day, time(DUE_HOUR_UTC), tzinfo=UTC)

    def _merged(
        self,
        reviews: Sequence[AnkiReview],
        stored: Sequence[ReviewRecord],
        stored_practice: Iterable[tuple[int, int]],
    ) -> tuple[list[_Event], dict[int, tuple[float, float]], tuple[ImportedPractice, ...], int]:
        """The merged history, the FSRS states by entry, the new practice logs, and how
        many Anki answers are not stored yet."""
        events, fresh = merged_events(reviews, stored)
        practiced = set(stored_practice)
        practice = tuple(
            ImportedPractice(event.at, event.rating, event.duration_ms)
            for event in events
            if event.cram and event.graded and (event.ms, event.rating) not in practiced
        )
        return events, self.memory_states(events), practice, fresh + len(practice)

    def card_rows(
        self,
        card: AnkiCard,
        reviews: Sequence[AnkiReview],
        stored: Sequence[ReviewRecord] = (),
        stored_practice: Iterable[tuple[int, int]] = (),
    ) -> tuple[MemoryState | None, list[StoredReview], tuple[ImportedPractice, ...], int]:
        """The card's memory state (None: new), its review logs in stored form
        (``StoredReview``: the states before and after each answer as their JSON text,
        made without two state objects and a log object per answer for an import's
        100,000 answers), its new practice logs, and how many Anki answers are not stored
        yet. A test holds the logs to the states an answer-by-answer replay gives."""
        if not reviews and not stored:  # never answered, in Anki or here
            return self._final(card, [], {}, None, -1), [], (), 0
        events, states, practice, fresh = self._merged(reviews, stored, stored_practice)
        rows: list[StoredReview] = []
        before_text = ""
        before_state = LEARNING
        reps = lapses = 0
        stability_text = difficulty_text = "null"
        last_answer = -1
        for index, event in enumerate(events):
            if not event.graded or event.cram:
                continue
            at = event.at
            iso = at.isoformat()
            if not rows:  # the state before the first answer: MemoryState.new(at)
                before_text = state_text(LEARNING, "0", "null", "null", iso, "null", 0, 0)
                before_state = LEARNING
            if event.rating == 1 and before_state == REVIEW and reps != 0:
                lapses += 1  # a lapse: a review card (not new) forgotten
            reps += 1
            computed = states.get(index)
            if computed is not None:
                stability_text = number_text(computed[0])
                difficulty_text = number_text(computed[1])
            state, step_text, due_text = self._after_text(event, iso)
            after_text = state_text(
                state,
                step_text,
                stability_text,
                difficulty_text,
                due_text,
                '"' + iso + '"',
                reps,
                lapses,
            )
            rows.append((event.rating, at, iso, event.duration_ms, before_text, after_text))
            before_text = after_text
            before_state = state
            last_answer = index
        last = None
        if rows:
            event = events[last_answer]
            state, step, due = self._after(event)
            stability: float | None = None
            difficulty: float | None = None
            for index in range(last_answer, -1, -1):  # the latest state computed
                if index in states:
                    stability, difficulty = states[index]
                    break
            last = MemoryState(state, step, stability, difficulty, due, event.at, reps, lapses)
        memory = self._final(card, events, states, last, last_answer)
        return memory, rows, practice, fresh

    def _after_text(self, event: _Event, iso: str) -> tuple[int, str, str]:
        """:meth:`_after` with the step and due time as the JSON text they are stored as
        (``iso`` is the answer's time as text). A review's due time, whole days later,
        is made from its date's text, remembered per day for UTC times, since the due
        dates of many answers fall on the same days."""
        if event.stored_after is not None or event.interval <= 0:
            state, step, due = self._after(event)
            return state, number_text(step), due.isoformat()
        at = event.at
        ordinal = at.toordinal() + event.interval
        day = self._day_texts.get(ordinal)
        if day is not None and at.tzinfo is UTC:
            return REVIEW, "null", day + iso[10:]
        text = (at + timedelta(days=event.interval)).isoformat()
        if at.tzinfo is UTC:
            self._day_texts[ordinal] = text[:10]
        return REVIEW, "null", text

    @staticmethod
    def _after(event: _Event) -> tuple[int, int | None, datetime]:
        """The state, step and due time after an answer: a stored answer keeps its own;
        Anki's interval says review (days) or (re)learning (seconds)."""
        if event.stored_after is not None:
            return event.stored_after.state, event.stored_after.step, event.stored_after.due
        if event.interval > 0:
            return REVIEW, None, event.at + timedelta(days=event.interval)
        state = RELEARNING if event.kind in (KIND_REVIEW, KIND_RELEARN) else LEARNING
        return state, 0, event.at + timedelta(seconds=-event.interval)

    def _final(
        self,
        card: AnkiCard,
        events: Sequence[_Event],
        states: dict[int, tuple[float, float]],
        last: MemoryState | None,
        last_answer: int,
    ) -> MemoryState | None:
        """The state the card is stored with, from the state after its last answer
        (``last``, None when it has none)."""
        selection_counted = last_answer in states
        reset_after = any(
            event.kind == KIND_MANUAL and event.factor == 0 for event in events[last_answer + 1 :]
        )
        if last is None or not selection_counted or reset_after or card.type == CARD_NEW:
            if card.type == CARD_NEW or card.interval <= 0 or card.reps == 0 or reset_after:
                return None
            schedule = ImportedSchedule(
                self.anki_due(card).date(), card.interval, max(130, card.factor // 10)
            )
            return imported_memory(schedule, self.now, self.rules.parameters)
        stability, difficulty = states[last_answer]
        last_review = last.last_review if last.last_review is not None else self.now
        state, step, due = last.state, last.step, last.due
        if last.state == REVIEW:
            due = last_review + timedelta(days=self.interval_days(stability))
        moved = any(
            event.kind in (KIND_MANUAL, KIND_RESCHEDULED) and event.factor != 0
            for event in events[last_answer + 1 :]
        )
        if moved and card.interval > 0:
            # A due date set by hand in Anki stays; set on a card in (re)learning, it made
            # the card a review card, as it is in Anki's card table.
            state, step, due = REVIEW, None, self.anki_due(card)
        return MemoryState(
            state=state,
            step=step,
            stability=stability,
            difficulty=difficulty,
            due=due,
            last_review=last.last_review,
            reps=last.reps,
            lapses=last.lapses,
        )


def suspended(card: AnkiCard) -> bool:
    """Whether Anki had the card suspended (buried cards come in unburied)."""
    return card.queue == QUEUE_SUSPENDED
