"""``quizapp review`` turns its flags into the session the TUI opens with (``--db`` a SQLite
file or a PostgreSQL URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quizapp.cli.app import cli
from quizapp.scheduling.filters import StudyFilter
from quizapp.services.importer import import_paths
from quizapp.store.db import open_database
from quizapp.tui.session_request import SessionRequest


def test_review_flags_become_the_session(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, backend_url: str
) -> None:
    calls: list[tuple[Any, SessionRequest | None]] = []

    def fake_run(
        db: Any, request: SessionRequest | None = None, *, first_run_import: bool = True
    ) -> int:
        calls.append((db, request))
        return 0

    monkeypatch.setattr("quizapp.tui.app.run", fake_run)
    db = backend_url
    # A card the filter selects: a filter that selects none is refused before the app.
    cards = tmp_path / "cards" / "dl"
    cards.mkdir(parents=True)
    (cards / "softmax.md").write_text(
        "# Softmax\n\n## Question\nWhy subtract the max?\n\n## Answer\nStability.\n\n"
        "## Tags\n#Softmax #Backprop\n\n## Difficulty\nHard\n",
        encoding="utf-8",
    )
    database = open_database(db, auto_backup=False)
    assert import_paths(database, [tmp_path / "cards"]).new == 1
    database.close()
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
