"""One reader of card-file bytes: limits, decoding and mojibake repair, text out.

Every format reads text, never bytes, so that the rules about what counts as a readable file
live in one place: a file over the size limit is refused before it is read whole, anything but
a regular file is refused without blocking on it, a file that changes while it is read is read
again, bytes that are not UTF-8 are refused with the line and column at fault, and mojibake is
repaired before any format sees the text. The importer, :func:`quizapp.cards.parse_file` and
:func:`quizapp.cards.parse_text` all go through here, so they agree on every message.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from quizapp.cards import limits
from quizapp.cards.encoding import DecodeError, decode, normalise_newlines, repair_mojibake

__all__ = [
    "DecodeError",
    "SourceText",
    "read_stable",
    "relative_name",
    "text_from_bytes",
    "text_from_str",
]

#: How often a file that keeps changing while it is read is read again before giving up.
READ_ATTEMPTS = 3

#: O_NONBLOCK: opening a FIFO named ``x.md`` must not wait for a writer.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)


@dataclass(frozen=True, slots=True)
class SourceText:
    """A card file's text as every format receives it: decoded, LF line endings, no BOM,
    mojibake repaired (``repaired`` counts the sequences fixed)."""

    text: str
    repaired: int = 0


def _too_big(size: int | None, limit: int) -> str:
    shown = f"file is {size:,} bytes, larger" if size is not None else "file is larger"
    return f"{shown} than the limit of {limit:,} bytes"


def _read_upto(descriptor: int, limit: int) -> bytes:
    """Up to ``limit`` bytes from an open file: plain ``os.read`` calls, without the
    buffered file object that would cost more than reading a small card file."""
    data = os.read(descriptor, limit)
    if not data or len(data) >= limit:
        return data
    chunks = [data]
    size = len(data)
    while size < limit:
        chunk = os.read(descriptor, limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_stable(
    path: Path | str, max_bytes: int | None = None
) -> tuple[bytes, os.stat_result] | str:
    """The file's bytes and the stat they belong to, or why they could not be read.

    A file that changes while it is read (its size or mtime differ before and after) is
    read again, so that a hash taken of the bytes always belongs to the text that is parsed.
    A file over ``max_bytes`` (default :data:`~quizapp.cards.limits.MAX_FILE_BYTES`) is
    refused before it is read whole, and anything but a regular file (a FIFO named ``x.md``)
    without blocking on it. The reason is one line, for ``file:1: reason``.
    """
    limit = limits.MAX_FILE_BYTES if max_bytes is None else max_bytes
    for _ in range(READ_ATTEMPTS):
        try:
            descriptor = os.open(path, _OPEN_FLAGS)
            try:
                before = os.fstat(descriptor)
                if not stat.S_ISREG(before.st_mode):
                    return "not a regular file"
                if before.st_size > limit:
                    return _too_big(before.st_size, limit)
                # One byte more than expected, to notice a file that grew meanwhile.
                data = _read_upto(descriptor, min(before.st_size, limit) + 1)
                after = os.fstat(descriptor)
            finally:
                os.close(descriptor)
        except OSError as exc:
            return f"cannot read the file: {exc.strerror or exc}"
        if len(data) > limit:
            return _too_big(None, limit)
        unchanged = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
        if unchanged and len(data) == after.st_size:
            return data, after
    return "the file kept changing while it was read; import it again once it is saved"


def relative_name(path: Path | str, root: Path | str) -> str:
    """The posix path of ``path`` under its import root, or its bare name when it is not
    under it, so that an id never contains ``..``. This is the name a file has in messages,
    in ``Card.source``, and from which its id and deck come. String operations only: this
    runs for every file of every rescan."""
    absolute = os.path.abspath(path)
    base = os.path.abspath(root)
    prefix = base if base.endswith(os.sep) else base + os.sep
    if absolute.startswith(prefix):
        return absolute[len(prefix) :].replace(os.sep, "/")
    return os.path.basename(absolute)


def _finish(text: str) -> SourceText:
    repaired_text, repaired = repair_mojibake(normalise_newlines(text))
    return SourceText(repaired_text, repaired)


def text_from_bytes(data: bytes) -> SourceText | DecodeError:
    """A file's bytes as text, or why they are not a card file's text: over the size limit,
    UTF-16, NUL bytes, or not UTF-8 (with the line and column of the first bad byte)."""
    limit = limits.MAX_FILE_BYTES
    if len(data) > limit:
        return DecodeError(1, _too_big(len(data), limit))
    decoded = decode(data)
    if isinstance(decoded, DecodeError):
        return decoded
    return _finish(decoded)


def text_from_str(text: str) -> SourceText | DecodeError:
    """Text handed over as a string (tests, the TUI's editor) checked as strictly as bytes:
    the size limit counts UTF-8 bytes, and lone surrogates and NUL characters are refused."""
    limit = limits.MAX_FILE_BYTES
    if len(text) > limit:
        return DecodeError(1, _too_big(None, limit))
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        return DecodeError(line, "not valid Unicode text (it contains a lone surrogate)")
    if size > limit:
        return DecodeError(1, _too_big(None, limit))
    nul = text.find("\x00")
    if nul >= 0:
        return DecodeError(text.count("\n", 0, nul) + 1, "not a text file (it contains NUL bytes)")
    return _finish(text)
