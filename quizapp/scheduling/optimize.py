"""Fitting personal FSRS-6 parameters to a user's own review history.

fsrs-rs-python's ``compute_parameters`` does the fitting (no torch needed). Around it,
this module decides whether to trust the result: it needs enough scorable reviews, and
it checks the fit honestly by fitting on the earlier reviews and predicting the later,
held-out ones, before and after. Only parameters that predict the held-out reviews at
least as well as the current ones replace them; the stored parameters are then fitted
on the whole history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS
from fsrs_rs_python import FSRS

from quizapp.scheduling.history import HistoryItem
from quizapp.scheduling.metrics import Calibration, calibration, predict
from quizapp.text import plural

#: Fewer scorable reviews than this and the defaults are kept (fits would be noise).
MIN_REVIEWS = 200
#: The share of the latest reviews held out to compare parameters before and after.
HOLDOUT_SHARE = 0.2


@dataclass(frozen=True)
class OptimizeResult:
    """What ``optimize`` decided, with the figures behind the decision.

    ``parameters`` are the ones to use from now on (``None``: the defaults).
    ``before``/``after`` score the current and the newly fitted parameters on the held-out
    later reviews; they are None when there was too little history to fit.
    """

    changed: bool
    parameters: tuple[float, ...] | None
    reason: str
    reviews: int
    scored_reviews: int
    before: Calibration | None = None
    after: Calibration | None = None

    def to_dict(self) -> dict[str, object]:
        """The JSON shape documented in docs/cli.md."""
        return {
            "changed": self.changed,
            "parameters": None if self.parameters is None else list(self.parameters),
            "reason": self.reason,
            "reviews": self.reviews,
            "scored_reviews": self.scored_reviews,
            "before": None if self.before is None else self.before.to_dict(),
            "after": None if self.after is None else self.after.to_dict(),
        }


def fit(items: Sequence[HistoryItem]) -> tuple[float, ...]:
    """FSRS-6 parameters fitted to ``items`` by fsrs-rs, kept inside py-fsrs's bounds."""
    fitted = FSRS(list(DEFAULT_PARAMETERS)).compute_parameters([i.fsrs_item() for i in items])
    return tuple(
        min(max(float(w), low), high)
        for w, low, high in zip(
            fitted, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    )


def optimize(
    items: Sequence[HistoryItem], current: Sequence[float] | None, *, total_reviews: int
) -> OptimizeResult:
    """Fit parameters to ``items`` (in time order) and decide whether to adopt them.

    ``current`` is what is in use now (``None``: the defaults); ``total_reviews`` counts
    every review, including same-day ones that are never scored, for the report.
    """
    scored = len(items)
    if scored < MIN_REVIEWS:
        return OptimizeResult(
            changed=False,
            parameters=None if current is None else tuple(current),
            reason=(
                f"kept the current parameters: only {plural(scored, 'review')} came on a later "
                "day than "
                f"the card's previous review, and fitting needs at least {MIN_REVIEWS}"
            ),
            reviews=total_reviews,
            scored_reviews=scored,
        )
    cut = int(scored * (1 - HOLDOUT_SHARE))
    earlier, later = items[:cut], items[cut:]
    baseline = tuple(current) if current is not None else tuple(DEFAULT_PARAMETERS)
    before = calibration(predict(baseline, later), later)
    after = calibration(predict(fit(earlier), later), later)
    if after.log_loss > before.log_loss:
        return OptimizeResult(
            changed=False,
            parameters=None if current is None else tuple(current),
            reason=(
                "kept the current parameters: parameters fitted on the earlier reviews "
                f"predicted the later ones worse (log loss {after.log_loss:.4f} against "
                f"{before.log_loss:.4f})"
            ),
            reviews=total_reviews,
            scored_reviews=scored,
            before=before,
            after=after,
        )
    return OptimizeResult(
        changed=True,
        parameters=fit(items),
        reason=(
            f"fitted on {plural(scored, 'review')}; on the latest {len(later)} held out, log loss "
            f"{before.log_loss:.4f} -> {after.log_loss:.4f}, RMSE(bins) "
            f"{before.rmse_bins:.4f} -> {after.rmse_bins:.4f}"
        ),
        reviews=total_reviews,
        scored_reviews=scored,
        before=before,
        after=after,
    )
