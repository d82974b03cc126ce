"""Studying, on every backend, through the protocols alone: the queue's order and counts,
filters, answers and their undo, a stale answer refused, two writers racing for one card,
suspend, bury (with siblings), reset, the interview queue, and browse's sorts and search."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol

import pytest

from quizapp.cards.model import Card
from quizapp.scheduling.filters import StudyFilter
from quizapp.scheduling.memory import MemoryState
from quizapp.scheduling.queue import DayWindow, QueueKind, day_window
from quizapp.scheduling.scheduler import Scheduler
from quizapp.store.db import Database, open_database
from quizapp.store.errors import StaleCardError
from quizapp.store.records import CardCondition, CardFilter, QueuedCard, SourceFileInfo
from store.cards_factory import make_card

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
AGAIN, GOOD, EASY = 1, 3, 4


class Write(Protocol):
    """The ``write`` fixture: store ``cards`` as the file ``path``."""

    def __call__(self, *cards: Card, path: str | None = None) -> None: ...


def _window(now: datetime = T0) -> DayWindow:
    return day_window(now, 4, UTC)


@pytest.fixture
def write(store: Database) -> Write:
    """``write(*cards, path=...)`` stores cards as the file ``path`` (each card in a file of
    its own when no path is given), through the store's import writer."""

    def _write(*cards: Card, path: str | None = None) -> None:
        writer = store.import_writer()
        batches = [(path, cards)] if path else [(f"/deck/{card.id}.md", (card,)) for card in cards]
        for name, batch in batches:
            writer.write_file(SourceFileInfo(name, 10, 1, "0" * 64), list(batch), T0)

    return _write


def _queue(
    store: Database, kind: QueueKind, now: datetime = T0, chosen: StudyFilter | None = None
) -> list[str]:
    cards = store.queue.candidates(kind, chosen or StudyFilter(), now, _window(now), limit=50)
    return [card.uid for card in cards]


def _uids(store: Database, pks: list[int]) -> list[str]:
    found = [store.cards.get_by_pk(pk) for pk in pks]
    return [stored.card.id for stored in found if stored is not None]


def _card(store: Database, uid: str, kind: QueueKind = QueueKind.NEW) -> QueuedCard:
    stored = store.cards.get(uid)
    assert stored is not None
    return store.queue.queued_card(stored.pk, kind)


def _answer(store: Database, card: QueuedCard, rating: int, now: datetime) -> int:
    after = Scheduler(store.settings.load_settings()).review(card.pk, card.memory, rating, now)
    return store.answers.record_answer(card.pk, card.memory, after, rating, now, 1500)


def test_the_queue_serves_learning_review_and_new_cards_in_due_order(
    store: Database, write: Write
) -> None:
    write(*(make_card(uid) for uid in ("a", "b", "c", "d", "e")))
    _answer(store, _card(store, "a"), AGAIN, T0 - timedelta(hours=2))  # learning, due soon
    _answer(store, _card(store, "b"), EASY, T0 - timedelta(days=30))  # review, due by now
    _answer(store, _card(store, "c"), EASY, T0 - timedelta(days=31))  # review, due earlier
    assert _queue(store, QueueKind.LEARNING) == ["a"]
    assert _queue(store, QueueKind.REVIEW) == ["c", "b"]
    assert _queue(store, QueueKind.NEW) == ["d", "e"]
    counts = store.queue.due_counts(StudyFilter(), T0, _window())
    assert (counts.learning, counts.review, counts.new) == (1, 2, 2)
    chosen = StudyFilter(card_pks=(_card(store, "a").pk, _card(store, "d").pk))
    filtered = store.queue.due_counts(chosen, T0, _window())
    assert (filtered.learning, filtered.review, filtered.new) == (1, 0, 1)
    today = store.queue.today_counts(_window(T0 - timedelta(days=30)))
    assert (today.new, today.reviews, today.learning) == (1, 0, 0)
    assert store.queue.next_due(T0) == T0
    skipped = store.queue.candidates(
        QueueKind.REVIEW, StudyFilter(), T0, _window(), limit=5, exclude=[_card(store, "c").pk]
    )
    assert [card.uid for card in skipped] == ["b"]


