"""Settings: defaults, text parsing, validation messages and storage round trip."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quizapp.scheduling.settings import SETTING_KEYS, SettingError, Settings, parse_duration

#: The date settings are "set" on in these tests (a fixed clock, not the real one).
TODAY = date(2026, 1, 5)


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
    s = Settings().with_value(key, text, today=TODAY)
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
        Settings().with_value(key, text, today=TODAY)
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


@pytest.mark.parametrize(
    ("text", "today"),
    [
        ("0001-01-01", TODAY),
        ("2026-01-04", TODAY),  # yesterday
        ("2031-01-06", TODAY),  # five years and a day ahead
        ("9999-12-31", TODAY),
        ("2029-03-01", date(2024, 2, 29)),  # the horizon of 29 February is 28 February
    ],
)
def test_interview_date_is_refused_outside_today_to_five_years(text: str, today: date) -> None:
    with pytest.raises(SettingError) as caught:
        Settings().with_value("interview_date", text, today=today)
    message = str(caught.value)
    assert message.startswith(f"interview_date: invalid value {text!r}: must be from today")
    assert "\n" not in message


@pytest.mark.parametrize("text", ["2026-01-05", "2031-01-05", "none"])
def test_interview_date_from_today_to_five_years_is_accepted(text: str) -> None:
    assert (
        Settings().with_value("interview_date", text, today=TODAY).display("interview_date") == text
    )


def test_an_interview_date_that_has_passed_still_loads() -> None:
    """The range is checked when a date is set, not every time settings are read."""
    stored = Settings().with_value("interview_date", "2026-02-01", today=TODAY).to_storage()
    assert Settings.from_storage(stored).interview_date == date(2026, 2, 1)


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("learning_steps", "99999999999999999999d", "shorter than a year"),
        ("relearning_steps", "400d", "shorter than a year"),
        ("learning_steps", "0.1s", "at least 1s"),
        ("learning_steps", " ".join(["1m"] * 21), "at most 20 steps"),
        ("maximum_interval", "99999999999999999999999", "from 1 to 36500"),
        ("desired_retention", "nan", "between 0.70 and 0.99"),
        ("parameters", " ".join(["nan"] * 21), "outside"),
    ],
)
def test_out_of_range_values_are_one_line_setting_errors(key: str, text: str, message: str) -> None:
    with pytest.raises(SettingError) as caught:
        Settings().with_value(key, text, today=TODAY)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_unusable_stored_values_are_reported_and_replaced_by_defaults() -> None:
    stored = {
        "interview_date": "0001-01-01",
        "desired_retention": "high",
        "learning_steps": [1e30],
        "new_cards_per_day": 35,
        "not_a_setting": 1,
    }
    settings, problems = Settings.from_storage_reporting(stored)
    assert settings == Settings(new_cards_per_day=35)
    assert len(problems) == 3
    assert problems[0] == (
        "stored setting interview_date = '0001-01-01' is unusable (invalid value "
        "'0001-01-01': must be a date from 1970-01-01 to 9998-12-31); using the default "
        "none (fix: quizapp config set interview_date VALUE)"
    )
    assert problems[1].startswith("stored setting desired_retention = 'high' is unusable")
    assert problems[2].startswith("stored setting learning_steps = [1e+30] is unusable")
