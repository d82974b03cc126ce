"""Helpers shared by the card tests: where the fixtures are and a quick parse of a string."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    """The folder of hand-written card files."""
    return FIXTURES
