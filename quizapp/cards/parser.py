"""Card files into :class:`~quizapp.cards.model.ParsedFile`: text, bytes or a path in.

The three entry points differ only in where the text comes from. Each goes through
``cards/source.py`` (limits, decoding, mojibake) and then the format registry
(``cards/formats/``), which picks the format that reads the file, or skips a file that is
not a card file. A note template (``cards/ignores.py``) is skipped before any format sees
it. quizapp's own layout lives in ``cards/formats/native.py``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from quizapp.cards.formats.protocol import FileContext
from quizapp.cards.formats.registry import FormatRegistry, default_registry
from quizapp.cards.identity import deck_for, path_id
from quizapp.cards.ignores import template_marker
from quizapp.cards.model import ParsedFile, Problem
from quizapp.cards.source import (
    DecodeError,
    SourceText,
    read_stable,
    relative_name,
    text_from_bytes,
    text_from_str,
)


def _parse(
    source: SourceText | DecodeError,
    context: FileContext,
    format: str | None,
    registry: FormatRegistry | None,
) -> ParsedFile:
    if isinstance(source, DecodeError):
        problem = Problem(context.path, source.line, source.message)
        return ParsedFile(context.path, errors=[problem])
    marker = template_marker(source.text)
    if marker is not None and format is None:
        # A note template (Templater, Templates): its placeholders are no card's text.
        return ParsedFile(context.path, skipped=f"a note template ({marker})")
    return (registry or default_registry()).parse(source, context, format)


def parse_text(
    text: str,
    *,
    path: str = "<string>",
    default_id: str = "",
    deck: str = "default",
    format: str | None = None,
    registry: FormatRegistry | None = None,
    question_only: bool = False,
) -> ParsedFile:
    """Parse the source of one card file.

    ``path`` names the file in messages and in ``Card.source``; ``default_id`` is the id of
    a card without one in its front matter (in a file with several cards, each gets
    ``<default_id>#<title slug>``); when empty, it is derived from ``path``, or from the
    title for ``"<string>"``. ``deck`` applies unless the front matter names one.
    ``format`` forces a format by name (an unknown name raises
    :class:`~quizapp.cards.formats.UnknownFormat`); ``registry`` replaces the default set of
    formats. ``question_only`` is ``--question-only`` (:attr:`FileContext.question_only`).
    Never raises for bad input: problems come back in the result.
    """
    base_id = default_id or ("" if path == "<string>" else path_id(path))
    context = FileContext(path=path, base_id=base_id, deck=deck, question_only=question_only)
    return _parse(text_from_str(text), context, format, registry)


def parse_bytes(
    data: bytes,
    path: Path | str,
    root: Path | str,
    *,
    format: str | None = None,
    registry: FormatRegistry | None = None,
    previous_ids: Sequence[str] = (),
    question_only: bool = False,
) -> ParsedFile:
    """Parse bytes already read from ``path``, exactly as :func:`parse_file` would.

    For an importer that reads each file once, hashes the bytes and parses the same bytes,
    so that what it stores always matches the hash even if the file changes meanwhile.
    ``previous_ids`` are the file's card ids at its last import, in file order
    (:attr:`FileContext.previous_ids`); ``question_only`` is ``--question-only``.
    """
    relative = relative_name(path, root)
    root_name = os.path.basename(os.path.abspath(root))
    context = FileContext(
        path=relative,
        base_id=path_id(relative),
        deck=deck_for(relative, root_name),
        previous_ids=tuple(previous_ids),
        question_only=question_only,
    )
    return _parse(text_from_bytes(data), context, format, registry)


def parse_file(
    path: Path | str,
    root: Path | str,
    *,
    format: str | None = None,
    registry: FormatRegistry | None = None,
    question_only: bool = False,
) -> ParsedFile:
    """Read and parse one card file found under the import root ``root``.

    Messages, ids and the deck use the path relative to ``root``:
    ``deep-learning/backprop.md`` gives the id ``deep-learning/backprop`` in the deck
    ``deep-learning``. How the file is read (size limit, non-regular files, a file that
    changes while it is read) is :func:`quizapp.cards.source.read_stable`.
    """
    read = read_stable(path)
    if isinstance(read, str):
        relative = relative_name(path, root)
        return ParsedFile(relative, errors=[Problem(relative, 1, read)])
    return parse_bytes(
        read[0], path, root, format=format, registry=registry, question_only=question_only
    )