def test_filters_select_by_tag_difficulty_deck_text_and_chosen_ids(
    store: Database, write: Write
) -> None:
    write(
        make_card("alpha", tags=("ml", "stats"), difficulty="hard", deck="maths/linear"),
        make_card("beta", tags=("ml",), difficulty="easy", title="Вопрос Beta"),
        make_card("gamma", tags=("stats",), deck="maths"),
        make_card("delta", deck="physics"),
    )
    assert _queue(store, QueueKind.NEW, chosen=StudyFilter(tags_any=("ML",))) == ["alpha", "beta"]
    assert _queue(store, QueueKind.NEW, chosen=StudyFilter(tags_all=("ml", "stats"))) == ["alpha"]
    assert _queue(store, QueueKind.NEW, chosen=StudyFilter(difficulties=("HARD", "easy"))) == [
        "alpha",
        "beta",
    ]
    assert _queue(store, QueueKind.NEW, chosen=StudyFilter(deck="Maths")) == ["alpha", "gamma"]
    assert _queue(store, QueueKind.NEW, chosen=StudyFilter(text="вопрос")) == ["beta"]
    assert _queue(store, QueueKind.NEW, chosen=StudyFilter(text="stat")) == ["alpha", "gamma"]
    gamma, delta = _card(store, "gamma"), _card(store, "delta")
    assert _queue(
        store, QueueKind.NEW, chosen=StudyFilter(card_pks=(delta.pk, gamma.pk, delta.pk))
    ) == [
        "gamma",
        "delta",
    ]
    store.answers.set_suspended([gamma.pk], True)
    chosen = StudyFilter(deck="maths")
    assert store.queue.filter_counts(chosen, T0) == (2, 1)
    assert _uids(store, store.queue.matching_ids(chosen, T0)) == ["alpha"]
    assert [card.uid for card in store.queue.cram_cards(StudyFilter(tags_any=("ml",)), T0)] == [
        "alpha",
        "beta",
    ]


def test_an_answer_and_its_undo_leave_the_card_as_it_was(store: Database, write: Write) -> None:
    write(make_card("alpha"))
    card = _card(store, "alpha")
    log_id = _answer(store, card, GOOD, T0)
    (log,) = store.answers.reviews_of(card.pk)
    assert (log.id, log.rating, log.reviewed_at, log.duration_ms) == (log_id, GOOD, T0, 1500)
    assert store.answers.memory(card.pk) == log.after != card.memory
    assert store.answers.review_history() == {card.pk: [(T0, GOOD)]}
    undone = store.answers.undo_answer(log_id)
    assert undone.before == card.memory
    assert store.answers.memory(card.pk) == card.memory
    assert store.answers.reviews_of(card.pk) == []
    assert _queue(store, QueueKind.NEW) == ["alpha"]


def test_a_stale_answer_or_undo_is_refused_and_writes_nothing(
    store: Database, write: Write
) -> None:
    write(make_card("alpha"))
    shown = _card(store, "alpha")
    first = _answer(store, shown, GOOD, T0)
    with pytest.raises(StaleCardError, match="answered elsewhere"):
        _answer(store, shown, AGAIN, T0 + timedelta(minutes=1))
    second = _answer(store, _card(store, "alpha"), GOOD, T0 + timedelta(minutes=20))
    with pytest.raises(StaleCardError, match="answered again elsewhere"):
        store.answers.undo_answer(first)
    assert [log.id for log in store.answers.reviews_of(shown.pk)] == [first, second]


def test_two_connections_answering_one_card_at_once_store_exactly_one_answer(
    store: Database, write: Write
) -> None:
    """Two ``Database`` objects (two connection pools, as two processes would have) answer
    the same five cards from the same shown state at the same moment: for each card one
    answer is stored and the other refused, whichever goes first."""
    uids = [f"card-{n}" for n in range(5)]
    write(*(make_card(uid) for uid in uids))
    shown = [_card(store, uid) for uid in uids]
    settings = store.settings.load_settings()
    second = open_database(store.url, auto_backup=False)
    outcomes: dict[tuple[int, int], str] = {}
    barrier = threading.Barrier(2)

    def answer(who: int, database: Database, rating: int) -> None:
        for card in shown:
            after = Scheduler(settings).review(card.pk, card.memory, rating, T0)
            barrier.wait()
            try:
                database.answers.record_answer(card.pk, card.memory, after, rating, T0, 900)
                outcomes[who, card.pk] = "stored"
            except StaleCardError:
                outcomes[who, card.pk] = "refused"

    try:
        racers = [
            threading.Thread(target=answer, args=(0, store, GOOD)),
            threading.Thread(target=answer, args=(1, second, AGAIN)),
        ]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join()
    finally:
        second.close()
    for card in shown:
        results = sorted(outcomes[who, card.pk] for who in (0, 1))
        assert results == ["refused", "stored"]
        (log,) = store.answers.reviews_of(card.pk)
        winner = 0 if outcomes[0, card.pk] == "stored" else 1
        assert log.rating == (GOOD, AGAIN)[winner]
        assert store.answers.memory(card.pk) == log.after


