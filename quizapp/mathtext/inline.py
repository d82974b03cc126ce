"""Inline rendering: a syntax tree -> one line of Unicode text (for ``$…$``)."""

from __future__ import annotations

from rich.cells import cell_len

from .nodes import (
    Accent,
    Binom,
    Brace,
    Delimited,
    Frac,
    Group,
    Kind,
    Node,
    Raw,
    Row,
    Scripted,
    Space,
    Sqrt,
    Sym,
    Table,
    Text,
)
from .scripts import fallback_script, to_subscript, to_superscript
from .spacing import spaced

#: The fallback marker: source we could not render is shown between backticks.
SOURCE_MARK = "`"

_VULGAR = {
    ("1", "2"): "½", ("1", "3"): "⅓", ("2", "3"): "⅔", ("1", "4"): "¼", ("3", "4"): "¾",
    ("1", "5"): "⅕", ("2", "5"): "⅖", ("3", "5"): "⅗", ("4", "5"): "⅘", ("1", "6"): "⅙",
    ("5", "6"): "⅚", ("1", "7"): "⅐", ("1", "8"): "⅛", ("3", "8"): "⅜", ("5", "8"): "⅝",
    ("7", "8"): "⅞", ("1", "9"): "⅑", ("1", "10"): "⅒",
}  # fmt: skip

_NO_SPACE_BEFORE_FRAC = frozenset({Kind.BIN, Kind.REL, Kind.PUNCT, Kind.OPEN, Kind.UNARY})
_NO_SPACE_AFTER_FRAC = frozenset({Kind.BIN, Kind.REL, Kind.PUNCT, Kind.CLOSE})
_CLOSERS = {"(": ")", "[": "]", "{": "}", "⟨": "⟩", "|": "|", "‖": "‖", "⌊": "⌋", "⌈": "⌉"}


def mark_source(source: str) -> str:
    """LaTeX source shown as source: whitespace folded to single spaces, in backticks."""
    return f"{SOURCE_MARK}{' '.join(source.split())}{SOURCE_MARK}"


def vulgar(node: Frac) -> str | None:
    """``½`` for ``\\frac{1}{2}`` and the other fractions Unicode has a glyph for."""
    if len(node.num) == 1 and len(node.den) == 1:
        num, den = node.num[0], node.den[0]
        if isinstance(num, Sym) and isinstance(den, Sym):
            return _VULGAR.get((num.text, den.text))
    return None


def is_slashed(node: Node) -> bool:
    """Whether the node is drawn inline as ``a/b`` (so neighbours may need parentheses)."""
    return isinstance(node, Frac) and vulgar(node) is None


def render_row(row: Row, script: bool = False) -> str:
    """One row on one line, spaced by :func:`quizapp.mathtext.spacing.spaced`."""
    items = spaced(row, script)
    parts: list[str] = []
    for index, (sep, node, _kind) in enumerate(items):
        text = render_node(node, script)
        if is_slashed(node):
            before = items[index - 1][2] if index > 0 else None
            after = items[index + 1][2] if index + 1 < len(items) else None
            if (before is not None and before not in _NO_SPACE_BEFORE_FRAC) or (
                after is not None and after not in _NO_SPACE_AFTER_FRAC
            ):
                text = f"({text})"
        if index:
            sep = adjust_sep(sep, items[index - 1][1], node, _kind)
        parts.append(" " * sep + text)
    return "".join(parts)


def adjust_sep(sep: int, prev: Node, node: Node, kind: Kind) -> int:
    """The spacing pass's ``sep`` corrected for what only rendering knows."""
    if sep == 0 and kind is Kind.ORD and ascii_script_end(prev):
        return 1  # "∇_θ J", not "∇_θJ": keep the script from swallowing its neighbour
    if _text_edge_space(prev, -1) or _text_edge_space(node, 0):
        return 0  # \text{if } x: the text already brings its space
    return sep


def _text_edge_space(node: Node, end: int) -> bool:
    if not isinstance(node, Text) or not node.parts:
        return False
    part = node.parts[end]
    if not isinstance(part, str):
        return False
    return (part[-1:] if end else part[:1]).isspace()


def ascii_script_end(node: Node) -> bool:
    """Whether the node ends in a one-character ``^x``/``_x`` fallback script: ``∇_θ J``
    needs the space that ``∇_(x,y)J`` does not."""
    if not isinstance(node, Scripted):
        return False
    last = node.sup if node.sup is not None else node.sub
    if last is None or script_text(last, "^" if node.sup is not None else "_") is not None:
        return False
    return cell_len(render_row(last, script=True)) == 1


