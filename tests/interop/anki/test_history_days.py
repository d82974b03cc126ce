"""How ``interop/anki/history.py`` counts days between answers: study days, in the local
time zone, from the rollover hour, as Anki does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from quizapp.interop.anki.history import HistoryComputer, HistoryRules, merged_events
from quizapp.interop.anki.reader import AnkiCard, AnkiReview
from quizapp.scheduling.memory import REVIEW


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def test_a_half_hour_time_zone_counts_days_from_its_own_rollover() -> None:
    india = timezone(timedelta(hours=5, minutes=30))
    rules = HistoryRules(None, 0.9, 36500, 4, india)
    computer = HistoryComputer(rules, datetime(2026, 1, 10, tzinfo=UTC), 0, date(2026, 1, 10))
    # 22:10 and 22:40 UTC are 03:40 and 04:10 in India: either side of its 4 a.m. rollover
    before = datetime(2026, 1, 5, 22, 10, tzinfo=UTC)
    after = datetime(2026, 1, 5, 22, 40, tzinfo=UTC)
    events, _fresh = merged_events(
        [
            AnkiReview(_ms(before), 1, 3, -600, 0, 0, 5000, 0),
            AnkiReview(_ms(after), 1, 3, 1, -600, 2500, 5000, 0),
        ],
        (),
    )
    first, second = (computer.study_day(event) for event in events)
    assert (first, second) == (date(2026, 1, 5).toordinal(), date(2026, 1, 6).toordinal())


def test_a_due_date_set_by_hand_on_a_relearning_card_makes_it_a_review_card() -> None:
    """Anki's "set due date" on a card in relearning makes it a review card due that day;
    the importer once kept the relearning step of the last answer (the package fixture
    hit this when built in the 20 minutes before the rollover, when Anki leaves a step
    that runs past it unanswered)."""
    rules = HistoryRules(None, 0.9, 36500, 4, UTC)
    computer = HistoryComputer(rules, datetime(2026, 1, 10, tzinfo=UTC), 0, date(2026, 1, 10))
    start = datetime(2026, 1, 1, 10, tzinfo=UTC)
    day = timedelta(days=1)
    reviews = [
        AnkiReview(_ms(start), 1, 3, -600, 0, 0, 5000, 0),  # learning step
        AnkiReview(_ms(start + timedelta(minutes=10)), 1, 3, 1, -600, 2500, 5000, 0),
        AnkiReview(_ms(start + day), 1, 1, -600, 1, 2300, 5000, 1),  # forgotten: relearning
        AnkiReview(_ms(start + day + timedelta(minutes=5)), 1, 0, 9, -600, 2300, 0, 4),  # by hand
    ]
    card = AnkiCard(1, 1, 1, 0, 2, 2, 9, 9, 2300, 3, 1)  # a review card due on day 9
    memory, rows, _practice, _fresh = computer.card_rows(card, reviews)
    assert len(rows) == 3  # the manual entry is not an answer
    assert memory is not None
    assert (memory.state, memory.step) == (REVIEW, None)
    assert memory.due == computer.anki_due(card)
    assert memory.due.date() == date(2026, 1, 19)
    assert memory.last_review == start + day and memory.lapses == 1
