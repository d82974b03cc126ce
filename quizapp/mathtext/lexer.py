"""LaTeX lexing with pylatexenc: source text -> a flat list of tokens.

pylatexenc's ``LatexWalker`` knows TeX's lexical rules (control words and the space they
swallow, braces, ``\\begin…\\end``, ``%`` comments). It runs here with an *empty* macro
database, so it never guesses how many arguments a command takes; the parser reads
arguments itself, the way TeX does. Character runs are split into one token per character.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexWalker,
    LatexWalkerError,
)
from pylatexenc.macrospec import LatexContextDb, MacroSpec


class LexError(Exception):
    """The source is not well-formed LaTeX (unbalanced braces or environments …)."""


@dataclass(frozen=True, slots=True)
class Tok:
    """One token: its ``kind`` ("char", "group", "macro", "env", "comment", "math",
    "other"), the character / macro name / environment name, its source span and, for
    groups, environments and inline math, the pylatexenc node holding its contents."""

    kind: str
    text: str
    pos: int
    end: int
    node: Any


def _empty_context() -> LatexContextDb:
    db = LatexContextDb()
    db.set_unknown_macro_spec(MacroSpec("", ""))
    return db


_CONTEXT = _empty_context()


def lex(source: str) -> list[Tok]:
    """The top-level tokens of ``source``; raises :class:`LexError` with a one-line reason."""
    walker = LatexWalker(source, latex_context=_CONTEXT, tolerant_parsing=False)
    try:
        nodes, _, _ = walker.get_latex_nodes()
    except LatexWalkerError as exc:
        raise LexError(str(exc).strip().splitlines()[0]) from None
    _check_covered(source, nodes)
    return flatten(nodes)


def _check_covered(source: str, nodes: list[Any]) -> None:
    """Refuse a parse that skipped source text (pylatexenc drops a trailing ``\\``)."""
    covered = 0
    for node in nodes:
        if node is None:
            continue
        if source[covered : node.pos].strip():
            raise LexError(f"unreadable text at position {covered}")
        covered = node.pos + node.len
    if source[covered:].strip():
        raise LexError(f"unreadable text at position {covered}")


def flatten(nodes: list[Any]) -> list[Tok]:
    """pylatexenc nodes (the contents of a group, say) as a flat token list."""
    toks: list[Tok] = []
    for node in nodes:
        if node is None:
            continue
        pos, end = node.pos, node.pos + node.len
        if isinstance(node, LatexCharsNode):
            toks.extend(
                Tok("char", c, pos + i, pos + i + 1, None) for i, c in enumerate(node.chars)
            )
        elif isinstance(node, LatexGroupNode):
            toks.append(Tok("group", "", pos, end, node))
        elif isinstance(node, LatexMacroNode):
            end -= len(node.macro_post_space or "")
            toks.append(Tok("macro", node.macroname, pos, end, node))
        elif isinstance(node, LatexEnvironmentNode):
            toks.append(Tok("env", node.environmentname, pos, end, node))
        elif isinstance(node, LatexCommentNode):
            toks.append(Tok("comment", "", pos, end, node))
        elif isinstance(node, LatexMathNode):
            toks.append(Tok("math", "", pos, end, node))
        else:
            toks.append(Tok("other", "", pos, end, node))
    return toks


class Stream:
    """A cursor over a token list, for the recursive-descent parser."""

    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self) -> Tok | None:
        """The next token, not consumed (None at the end)."""
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> Tok | None:
        """The next token, consumed (None at the end)."""
        tok = self.peek()
        if tok is not None:
            self.i += 1
        return tok

    def skip_spaces(self) -> None:
        """Skip whitespace characters (TeX ignores spaces before an argument)."""
        while (tok := self.peek()) is not None and tok.kind == "char" and tok.text.isspace():
            self.i += 1
