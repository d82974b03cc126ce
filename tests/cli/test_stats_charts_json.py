"""``quizapp stats --json`` carries every chart's series under ``charts`` (issue 17), on
SQLite and PostgreSQL (``backend_url``)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.scheduling.chart_series import (
    CALIBRATION_BINS,
    CHART_DAYS,
    RETENTION_WEEKS,
    STABILITY_EDGES,
)
from quizapp.services.importer import import_paths
from quizapp.store.db import open_database


def test_stats_json_has_the_chart_series(tmp_path: Path, backend_url: str) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "one.md").write_text(
        "# One\n\n## Question\nWhat is one?\n\n## Answer\n\n### Step\nOne.\n", encoding="utf-8"
    )
    db = backend_url
    database = open_database(db, auto_backup=False)
    assert import_paths(database, [cards]).ok
    database.close()
    result = CliRunner().invoke(cli, ["--db", db, "stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    charts = data["charts"]
    assert set(charts) == {
        "forecast_by_state",
        "reviews_per_day",
        "retention_per_week",
        "calibration",
        "stability",
    }
    assert len(charts["forecast_by_state"]) == CHART_DAYS
    assert [
        day["learning"] + day["review"] + day["relearning"] for day in charts["forecast_by_state"]
    ] == [day["due"] for day in data["forecast"]]
    assert len(charts["reviews_per_day"]) == CHART_DAYS
    assert charts["reviews_per_day"][-1]["date"] == data["today"]
    assert charts["retention_per_week"]["target"] == 0.9
    assert len(charts["retention_per_week"]["weeks"]) == RETENTION_WEEKS
    assert len(charts["calibration"]) == CALIBRATION_BINS
    assert all(b["count"] == 0 and b["observed"] is None for b in charts["calibration"])
    assert len(charts["stability"]) == len(STABILITY_EDGES) + 1
    assert charts["stability"][-1]["high"] is None
