"""Display rendering: a syntax tree -> a :class:`Box` of several lines (for ``$$…$$``).

Only fractions, limits, roots, tall delimiters and tables need more than one line; every
other node is drawn exactly as inline mode draws it, so both modes read alike.
"""

from __future__ import annotations

from rich.cells import cell_len

from .boxes import Box, hconcat, overlay_column, pad, text_box, vstack, widen
from .delimiters import tall
from .inline import adjust_sep, render_node, render_row, script_text
from .nodes import (
    Accent,
    Binom,
    Brace,
    Delimited,
    Frac,
    Group,
    Node,
    Row,
    Scripted,
    Sqrt,
    Table,
    has_limits,
)
from .scripts import fallback_script
from .spacing import spaced

_RULE = "─"
_TABLE_GAP = {"matrix": 2, "cases": 2, "gather": 0}


def box_row(row: Row, script: bool = False) -> Box:
    """A row as a box, its atoms aligned on their baselines.

    Scripts are always one line (fractions in them are written a/b, as TeX sets them small):
    a stacked fraction inside an exponent would tower over the formula.
    """
    boxes: list[Box] = []
    seps: list[int] = []
    items = spaced(row, script)
    if script or all(_flat(node) for _, node, _ in items):
        return text_box(render_row(row, script))
    for sep, node, _kind in items:
        box = box_node(node, script)
        if boxes:
            sep = adjust_sep(sep, items[len(boxes) - 1][1], node, _kind)
        if sep == 0 and boxes and box.height > 1 and boxes[-1].height > 1:
            sep = 1  # two stacked things side by side need air between them
        boxes.append(box)
        seps.append(sep if boxes[:-1] else 0)
    return hconcat(boxes, seps)


def _flat(node: Node) -> bool:
    """Whether display mode draws this node on one line anyway (then inline text is used)."""
    if isinstance(node, Frac | Binom | Sqrt | Table | Brace):
        return False
    if isinstance(node, Group):
        return all(_flat(child) for child in node.row)
    if isinstance(node, Delimited):
        return all(_flat(child) for child in node.body)
    if isinstance(node, Accent):
        return all(_flat(child) for child in node.body)
    if isinstance(node, Scripted):
        if has_limits(node.base) or not _flat(node.base):
            return False
        return all(
            script is None or script_text(script, m) is not None
            for script, m in ((node.sup, "^"), (node.sub, "_"))
        )
    return True


