"""Printing untrusted text to a terminal, and JSON that stays safe when printed.

Card files come from strangers. Their text is data: an escape sequence in a card must show
as the characters ``\\x1b[2J``, not clear the screen; an OSC 52 sequence must not write the
clipboard; a bidirectional override must not reorder what the user reads, and a zero-width
character must not make two different ids look alike (``quizapp.cards.invisible``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from quizapp.cards.invisible import FORMAT_CLASS, escape

#: Characters a reader cannot see: Unicode's format characters (zero-width spaces and
#: joiners, bidi embeddings, overrides, isolates and marks, tag characters) and the line
#: and paragraph separators.
_HIDDEN = FORMAT_CLASS + "\u2028\u2029"

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _HIDDEN + "]")
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f" + _HIDDEN + "]")
#: What ``json.dumps`` leaves raw inside strings but a terminal would still act on.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f" + _HIDDEN + "]")


def _json_escape(char: str) -> str:
    """``\\uXXXX``, as a surrogate pair beyond the BMP (JSON has no longer escape)."""
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def safe_text(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every control and invisible format character shown as a visible escape.

    Newlines and tabs are kept (unless ``keep_newlines`` is false, for one-line output).
    """
    pattern = _UNSAFE if keep_newlines else _UNSAFE_ONE_LINE
    return pattern.sub(lambda match: escape(match.group()), text)


def safe_json(value: Any, *, indent: int | None = 2) -> str:
    """JSON with non-ASCII kept readable (``→``) but every control and invisible character
    escaped as ``\\uXXXX``, so the output is safe to print and still parses the same."""
    encoded = json.dumps(value, ensure_ascii=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(lambda match: _json_escape(match.group()), encoded)
