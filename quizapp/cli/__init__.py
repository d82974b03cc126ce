"""The ``quizapp`` command line (click): a thin front end over ``quizapp.services``."""

from __future__ import annotations

# fast_exit first: its exit handler must be registered before any other (cli/fast_exit.py)
from quizapp.cli import fast_exit
from quizapp.cli.app import cli, main

__all__ = ["cli", "fast_exit", "main"]
