"""Line breaking that lets Chinese, Japanese and Korean text wrap at any character.

Textual wraps text with Rich's ``divide_line``, which breaks only at spaces. Chinese and
Japanese put no spaces between words, so a sentence is one "word" to it: a line that
ends in English and goes on in Chinese breaks before the whole Chinese run, leaving the
line short, and the run is then chopped wherever the width ends. In those scripts a line
may break between any two characters, except before closing punctuation (``。``, ``、``,
``」``) or after opening punctuation (``「``, ``（``), the basic rule of Japanese and
Chinese typesetting (kinsoku).

:func:`divide_line` breaks that way, and exactly as Rich does for text without such
characters. :func:`install` makes it the function Textual's ``Content`` wraps with, for
the whole app: card text, titles and table cells alike. Installing is idempotent.
"""

from __future__ import annotations

import re

import textual.content
from rich._wrap import divide_line as rich_divide_line
from rich.cells import cell_len, chop_cells

#: Ideographs, kana, Hangul and their punctuation and full-width forms: a line may break
#: before or after each of them.
_WIDE = (
    "\u1100-\u11ff\u2e80-\u2fdf\u2ff0-\u30ff\u3100-\u318f\u31a0-\u31ff\u3200-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003134f"
)
#: Punctuation no line may start with, and punctuation no line may end with.
_CLOSING = (
    "、。，．：；？！）」』】〕〉》〙〗〛’”ー々ゝゞヽヾ・…ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ"
)
_OPENING = "（「『【〔〈《〘〖〚‘“"
_HAS_WIDE = re.compile(f"[{_WIDE}]")
#: A unit a line may not be broken inside: opening punctuation, then one wide character
#: or a run of other non-space characters, then closing punctuation; with the spaces
#: around it, as Rich's words have.
_UNIT = re.compile(rf"\s*[{_OPENING}]*(?:[{_WIDE}]|[^\s{_WIDE}]+)[{_CLOSING}]*\s*")


def units(text: str) -> list[tuple[int, str]]:
    """``text`` cut where a line may break: ``(start, unit)`` pairs."""
    found: list[tuple[int, str]] = []
    position = 0
    while position < len(text):
        match = _UNIT.match(text, position)
        if match is None or match.end() == position:  # only spaces remain
            break
        found.append((position, match.group()))
        position = match.end()
    return found


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """The offsets at which to break ``text`` so each line fits ``width`` cells: Rich's
    answer for text without wide characters, else a break allowed around each wide
    character (see the module's docstring). A unit wider than a line is chopped, or
    with ``fold`` False left to overflow, as Rich does with a long word."""
    if text.isascii() or not _HAS_WIDE.search(text):
        return rich_divide_line(text, width, fold=fold)
    breaks: list[int] = []
    used = 0
    for start, unit in units(text):
        size = cell_len(unit.rstrip())
        if width - used >= size:
            used += cell_len(unit)
        elif size > width and fold:
            offset = start
            pieces = chop_cells(unit, width)
            for index, piece in enumerate(pieces):
                if offset:
                    breaks.append(offset)
                offset += len(piece)
                if index == len(pieces) - 1:
                    used = cell_len(piece)
        elif size > width:
            if start:
                breaks.append(start)
            used = cell_len(unit)
        elif used and start:
            breaks.append(start)
            used = cell_len(unit)
    return breaks


def install() -> None:
    """Make :func:`divide_line` the function Textual's ``Content`` wraps lines with."""
    textual.content.divide_line = divide_line  # type: ignore[attr-defined]
