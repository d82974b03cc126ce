"""How ``interop/anki/history.py`` counts days between answers: study days, in the local
time zone, from the rollover hour, as Anki does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from quizapp.interop.anki.history import HistoryComputer, HistoryRules, merged_events
from quizapp.interop.anki.reader import AnkiReview


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
