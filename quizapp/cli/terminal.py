"""Printing untrusted text to a terminal, and JSON that stays safe when printed.

Card files come from strangers. Their text is data: an escape sequence in a card must show
as the characters ``\\x1b[2J``, not clear the screen; an OSC 52 sequence must not write the
clipboard; a bidirectional override must not reorder what the user reads.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Bidirectional controls (embeddings, overrides, isolates, marks) and line separators.
_BIDI = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")
#: What ``json.dumps`` leaves raw inside strings but a terminal would still act on.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")


def safe_text(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every control character and bidi control shown as a visible escape.

    Newlines and tabs are kept (unless ``keep_newlines`` is false, for one-line output).
    """
    pattern = _UNSAFE if keep_newlines else _UNSAFE_ONE_LINE
    return pattern.sub(lambda match: _escape(match.group()), text)


def safe_json(value: Any, *, indent: int | None = 2) -> str:
    """JSON with non-ASCII kept readable (``→``) but every control and bidi character
    escaped as ``\\uXXXX``, so the output is safe to print and still parses the same."""
    encoded = json.dumps(value, ensure_ascii=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)
