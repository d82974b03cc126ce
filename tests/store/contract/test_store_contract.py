"""What every backend's repositories do, tested through the protocols alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.cards.model import Card
from quizapp.scheduling.filters import StudyFilter
from quizapp.scheduling.queue import DayWindow, QueueKind, day_window
from quizapp.scheduling.scheduler import Scheduler
from quizapp.scheduling.settings import Settings
from quizapp.store.db import Database
from quizapp.store.errors import StaleCardError
from quizapp.store.records import CardFilter, QueuedCard, SourceFileInfo
from store.cards_factory import make_card

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def _window(now: datetime = T0) -> DayWindow:
    return day_window(now, 4, UTC)


def _write(store: Database, *cards: Card) -> None:
    writer = store.import_writer()
    for card in cards:
        writer.write_file(SourceFileInfo(f"/deck/{card.id}.md", 10, 1, "0" * 64), [card], T0)


def _new_cards(store: Database, now: datetime = T0) -> list[QueuedCard]:
    return store.queue.candidates(QueueKind.NEW, StudyFilter(), now, _window(now), limit=10)


def _answer(store: Database, card: QueuedCard, rating: int, now: datetime) -> int:
    after = Scheduler(store.settings.load_settings()).review(card.pk, card.memory, rating, now)
    return store.answers.record_answer(card.pk, card.memory, after, rating, now, 1500)


def test_a_written_card_reads_back_by_id_key_filter_tag_and_deck(store: Database) -> None:
    _write(
        store,
        make_card("alpha", tags=("ml", "Stats"), deck="maths/linear"),
        make_card("beta", tags=("ml",), difficulty="hard"),
    )
    alpha = store.cards.get("alpha")
    assert alpha is not None and alpha.card.title == "Alpha"
    assert store.cards.get("ALPHA") == alpha
    assert store.cards.get_by_pk(alpha.pk) == alpha
    assert [c.card.id for c in store.cards.find(CardFilter(difficulties=("hard",)))] == ["beta"]
    assert store.cards.count() == 2
    assert [(tag.name, tag.count) for tag in store.cards.tag_counts()] == [("ml", 2), ("Stats", 1)]
    assert sorted(store.cards.deck_names()) == ["default", "maths/linear"]
    assert alpha.memory.is_new and alpha.memory.due == T0


def test_an_answer_moves_a_new_card_out_of_the_new_queue(store: Database) -> None:
    _write(store, make_card("alpha"), make_card("beta"))
    first, second = _new_cards(store)
    log_id = _answer(store, first, 3, T0)
    assert [card.pk for card in _new_cards(store)] == [second.pk]
    (log,) = store.answers.reviews_of(first.pk)
    assert (log.id, log.rating, log.reviewed_at, log.before) == (log_id, 3, T0, first.memory)
    assert store.answers.memory(first.pk) == log.after
    assert store.queue.today_counts(_window()).new == 1


def test_an_answer_to_a_state_changed_meanwhile_is_refused_and_writes_nothing(
    store: Database,
) -> None:
    _write(store, make_card("alpha"))
    (card,) = _new_cards(store)
    _answer(store, card, 3, T0)
    with pytest.raises(StaleCardError):
        _answer(store, card, 1, T0 + timedelta(minutes=1))  # the state it saw is gone
    assert [log.rating for log in store.answers.reviews_of(card.pk)] == [3]


def test_undo_restores_the_state_before_and_deletes_the_log(store: Database) -> None:
    _write(store, make_card("alpha"))
    (card,) = _new_cards(store)
    log_id = _answer(store, card, 4, T0)
    record = store.answers.undo_answer(log_id)
    assert record.id == log_id
    assert store.answers.memory(card.pk) == card.memory
    assert store.answers.reviews_of(card.pk) == []


def test_suspended_and_buried_cards_leave_the_queue_until_released(store: Database) -> None:
    _write(store, make_card("alpha"), make_card("beta"))
    alpha, beta = _new_cards(store)
    assert store.answers.set_suspended([alpha.pk], True) == 1
    assert store.answers.bury([beta.pk], T0 + timedelta(hours=2)) == 1
    assert _new_cards(store) == []
    assert [card.pk for card in _new_cards(store, T0 + timedelta(hours=3))] == [beta.pk]
    store.answers.set_suspended([alpha.pk], False)
    store.answers.bury([beta.pk], None)
    assert [card.pk for card in _new_cards(store)] == [alpha.pk, beta.pk]


def test_settings_round_trip_and_only_the_keys_named_are_written(store: Database) -> None:
    assert store.settings.load_settings() == Settings()
    changed = replace(Settings(), new_cards_per_day=3, desired_retention=0.85)
    store.settings.save_settings(changed, ["new_cards_per_day"])
    assert store.settings.load_settings() == replace(Settings(), new_cards_per_day=3)


def test_statistics_aggregates_count_every_answer_and_card(store: Database) -> None:
    _write(store, make_card("alpha"), make_card("beta"), make_card("gamma"))
    cards = _new_cards(store)
    for minute, card in enumerate(cards[:2]):
        _answer(store, card, 3, T0 + timedelta(minutes=minute))
    now = T0 + timedelta(hours=1)
    raw = store.stats.aggregates(now=now, window=_window(now), interview_at=None)
    assert sum(row[0] for row in raw.days.values()) == 2
    assert sorted(raw.columns.ids.tolist()) == sorted(card.pk for card in cards)
    groups = store.stats.due_by_group(now, _window(now))
    assert [(group.name, group.cards, group.due.new) for group in groups.decks] == [
        ("default", 3, 1)
    ]


def test_a_healthy_store_passes_its_checkup(store: Database) -> None:
    _write(store, make_card("alpha"))
    (card,) = _new_cards(store)
    _answer(store, card, 3, T0)
    assert store.maintenance.check().ok