def box_node(node: Node, script: bool = False) -> Box:
    """One node as a box."""
    if _flat(node):
        return text_box(render_node(node, script))
    if isinstance(node, Group):
        return box_row(node.row, script)
    if isinstance(node, Frac):
        num, den = box_row(node.num, script), box_row(node.den, script)
        width = max(num.width, den.width)
        return vstack([num, text_box(_RULE * width), den], 1)
    if isinstance(node, Binom):
        inner = vstack([box_row(node.top, script), box_row(node.bottom, script)], 0)
        return _delimited("(", Box(inner.lines, inner.height // 2, inner.width), ")")
    if isinstance(node, Sqrt):
        return _sqrt(node, script)
    if isinstance(node, Accent):
        body = box_row(node.body, script)
        return vstack([text_box(node.above * body.width), body], 1)
    if isinstance(node, Delimited):
        return _delimited(node.left, box_row(node.body, script), node.right)
    if isinstance(node, Scripted):
        return _scripted(node, script)
    if isinstance(node, Brace):
        body = box_row(node.body, script)
        brace = text_box(_brace(body.width, node.under))
        if node.under:
            return vstack([body, brace], 0)
        return vstack([brace, body], 1)
    assert isinstance(node, Table)
    return _table(node)


def _brace(width: int, under: bool) -> str:
    """A horizontal brace ``╰──┬──╯`` (or ``╭──┴──╮`` over the body), ``width`` cells."""
    if width < 3:
        return ("‿" if under else "⁀") * width
    left, tip, right = ("╰", "┬", "╯") if under else ("╭", "┴", "╮")
    inner = width - 2
    before = (inner - 1) // 2
    return left + "─" * before + tip + "─" * (inner - 1 - before) + right


def _delimited(left: str, body: Box, right: str) -> Box:
    lefts, rights = tall(left, body.height), tall(right, body.height)
    lines = tuple(f"{lp}{line}{rp}" for lp, line, rp in zip(lefts, body.lines, rights, strict=True))
    width = body.width + cell_len(lefts[0]) + cell_len(rights[0])
    return Box(lines, body.baseline, width)


def _sqrt(node: Sqrt, script: bool) -> Box:
    body = box_row(node.body, script)
    sign = "√"
    if node.index is not None:
        index = render_row(node.index, script=True)
        sign = {"3": "∛", "4": "∜"}.get(index) or (
            script_text(node.index, "^") or f"({index})"
        ) + "√"
    indent = cell_len(sign)
    lines = [" " * indent + "_" * body.width]
    for row, line in enumerate(body.lines):
        lead = sign if row == body.height - 1 else pad("│", indent, "r")
        lines.append(lead + line)
    return Box(tuple(lines), body.baseline + 1, body.width + indent)


def _scripted(node: Scripted, script: bool) -> Box:
    """Scripts beside a tall base, or above/below a base with limits (∑, max, braces).

    A superscript without Unicode forms is raised a row (``e`` under ``-x²/2``), which reads
    as an exponent; a subscript without them stays on the line as ``_(…)``, because one row
    down it would read as a separate line.
    """
    base = box_node(node.base, script)
    if has_limits(node.base):
        parts = [base]
        if node.sup is not None:
            parts.insert(0, box_row(node.sup, True))
        if node.sub is not None:
            parts.append(box_row(node.sub, True))
        return vstack(parts, 1 if node.sup is not None else 0)
    pieces: list[tuple[int, Box]] = []
    if node.sub is not None:
        sub_text = script_text(node.sub, "_")
        if sub_text is not None:
            pieces.append((base.height - 1, text_box(sub_text)))
        elif base.height == 1:
            tail = fallback_script("_", render_row(node.sub, True))
            base = hconcat([base, text_box(tail)], [0, 0])
        else:
            pieces.append((base.height - 1, box_row(node.sub, True)))
    if node.sup is not None:
        sup_text = script_text(node.sup, "^")
        if sup_text is not None:
            pieces.append((0, text_box(sup_text)))
        else:
            pieces.append((-1 if base.height == 1 else 0, box_row(node.sup, True)))
    return overlay_column(base, pieces) if pieces else base


def _table(node: Table) -> Box:
    cells = [[box_row(cell) for cell in row] for row in node.rows]
    columns = max((len(row) for row in cells), default=0)
    if columns == 0:
        return _delimited(node.left, text_box(""), node.right)
    widths = [
        max((row[c].width for row in cells if c < len(row)), default=0) for c in range(columns)
    ]
    tall_rows = any(box.height > 1 for row in cells for box in row)
    lines: list[Box] = []
    for index, row in enumerate(cells):
        padded = [
            widen(row[c] if c < len(row) else text_box(""), widths[c], _align(node, c))
            for c in range(columns)
        ]
        seps = [0] + [_gap(node, c) for c in range(1, columns)]
        if tall_rows and index:
            lines.append(text_box(""))
        lines.append(hconcat(padded, seps))
    grid = vstack(lines, 0, "l")
    body = Box(grid.lines, (grid.height - 1) // 2, grid.width)
    left = node.left if node.kind != "cases" or node.left else ""
    if left or node.right:
        body = hconcat([body], [1 if left else 0])
        if node.right:
            body = Box(tuple(line + " " for line in body.lines), body.baseline, body.width + 1)
    return _delimited(left, body, node.right)


def _align(node: Table, column: int) -> str:
    if node.aligns:
        return node.aligns[min(column, len(node.aligns) - 1)]
    if node.kind == "aligned":
        return "r" if column % 2 == 0 else "l"
    if node.kind == "cases":
        return "l"
    return "c"


def _gap(node: Table, column: int) -> int:
    if node.kind == "aligned":
        return 1 if column % 2 == 1 else 4
    return _TABLE_GAP.get(node.kind, 2)
