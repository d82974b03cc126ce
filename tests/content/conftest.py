"""The one check of the whole bundled deck that the content tests share.

``check`` audits every exercise over 200 seeds (about 20 s of work for the deck), so it
runs once per test session, as ``quizapp check content/`` runs it, and every test that
needs its report takes this fixture. No disk cache: each session audits the deck afresh.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.services.importer import ImportReport, check_paths

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="session")
def deck_report() -> ImportReport:
    """``check_paths([content/])``: parse, gradient checks and gameability audits."""
    return check_paths([CONTENT])
