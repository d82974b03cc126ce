"""The math syntax tree that the parser builds and both renderers walk.

Keeping our own small tree (rather than rendering pylatexenc nodes directly) is what lets the
inline and the display renderer share one reading of the formula: scripts already attached to
their base, ``\\frac`` already holding its two arguments, ``\\left…\\right`` already matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """TeX's atom classes, reduced to what decides spacing in a terminal."""

    ORD = "ord"  # letters, digits, ∂, ∞, groups, fractions
    OP = "op"  # big operators: ∑ ∏ ∫
    FUNC = "func"  # named operators: log, max, argmax
    BIN = "bin"  # + - · × ⊙
    UNARY = "unary"  # a BIN in prefix position (-x); decided by the spacing pass
    REL = "rel"  # = ≤ ∈ →
    OPEN = "open"  # ( [ ⟨
    CLOSE = "close"  # ) ] ⟩
    PUNCT = "punct"  # , ;


@dataclass(frozen=True)
class Sym:
    """One atom drawn as fixed text: a letter, a number, an operator, a function name."""

    text: str
    kind: Kind = Kind.ORD
    limits: bool = False  # scripts go above/below in display mode (∑, max, \overset)


@dataclass(frozen=True)
class Space:
    """Horizontal space: ``soft`` is whitespace typed in the source, else an explicit ``\\,``."""

    width: int
    soft: bool = False


@dataclass(frozen=True)
class Group:
    """A braced group ``{…}``: one ORD atom built from a row."""

    row: Row


@dataclass(frozen=True)
class Scripted:
    """A base with a superscript and/or subscript (primes are superscripts too)."""

    base: Node
    sup: Row | None
    sub: Row | None


@dataclass(frozen=True)
class Frac:
    """``\\frac{num}{den}``: a/b inline, stacked over a rule in display mode."""

    num: Row
    den: Row


@dataclass(frozen=True)
class Binom:
    """``\\binom{n}{k}``."""

    top: Row
    bottom: Row


@dataclass(frozen=True)
class Sqrt:
    """``\\sqrt[index]{body}``."""

    body: Row
    index: Row | None


@dataclass(frozen=True)
class Accent:
    """``\\hat{y}`` and friends: a combining mark on each character of the body."""

    body: Row
    mark: str  # combining character, e.g. U+0302
    above: str  # spacing character drawn above a multi-line body, e.g. "^"


@dataclass(frozen=True)
class Text:
    """Upright prose from ``\\text{…}``; nested ``$…$`` parts are kept as rows."""

    parts: tuple[str | Row, ...]


@dataclass(frozen=True)
class Delimited:
    """``\\left( … \\right)``: delimiters that grow with the body in display mode."""

    left: str
    body: Row
    right: str


@dataclass(frozen=True)
class Table:
    """An environment laid out in rows and ``&`` columns (matrices, aligned, cases)."""

    kind: str  # "matrix", "aligned", "cases", "gather"
    rows: tuple[tuple[Row, ...], ...]
    left: str
    right: str
    aligns: str  # one of "lcr" per column; repeats its last letter if rows are wider


@dataclass(frozen=True)
class Brace:
    """``\\underbrace{body}`` / ``\\overbrace{body}``: its script is a label under/over it."""

    body: Row
    under: bool


@dataclass(frozen=True)
class Raw:
    """A piece we cannot render: shown as its LaTeX source, marked as source."""

    source: str


Node = (
    Sym
    | Space
    | Group
    | Scripted
    | Frac
    | Binom
    | Sqrt
    | Accent
    | Text
    | Delimited
    | Table
    | Brace
    | Raw
)
Row = tuple[Node, ...]


def kind_of(node: Node) -> Kind:
    """The atom class a node takes part in spacing with (scripts inherit their base's)."""
    if isinstance(node, Sym):
        return node.kind
    if isinstance(node, Scripted):
        return kind_of(node.base)
    return Kind.ORD


def has_limits(node: Node) -> bool:
    """Whether display mode puts this node's scripts above and below it."""
    return (isinstance(node, Sym) and node.limits) or isinstance(node, Brace)
