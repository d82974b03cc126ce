"""Settings: defaults, text parsing, validation messages and storage round trip."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quizapp.scheduling.settings import SETTING_KEYS, SettingError, Settings, parse_duration


def test_defaults_match_the_issue() -> None:
    s = Settings()
    assert s.desired_retention == 0.90
    assert s.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert s.relearning_steps == (timedelta(minutes=10),)
    assert (s.maximum_interval, s.new_cards_per_day, s.max_reviews_per_day) == (36500, 20, 200)
    assert s.day_rollover_hour == 4 and s.interview_date is None and s.parameters is None


@pytest.mark.parametrize(
    ("key", "text", "shown"),
    [
        ("desired_retention", "0.85", "0.85"),
        ("learning_steps", "1m, 10m 1h", "1m 10m 1h"),
        ("relearning_steps", "30s", "30s"),
        ("maximum_interval", "365", "365"),
        ("new_cards_per_day", "0", "0"),
        ("max_reviews_per_day", "50", "50"),
        ("day_rollover_hour", "0", "0"),
        ("interview_date", "2026-12-31", "2026-12-31"),
        ("interview_date", "none", "none"),
        ("parameters", "default", "default"),
    ],
)
def test_set_and_display_round_trip(key: str, text: str, shown: str) -> None:
    s = Settings().with_value(key, text)
    assert s.display(key) == shown
    assert Settings.from_storage(s.to_storage()) == s


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("desired_retention", "0.5", "between 0.70 and 0.99"),
        ("desired_retention", "high", "not a number"),
        ("learning_steps", "1x", "not a duration"),
        ("maximum_interval", "0", "from 1 to 36500"),
        ("new_cards_per_day", "-1", "from 0 to 9999"),
        ("day_rollover_hour", "24", "from 0 to 23"),
        ("interview_date", "31/12/2026", "not a date"),
        ("parameters", "1 2 3", "needs 21 parameters"),
    ],
)
def test_bad_values_name_key_and_value(key: str, text: str, message: str) -> None:
    with pytest.raises(SettingError) as caught:
        Settings().with_value(key, text)
    assert key in str(caught.value) and message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unknown_key_lists_known_ones() -> None:
    with pytest.raises(SettingError, match="unknown setting 'retention'; known: desired_retention"):
        Settings().with_value("retention", "0.9")
    assert "interview_date" in SETTING_KEYS


def test_stored_garbage_is_reported_not_used() -> None:
    with pytest.raises(SettingError, match="stored setting new_cards_per_day"):
        Settings.from_storage({"new_cards_per_day": 10**9})
    assert Settings.from_storage({"interview_date": "2027-01-02"}).interview_date == date(
        2027, 1, 2
    )
    assert parse_duration("1.5h") == timedelta(minutes=90)
