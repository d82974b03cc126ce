"""The public entry points: LaTeX source in, terminal text out, never an exception.

Parsing is cached (pylatexenc's walker costs a few hundred microseconds per formula, and a
card is redrawn on every resize), and so is each rendering.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len

from .boxes import Box, text_box
from .display import box_row
from .inline import mark_source, render_row
from .parser import Parsed, ParseFailure, parse

_CACHE_SIZE = 4096


@dataclass(frozen=True)
class RenderedMath:
    """A rendered formula.

    ``lines`` are all padded to ``width`` terminal cells; ``baseline`` is the line that
    continues the surrounding text. ``is_fallback`` is True when the whole formula could not
    be parsed and is shown as marked source (see :data:`quizapp.mathtext.SOURCE_MARK`);
    ``unknown`` lists commands shown as source inside an otherwise rendered formula.
    """

    lines: tuple[str, ...]
    baseline: int
    width: int
    is_fallback: bool
    unknown: tuple[str, ...]
    error: str | None


@lru_cache(maxsize=_CACHE_SIZE)
def _parse(latex: str) -> Parsed | str:
    """The parse, or the one-line reason it failed."""
    try:
        return parse(latex)
    except ParseFailure as exc:
        return str(exc)
    except RecursionError:
        return "formula nested too deeply"
    except Exception as exc:  # a bug of ours must not take the app down: show the source
        return f"internal error: {type(exc).__name__}: {exc}"


def _finish(box: Box, parsed: Parsed) -> RenderedMath:
    lines = tuple(unicodedata.normalize("NFC", line) for line in box.lines)
    return RenderedMath(lines, box.baseline, box.width, False, parsed.unknown, None)


def _fallback(latex: str, error: str) -> RenderedMath:
    line = mark_source(latex)
    return RenderedMath((line,), 0, cell_len(line), True, (), error)


@lru_cache(maxsize=_CACHE_SIZE)
def render_block(latex: str, display: bool = False, width: int | None = None) -> RenderedMath:
    """Render ``latex`` (no ``$`` delimiters) inline or, with ``display``, on several lines.

    Display mode falls back to the one-line inline form when it would be wider than
    ``width`` cells (``None``: no limit).
    """
    if not latex.strip():
        return RenderedMath(("",), 0, 0, False, (), None)
    parsed = _parse(latex)
    if isinstance(parsed, str):
        return _fallback(latex, parsed)
    try:
        if not display:
            return _finish(text_box(render_row(parsed.row)), parsed)
        box = box_row(parsed.row)
        if width is not None and box.width > width and box.height > 1:
            box = text_box(render_row(parsed.row))
        return _finish(box, parsed)
    except RecursionError:
        return _fallback(latex, "formula nested too deeply")
    except Exception as exc:  # never crash on a formula: show its source instead
        return _fallback(latex, f"internal error: {type(exc).__name__}: {exc}")


def render_inline(latex: str) -> str:
    """``latex`` as one line of Unicode text, e.g. ``z^{[1]}`` -> ``z⁽¹⁾``."""
    return render_block(latex).lines[0]


def render_display(latex: str, width: int | None = None) -> list[str]:
    """``latex`` drawn on several lines, all padded to the same cell width.

    Falls back to a single inline line when the drawing would be wider than ``width``.
    """
    return list(render_block(latex, True, width).lines)


def unknown_commands(latex: str) -> list[str]:
    """Commands in ``latex`` that no table knows (e.g. ``["\\\\foo"]``), shown as source."""
    parsed = _parse(latex)
    return [] if isinstance(parsed, str) else list(parsed.unknown)


def parse_error(latex: str) -> str | None:
    """Why ``latex`` cannot be drawn at all (it is then shown as source), or None.

    ``quizapp check`` asks this of every formula, so that a formula a reader would see as
    raw source (``\\frac{a}{b``, ``x^``) is a warning rather than a surprise at review.
    """
    parsed = _parse(latex)
    return parsed if isinstance(parsed, str) else None


def math_problems(latex: str) -> list[str]:
    """One-line warnings for ``quizapp check``: unknown commands and parse failures."""
    parsed = _parse(latex)
    if isinstance(parsed, str):
        return [f"cannot parse formula ({parsed}); it is shown as source"]
    return [f"unknown command {name}; shown as source" for name in parsed.unknown]
