"""What every backend's statistics, export and exercise-attempt repositories do, tested
through the protocols alone (``store.stats``, ``store.exports``, ``store.exercises``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quizapp.cards.model import Card
from quizapp.exercises import ExerciseAttempt
from quizapp.scheduling.memory import MemoryState
from quizapp.scheduling.queue import DayWindow, day_window
from quizapp.scheduling.scheduler import Scheduler
from quizapp.store.db import Database
from quizapp.store.records import CardFilter, SourceFileInfo
from store.cards_factory import make_card

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _window(now: datetime) -> DayWindow:
    return day_window(now, 4, UTC)


def _write(store: Database, *cards: Card) -> dict[str, int]:
    """Write ``cards`` and return their keys by id."""
    writer = store.import_writer()
    for card in cards:
        writer.write_file(SourceFileInfo(f"/deck/{card.id}.md", 10, 1, "0" * 64), [card], T0)
    return {card.id: stored.pk for card in cards if (stored := store.cards.get(card.id))}


def _answer(store: Database, pk: int, rating: int, now: datetime) -> MemoryState:
    before = store.answers.memory(pk)
    after = Scheduler(store.settings.load_settings()).review(pk, before, rating, now)
    store.answers.record_answer(pk, before, after, rating, now, 1500)
    return after


def _three(store: Database) -> dict[str, int]:
    return _write(
        store,
        make_card("alpha", tags=("ml",)),
        make_card("beta", tags=("ml", "Stats"), difficulty="hard", deck="maths"),
        make_card("gamma", deck="maths/linear"),
    )


def test_the_aggregates_count_answers_by_day_kind_and_rating(store: Database) -> None:
    pks = _three(store)
    _answer(store, pks["alpha"], 3, T0)
    _answer(store, pks["beta"], 1, T0 + timedelta(minutes=1))
    now = T0 + timedelta(hours=1)
    raw = store.stats.aggregates(now=now, window=_window(now), interview_at=None)
    # [answers, review-state answers, of those passed, again, hard, good, easy]
    assert raw.days == {"2026-01-05": [2, 0, 0, 1, 0, 1, 0]}
    assert raw.older == [0] * 7
    assert raw.columns.ids.tolist() == sorted(pks.values())
    kinds = dict(zip(raw.columns.ids.tolist(), raw.columns.kind.tolist(), strict=True))
    assert kinds[pks["gamma"]] == 0 and kinds[pks["alpha"]] == kinds[pks["beta"]] == 1
    assert [(name, ids.tolist()) for name, ids in raw.tags] == [
        ("ml", [pks["alpha"], pks["beta"]]),
        ("Stats", [pks["beta"]]),
    ]
    assert [name for name, _ in raw.difficulties] == ["hard", "medium"]
    assert len(raw.recall_answers.passed) == 0


def test_a_closed_day_is_counted_once_with_its_cache(store: Database) -> None:
    pks = _three(store)
    _answer(store, pks["alpha"], 4, T0)
    first = store.stats.aggregates(now=T0 + DAY, window=_window(T0 + DAY), interview_at=None)
    _answer(store, pks["beta"], 3, T0 + DAY)
    for _ in range(2):  # the second read comes from the cache the first one wrote
        later = T0 + 2 * DAY
        raw = store.stats.aggregates(now=later, window=_window(later), interview_at=None)
        assert raw.days == {
            "2026-01-05": [1, 0, 0, 0, 0, 0, 1],
            "2026-01-06": [1, 0, 0, 0, 0, 1, 0],
        }
    assert first.days == {"2026-01-05": [1, 0, 0, 0, 0, 0, 1]}


def test_a_review_answer_gives_a_calibration_pair_and_an_elapsed_count(
    store: Database,
) -> None:
    pks = _three(store)
    learned = _answer(store, pks["alpha"], 4, T0)
    assert learned.state == 2 and learned.stability is not None
    reviewed_at = T0 + 5 * DAY + timedelta(hours=1)
    _answer(store, pks["alpha"], 1, reviewed_at)
    now = reviewed_at + 3 * DAY
    raw = store.stats.aggregates(now=now, window=_window(now), interview_at=now + 10 * DAY)
    answers = raw.recall_answers
    assert answers.stability.tolist() == [learned.stability]
    assert answers.elapsed.tolist() == [5] and answers.passed.tolist() == [False]
    assert raw.days["2026-01-10"][:4] == [1, 1, 0, 1]
    position = raw.columns.ids.tolist().index(pks["alpha"])
    assert raw.columns.elapsed_now[position] == 3
    assert raw.columns.elapsed_interview[position] == 13


def test_due_counts_per_group_roll_sub_decks_into_their_parents(store: Database) -> None:
    pks = _three(store)
    store.answers.set_suspended([pks["gamma"]], True)
    _answer(store, pks["alpha"], 1, T0)
    now = T0 + timedelta(hours=1)
    groups = store.stats.due_by_group(now, _window(now))
    due = {group.name: (group.cards, group.due) for group in groups.decks}
    assert list(due) == ["default", "maths", "maths/linear"]
    assert due["default"][0] == 1 and due["default"][1].learning == 1
    assert due["maths"][0] == 2 and due["maths"][1].new == 1
    assert due["maths/linear"][1].new == 0  # suspended
    assert [(group.name, group.cards) for group in groups.tags] == [("ml", 2), ("Stats", 1)]
    raw = store.stats.aggregates(now=now, window=_window(now), interview_at=None)
    suspended = dict(zip(raw.columns.ids.tolist(), raw.columns.suspended.tolist(), strict=True))
    assert suspended == {pks["alpha"]: False, pks["beta"]: False, pks["gamma"]: True}


def test_an_export_reads_the_chosen_cards_and_their_answers_oldest_first(
    store: Database,
) -> None:
    pks = _three(store)
    _answer(store, pks["beta"], 3, T0)
    last = _answer(store, pks["beta"], 3, T0 + timedelta(minutes=10))
    _answer(store, pks["gamma"], 4, T0)
    assert [stored.card.id for stored in store.exports.cards()] == ["alpha", "beta", "gamma"]
    (beta,) = store.exports.cards(CardFilter(tags=("stats",)))
    assert beta.card.tags == ("ml", "Stats") and beta.card.deck == "maths"
    assert beta.memory == last and not beta.suspended
    reviews = store.exports.reviews(CardFilter(deck="maths", difficulties=("hard",)))
    assert list(reviews) == [pks["beta"]]
    answers = reviews[pks["beta"]]
    assert [answer.reviewed_at for answer in answers] == [T0, T0 + timedelta(minutes=10)]
    assert answers[0].before.is_new and answers[-1].after == last
    assert answers[0].duration_ms == 1500 and answers[0].rating == 3


def _attempt(seed: int, started: datetime, rating: int) -> ExerciseAttempt:
    return ExerciseAttempt(
        spec_id="softmax",
        title="Softmax",
        seed=seed,
        answers={"y": ["np.exp(x)", "np.exp(x) / np.exp(x).sum()"]},
        verdicts={"y": ["wrong", "correct"]},
        revealed=(),
        started_at=started,
        duration_ms=42_000,
        suggested_rating=rating,
        asks=("y",),
    )


def test_exercise_attempts_read_back_whole_and_newest_first(store: Database) -> None:
    pks = _three(store)
    first, second = _attempt(2**31 - 1, T0, 2), _attempt(7, T0 + DAY, 3)
    ids = [
        store.exercises.record_attempt(pks["alpha"], second),
        store.exercises.record_attempt(pks["alpha"], first),
        store.exercises.record_attempt(None, _attempt(9, T0, 4)),
    ]
    assert len(set(ids)) == 3
    assert store.exercises.attempts_for(pks["alpha"]) == [second, first]
    assert store.exercises.attempts_for(pks["beta"]) == []


def test_an_empty_store_has_empty_figures(store: Database) -> None:
    raw = store.stats.aggregates(now=T0, window=_window(T0), interview_at=T0 + DAY)
    assert (raw.days, raw.older, raw.tags, raw.difficulties) == ({}, [0] * 7, [], [])
    assert len(raw.columns.ids) == len(raw.columns.elapsed_interview) == 0
    assert len(raw.recall_answers.stability) == 0
    groups = store.stats.due_by_group(T0, _window(T0))
    assert (groups.decks, groups.tags, groups.difficulties) == ((), (), ())
    assert store.exports.cards() == [] and store.exports.reviews() == {}
