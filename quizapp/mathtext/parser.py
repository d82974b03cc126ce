"""LaTeX math source -> our syntax tree (:mod:`quizapp.mathtext.nodes`).

:mod:`quizapp.mathtext.lexer` (pylatexenc) does the TeX lexing; this module reads arguments
the way TeX does (one token or one braced group), attaches ``^``/``_`` to their base and
matches ``\\left…\\right``.

Unknown commands do not stop the parse: each becomes a :class:`Raw` piece (the command plus
any braced groups glued to it) and is listed in :attr:`Parsed.unknown`. Only structural
errors (an unclosed brace, ``\\left`` without ``\\right``, ``x^`` at the end) raise
:class:`ParseFailure`, which makes the whole formula fall back to source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
)

from .fonts import FONT_COMMANDS, styled, styled_text
from .lexer import LexError, Stream, Tok, flatten, lex
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
from .symbols import (
    ACCENTS,
    BIG_OPS,
    CHAR_KINDS,
    DROP_ONE_ARG,
    ENVIRONMENTS,
    FUNCTION_TEXT,
    FUNCTIONS,
    IGNORED,
    SPACES,
    SYMBOLS,
    TEXT_COMMANDS,
    TEXT_SYMBOLS,
)


class ParseFailure(Exception):
    """The formula is not well-formed LaTeX; the message says what is wrong, in one line."""


@dataclass(frozen=True)
class Parsed:
    """A parsed formula and the commands in it that no table knows."""

    row: Row
    unknown: tuple[str, ...]


class _Marker:
    """``&`` and ``\\\\``: cell and row separators, consumed when a table is built."""

    def __init__(self, name: str) -> None:
        self.name = name


_TAB = _Marker("&")
_BREAK = _Marker("\\\\")

_Item = Node | _Marker


def parse(source: str) -> Parsed:
    """Parse the math-mode ``source`` (without its ``$`` delimiters) into a row of nodes."""
    return _Parser(source).parse()


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.unknown: list[str] = []
        self.font = ""

    # ---- entry and lexing -------------------------------------------------------------
    def parse(self) -> Parsed:
        try:
            toks = lex(self.source)
        except LexError as exc:
            raise ParseFailure(str(exc)) from None
        row = self._body(toks)
        return Parsed(row, tuple(dict.fromkeys(self.unknown)))

    # ---- rows -------------------------------------------------------------------------
    def _body(self, toks: list[Tok]) -> Row:
        """A whole row; ``&`` or ``\\\\`` in it turn it into an aligned table."""
        stream = Stream(toks)
        items = self._items(stream, stop=None)
        return self._finish(items)

    def _items(self, stream: Stream, stop: str | None) -> list[_Item]:
        items: list[_Item] = []
        while (tok := stream.peek()) is not None:
            if tok.kind == "macro" and tok.text == stop:
                return items
            stream.take()
            self._item(tok, stream, items)
        if stop is not None:
            raise ParseFailure(f"\\left without a matching \\{stop}")
        return items

    def _finish(self, items: list[_Item]) -> Row:
        if not any(isinstance(item, _Marker) for item in items):
            return tuple(item for item in items if not isinstance(item, _Marker))
        kind = "aligned" if _TAB in items else "gather"
        return (Table(kind, _split_table(items), "", "", ""),)

    def _argument(self, stream: Stream, what: str) -> Row:
        """One TeX argument: a braced group or a single token."""
        stream.skip_spaces()
        tok = stream.take()
        if tok is None:
            raise ParseFailure(f"missing argument for {what}")
        if tok.kind == "group":
            return self._group_row(tok)
        items: list[_Item] = []
        self._item(tok, stream, items, single=True)
        return self._finish(items)

    def _group_row(self, tok: Tok) -> Row:
        return self._body(flatten(tok.node.nodelist))

    # ---- one token --------------------------------------------------------------------
    def _item(self, tok: Tok, stream: Stream, items: list[_Item], single: bool = False) -> None:
        if tok.kind == "char":
            self._char(tok, stream, items, single)
        elif tok.kind == "group":
            row = self._group_row(tok)
            items.append(Group(row))
        elif tok.kind == "macro":
            self._macro(tok, stream, items)
        elif tok.kind == "env":
            items.append(self._environment(tok))
        elif tok.kind == "math":
            items.append(Group(self._body(flatten(tok.node.nodelist))))
        else:  # comments and anything else pylatexenc hands us: keep the source visible
            items.append(Raw(self.source[tok.pos : tok.end]))

    def _char(self, tok: Tok, stream: Stream, items: list[_Item], single: bool) -> None:
        c = tok.text
        if c.isspace():
            if not (items and isinstance(items[-1], Space) and items[-1].soft):
                items.append(Space(1, soft=True))
        elif c in "^_":
            self._script(items, c, self._argument(stream, c))
        elif c == "'":
            count = 1
            while (nxt := stream.peek()) is not None and nxt.kind == "char" and nxt.text == "'":
                stream.take()
                count += 1
            self._script(items, "'", (Sym("′″‴"[count - 1] if count <= 3 else "′" * count),))
        elif c == "&":
            items.append(_TAB)
        elif c == "~":
            items.append(Space(1))
        elif c.isdigit() and not single:
            digits = [c]
            while (nxt := stream.peek()) is not None and nxt.kind == "char":
                after = stream.toks[stream.i + 1] if stream.i + 1 < len(stream.toks) else None
                if nxt.text.isdigit() or (
                    nxt.text == "."
                    and after is not None
                    and after.kind == "char"
                    and after.text.isdigit()
                ):
                    digits.append(nxt.text)
                    stream.take()
                else:
                    break
            items.append(Sym(styled_text("".join(digits), self.font)))
        else:
            items.append(Sym(styled(c, self.font), CHAR_KINDS.get(c, Kind.ORD)))

    def _script(self, items: list[_Item], marker: str, arg: Row) -> None:
        while items and isinstance(items[-1], Space) and items[-1].soft:
            items.pop()
        base: Node = Sym("")
        if items and not isinstance(items[-1], _Marker):
            last = items.pop()
            assert not isinstance(last, _Marker)
            base = last
        if marker == "_":
            if isinstance(base, Scripted) and base.sub is None:
                items.append(Scripted(base.base, base.sup, arg))
            else:
                items.append(Scripted(base, None, arg))
            return
        if isinstance(base, Scripted) and (base.sup is None or _all_primes(base.sup)):
            items.append(Scripted(base.base, (base.sup or ()) + arg, base.sub))
        else:
            items.append(Scripted(base, arg, None))

    # ---- control words ----------------------------------------------------------------
    def _macro(self, tok: Tok, stream: Stream, items: list[_Item]) -> None:
        name = tok.text
        if name in SYMBOLS:
            text, kind = SYMBOLS[name]
            if kind is Kind.ORD:
                text = styled_text(text, self.font)
            items.append(Sym(text, kind))
        elif name in BIG_OPS:
            items.append(Sym(BIG_OPS[name], Kind.OP, limits=True))
        elif name in FUNCTIONS:
            items.append(self._function(name, stream))
        elif name == "\\":
            items.append(_BREAK)
        elif name in SPACES:
            items.append(Space(SPACES[name]))
        elif name in IGNORED:
            if name in ("limits", "nolimits") and items and isinstance(items[-1], Sym):
                last = items.pop()
                assert isinstance(last, Sym)
                items.append(Sym(last.text, last.kind, name == "limits"))
        elif name in ACCENTS:
            mark, above = ACCENTS[name]
            items.append(Accent(self._argument(stream, "\\" + name), mark, above))
        elif name == "operatorname":
            items.append(self._operatorname(stream))
        elif name in FONT_COMMANDS:
            items.append(self._font(FONT_COMMANDS[name], stream, name))
        elif name in TEXT_COMMANDS:
            items.append(self._text(stream, name))
        elif name in ("frac", "dfrac", "tfrac", "cfrac"):
            num = self._argument(stream, "\\" + name)
            items.append(Frac(num, self._argument(stream, "\\" + name)))
        elif name in ("binom", "dbinom", "tbinom"):
            top = self._argument(stream, "\\" + name)
            items.append(Binom(top, self._argument(stream, "\\" + name)))
        elif name == "sqrt":
            index = self._optional(stream)
            items.append(Sqrt(self._argument(stream, "\\sqrt"), index))
        elif name == "left":
            items.append(self._left_right(stream))
        elif name == "right":
            raise ParseFailure("\\right without a matching \\left")
        elif name == "middle":
            items.append(Sym(self._delimiter(stream), Kind.REL))
        elif name == "not":
            arg = self._argument(stream, "\\not")
            if len(arg) == 1 and isinstance(arg[0], Sym):
                items.append(Sym(arg[0].text + "\u0338", arg[0].kind))
            else:
                items.extend((Sym("/", Kind.ORD), Group(arg)))
        elif name in ("underbrace", "overbrace"):
            items.append(Brace(self._argument(stream, "\\" + name), name == "underbrace"))
        elif name in ("overset", "stackrel", "underset"):
            items.append(self._overset(name, stream))
        elif name in DROP_ONE_ARG:
            self._argument(stream, "\\" + name)
        elif name in ("hspace", "hspace*"):
            self._argument(stream, "\\" + name)
            items.append(Space(1))
        elif name == "textcolor":
            self._argument(stream, "\\textcolor")
            items.append(Group(self._argument(stream, "\\textcolor")))
        elif name == "pmod":
            arg = self._argument(stream, "\\pmod")
            items.append(Space(1))
            items.append(Delimited("(", (Sym("mod", Kind.FUNC), *arg), ")"))
        elif name == "tag":
            label = self._argument(stream, "\\tag")
            items.extend((Space(4), Delimited("(", label, ")")))
        else:
            items.append(self._unknown(tok, stream))

    def _unknown(self, tok: Tok, stream: Stream) -> Raw:
        """An unknown command and the braced groups glued to it, kept as source."""
        name = "\\" + tok.text
        self.unknown.append(name)
        end = tok.end
        while (nxt := stream.peek()) is not None and nxt.kind == "group" and nxt.pos == end:
            stream.take()
            end = nxt.end
        return Raw(self.source[tok.pos : end])

    def _function(self, name: str, stream: Stream) -> Sym:
        if name == "arg":
            save = stream.i
            stream.skip_spaces()
            nxt = stream.peek()
            if nxt is not None and nxt.kind == "macro" and nxt.text in ("max", "min"):
                stream.take()
                return Sym("arg" + nxt.text, Kind.FUNC, limits=True)
            stream.i = save
        return Sym(FUNCTION_TEXT.get(name, name), Kind.FUNC, limits=FUNCTIONS[name])

    def _operatorname(self, stream: Stream) -> Node:
        nxt = stream.peek()
        star = nxt is not None and nxt.kind == "char" and nxt.text == "*"
        if star:
            stream.take()
        row = self._argument(stream, "\\operatorname")
        text = ""
        for node in row:
            if isinstance(node, Sym):
                text += node.text
            elif isinstance(node, Space):
                text += "" if node.soft else " " * node.width
            else:
                return Group(row)
        return Sym(text, Kind.FUNC, limits=star)

    def _font(self, style: str, stream: Stream, name: str) -> Node:
        saved, self.font = self.font, style
        try:
            row = self._argument(stream, "\\" + name)
        finally:
            self.font = saved
        if len(row) == 1:
            return row[0]
        return Group(row)

    def _optional(self, stream: Stream) -> Row | None:
        """``[…]`` right after a command (the index of ``\\sqrt``), if present."""
        nxt = stream.peek()
        if nxt is None or nxt.kind != "char" or nxt.text != "[":
            return None
        stream.take()
        depth = 0
        inner: list[Tok] = []
        while (tok := stream.take()) is not None:
            if tok.kind == "char" and tok.text == "[":
                depth += 1
            elif tok.kind == "char" and tok.text == "]":
                if depth == 0:
                    return self._body(inner)
                depth -= 1
            inner.append(tok)
        raise ParseFailure("\\sqrt[ without a closing ]")

    def _delimiter(self, stream: Stream) -> str:
        stream.skip_spaces()
        tok = stream.take()
        if tok is None:
            raise ParseFailure("missing delimiter after \\left, \\right or \\middle")
        if tok.kind == "char":
            return "" if tok.text == "." else tok.text
        if tok.kind == "macro" and tok.text in SYMBOLS:
            return SYMBOLS[tok.text][0]
        if tok.kind == "macro" and tok.text in ("lvert", "rvert", "vert"):
            return "|"
        raise ParseFailure(f"unsupported delimiter {self.source[tok.pos : tok.end]!r}")

    def _left_right(self, stream: Stream) -> Delimited:
        left = self._delimiter(stream)
        body = self._items(stream, stop="right")
        stream.take()  # the \right itself
        right = self._delimiter(stream)
        return Delimited(left, self._finish(body), right)

    def _overset(self, name: str, stream: Stream) -> Node:
        script = self._argument(stream, "\\" + name)
        base_row = self._argument(stream, "\\" + name)
        base: Node = base_row[0] if len(base_row) == 1 else Group(base_row)
        if isinstance(base, Sym):
            base = Sym(base.text, base.kind, limits=True)
        if name == "underset":
            return Scripted(base, None, script)
        return Scripted(base, script, None)

    def _text(self, stream: Stream, name: str) -> Text:
        stream.skip_spaces()
        tok = stream.take()
        if tok is None:
            raise ParseFailure(f"missing argument for \\{name}")
        if tok.kind != "group":
            return Text((self.source[tok.pos : tok.end],))
        return Text(tuple(self._text_parts(tok.node.nodelist)))

    def _text_parts(self, nodes: list[Any]) -> list[str | Row]:
        parts: list[str | Row] = []
        for node in nodes:
            if isinstance(node, LatexCharsNode):
                parts.append(node.chars)
            elif isinstance(node, LatexMacroNode) and node.macroname in TEXT_SYMBOLS:
                parts.append(TEXT_SYMBOLS[node.macroname])
            elif isinstance(node, LatexGroupNode):
                parts.extend(self._text_parts(node.nodelist))
            elif isinstance(node, LatexMathNode):
                parts.append(self._body(flatten(node.nodelist)))
            elif node is not None:
                if isinstance(node, LatexMacroNode):
                    self.unknown.append("\\" + node.macroname)
                source = self.source[node.pos : node.pos + node.len]
                parts.append((Raw(source),))
        return parts

    def _environment(self, tok: Tok) -> Node:
        name = tok.text
        if name not in ENVIRONMENTS:
            self.unknown.append(f"\\begin{{{name}}}")
            return Raw(self.source[tok.pos : tok.end])
        kind, left, right = ENVIRONMENTS[name]
        toks = flatten(tok.node.nodelist)
        stream = Stream(toks)
        aligns = ""
        if name in ("array", "alignat", "alignat*", "alignedat"):
            stream.skip_spaces()
            spec = stream.peek()
            if spec is not None and spec.kind == "group":
                stream.take()
                if name == "array":
                    aligns = "".join(c for c in self.source[spec.pos : spec.end] if c in "lcr")
        items = self._items(stream, stop=None)
        if kind == "gather" and not any(isinstance(item, _Marker) for item in items):
            return Group(self._finish(items))
        return Table(kind, _split_table(items), left, right, aligns)


def _all_primes(row: Row) -> bool:
    return all(isinstance(node, Sym) and set(node.text) <= set("′″‴") for node in row)


def _split_table(items: list[_Item]) -> tuple[tuple[Row, ...], ...]:
    rows: list[tuple[Row, ...]] = []
    cells: list[Row] = []
    cell: list[Node] = []
    for item in items:
        if item is _TAB:
            cells.append(tuple(cell))
            cell = []
        elif item is _BREAK:
            cells.append(tuple(cell))
            rows.append(tuple(cells))
            cells, cell = [], []
        else:
            assert not isinstance(item, _Marker)
            cell.append(item)
    if (cell and any(not isinstance(node, Space) for node in cell)) or cells:
        cells.append(tuple(cell))
        rows.append(tuple(cells))
    return tuple(rows)
