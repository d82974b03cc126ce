"""Card text made safe to put on a terminal screen.

Imported cards are written by strangers. Their text must reach the screen as data: a
Rich markup tag such as ``[@click=app.quit]`` must not become an action; an ANSI or OSC
escape sequence (screen clears, OSC 8 links, OSC 52 clipboard writes) or a bidi override
must not reach the terminal as a control code; and a zero-width or tag character must not
pass unseen (the list is ``quizapp.cards.invisible``'s, shared with the CLI). The TUI never
parses card text as markup (it passes ``rich.text.Text`` / ``markup=False``); this module
handles the other half by turning every such character into a visible escape (``\\x1b``).
"""

from __future__ import annotations

import re

from rich.text import Text

from quizapp.cards.invisible import FORMAT_CLASS, escape

# C0 controls except tab and newline, DEL, C1 controls, and Unicode's format characters:
# bidi controls that can reorder what the reader sees, and zero-width characters and tag
# characters that make different text look the same.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + FORMAT_CLASS + "]")


def _escape(match: re.Match[str]) -> str:
    return escape(match.group())


def visible(text: str) -> str:
    """Return ``text`` with every control or format character replaced by a visible escape.

    Tabs and newlines are kept because they are layout, not control; ``\\r`` is escaped
    since a bare carriage return can overwrite what is already drawn on a line.
    """
    return _CONTROL.sub(_escape, text)


def literal(text: str, style: str = "") -> Text:
    """A ``Text`` that shows ``text`` exactly, never interpreting markup or escapes."""
    return Text(visible(text), style=style)
