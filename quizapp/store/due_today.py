"""Today's due counts as the store hands them out: a record of its own.

Why apart from ``records.py``: the TUI's start-up peek (``sqlite/today_counts.py``) reads
these counts before SQLAlchemy and most of quizapp are loaded, and importing
``records.py`` for this one class loaded its 27 dataclasses and the card model as well
(some 20 ms between home's first frame and its counts).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DueToday:
    """Cards left to study today within the daily limits, as ``progress()`` counts them."""

    new: int
    learning: int
    review: int
