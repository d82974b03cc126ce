"""Card formats: one module per way of writing cards, and the registry that picks one.

A format (:class:`CardFormat`) turns one file's text into cards; the registry
(:class:`FormatRegistry`, :func:`default_registry`) decides which format reads each file, or
that none does and the file is skipped. ``docs/formats.md`` lists the formats and how a file
is matched to one; ``docs/architecture.md`` says how to add a format.

Modules: ``protocol`` (the contract), ``registry`` (choosing), ``ids`` (identity policies),
and one module per format (``native``).
"""

from __future__ import annotations

from quizapp.cards.formats.protocol import CardFormat, FileContext
from quizapp.cards.formats.registry import (
    EMPTY_FILE,
    NOT_A_CARD_FILE,
    FormatRegistry,
    UnknownFormat,
    default_registry,
)

__all__ = [
    "EMPTY_FILE",
    "NOT_A_CARD_FILE",
    "CardFormat",
    "FileContext",
    "FormatRegistry",
    "UnknownFormat",
    "default_registry",
]
