"""Calibration benchmark on an external review log (``quizapp evaluate --revlog``).

Reads a CSV of ``card_id, review_rating, review_time, review_duration`` and runs a 5-fold
time-series split: the scorable reviews, in time order, are cut into six segments; fold
k fits parameters on segments 0..k and predicts segment k+1. Same-day reviews are never
scored. Three parameter sets are compared on the same predictions: FSRS-6's defaults,
quizapp's fitted parameters, and fsrs-rs-python's own ``evaluate_with_time_series_splits``
on the same items, measured in the same run as the reference (it reports no AUC).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

import numpy as np
from fsrs.scheduler import DEFAULT_PARAMETERS
from fsrs_rs_python import evaluate_with_time_series_splits

from quizapp.scheduling.history import HistoryItem, build_items
from quizapp.scheduling.metrics import Calibration, calibration, predict
from quizapp.scheduling.optimize import fit
from quizapp.text import plural

COLUMNS = ("card_id", "review_rating", "review_time", "review_duration")
SPLITS = 5


class RevlogError(ValueError):
    """A review log that cannot be read; the message starts with ``file:line:``."""


@dataclass(frozen=True)
class RevlogEntry:
    """One review read from the CSV."""

    card_id: str
    rating: int
    at: datetime
    duration_ms: int
    line: int


@dataclass(frozen=True)
class EvaluationReport:
    """The three parameter sets' scores on the held-out folds."""

    default: Calibration
    fitted: Calibration
    reference: Calibration
    reviews: int
    cards: int
    seconds: float

    def to_dict(self) -> dict[str, object]:
        """The JSON shape documented in docs/cli.md."""
        return {
            "default": self.default.to_dict(),
            "fitted": self.fitted.to_dict(),
            "fsrs_rs_reference": self.reference.to_dict(),
            "reviews": self.reviews,
            "cards": self.cards,
            "splits": SPLITS,
            "seconds": round(self.seconds, 2),
        }


def read_revlog(path: Path) -> list[RevlogEntry]:
    """Every review in the CSV at ``path``; the first bad line raises ``RevlogError``."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return _parse(path, handle)
    except UnicodeDecodeError as error:
        raise RevlogError(f"{path}:1: not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise RevlogError(f"{path}:1: cannot read: {error.strerror or error}") from None
    except csv.Error as error:
        raise RevlogError(f"{path}:1: not a CSV file ({error})") from None


def _parse(path: Path, handle: object) -> list[RevlogEntry]:
    reader = csv.reader(handle)  # type: ignore[arg-type]
    header = next(reader, None)
    if header is None:
        raise RevlogError(f"{path}:1: empty file; expected a header {','.join(COLUMNS)}")
    names = [name.strip() for name in header]
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        raise RevlogError(f"{path}:1: header lacks {noun} {', '.join(missing)}")
    where = {name: names.index(name) for name in COLUMNS}
    entries = []
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            raise RevlogError(f"{path}:{line}: expected {len(names)} fields, found {len(row)}")
        card_id = row[where["card_id"]].strip()
        if not card_id:
            raise RevlogError(f"{path}:{line}: empty card_id")
        rating_text = row[where["review_rating"]].strip()
        if rating_text not in ("1", "2", "3", "4"):
            raise RevlogError(f"{path}:{line}: review_rating {rating_text!r} is not 1-4")
        time_text = row[where["review_time"]].strip()
        try:
            at = datetime.fromisoformat(time_text.replace("Z", "+00:00"))
        except ValueError:
            raise RevlogError(
                f"{path}:{line}: review_time {time_text!r} is not an ISO 8601 time"
            ) from None
        if at.tzinfo is None:
            raise RevlogError(f"{path}:{line}: review_time {time_text!r} has no time zone")
        duration_text = row[where["review_duration"]].strip() or "0"
        try:
            duration = int(float(duration_text))
        except ValueError:
            raise RevlogError(
                f"{path}:{line}: review_duration {duration_text!r} is not a number of ms"
            ) from None
        if duration < 0:
            raise RevlogError(f"{path}:{line}: review_duration {duration} is negative")
        entries.append(RevlogEntry(card_id, int(rating_text), at.astimezone(UTC), duration, line))
    if not entries:
        raise RevlogError(f"{path}:1: no reviews in the file")
    return entries


def folds(items: Sequence[HistoryItem]) -> list[tuple[int, int]]:
    """(train end, test end) positions of the time-series folds, as fsrs-rs cuts them."""
    segment = len(items) // (SPLITS + 1)
    if segment == 0:
        return []
    return [
        ((k + 1) * segment, len(items) if k == SPLITS - 1 else (k + 2) * segment)
        for k in range(SPLITS)
    ]


def evaluate_revlog(
    entries: Sequence[RevlogEntry], *, rollover_hour: int = 4, zone: tzinfo = UTC
) -> EvaluationReport:
    """Score default, fitted and reference parameters with a 5-fold time-series split.

    Days start at ``rollover_hour`` in ``zone`` (the CSV's times are UTC and say nothing
    of the learner's zone; 04:00 UTC is what the published figures use).
    """
    started = time.perf_counter()
    histories: dict[str, list[tuple[datetime, int]]] = {}
    for entry in entries:
        histories.setdefault(entry.card_id, []).append((entry.at, entry.rating))
    items = build_items(histories, rollover_hour, zone)
    cuts = folds(items)
    if not cuts:
        raise RevlogError(
            f"only {plural(len(items), 'review')} came on a later day than the card's previous "
            "one; "
            f"a {SPLITS}-fold split needs at least {SPLITS + 1}"
        )
    tested: list[HistoryItem] = []
    default_predictions = []
    fitted_predictions = []
    for train_end, test_end in cuts:
        train, test = items[:train_end], items[train_end:test_end]
        tested.extend(test)
        default_predictions.append(predict(DEFAULT_PARAMETERS, test))
        fitted_predictions.append(predict(fit(train), test))
    default = calibration(np.concatenate(default_predictions), tested)
    fitted = calibration(np.concatenate(fitted_predictions), tested)
    reference_scores = evaluate_with_time_series_splits([item.fsrs_item() for item in items])
    reference = Calibration(
        log_loss=float(reference_scores.log_loss),
        rmse_bins=float(reference_scores.rmse_bins),
        auc=None,
        reviews=len(tested),
    )
    return EvaluationReport(
        default=default,
        fitted=fitted,
        reference=reference,
        reviews=len(entries),
        cards=len(histories),
        seconds=time.perf_counter() - started,
    )
