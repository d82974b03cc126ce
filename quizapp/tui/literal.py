"""Card text made safe to put on a terminal screen.

Imported cards are written by strangers. Their text must reach the screen as data: a
Rich markup tag such as ``[@click=app.quit]`` must not become an action, and an ANSI or
OSC escape sequence (screen clears, OSC 8 links, OSC 52 clipboard writes) or a bidi
override must not reach the terminal as a control code. The TUI never parses card text as
markup (it passes ``rich.text.Text`` / ``markup=False``); this module handles the other
half by turning every control character into a visible escape such as ``\\x1b``.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidi controls
# (embeddings, overrides, isolates, marks) that can reorder what the reader sees.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Return ``text`` with every control or bidi character replaced by a visible escape.

    Tabs and newlines are kept because they are layout, not control; ``\\r`` is escaped
    since a bare carriage return can overwrite what is already drawn on a line.
    """
    return _CONTROL.sub(_escape, text)


def literal(text: str, style: str = "") -> Text:
    """A ``Text`` that shows ``text`` exactly, never interpreting markup or escapes."""
    return Text(visible(text), style=style)
