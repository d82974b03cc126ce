"""The benchmarks' fixed "now", in a module light enough for the TUI child process to import.

Generated histories end before it and due dates spread around it, so a cached collection
shows the same due cards on every run, whatever the date.
"""

from __future__ import annotations

from datetime import UTC, datetime

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
