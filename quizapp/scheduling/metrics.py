"""How well a set of FSRS parameters predicts recall: log loss, RMSE(bins) and AUC.

Predictions come from fsrs-rs-python (the memory state after an item's history) and
FSRS-6's forgetting curve; the metrics follow the FSRS benchmark's definitions, with
RMSE(bins) grouping items exactly as fsrs-rs does (by elapsed days, review count and
lapses), so our figures and fsrs-rs's ``evaluate_with_time_series_splits`` are
comparable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from fsrs_rs_python import FSRS
from numpy.typing import NDArray

from quizapp.scheduling.history import HistoryItem

_EPSILON = 1e-7


@dataclass(frozen=True)
class Calibration:
    """Scores of one parameter set on a set of reviews (lower is better, except AUC)."""

    log_loss: float
    rmse_bins: float
    auc: float | None
    reviews: int

    def to_dict(self) -> dict[str, float | int | None]:
        """The JSON shape documented in docs/cli.md."""
        return {
            "log_loss": round(self.log_loss, 6),
            "rmse_bins": round(self.rmse_bins, 6),
            "auc": None if self.auc is None else round(self.auc, 6),
            "reviews": self.reviews,
        }


def predict(parameters: Sequence[float], items: Sequence[HistoryItem]) -> NDArray[np.float64]:
    """Predicted probability of recall at each item's scored review."""
    if not items:
        return np.zeros(0)
    model = FSRS(list(parameters))
    states = model.memory_state_batch([item.history_item() for item in items])
    stability = np.array([state.stability for state in states], dtype=np.float64)
    elapsed = np.array([item.elapsed_days for item in items], dtype=np.float64)
    decay = float(parameters[20])
    factor = 0.9 ** (-1 / decay) - 1
    recall: NDArray[np.float64] = (1 + factor * elapsed / stability) ** -decay
    return recall


def outcomes(items: Sequence[HistoryItem]) -> NDArray[np.float64]:
    """1 where the scored review was a pass (hard, good or easy), 0 for "again"."""
    return np.array([1.0 if item.rating > 1 else 0.0 for item in items])


def calibration(predictions: NDArray[np.float64], items: Sequence[HistoryItem]) -> Calibration:
    """Log loss, RMSE(bins) and AUC of ``predictions`` against what happened."""
    truth = outcomes(items)
    if len(truth) == 0:
        raise ValueError("no reviews to score")
    clipped = np.clip(predictions, _EPSILON, 1 - _EPSILON)
    log_loss = float(-np.mean(truth * np.log(clipped) + (1 - truth) * np.log(1 - clipped)))
    return Calibration(
        log_loss=log_loss,
        rmse_bins=rmse_bins(predictions, truth, [r_matrix_bin(item) for item in items]),
        auc=auc(predictions, truth),
        reviews=len(truth),
    )


def r_matrix_bin(item: HistoryItem) -> tuple[int, int, int]:
    """fsrs-rs's RMSE bin: log-spaced elapsed days, review count and lapse count."""
    days = item.elapsed_days
    days_bin = round(2.48 * 3.62 ** math.floor(math.log(days, 3.62)) * 100)
    length = sum(1 for _, d in item.reviews if d > 0) + 1
    length_bin = round(1.99 * 1.89 ** math.floor(math.log(length, 1.89)))
    lapses = sum(1 for rating, d in item.reviews[:-1] if rating == 1 and d > 0)
    if lapses == 0:
        return days_bin, length_bin, 0
    return days_bin, length_bin, round(1.65 * 1.73 ** math.floor(math.log(lapses, 1.73)))


def rmse_bins(
    predictions: NDArray[np.float64],
    truth: NDArray[np.float64],
    bins: Sequence[tuple[int, int, int]],
) -> float:
    """Root mean squared gap between mean prediction and pass rate per bin, count-weighted."""
    sums: dict[tuple[int, int, int], list[float]] = {}
    for prediction, passed, key in zip(predictions, truth, bins, strict=True):
        entry = sums.setdefault(key, [0.0, 0.0, 0.0])
        entry[0] += float(prediction)
        entry[1] += float(passed)
        entry[2] += 1
    total = sum(count for _, _, count in sums.values())
    squared = sum(((p - a) / c) ** 2 * c for p, a, c in sums.values())
    return math.sqrt(squared / total)


def auc(predictions: NDArray[np.float64], truth: NDArray[np.float64]) -> float | None:
    """Area under the ROC curve (Mann-Whitney, ties averaged); None with one class only."""
    positives = int(truth.sum())
    negatives = len(truth) - positives
    if positives == 0 or negatives == 0:
        return None
    order = np.argsort(predictions, kind="mergesort")
    ranks = np.empty(len(predictions), dtype=np.float64)
    sorted_values = predictions[order]
    _, starts, counts = np.unique(sorted_values, return_index=True, return_counts=True)
    average = starts + (counts + 1) / 2.0
    ranks[order] = np.repeat(average, counts)
    rank_sum = float(ranks[truth == 1].sum())
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
