"""Characters that change what a reader sees without being seen themselves.

Card files come from strangers, and a card's text keeps every character it was written
with. But a zero-width space, a joiner, a tag character or a bidi override shown as it is
lets two different ids or answers look the same, or reorders what is read. So both front
ends show these characters as visible escapes (``\\u200b``), the CLI through
``quizapp.cli.terminal`` and the TUI through ``quizapp.tui.literal``: this module is the
one list they share.

The list is Unicode's format characters (general category Cf). It is written out rather
than computed, since scanning the whole code space at start-up would cost a tenth of a
second; ``tests/cards/test_invisible.py`` checks it against the running Python's Unicode
database, so a newer Unicode that adds format characters fails that test instead of
passing them silently.
"""

from __future__ import annotations

#: Every code point of Unicode category Cf (Unicode 14), as inclusive ranges.
FORMAT_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)


def _range(first: int, last: int) -> str:
    return f"\\U{first:08x}" if first == last else f"\\U{first:08x}-\\U{last:08x}"


#: The format characters as the inside of a regular expression character class, for the
#: front ends to add to their own classes of control characters.
FORMAT_CLASS = "".join(_range(first, last) for first, last in FORMAT_RANGES)


def escape(char: str) -> str:
    """How one hidden or control character is shown: ``\\x1b``, ``\\u200b``, ``\\U000e0041``."""
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
