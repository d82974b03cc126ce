"""The ``quizapp`` command line (click): a thin front end over ``quizapp.services``.

``main`` is the console script (``cli/entry.py``: ``quizapp`` alone opens the study app
without loading click); ``cli``, the click group, is loaded when first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# fast_exit first: its exit handler must be registered before any other (cli/fast_exit.py)
from quizapp.cli import fast_exit
from quizapp.cli.entry import main

if TYPE_CHECKING:
    from quizapp.cli.app import cli

__all__ = ["cli", "fast_exit", "main"]


def __getattr__(name: str) -> object:
    """Load the click command line on first use (PEP 562)."""
    if name == "cli":
        from quizapp.cli.app import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
