"""The user's scheduling settings: one validated, frozen value with Anki-like defaults.

Settings are stored one key per row (``settings`` table, JSON values) so that a new setting
never needs a migration; this module is the single place that knows each key's meaning,
its default, how it is typed on the command line, and which values are allowed.

Two levels of checking: every value must be usable at all (a date the clock can work
with, a retention between 0.70 and 0.99, ...), which ``Settings`` enforces whenever it is
built; and a value being *set* must also make sense today (an interview date from today
up to five years ahead), which only ``with_value`` checks, so that an interview date that
has since passed still loads. A stored value that is not usable is reported and replaced
by its default (``from_storage_reporting``), never fatal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS


class SettingError(ValueError):
    """A setting value that cannot be used; the message names the key and the value."""


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|h|d)$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


#: The longest learning or relearning step, and how many steps a list may hold.
MAX_STEP = timedelta(days=365)
MAX_STEPS = 20
#: How far ahead ``config set interview_date`` may look.
INTERVIEW_HORIZON_YEARS = 5
#: Dates any stored interview date must lie between: the clock can shift these by a day
#: either way (time zones) and stay within what ``datetime`` represents.
EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(9998, 12, 31)


def parse_duration(text: str) -> timedelta:
    """Parse a learning step such as ``"1m"``, ``"10m"``, ``"1h"`` or ``"1d"``."""
    match = _DURATION.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a duration like 1m, 10m, 1h or 1d")
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds <= 0:
        raise ValueError(f"{text!r} is not a positive duration")
    if seconds >= MAX_STEP.total_seconds():
        raise ValueError(f"{text!r} is not shorter than a year")
    return timedelta(seconds=seconds)


def format_duration(step: timedelta) -> str:
    """Inverse of ``parse_duration``, in the largest unit that divides the step exactly."""
    seconds = int(step.total_seconds())
    for unit in ("d", "h", "m"):
        size = _UNIT_SECONDS[unit]
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True)
class Settings:
    """Everything that decides how cards are scheduled and how many are shown each day.

    ``parameters`` is ``None`` until ``quizapp optimize`` stores personal FSRS-6 weights;
    ``None`` means py-fsrs's published defaults. ``day_rollover_hour`` is in local time:
    a "day" for limits and statistics starts at that hour, as in Anki. ``bury_siblings``:
    once a card is answered, the new and review cards made from the same note (a cloze's
    other deletions, a reversed pair's other side) wait for the next day, as Anki's
    "bury siblings" does, so that one card does not give another's answer away.
    ``language``: the language a card written in several is shown in first (a code such
    as ``en`` or ``ru``, ``cards/languages.py``); its other languages stay a key away.
    """

    desired_retention: float = 0.90
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500
    new_cards_per_day: int = 20
    max_reviews_per_day: int = 200
    day_rollover_hour: int = 4
    interview_date: date | None = None
    bury_siblings: bool = True
    language: str = "en"
    parameters: tuple[float, ...] | None = field(default=None)

    def __post_init__(self) -> None:
        for key in SETTING_KEYS:
            _validate(key, getattr(self, key))

    def to_storage(self) -> dict[str, Any]:
        """Every setting as its JSON-ready stored value, keyed by setting name."""
        return {key: _SPECS[key].dump(getattr(self, key)) for key in SETTING_KEYS}

    @classmethod
    def from_storage_reporting(cls, stored: Mapping[str, Any]) -> tuple[Settings, list[str]]:
        """Settings from stored JSON values, each unusable one replaced by its default.

        Returns the settings and one line per value ignored, naming the key, the stored
        value and how to fix it: a hand-edited or damaged row must not stop ``stats`` or
        the app, but must not be silently scheduled with either.
        """
        settings = cls()
        problems: list[str] = []
        for key, raw in stored.items():
            if key not in _SPECS:
                continue
            try:
                settings = replace(settings, **{key: _SPECS[key].load(raw)})
            except (TypeError, ValueError, OverflowError) as error:
                reason = str(error).removeprefix(f"{key}: ")
                problems.append(
                    f"stored setting {key} = {_short(raw)} is unusable ({reason}); using the "
                    f"default {settings.display(key)} (fix: quizapp config set {key} VALUE)"
                )
        return settings, problems

    @classmethod
    def from_storage(cls, stored: Mapping[str, Any]) -> Settings:
        """Build settings from stored JSON values; missing keys keep their defaults.

        A stored value that no longer validates raises ``SettingError`` naming it, rather
        than silently scheduling with something the user never chose.
        """
        values: dict[str, Any] = {}
        for key, raw in stored.items():
            if key in _SPECS:
                try:
                    values[key] = _SPECS[key].load(raw)
                except (TypeError, ValueError, OverflowError) as error:
                    raise SettingError(f"stored setting {key}: {raw!r}: {error}") from None
        try:
            return cls(**values)
        except SettingError as error:
            raise SettingError(f"stored setting {error}") from None

    def with_value(self, key: str, text: str, *, today: date | None = None) -> Settings:
        """A copy with one setting changed from its command-line text form.

        Beyond what every stored value must satisfy, the value must make sense on
        ``today`` (default: the local date): an interview date from today up to
        ``INTERVIEW_HORIZON_YEARS`` ahead.
        """
        spec = _spec(key)
        try:
            value = spec.parse(text)
        except (ValueError, OverflowError) as error:
            raise SettingError(f"{key}: invalid value {text!r}: {error}") from None
        if spec.check_new is not None:
            problem = spec.check_new(value, today or date.today())
            if problem:
                raise SettingError(f"{key}: invalid value {text!r}: {problem}")
        return replace(self, **{key: value})

    def display(self, key: str) -> str:
        """One setting in the text form ``config set`` accepts."""
        return _spec(key).show(getattr(self, key))


def _spec(key: str) -> _Spec:
    if key not in _SPECS:
        raise SettingError(f"unknown setting {key!r}; known: {', '.join(SETTING_KEYS)}")
    return _SPECS[key]


def _validate(key: str, value: Any) -> None:
    problem = _SPECS[key].check(value)
    if problem:
        raise SettingError(f"{key}: invalid value {_SPECS[key].show(value)!r}: {problem}")


def _short(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class _Spec:
    parse: Callable[[str], Any]
    show: Callable[[Any], str]
    check: Callable[[Any], str | None]
    dump: Callable[[Any], Any] = lambda value: value
    load: Callable[[Any], Any] = lambda value: value
    check_new: Callable[[Any, date], str | None] | None = None
    """A further check for a value being set now (given today's date)."""


def _parse_int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError("not a whole number") from None


def _parse_float(text: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise ValueError("not a number") from None


def _parse_steps(text: str) -> tuple[timedelta, ...]:
    parts = text.replace(",", " ").split()
    return tuple(parse_duration(part) for part in parts)


#: A stored language code: two or three lower-case letters, with an optional region.
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,4})?$")


def _parse_switch(text: str) -> bool:
    value = text.strip().lower()
    if value in ("on", "yes", "true", "1"):
        return True
    if value in ("off", "no", "false", "0"):
        return False
    raise ValueError("not on or off")


def _check_switch(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be on or off"


def _load_switch(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{value!r} is not true or false")
    return value


def _parse_language(text: str) -> str:
    from quizapp.cards.languages import language_code

    code = language_code(text)
    if code is None:
        raise ValueError("not a language code like en or ru (or a name like English)")
    return code


def _check_language(value: Any) -> str | None:
    if not isinstance(value, str) or not _LANGUAGE_CODE.match(value):
        return "must be a language code like en, ru or pt-br"
    return None


def _parse_date(text: str) -> date | None:
    if text.strip().lower() in ("", "none", "off"):
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("not a date like 2026-12-31 (or 'none')") from None


def _parse_parameters(text: str) -> tuple[float, ...] | None:
    if text.strip().lower() in ("", "none", "default"):
        return None
    try:
        return tuple(float(part) for part in text.replace(",", " ").split())
    except ValueError:
        raise ValueError("not a list of numbers (or 'default')") from None


def _int_range(low: int, high: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return f"must be a whole number from {low} to {high}"
        return None

    return check


def _check_retention(value: Any) -> str | None:
    if not isinstance(value, float | int) or not 0.70 <= float(value) <= 0.99:
        return "must be between 0.70 and 0.99"
    return None


def _check_steps(value: Any) -> str | None:
    if not isinstance(value, tuple) or not all(isinstance(s, timedelta) for s in value):
        return "must be a list of durations like 1m 10m"
    if len(value) > MAX_STEPS:
        return f"at most {MAX_STEPS} steps"
    if any(step < timedelta(seconds=1) or step >= MAX_STEP for step in value):
        return "each step must be at least 1s and shorter than a year"
    return None


def _check_date(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, date):
        return "must be a date"
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        return f"must be a date from {EARLIEST_DATE} to {LATEST_DATE}"
    return None


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check_interview_ahead(value: Any, today: date) -> str | None:
    if value is None:
        return None
    latest = _years_after(today, INTERVIEW_HORIZON_YEARS)
    if not today <= value <= latest:
        return f"must be from today ({today}) to {latest}, or none"
    return None


def _check_parameters(value: Any) -> str | None:
    if value is None:
        return None
    if len(value) != len(LOWER_BOUNDS_PARAMETERS):
        return f"FSRS-6 needs {len(LOWER_BOUNDS_PARAMETERS)} parameters, got {len(value)}"
    for index, (weight, low, high) in enumerate(
        zip(value, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    ):
        if not low <= weight <= high:
            return f"parameter {index} = {weight} is outside [{low}, {high}]"
    return None


def _show_steps(value: tuple[timedelta, ...]) -> str:
    return " ".join(format_duration(step) for step in value)


_SPECS: dict[str, _Spec] = {
    "desired_retention": _Spec(_parse_float, lambda v: f"{v:g}", _check_retention),
    "learning_steps": _Spec(
        _parse_steps,
        _show_steps,
        _check_steps,
        dump=lambda v: [step.total_seconds() for step in v],
        load=lambda v: tuple(timedelta(seconds=float(s)) for s in v),
    ),
    "relearning_steps": _Spec(
        _parse_steps,
        _show_steps,
        _check_steps,
        dump=lambda v: [step.total_seconds() for step in v],
        load=lambda v: tuple(timedelta(seconds=float(s)) for s in v),
    ),
    "maximum_interval": _Spec(_parse_int, str, _int_range(1, 36500)),
    "new_cards_per_day": _Spec(_parse_int, str, _int_range(0, 9999)),
    "max_reviews_per_day": _Spec(_parse_int, str, _int_range(0, 99999)),
    "day_rollover_hour": _Spec(_parse_int, str, _int_range(0, 23)),
    "interview_date": _Spec(
        _parse_date,
        lambda v: "none" if v is None else v.isoformat(),
        _check_date,
        dump=lambda v: None if v is None else v.isoformat(),
        load=lambda v: None if v is None else date.fromisoformat(v),
        check_new=_check_interview_ahead,
    ),
    "bury_siblings": _Spec(
        _parse_switch, lambda v: "on" if v else "off", _check_switch, load=_load_switch
    ),
    "language": _Spec(_parse_language, str, _check_language),
    "parameters": _Spec(
        _parse_parameters,
        lambda v: "default" if v is None else " ".join(f"{w:.4f}" for w in v),
        _check_parameters,
        dump=lambda v: None if v is None else list(v),
        load=lambda v: None if v is None else tuple(float(w) for w in v),
    ),
}

#: Setting names in display order, as typed in ``quizapp config get/set``.
SETTING_KEYS: tuple[str, ...] = tuple(_SPECS)
