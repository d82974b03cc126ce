"""quizapp's schedule in Anki's terms: a card's scheduling fields and its revlog entries.

``quizapp export --with-history`` must let Anki continue where quizapp stopped, so each
card goes out with the fields Anki's scheduler reads, computed from its stored FSRS
memory state (``MemoryState``), and each answer in quizapp's review log goes out as one
Anki revlog entry. Both apps run FSRS on the same scale (stability in days, difficulty
1-10), so the memory state is carried over as it is and Anki, with FSRS on, schedules the
card from it; with FSRS off, Anki's SM-2 reads the interval and the due day.

Anki counts review days from its collection's creation (``col.sched.today`` is today's
number) and keeps a learning card's due time in epoch seconds. quizapp's days are study
days (local time, from the rollover hour, ``scheduling/queue.study_day``); a due date
becomes ``today + (its study day - today's study day)``, and Anki's importer moves day
numbers onto the target collection's own count.

Pure: no ``anki`` import, no I/O; ``export_writer`` puts these numbers into a collection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from quizapp.scheduling.memory import LEARNING, RELEARNING, REVIEW, MemoryState
from quizapp.store.records import ReviewRecord

#: Anki's card types (``cards.type``) and queues (``cards.queue``).
TYPE_NEW, TYPE_LEARN, TYPE_REVIEW, TYPE_RELEARN = 0, 1, 2, 3
QUEUE_SUSPENDED, QUEUE_NEW, QUEUE_LEARN, QUEUE_REVIEW, QUEUE_DAY_LEARN = -1, 0, 1, 2, 3
#: Anki's revlog types: what the answered card was.
REVLOG_LEARN, REVLOG_REVIEW, REVLOG_RELEARN = 0, 1, 2
#: The ``due`` of a new card's schedule: keep the position Anki gave it when it was added.
NEW_POSITION = -1
#: The ease Anki gives a card it schedules with FSRS (SM-2 reads it with FSRS off).
DEFAULT_FACTOR = 2500


@dataclass(frozen=True, slots=True)
class DayClock:
    """How quizapp counts days, and which Anki day number is today.

    ``now`` is the export's time, ``rollover_hour`` and ``zone`` the study day's bounds
    (the ``day_rollover_hour`` setting, local time), ``anki_today`` the day number of the
    collection written (``col.sched.today``).
    """

    now: datetime
    rollover_hour: int
    zone: tzinfo
    anki_today: int

    def days_between(self, earlier: datetime, later: datetime) -> int:
        """Study days from ``earlier``'s to ``later``'s (negative when ``later`` is before)."""
        # ``study_day`` of each, inline: an export with history asks 200,000 times.
        shift = timedelta(hours=self.rollover_hour)
        zone = self.zone
        return (
            (later.astimezone(zone) - shift).date() - (earlier.astimezone(zone) - shift).date()
        ).days

    def anki_day(self, moment: datetime) -> int:
        """Anki's day number for ``moment``'s study day."""
        return self.anki_today + self.days_between(self.now, moment)


@dataclass(frozen=True, slots=True)
class AnkiSchedule:
    """The scheduling fields of one Anki card (``cards`` columns, as the ``anki`` library's
    ``Card`` names them). ``stability``/``difficulty`` are its FSRS memory state, None
    when quizapp has none; ``last_review`` is in epoch seconds."""

    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    left: int
    stability: float | None = None
    difficulty: float | None = None
    last_review: int | None = None


@dataclass(frozen=True, slots=True)
class RevlogEntry:
    """One Anki revlog row: ``id`` is the answer's time in epoch milliseconds (unique in
    a collection), ``ease`` the rating (1-4), ``ivl``/``last_ivl`` days when positive and
    seconds when negative (a learning step), ``factor`` the FSRS difficulty as Anki
    records it, ``time`` milliseconds taken, ``type`` one of ``REVLOG_*``."""

    id: int
    card_pk: int
    ease: int
    ivl: int
    last_ivl: int
    factor: int
    time: int
    type: int


def _remaining(step: int | None, steps: int) -> int:
    """Anki's ``left`` for a card at ``step`` of ``steps`` learning steps (at least 1)."""
    return max(1, steps - (step or 0))


