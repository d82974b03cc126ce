"""Decoding stored values one row at a time, so that one damaged row is skipped, not fatal.

SQLite keeps whatever it is given: a hand edit, a bad disk or a bug can leave JSON that
does not parse, a ``due`` that is no datetime, or an exercise without its ``line``, and
such rows still pass ``PRAGMA integrity_check``. If SQLAlchemy decoded these columns while
fetching, one such row would fail the whole fetch and with it ``list``, ``stats`` or the
app. So the queries over many rows read these columns raw and decode them here, row by
row: a row that fails is reported by id (``unreadable``) through ``Database.report`` and
left out, and ``quizapp doctor`` finds and repairs it.

No SQLAlchemy here: ``today_counts`` uses this before SQLAlchemy is imported.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from quizapp.scheduling.memory import LEARNING, RELEARNING, REVIEW, MemoryState
from quizapp.store.errors import StoreError

#: What a row that cannot be decoded is reported as; ``doctor`` repairs it.
UNREADABLE = "stored state unreadable; `quizapp doctor` repairs it"

#: The exceptions decoding a damaged value raises (``json.JSONDecodeError`` is a
#: ``ValueError``; a missing key a ``KeyError``; a wrong type a ``TypeError``).
DECODE_ERRORS = (ValueError, TypeError, KeyError, OverflowError, AttributeError)


class UnreadableRowError(StoreError):
    """One stored row that cannot be decoded, when that one row was asked for."""


def unreadable(what: str) -> str:
    """The one-line report for a row that cannot be decoded, e.g. ``card x: stored …``."""
    return f"{what}: {UNREADABLE}"


def json_value(raw: Any) -> Any:
    """A JSON column's value from its stored text (already-decoded values pass through)."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    if isinstance(raw, str):
        return json.loads(raw)
    return raw


def json_list(raw: Any) -> list[Any]:
    """A JSON column that must hold a list (NULL reads as empty)."""
    value = json_value(raw)
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"expected a JSON list, found {type(value).__name__}")
    return value


def utc_datetime(raw: Any) -> datetime | None:
    """A datetime column's value, aware UTC, from the naive-UTC text SQLAlchemy stores."""
    if raw is None:
        return None
    value = raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def required_datetime(raw: Any) -> datetime:
    """Like ``utc_datetime`` for a column that may not be NULL."""
    value = utc_datetime(raw)
    if value is None:
        raise ValueError("a required time is missing")
    return value


def _count(raw: Any, name: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise ValueError(f"{name} {raw!r} is not a count")
    return raw


def _real(raw: Any, name: str) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise ValueError(f"{name} {raw!r} is not a number")
    return float(raw)


def memory_state(
    state: Any,
    step: Any,
    stability: Any,
    difficulty: Any,
    due: Any,
    last_review: Any,
    reps: Any,
    lapses: Any,
) -> MemoryState:
    """A ``MemoryState`` from raw ``card_states`` values, checked to be usable by FSRS."""
    if state not in (LEARNING, REVIEW, RELEARNING) or isinstance(state, bool):
        raise ValueError(f"state {state!r} is not 1, 2 or 3")
    if step is not None:
        step = _count(step, "step")
    stability = _real(stability, "stability")
    if stability is not None and stability <= 0:
        raise ValueError(f"stability {stability!r} is not positive")
    return MemoryState(
        state=int(state),
        step=step,
        stability=stability,
        difficulty=_real(difficulty, "difficulty"),
        due=required_datetime(due),
        last_review=utc_datetime(last_review),
        reps=_count(reps, "reps"),
        lapses=_count(lapses, "lapses"),
    )


def stored_rating(raw: Any) -> int:
    """A review log's rating: 1 (again) to 4 (easy)."""
    if isinstance(raw, bool) or raw not in (1, 2, 3, 4):
        raise ValueError(f"rating {raw!r} is not 1, 2, 3 or 4")
    return int(raw)


def memory_from_json(raw: Any) -> MemoryState:
    """A review log's ``state_before``/``state_after``, checked like ``memory_state``."""
    data = json_value(raw)
    if not isinstance(data, dict):
        raise TypeError("a stored state must be a JSON object")
    return memory_state(
        data["state"],
        data.get("step"),
        data.get("stability"),
        data.get("difficulty"),
        data["due"],
        data.get("last_review"),
        data.get("reps", 0),
        data.get("lapses", 0),
    )


def decode_settings(rows: Iterable[tuple[Any, Any]]) -> tuple[dict[str, Any], list[str]]:
    """The ``settings`` table's rows as ``{key: value}``, and a line per row whose JSON
    does not decode (that row is left out, so its default applies)."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, raw in rows:
        try:
            values[str(key)] = json_value(raw)
        except DECODE_ERRORS:
            text = repr(raw) if len(repr(raw)) <= 60 else repr(raw)[:57] + "..."
            problems.append(
                f"stored setting {key} = {text} is not valid JSON and is ignored "
                f"(fix: quizapp config set {key} VALUE, or `quizapp doctor --repair`)"
            )
    return values, problems
