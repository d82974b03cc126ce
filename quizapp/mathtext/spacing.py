"""How many spaces go between neighbouring atoms of a row.

One rule set for both renderers, so inline and display text agree: binary operators and
relations get one space each side, a comma one space after, function names one space before
their argument, and a space typed in the source between two ordinary atoms is kept as one
(``)^T \\delta`` keeps it; ``W^{[1]}x`` has none). Script rows are set tight, as TeX does.
"""

from __future__ import annotations

from .nodes import Delimited, Kind, Node, Row, Space, Sym, kind_of

#: After these, a BIN is a prefix sign (unary minus), not an operator between two terms.
_PREFIX_CONTEXT = frozenset({None, Kind.BIN, Kind.UNARY, Kind.REL, Kind.OPEN, Kind.PUNCT, Kind.OP})


def _auto(prev: Kind, cur: Kind, soft: bool) -> int:
    if prev is Kind.UNARY:
        return 0
    if Kind.BIN in (prev, cur):
        return 1
    if Kind.REL in (prev, cur):
        return 0 if prev is cur else 1
    if cur is Kind.PUNCT:
        return 0
    if prev is Kind.PUNCT:
        return 1
    if prev is Kind.OPEN or cur is Kind.CLOSE:
        return 0
    if prev is Kind.FUNC:
        return 0 if cur is Kind.OPEN else 1
    if prev is Kind.OP or cur in (Kind.OP, Kind.FUNC):
        return 1
    return 1 if soft else 0


def _is_slash(node: Node) -> bool:
    """A ``/`` is set tight whatever the source's spacing, as TeX does: a control word eats
    the space after it, so honouring typed spaces here drew ``\\beta / 2`` as "β/ 2"."""
    return isinstance(node, Sym) and node.text == "/"


def spaced(row: Row, script: bool = False) -> list[tuple[int, Node, Kind]]:
    """Each visible node of ``row`` with the spaces before it and its effective atom class.

    Explicit spaces (``\\,``, ``\\quad``) replace the automatic ones; spaces at either end
    of the row are dropped.
    """
    out: list[tuple[int, Node, Kind]] = []
    prev: Kind | None = None
    explicit: int | None = None
    soft = False
    for node in row:
        if isinstance(node, Space):
            if node.soft:
                soft = True
            else:
                explicit = (explicit or 0) + node.width
            continue
        kind = kind_of(node)
        if kind is Kind.BIN and prev in _PREFIX_CONTEXT:
            kind = Kind.UNARY
        if prev is None:
            sep = 0
        elif explicit is not None:
            sep = explicit
        elif script:
            sep = 0
        elif prev is Kind.FUNC and isinstance(node, Delimited) and node.left:
            sep = 0  # max\left(0, x\right) reads like max(0, x)
        else:
            sep = _auto(prev, kind, soft and not (_is_slash(node) or _is_slash(out[-1][1])))
        out.append((sep, node, kind))
        prev, explicit, soft = kind, None, False
    return out