def test_suspend_bury_and_reset_change_what_the_queue_serves(store: Database, write: Write) -> None:
    write(make_card("alpha"), make_card("beta"), make_card("gamma"))
    alpha, beta, gamma = (_card(store, uid) for uid in ("alpha", "beta", "gamma"))
    assert store.answers.set_suspended([alpha.pk], True) == 1
    assert store.answers.bury([beta.pk], T0 + timedelta(hours=5)) == 1
    assert _queue(store, QueueKind.NEW) == ["gamma"]
    assert store.queue.available_card(beta.pk, QueueKind.NEW, T0) is None
    assert store.queue.due_counts(StudyFilter(), T0, _window()).new == 1
    assert _queue(store, QueueKind.NEW, T0 + timedelta(hours=6)) == ["beta", "gamma"]
    store.answers.set_suspended([alpha.pk], False)
    store.answers.bury([beta.pk], None)
    assert _queue(store, QueueKind.NEW) == ["alpha", "beta", "gamma"]
    _answer(store, gamma, EASY, T0)
    assert _queue(store, QueueKind.NEW) == ["alpha", "beta"]
    later = T0 + timedelta(hours=1)
    assert store.answers.reset_cards([gamma.pk], later) == 1
    assert store.answers.memory(gamma.pk) == MemoryState.new(later)
    assert _queue(store, QueueKind.NEW, later) == ["alpha", "beta", "gamma"]
    assert len(store.answers.reviews_of(gamma.pk)) == 1  # the history stays


def test_an_answer_buries_its_siblings_in_its_own_transaction(
    store: Database, write: Write
) -> None:
    write(
        make_card("front", note="n1", line=1),
        make_card("back", note="n1", line=20),
        make_card("other", note="n2", line=40),
        path="/deck/notes.md",
    )
    front, back, other = (_card(store, uid) for uid in ("front", "back", "other"))
    assert store.siblings.sibling_ids(front.pk) == [back.pk]
    until = T0 + timedelta(hours=18)
    after = Scheduler(store.settings.load_settings()).review(front.pk, front.memory, GOOD, T0)
    log_id, buried = store.answers.record_answer_burying(
        front.pk, front.memory, after, GOOD, T0, 800, until=until, buries=lambda _m, _u: True
    )
    assert [sibling.pk for sibling in buried] == [back.pk]
    assert _queue(store, QueueKind.NEW) == ["other"]
    assert store.siblings.unbury(buried, until) == 1
    store.answers.undo_answer(log_id)
    assert sorted(_queue(store, QueueKind.NEW)) == ["back", "front", "other"]
    again = store.siblings.bury_siblings(other.pk, until, lambda _m, _u: True)
    assert again == ()


def test_the_interview_queue_picks_review_cards_weakest_at_the_interview(
    store: Database, write: Write
) -> None:
    write(make_card("fresh"), make_card("weak"), make_card("strong"))
    scheduler = Scheduler(store.settings.load_settings())
    for uid, when in (("weak", T0 - timedelta(days=3)), ("strong", T0 - timedelta(days=1))):
        card = _card(store, uid)
        _answer(store, card, EASY, when)
    interview = T0 + timedelta(days=60)
    picked = store.queue.interview_candidates(
        StudyFilter(), T0, _window(), interview, scheduler.recall_threshold(), limit=10
    )
    assert _uids(store, picked) == ["weak", "strong"]
    assert (
        store.queue.interview_candidates(StudyFilter(), T0, _window(), interview, 1e6, limit=10)
        == []
    )


def test_browse_sorts_by_recall_and_tags_and_searches_text(store: Database, write: Write) -> None:
    write(
        make_card("alpha", tags=("zeta",)),
        make_card("beta", tags=("alpha",)),
        make_card("gamma", title="Ünïcode gamma"),
    )
    _answer(store, _card(store, "alpha"), EASY, T0 - timedelta(days=10))
    _answer(store, _card(store, "beta"), EASY, T0 - timedelta(days=1))
    recall = store.cards.page(CardFilter(now=T0), order="recall")
    assert [stored.card.id for stored in recall.cards] == ["gamma", "alpha", "beta"]
    tags = store.cards.page(CardFilter(), order="tags", descending=True)
    assert [stored.card.id for stored in tags.cards] == ["alpha", "beta", "gamma"]
    search = CardFilter(conditions=(CardCondition("text", "ÜNÏCODE"),))
    assert [stored.card.id for stored in store.cards.find(search)] == ["gamma"]
    by_tag = CardFilter(conditions=(CardCondition("text", "zet"),), now=T0)
    assert [stored.card.id for stored in store.cards.page(by_tag, order="recall").cards] == [
        "alpha"
    ]


def test_a_stale_answer_buries_no_sibling(store: Database, write: Write) -> None:
    write(
        make_card("front", note="n1", line=1),
        make_card("back", note="n1", line=20),
        path="/deck/notes.md",
    )
    shown = _card(store, "front")
    _answer(store, shown, GOOD, T0)
    after = Scheduler(store.settings.load_settings()).review(shown.pk, shown.memory, AGAIN, T0)
    with pytest.raises(StaleCardError):
        store.answers.record_answer_burying(
            shown.pk,
            shown.memory,
            after,
            AGAIN,
            T0,
            800,
            until=T0 + timedelta(hours=18),
            buries=lambda _m, _u: True,
        )
    assert _queue(store, QueueKind.NEW) == ["back"]
    assert [log.rating for log in store.answers.reviews_of(shown.pk)] == [GOOD]
