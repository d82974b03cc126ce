"""The review logs an import stores (``HistoryComputer.card_rows``, made as text) are the
states an answer-by-answer replay of the merged history gives, written by ``json.dumps``:
same times, ratings, durations and JSON documents, and the same final memory state."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from quizapp.interop.anki.history import (
    KIND_FILTERED,
    KIND_LEARN,
    KIND_MANUAL,
    KIND_RELEARN,
    KIND_RESCHEDULED,
    KIND_REVIEW,
    HistoryComputer,
    HistoryRules,
)
from quizapp.interop.anki.reader import CARD_NEW, CARD_REVIEW, AnkiCard, AnkiReview
from quizapp.scheduling.memory import REVIEW, MemoryState
from quizapp.store.records import ImportedPractice, ReviewRecord, StoredReview
from quizapp.store.state_text import state_json

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
KINDS = (
    KIND_LEARN,
    KIND_REVIEW,
    KIND_REVIEW,
    KIND_RELEARN,
    KIND_FILTERED,
    KIND_MANUAL,
    KIND_RESCHEDULED,
)
START_MS = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp() * 1000)


def _history(rng: random.Random, card_id: int) -> list[AnkiReview]:
    """A random revlog: learning steps, reviews, lapses, and the entries that are no
    answers (manual, rescheduled, reset, cram), some on whole seconds."""
    reviews: list[AnkiReview] = []
    ms = START_MS + rng.randrange(0, 10**9)
    for _ in range(rng.randrange(0, 14)):
        ms += rng.choice((600_000, 86_400_000, 3 * 86_400_000, 40 * 86_400_000))
        ms += rng.choice((0, 1, 999, rng.randrange(0, 86_400_000)))
        kind = rng.choice(KINDS)
        ease = 0 if kind == KIND_MANUAL else rng.randrange(1, 5)
        factor = rng.choice((0, 1300, 2500, 1050)) if kind in (KIND_MANUAL, KIND_FILTERED) else 2500
        interval = rng.choice((-600, -86_400, 1, 4, 30, 400))
        reviews.append(
            AnkiReview(ms, card_id, ease, interval, 0, factor, rng.randrange(0, 60_000), kind)
        )
    return reviews


def _stored(rng: random.Random, reviews: list[AnkiReview]) -> list[ReviewRecord]:
    """Answers already stored: some of Anki's (same time and rating), some given in
    quizapp, with states in another time zone."""
    zone = timezone(timedelta(hours=-5))
    records: list[ReviewRecord] = []
    for number, review in enumerate(reviews):
        if review.ease and rng.random() < 0.4:
            at = datetime.fromtimestamp(review.id / 1000, UTC)
            after = MemoryState(2, None, 3.5, 5.0, (at + timedelta(days=3)).astimezone(zone), at, 1)
            records.append(
                ReviewRecord(number, 1, review.ease, at, 1000, MemoryState.new(at), after)
            )
    if reviews and rng.random() < 0.5:
        at = datetime.fromtimestamp(reviews[-1].id / 1000 + 3600, UTC)
        after = MemoryState(3, 1, 2.0, 7.5, at + timedelta(minutes=10), at, 2, 1)
        records.append(ReviewRecord(99, 1, 1, at, 2000, MemoryState.new(at), after))
    return records


def _replayed(
    computer: HistoryComputer,
    card: AnkiCard,
    reviews: list[AnkiReview],
    stored: list[ReviewRecord],
    practiced: set[tuple[int, int]],
) -> tuple[MemoryState | None, list[StoredReview], tuple[ImportedPractice, ...], int]:
    """The logs as states, one answer at a time: the state before an answer is the one
    after the answer before it (a new card's before the first), reps and lapses counted,
    stability and difficulty the latest FSRS gave."""
    events, states, practice, fresh = computer._merged(reviews, stored, practiced)
    rows: list[StoredReview] = []
    before: MemoryState | None = None
    reps = lapses = 0
    stability: float | None = None
    difficulty: float | None = None
    last_answer = -1
    for index, event in enumerate(events):
        if not event.graded or event.cram:
            continue
        if before is None:
            before = MemoryState.new(event.at)
        if event.rating == 1 and before.state == REVIEW and not before.is_new:
            lapses += 1
        reps += 1
        if index in states:
            stability, difficulty = states[index]
        state, step, due = computer._after(event)
        after = MemoryState(state, step, stability, difficulty, due, event.at, reps, lapses)
        rows.append(
            (
                event.rating,
                event.at,
                event.at.isoformat(),
                event.duration_ms,
                json.dumps(before.to_dict()),
                json.dumps(after.to_dict()),
            )
        )
        before = after
        last_answer = index
    memory = computer._final(card, events, states, before if rows else None, last_answer)
    return memory, rows, practice, fresh


@pytest.mark.parametrize("seed", range(8))
def test_the_stored_rows_are_the_states_a_replay_gives(seed: int) -> None:
    rng = random.Random(seed)
    india = timezone(timedelta(hours=5, minutes=30))
    rules = HistoryRules(None, 0.9, 36500, 4, rng.choice((UTC, india)))
    computer = HistoryComputer(rules, NOW, 500, date(2026, 3, 1))
    checked = 0
    for card_id in range(60):
        reviews = _history(rng, card_id)
        stored = _stored(rng, reviews) if rng.random() < 0.3 else []
        practice = {(review.id, review.ease) for review in reviews if rng.random() < 0.2}
        card = AnkiCard(
            card_id,
            card_id,
            1,
            0,
            rng.choice((CARD_NEW, CARD_REVIEW)),
            0,
            rng.randrange(480, 520),
            rng.choice((0, 10)),
            2500,
            len(reviews),
            0,
        )
        expected = _replayed(computer, card, reviews, stored, practice)
        assert computer.card_rows(card, reviews, stored, practice) == expected
        rows = expected[1]
        checked += len(rows)
    assert checked > 100  # the histories hold answers, not only entries that are none


def test_a_state_document_is_the_one_json_dumps_writes() -> None:
    moment = datetime(2026, 3, 1, 12, 30, 5, tzinfo=UTC)
    for memory in (
        MemoryState(2, None, float("nan"), float("-inf"), moment, moment, 7, 1),
        MemoryState(1, 0, None, None, moment.astimezone(timezone(timedelta(hours=9))), None),
    ):
        assert state_json(memory) == json.dumps(memory.to_dict())
