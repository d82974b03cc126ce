"""docs/tui.md documents every binding id the app defines (the names a keymap file uses)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_binding_id_is_documented() -> None:
    ids: set[str] = set()
    for source in (ROOT / "quizapp" / "tui").rglob("*.py"):
        ids |= set(re.findall(r'\bid="([a-z_]+\.[a-z_]+)"', source.read_text(encoding="utf-8")))
    assert len(ids) > 40
    documented = (ROOT / "docs" / "tui.md").read_text(encoding="utf-8")
    ranges = re.findall(r"`([a-z]+)\.rate_again` … `\1\.rate_easy`", documented)
    expanded = {
        f"{screen}.rate_{name}" for screen in ranges for name in ("again", "hard", "good", "easy")
    }
    missing = sorted(i for i in ids if f"`{i}`" not in documented and i not in expanded)
    assert missing == []