def needs_parens(row: Row) -> bool:
    """Whether ``row`` is more than one tight term, so ``a/b`` or ``√`` must bracket it."""
    items = spaced(row)
    for index, (sep, node, kind) in enumerate(items):
        if index and sep:
            return True
        if kind in (Kind.BIN, Kind.REL, Kind.PUNCT, Kind.OP, Kind.FUNC):
            return True
        if is_slashed(node) or isinstance(node, Binom | Table):
            return True
        if isinstance(node, Sym) and "/" in node.text:
            return True
    return False


def _script(row: Row, marker: str) -> str:
    mapped = script_text(row, marker)
    return mapped if mapped is not None else fallback_script(marker, render_row(row, True))


def _letters(node: Text) -> int:
    return max(
        (len(part) for p in node.parts if isinstance(p, str) for part in p.split()), default=0
    )


def script_text(row: Row, marker: str) -> str | None:
    """The row as Unicode super/subscript characters, or None when some have no such form.

    Words longer than three letters (``\\text{resolution}``) stay full size: a long run of
    tiny letters is harder to read than ``_(resolution)``.
    """
    if any(isinstance(node, Text) and _letters(node) > 3 for node in row):
        return None
    text = render_row(row, script=True)
    return to_superscript(text) if marker == "^" else to_subscript(text)


def _base(node: Node, script: bool) -> str:
    text = render_node(node, script)
    row = node.row if isinstance(node, Group) else node.body if isinstance(node, Brace) else None
    if is_slashed(node) or (row is not None and needs_parens(row)):
        opened = text[:1] in _CLOSERS and text.endswith(_CLOSERS[text[:1]])
        if not (row is not None and opened):
            return f"({text})"
    return text


def _accent(text: str, mark: str) -> str:
    return "".join(char + mark if cell_len(char) else char for char in text)


def _table(node: Table) -> str:
    if node.kind == "matrix":
        body = "; ".join(", ".join(render_row(cell) for cell in row) for row in node.rows)
        return f"{node.left}{body}{node.right}"
    joiner = ", " if node.kind == "cases" else " "
    rows = "; ".join(_join_cells([render_row(cell) for cell in row], joiner) for row in node.rows)
    if node.kind == "cases":
        return f"{{{rows}}}"
    return rows


def _join_cells(cells: list[str], joiner: str) -> str:
    """Cells of one table row on one line; no doubled comma when a cell ends with one."""
    out = ""
    for text in filter(None, cells):
        if out:
            out += " " if out.endswith((",", ";")) else joiner
        out += text
    return out


def render_node(node: Node, script: bool = False) -> str:
    """One node on one line."""
    if isinstance(node, Sym):
        return node.text
    if isinstance(node, Space):
        return " " * node.width
    if isinstance(node, Group):
        return render_row(node.row, script)
    if isinstance(node, Scripted):
        out = _base(node.base, script)
        if node.sub is not None:
            out += _script(node.sub, "_")
        if node.sup is not None:
            out += _script(node.sup, "^")
        return out
    if isinstance(node, Frac):
        glyph = vulgar(node)
        if glyph is not None:
            return glyph
        num, den = render_row(node.num, script), render_row(node.den, script)
        if needs_parens(node.num):
            num = f"({num})"
        if needs_parens(node.den):
            den = f"({den})"
        return f"{num}/{den}"
    if isinstance(node, Binom):
        return f"C({render_row(node.top, script)}, {render_row(node.bottom, script)})"
    if isinstance(node, Sqrt):
        body = render_row(node.body, script)
        if needs_parens(node.body) or len(spaced(node.body)) > 1:
            body = f"({body})"
        return _radical(node.index) + body
    if isinstance(node, Accent):
        return _accent(render_row(node.body, script), node.mark)
    if isinstance(node, Text):
        return "".join(p if isinstance(p, str) else render_row(p, script) for p in node.parts)
    if isinstance(node, Delimited):
        return f"{node.left}{render_row(node.body, script)}{node.right}"
    if isinstance(node, Brace):
        return render_row(node.body, script)
    if isinstance(node, Table):
        return _table(node)
    assert isinstance(node, Raw)
    return mark_source(node.source)


def _radical(index: Row | None) -> str:
    if index is None:
        return "√"
    text = render_row(index, script=True)
    if text == "3":
        return "∛"
    if text == "4":
        return "∜"
    return _script(index, "^") + "√"
