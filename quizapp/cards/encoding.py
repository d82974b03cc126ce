"""Bytes to text: UTF-8 decoding, line endings and mojibake repair.

Card files are UTF-8. Real collections also carry a BOM, Windows line endings and mojibake
(UTF-8 that was once read as cp1252, so that ``→`` became ``â†’``). Decoding refuses what is
not text at all; repair fixes only lines that look like mojibake, because ftfy is slow and
because correct text such as ``σ′`` or ``⊙`` must come through untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

#: The first two characters of a typical mojibake sequence: a UTF-8 lead byte read as
#: cp1252/latin-1 (Â..ô) followed by a continuation byte read the same way (U+0080..U+00BF
#: or one of cp1252's specials such as € † ’ “). Cheap to search; ftfy then decides.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


@dataclass(frozen=True)
class DecodeError:
    """Why some bytes are not a text file, and on which line that shows."""

    line: int
    message: str


def line_of_offset(data: bytes, offset: int) -> int:
    """The 1-based line number of a byte offset."""
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes) -> str | DecodeError:
    """Decode a card file's bytes as UTF-8, or say why they are not a UTF-8 text file.

    A UTF-8 BOM is dropped. UTF-16 and files with NUL bytes are refused with a message that
    says what they are, instead of a generic decoding error.
    """
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    elif data.startswith(_UTF16_BOMS):
        return DecodeError(1, "file is UTF-16 encoded; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        return DecodeError(line_of_offset(data, nul), "not a text file (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = line_of_offset(data, exc.start)
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        bad = data[exc.start]
        return DecodeError(
            line, f"not valid UTF-8 (byte 0x{bad:02x} at column {column}); save it as UTF-8"
        )


def normalise_newlines(text: str) -> str:
    """Drop a leading BOM and turn CRLF and lone CR line endings into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def might_be_mojibake(text: str) -> bool:
    """A fast test that lets clean files skip ftfy entirely."""
    return _MOJIBAKE_HINT.search(text) is not None


def repair_mojibake(text: str) -> tuple[str, int]:
    """Fix mojibake line by line with ftfy; return the text and the number of repairs.

    Only lines that contain a likely mojibake pair are handed to ftfy, and only its
    encoding fixer runs (no quote uncurling, no HTML unescaping, no normalisation), so
    correct text is never altered. Each mojibake pair that disappears counts as one repair
    (``â†’`` is one, ``Ã©tÃ©`` two), and a changed line at least one.
    Line structure is kept: decoding multi-byte UTF-8 never yields a newline.
    """
    if not might_be_mojibake(text):
        return text, 0
    import ftfy  # imported lazily: it is slow to import and most files never need it

    lines = text.split("\n")
    repairs = 0
    for index, line in enumerate(lines):
        if not might_be_mojibake(line):
            continue
        fixed, steps = ftfy.fix_encoding_and_explain(line)
        if not steps or fixed == line or "\n" in fixed:
            continue
        before = len(_MOJIBAKE_HINT.findall(line))
        repairs += max(1, before - len(_MOJIBAKE_HINT.findall(fixed)))
        lines[index] = fixed
    return "\n".join(lines), repairs
