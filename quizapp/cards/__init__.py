"""Card files in, plain :class:`Card` objects out.

A file's bytes become text in ``source.py``; the format registry (``formats/``) picks the
format that reads it (quizapp's own Markdown layout is ``formats/native.py``) or skips a
file that is not a card file. ``parse_text``/``parse_bytes``/``parse_file`` run it all.

Importing this package stays light: everything it names loads on first use, the parser
(markdown-it, PyYAML, ftfy) and discovery as well as the data model, so code that only
needs ``Card`` does not pay for the parser, and code that imports one of the package's
small modules (``short_names``, ``invisible``: the TUI's home screen does, before its
first frame) does not pay for the model's classes either (some 6 ms).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.cards.discovery import Discovery, SourceFile, discover
    from quizapp.cards.model import (
        PATH_SEPARATOR,
        Card,
        CardKind,
        ExerciseSource,
        ParsedFile,
        Problem,
        Severity,
        Step,
    )
    from quizapp.cards.parser import parse_bytes, parse_file, parse_text

__all__ = [
    "PATH_SEPARATOR",
    "Card",
    "CardKind",
    "Discovery",
    "ExerciseSource",
    "ParsedFile",
    "Problem",
    "Severity",
    "SourceFile",
    "Step",
    "discover",
    "parse_bytes",
    "parse_file",
    "parse_text",
]

_LAZY = {
    **{
        name: "quizapp.cards.model"
        for name in (
            "PATH_SEPARATOR",
            "Card",
            "CardKind",
            "ExerciseSource",
            "ParsedFile",
            "Problem",
            "Severity",
            "Step",
        )
    },
    "parse_text": "quizapp.cards.parser",
    "parse_file": "quizapp.cards.parser",
    "parse_bytes": "quizapp.cards.parser",
    "discover": "quizapp.cards.discovery",
    "Discovery": "quizapp.cards.discovery",
    "SourceFile": "quizapp.cards.discovery",
}


def __getattr__(name: str) -> object:
    """Load the model, the parser and discovery on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
