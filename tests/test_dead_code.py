"""No dead code: vulture (configured in pyproject.toml, ``[tool.vulture]``) finds nothing.

Names that only Textual, click, Alembic or ``getattr`` call are entry points, listed by
pattern in pyproject.toml or by name in ``.vulture_whitelist.py``; anything else it reports is
code nobody runs, to delete.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_vulture_finds_no_unused_code() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vulture"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.stdout == "", "unused code (delete it, or whitelist a real entry point):\n" + (
        result.stdout
    )
    assert result.returncode == 0, result.stderr


def test_vulture_would_report_an_unused_function(tmp_path: Path) -> None:
    """The check has teeth: the same configuration reports a function nobody calls."""
    dead = tmp_path / "dead.py"
    dead.write_text("def never_called() -> int:\n    return 1\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "vulture", str(dead), "--min-confidence", "60"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert "unused function 'never_called'" in result.stdout
    assert result.returncode == 3
