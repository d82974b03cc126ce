"""The ``quizapp`` command line (click): a thin front end over ``quizapp.services``."""

from __future__ import annotations

from quizapp.cli.app import cli, main

__all__ = ["cli", "main"]
