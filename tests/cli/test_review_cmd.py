"""``quizapp review`` turns its flags into the session the TUI opens with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quizapp.cli.app import cli
from quizapp.scheduling.filters import StudyFilter
from quizapp.tui.session_request import SessionRequest


def test_review_flags_become_the_session(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[tuple[Any, SessionRequest | None]] = []

    def fake_run(
        db: Any, request: SessionRequest | None = None, *, first_run_import: bool = True
    ) -> int:
        calls.append((db, request))
        return 0

    monkeypatch.setattr("quizapp.tui.app.run", fake_run)
    db = str(tmp_path / "q.db")
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            db,
            "review",
            "--tag",
            "Backprop",
            "--tag",
            "Softmax",
            "--difficulty",
            "Hard",
            "--deck",
            "dl",
            "--cram",
            "--limit",
            "5",
        ],
    )
    assert result.exit_code == 0, result.output
    assert calls == [
        (
            db,
            SessionRequest(
                filter=StudyFilter(
                    tags_any=("Backprop", "Softmax"), difficulties=("hard",), deck="dl"
                ),
                cram=True,
                limit=5,
            ),
        )
    ]


def test_review_rejects_an_unknown_difficulty() -> None:
    result = CliRunner().invoke(cli, ["review", "--difficulty", "brutal"])
    assert result.exit_code == 2
    assert "brutal" in result.output
