"""Scheduler calibration: ``quizapp evaluate`` on a real review log against fsrs-rs-python.

``quizapp evaluate --revlog ../shared/data/fsrs-review-logs.csv --json`` runs a 5-fold
time-series split and scores, on the same held-out reviews, FSRS-6's defaults, quizapp's
fitted parameters and fsrs-rs-python's own ``evaluate_with_time_series_splits`` (the
reference, computed in the same run; it reports no AUC). The CLI is run as a user would,
in a subprocess; its wall time is reported too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.parts.common import guarded, verdict
from bench.report import Row, fmt_s

PART = "calibration"
ROOT = Path(__file__).resolve().parents[2]
REVLOG = ROOT.parent / "shared" / "data" / "fsrs-review-logs.csv"
#: Differences below this are rounding, not a worse fit (the CLI prints six decimals).
TOLERANCE = 1e-4
FIGURES = [("quizapp evaluate: fitted vs fsrs-rs reference", "no worse than the reference")]


def bench_calibration(smoke: bool) -> list[Row]:
    """Log loss, RMSE(bins) and AUC of the fitted parameters beside the reference's."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _command() -> list[str]:
    script = Path(sys.executable).with_name("quizapp")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from quizapp.cli import main; main()"]


def _run(smoke: bool) -> list[Row]:
    if not REVLOG.is_file():
        return [
            Row(PART, FIGURES[0][0], f"not measured: {REVLOG} is missing", "—", FIGURES[0][1], None)
        ]
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-cal-") as tmp:
        revlog = REVLOG
        if smoke:  # the first 3,000 reviews: enough for five folds, quick to fit
            revlog = Path(tmp) / "head.csv"
            lines = REVLOG.read_text(encoding="utf-8").splitlines(keepends=True)
            revlog.write_text("".join(lines[:3001]), encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run(
            [*_command(), "evaluate", "--revlog", str(revlog), "--json"],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        took = time.perf_counter() - start
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"quizapp evaluate exited {done.returncode}: {reason}")
    report = json.loads(done.stdout)
    fitted, reference = report["fitted"], report["fsrs_rs_reference"]
    default = report["default"]
    ok = (
        fitted["log_loss"] <= reference["log_loss"] + TOLERANCE
        and fitted["rmse_bins"] <= reference["rmse_bins"] + TOLERANCE
    )

    def scores(entry: dict[str, float | None]) -> str:
        auc = "—" if entry.get("auc") is None else f"{entry['auc']:.4f}"
        return f"log loss {entry['log_loss']:.4f}, RMSE(bins) {entry['rmse_bins']:.4f}, AUC {auc}"

    return [
        Row(
            PART,
            f"quizapp evaluate, {report['reviews']:,} reviews, {report['splits']}-fold time split"
            f" ({fmt_s(took)} wall)",
            f"fitted: {scores(fitted)} (defaults: {scores(default)})",
            f"fsrs-rs-python: {scores(reference)}",
            f"no worse than the reference (±{TOLERANCE:g})",
            verdict(ok, smoke),
        )
    ]