def schedule_for(
    memory: MemoryState,
    clock: DayClock,
    *,
    suspended: bool,
    learning_steps: int,
    relearning_steps: int,
) -> AnkiSchedule | None:
    """The Anki scheduling of a card in ``memory``, or None for a new card (left as Anki
    makes it: new, in note order; a suspended new card only changes queue). A suspended
    card stays suspended; a buried one comes out unburied (burying lasts a day).
    ``learning_steps``/``relearning_steps`` count the steps of quizapp's settings, to
    tell Anki how many a learning card has left."""
    if memory.is_new:
        if not suspended:
            return None
        return AnkiSchedule(TYPE_NEW, QUEUE_SUSPENDED, NEW_POSITION, 0, 0, 0, 0, 0)
    last = int(memory.last_review.timestamp()) if memory.last_review is not None else None
    if memory.state == REVIEW:
        if memory.last_review is not None:
            interval = clock.days_between(memory.last_review, memory.due)
        else:
            interval = round(memory.stability or 1)
        kind, queue, due = TYPE_REVIEW, QUEUE_REVIEW, clock.anki_day(memory.due)
        ivl, factor, left = max(1, interval), DEFAULT_FACTOR, 0
    else:
        relearning = memory.state == RELEARNING
        steps = relearning_steps if relearning else learning_steps
        kind = TYPE_RELEARN if relearning else TYPE_LEARN
        if clock.days_between(clock.now, memory.due) > 0:
            queue, due = QUEUE_DAY_LEARN, clock.anki_day(memory.due)
        else:
            queue, due = QUEUE_LEARN, int(memory.due.timestamp())
        # A relearning card keeps the interval it will get back; a new one has none yet.
        ivl = max(1, round(memory.stability or 1)) if relearning else 0
        factor = DEFAULT_FACTOR if relearning else 0
        left = _remaining(memory.step, steps)
    return AnkiSchedule(
        type=kind,
        queue=QUEUE_SUSPENDED if suspended else queue,
        due=due,
        ivl=ivl,
        factor=factor,
        reps=memory.reps,
        lapses=memory.lapses,
        left=left,
        stability=memory.stability,
        difficulty=memory.difficulty,
        last_review=last,
    )


def _interval(state: MemoryState, since: datetime, clock: DayClock) -> int:
    """A revlog interval: days from ``since`` to ``state.due`` for a review (or a step of a
    day or more), else minus the seconds of the learning step."""
    if state.state == REVIEW or state.due - since >= timedelta(days=1):
        return max(1, clock.days_between(since, state.due))
    return -max(1, int((state.due - since).total_seconds()))


def _revlog_type(before: MemoryState) -> int:
    if before.is_new or before.state == LEARNING:
        return REVLOG_LEARN
    return REVLOG_RELEARN if before.state == RELEARNING else REVLOG_REVIEW


def fsrs_factor(difficulty: float | None) -> int:
    """FSRS difficulty (1-10) as Anki writes it in a revlog's ``factor``: 100 to 1100."""
    if difficulty is None:
        return 0
    return 100 + round((min(max(difficulty, 1.0), 10.0) - 1.0) / 9.0 * 1000)


def revlog_entry(record: ReviewRecord, clock: DayClock) -> RevlogEntry:
    """One quizapp answer as an Anki revlog row (its id not yet made unique)."""
    before, after = record.before, record.after
    if before.is_new or before.last_review is None:
        last_ivl = 0
    else:
        last_ivl = _interval(before, before.last_review, clock)
    return RevlogEntry(
        id=int(record.reviewed_at.timestamp() * 1000),
        card_pk=record.card_pk,
        ease=record.rating,
        ivl=_interval(after, record.reviewed_at, clock),
        last_ivl=last_ivl,
        factor=fsrs_factor(after.difficulty),
        time=max(0, record.duration_ms),
        type=_revlog_type(before),
    )


def unique_ids(entries: Iterable[RevlogEntry]) -> list[RevlogEntry]:
    """``entries`` in time order with ids made unique as Anki requires (revlog ids are the
    primary key): an id already taken moves on by a millisecond. Deterministic, so the
    same history exported twice has the same ids and Anki imports it once."""
    ordered = sorted(entries, key=lambda entry: (entry.id, entry.card_pk))
    result: list[RevlogEntry] = []
    last = None
    for entry in ordered:
        if last is not None and entry.id <= last:
            entry = RevlogEntry(
                last + 1,
                entry.card_pk,
                entry.ease,
                entry.ivl,
                entry.last_ivl,
                entry.factor,
                entry.time,
                entry.type,
            )
        result.append(entry)
        last = entry.id
    return result
