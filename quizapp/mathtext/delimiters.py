"""Brackets drawn as tall as their contents, from Unicode bracket pieces (⎡⎢⎣ ⎛⎜⎝ ⎧⎨⎩)."""

from __future__ import annotations

# delimiter -> (top, middle fill, bottom, centre piece or "")
_PIECES: dict[str, tuple[str, str, str, str]] = {
    "(": ("⎛", "⎜", "⎝", ""),
    ")": ("⎞", "⎟", "⎠", ""),
    "[": ("⎡", "⎢", "⎣", ""),
    "]": ("⎤", "⎥", "⎦", ""),
    "{": ("⎧", "⎪", "⎩", "⎨"),
    "}": ("⎫", "⎪", "⎭", "⎬"),
    "⌈": ("⎡", "⎢", "⎢", ""),
    "⌉": ("⎤", "⎥", "⎥", ""),
    "⌊": ("⎢", "⎢", "⎣", ""),
    "⌋": ("⎥", "⎥", "⎦", ""),
    "|": ("│", "│", "│", ""),
    "∣": ("│", "│", "│", ""),
    "‖": ("‖", "‖", "‖", ""),
    "⟨": ("╱", "⟨", "╲", ""),
    "⟩": ("╲", "⟩", "╱", ""),
}

_TWO_ROW_BRACES = {"{": ("⎰", "⎱"), "}": ("⎱", "⎰")}


def tall(delimiter: str, height: int) -> list[str]:
    """The delimiter as ``height`` one-cell lines; an empty delimiter is zero cells wide."""
    if not delimiter:
        return [""] * height
    if height <= 1:
        return [delimiter]
    if height == 2 and delimiter in _TWO_ROW_BRACES:
        return list(_TWO_ROW_BRACES[delimiter])
    pieces = _PIECES.get(delimiter)
    if pieces is None:
        middle = (height - 1) // 2
        return [delimiter if row == middle else " " for row in range(height)]
    top, fill, bottom, centre = pieces
    lines = [top] + [fill] * (height - 2) + [bottom]
    if centre:
        lines[(height - 1) // 2] = centre
    return lines
