"""The LaTeX front of the exercise language: a card's formula → the checked tree.

Card formulas and the answers a learner types to a formula drill are LaTeX. This front
reads them with ``mathtext``'s lexer (the TeX lexing the renderer uses; not its display
parser, whose nodes are layout) and builds the same syntax-free tree as the Python front
(``expr.py``), so the same limits apply: length, depth, exponents, function calls.

What it reads (``docs/drills.md``): numbers, letters and Greek letters as symbols whose
sub- and superscripts are part of the name (``W^{[2]}`` is ``W2``, ``x_i`` is ``x_i``,
``\\hat{y}`` is ``yhat``, ``\\frac{\\partial L}{\\partial W}`` is ``dL_dW``); ``+ -``,
implicit products, ``\\cdot`` and ``\\times`` (a matrix product where both sides are arrays,
else a plain one), ``\\odot`` and ``\\circ`` (element-wise), ``/``, ``\\frac``, ``\\sqrt``,
powers, transposes (``^T``, ``^\\top``, ``^\\intercal``), ``^{-1}`` of an array (its
inverse), ``\\exp \\log \\ln \\sigma \\tanh \\max \\min``, ``\\operatorname{softmax}`` and
``ReLU``, the derivatives ``\\sigma'``, ``\\tanh'`` and ``\\operatorname{ReLU}'``, ``e^x``,
``|x|``, ``\\|x\\|``, ``\\left…\\right``, ``\\sum`` and ``\\prod`` over an index (expanded
with a concrete bound), and ``\\mathbb{E}[…]`` as a mean over drawn samples.

A formula the front cannot read raises ``ExerciseError`` with one line: "cannot read `…`
at column N" for what does not parse, or the construct that cannot be evaluated
(``\\int``, ``\\cdots``…), which is why that formula is not a drill.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.expr import (
    ANSWER,
    Binary,
    Call,
    Compare,
    Expr,
    Expression,
    Name,
    Num,
    Transpose,
    Unary,
    check_arg_count,
    check_depth,
    check_exponent,
    check_length,
    check_name,
    check_number,
    depth_error,
    resolve_function,
    walk,
)
from quizapp.exercises.limits import MAX_DEPTH
from quizapp.mathtext.lexer import LexError, Tok, flatten, lex

#: The concrete bound of ``\sum_{i=1}^{n}``: a sum is expanded into this many terms, and
#: a symbolic bound (``n``) takes this value wherever it appears in the formula.
SUM_TERMS = 3
#: Operations one formula may expand to (nested sums multiply): the tree stays small
#: enough to evaluate at every point within the checking deadline.
MAX_NODES = 2000

#: Greek letters, as the names they become (``\varepsilon`` and ``\epsilon`` are one).
_GREEK_LETTERS = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi rho sigma tau "
    "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell"
)
GREEK: dict[str, str] = {name: name for name in _GREEK_LETTERS.split()} | {
    "varepsilon": "epsilon",
    "vartheta": "theta",
    "varphi": "phi",
    "varrho": "rho",
}

#: Accents that become a suffix of the name: ``\hat{y}`` is ``yhat``.
ACCENTS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde"}
ACCENTS |= {"widetilde": "tilde", "dot": "dot", "vec": ""}
#: Fonts that keep the letter: bold ones mark an array (a vector or a matrix).
BOLD = frozenset({"mathbf", "boldsymbol", "bm", "pmb"})
FONTS = frozenset({"mathrm", "mathit", "mathsf", "text", "textit", "textrm", "mathcal"})

#: Named functions, as ``\NAME`` or ``\operatorname{NAME}``, and the tree function each is.
NAMED_FUNCTIONS: dict[str, str] = {
    "exp": "exp",
    "log": "log",
    "ln": "log",
    "tanh": "tanh",
    "sin": "sin",
    "cos": "cos",
    "softmax": "softmax",
    "relu": "relu",
    "sigmoid": "sigmoid",
    "log1p": "log1p",
    "softplus": "softplus",
    "erf": "erf",
    "var": "var",
    "tr": "trace",
    "sqrt": "sqrt",
    "max": "max",
    "min": "min",
    "abs": "abs",
    "diag": "diag",
    "clip": "clip",
    "sign": "sign",
    "lse": "logsumexp",
    "logsumexp": "logsumexp",
}
#: Words a learner may type without a backslash that name a function when a ``(`` follows.
BARE_FUNCTIONS = frozenset(
    {"exp", "log", "ln", "tanh", "sigma", "sigmoid", "softmax", "relu", "sqrt", "log1p"}
)

#: Commands that draw nothing: spacing, sizes, styles.
_SKIPPED = frozenset(
    {",", ";", ":", "!", " ", "quad", "qquad", "displaystyle", "textstyle", "limits"}
    | {"nolimits", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl"}
    | {"biggr", "Biggl", "Biggr", "middle"}
)
#: Commands for a product of two factors, as tree operations (``dot`` is NumPy's: a
#: matrix product of arrays, a plain one when a side is a scalar).
_PRODUCTS = {"cdot": "dot", "times": "dot", "odot": "*", "circ": "*", "ast": "*"}
#: Transposes, as superscripts.
_TRANSPOSES = frozenset({"top", "intercal", "T", "mathsf{T}", "mathrm{T}", "tr"})
#: Constructs that have no value at random points, with what the reason says.
_CANNOT = {
    "int": "an integral",
    "iint": "an integral",
    "oint": "an integral",
    "cdots": "an elided sum (…)",
    "ldots": "an elided sum (…)",
    "dots": "an elided sum (…)",
    "infty": "infinity",
    "lim": "a limit",
    "nabla": "a gradient operator (∇)",
    "partial": "a partial derivative outside \\frac",
    "approx": "≈",
    "propto": "∝",
    "leq": "an inequality",
    "geq": "an inequality",
    "le": "an inequality",
    "ge": "an inequality",
    "neq": "an inequality",
    "in": "a set membership",
    "sim": "a distribution (∼)",
    "mid": "a conditional (|)",
    "arg": "an arg max / arg min",
    "argmax": "an arg max / arg min",
    "argmin": "an arg max / arg min",
    "mathcal": "a calligraphic symbol (a set or a distribution)",
    "binom": "a binomial coefficient",
    "to": "an arrow",
    "rightarrow": "an arrow",
    "leftarrow": "an arrow",
    "forall": "a quantifier",
    "exists": "a quantifier",
}
#: Names that are constants: π and Euler's e (the latter only as ``e^{…}``).
_PI = "pi"

#: Unicode a learner may type in place of LaTeX.
_UNICODE = str.maketrans(
    {
        "\u2212": "-",
        "\u00d7": r"\times ",
        "\u00b7": r"\cdot ",
        "\u22c5": r"\cdot ",
        "\u2299": r"\odot ",
        "\u03c3": r"\sigma ",
        "\u1d40": r"^{T}",
        "\u221a": r"\sqrt ",
        "\u00b2": "^2",
        "\u03b7": r"\eta ",
        "\u03b1": r"\alpha ",
        "\u03b2": r"\beta ",
        "\u03bb": r"\lambda ",
        "\u03bc": r"\mu ",
        "\u03b8": r"\theta ",
        "\u03b4": r"\delta ",
        "\u03b5": r"\epsilon ",
    }
)


@dataclass(frozen=True)
class LatexExpression:
    """A formula read into the tree, with what the drill needs to know about its symbols.

    ``symbols`` maps each free symbol's name to the LaTeX it was written as (for the
    symbol table a learner sees); ``arrays`` are those written bold or uppercase (matrix
    notation); ``samples`` are those under an expectation, drawn as samples; ``fixed`` the
    bounds of sums (``n``) with their concrete value; ``matrix_notation`` says whether the
    formula has arrays, transposes or element-wise products, so that it is also checked
    with matrices.
    """

    expression: Expression
    symbols: dict[str, str]
    arrays: frozenset[str]
    samples: frozenset[str]
    fixed: dict[str, float]
    matrix_notation: bool
    vector_only: bool


def compile_latex(text: str, names: frozenset[str] = frozenset()) -> LatexExpression:
    """Read the LaTeX ``text`` (math mode, no ``$``) into a checked expression.

    ``names`` are multi-letter symbol names a learner may type as they are (``delta2``,
    ``W1``): a run of letters and digits that spells one is that symbol, not a product of
    single letters.
    """
    text = check_length(text.translate(_UNICODE))
    try:
        toks = lex(text)
    except LexError:
        column = _bad_column(text)
        raise ExerciseError(_cannot_read(text, column)) from None
    reader = _Reader(text, names)
    root = reader.top(toks)
    check_depth(root)
    names = frozenset(reader.symbols)
    expression = Expression(text, root, names, ())
    return LatexExpression(
        expression,
        dict(reader.symbols),
        frozenset(reader.arrays & names),
        frozenset(reader.samples & names),
        dict(reader.fixed),
        reader.matrix_notation or bool(reader.arrays & names),
        reader.vector_only,
    )


def _cannot_read(text: str, column: int) -> str:
    snippet = text[column : column + 12].strip() or text[max(0, column - 12) :].strip()
    return f"cannot read `{snippet}` at column {column + 1}"


def _bad_column(text: str) -> int:
    """Where a formula that does not lex goes wrong: an unmatched brace, else the end."""
    opened: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            opened.append(i)
        elif ch == "}":
            if not opened:
                return i
            opened.pop()
        i += 1
    if opened:
        return opened[0]
    if text.rstrip().endswith("\\"):
        return len(text.rstrip()) - 1
    return max(0, len(text) - 1)


class _Stream:
    """A cursor over tokens, spaces and comments skipped."""

    def __init__(self, toks: list[Tok], end: int) -> None:
        self.toks = [
            t for t in toks if not (t.kind == "char" and t.text.isspace()) and t.kind != "comment"
        ]
        self.toks = [t for t in self.toks if not (t.kind == "macro" and t.text in _SKIPPED)]
        self.i = 0
        self.end = end

    def peek(self, ahead: int = 0) -> Tok | None:
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else None

    def take(self) -> Tok | None:
        tok = self.peek()
        if tok is not None:
            self.i += 1
        return tok

    def at(self, kind: str, *texts: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == kind and (not texts or tok.text in texts)

    def position(self) -> int:
        tok = self.peek()
        return tok.pos if tok is not None else self.end


@dataclass
class _Binding:
    """The index variables of the enclosing sums and their current value."""

    values: dict[str, int] = field(default_factory=dict)


class _Reader:
    """Recursive descent over the token stream, building the tree."""

    def __init__(self, text: str, names: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.names = names
        self.symbols: dict[str, str] = {}
        self.arrays: set[str] = set()
        self.samples: set[str] = set()
        self.fixed: dict[str, float] = {}
        self.matrix_notation = False
        self.vector_only = False
        self.bound = _Binding()
        self.depth = 0
        self.in_expectation = 0
        self._uid = 0

    # ---- helpers -------------------------------------------------------------------

    def uid(self) -> int:
        self._uid += 1
        if self._uid > MAX_NODES:
            raise ExerciseError(
                f"the formula expands to more than {MAX_NODES} operations (sums inside sums?)"
            )
        return self._uid

    def fail(self, pos: int) -> ExerciseError:
        return ExerciseError(_cannot_read(self.text, pos))

    def cannot(self, what: str) -> ExerciseError:
        return ExerciseError(f"{what} cannot be evaluated at random points")

    def group_stream(self, tok: Tok) -> _Stream:
        return _Stream(flatten(tok.node.nodelist), tok.end)

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise depth_error()

    def call(self, func: str, *args: Expr) -> Expr:
        signature = resolve_function(func, ANSWER)
        check_arg_count(func, signature, len(args))
        return Call(func, tuple(args), (), (), self.uid())

    def binary(self, op: str, left: Expr, right: Expr) -> Expr:
        if op == "**":
            check_exponent(right)
        return Binary(op, left, right, self.uid())

    def product(self, op: str, left: Expr, right: Expr) -> Expr:
        if op == "dot":
            return self.call("dot", left, right)
        return self.binary(op, left, right)

    # ---- entry -----------------------------------------------------------------------

    def top(self, toks: list[Tok]) -> Expr:
        stream = _Stream(toks, len(self.text))
        expr = self.expr(stream)
        if stream.peek() is not None:
            raise self.fail(stream.position())
        return expr

    def whole(self, stream: _Stream) -> Expr:
        """A group's or a parenthesis' contents: one expression and nothing after it."""
        expr = self.expr(stream)
        if stream.peek() is not None:
            raise self.fail(stream.position())
        return expr

    # ---- sums and products -----------------------------------------------------------

    def expr(self, stream: _Stream) -> Expr:
        self.nest()
        try:
            sign = None
            if stream.at("char", "+", "-"):
                tok = stream.take()
                assert tok is not None
                sign = tok.text
            left = self.term(stream)
            if sign == "-":
                left = Unary("-", left, self.uid())
            while stream.at("char", "+", "-"):
                tok = stream.take()
                assert tok is not None
                right = self.term(stream)
                left = self.binary(tok.text, left, right)
            return left
        finally:
            self.depth -= 1

    def term(self, stream: _Stream) -> Expr:
        left = self.unary(stream)
        while True:
            tok = stream.peek()
            if tok is None:
                return left
            if tok.kind == "char" and tok.text in "*/":
                stream.take()
                op = "*" if tok.text == "*" else "/"
                if op == "*":
                    right = self.unary(stream)
                    left = self.product("dot", left, right)
                else:
                    left = self.binary("/", left, self.unary(stream))
                continue
            if tok.kind == "macro" and tok.text in _PRODUCTS:
                stream.take()
                op = _PRODUCTS[tok.text]
                if op == "*":
                    self.matrix_notation = True
                left = self.product(op, left, self.unary(stream))
                continue
            if tok.kind == "macro" and tok.text == "div":
                stream.take()
                left = self.binary("/", left, self.unary(stream))
                continue
            if self.starts_factor(tok):
                left = self.product("dot", left, self.unary(stream))
                continue
            return left

    def starts_factor(self, tok: Tok) -> bool:
        if tok.kind == "group":
            return True
        if tok.kind == "char":
            return tok.text.isalnum() or tok.text in "(.[|"
        if tok.kind == "macro":
            return tok.text not in {"right", "rVert", "rvert", "\\", "cdot", "times"} and (
                tok.text not in _PRODUCTS and tok.text not in {"pm", "mp", "div"}
            )
        return False

    def unary(self, stream: _Stream) -> Expr:
        if stream.at("char", "-"):
            stream.take()
            self.nest()
            try:
                return Unary("-", self.unary(stream), self.uid())
            finally:
                self.depth -= 1
        if stream.at("char", "+"):
            stream.take()
            return self.unary(stream)
        return self.postfix(stream)

    # ---- factors and their scripts ---------------------------------------------------

    def postfix(self, stream: _Stream) -> Expr:
        base = self.atom(stream)
        return self.powers(stream, base, is_array=self.array_like(base))

    def powers(self, stream: _Stream, base: Expr, is_array: bool) -> Expr:
        """``^…`` after a factor: a transpose, an inverse, a power; ``'`` is refused."""
        while stream.at("char", "^"):
            stream.take()
            arg = self.script_tokens(stream)
            if _is_transpose(arg):
                self.matrix_notation = True
                base = Transpose(base, self.uid())
                continue
            exponent = self.expr(_Stream(arg, stream.position()))
            if is_array and _is_minus_one(exponent):
                self.matrix_notation = True
                base = self.call("inv", base)
                continue
            base = self.binary("**", base, exponent)
        if stream.at("char", "_"):
            tok = stream.peek()
            assert tok is not None
            raise self.fail(tok.pos)
        return base

    def array_like(self, expr: Expr) -> bool:
        return any(isinstance(n, Name) and n.id in self.arrays for n in walk(expr))

    def script_tokens(self, stream: _Stream) -> list[Tok]:
        """The argument of ``^`` or ``_``: one token, or a group's contents."""
        tok = stream.take()
        if tok is None:
            raise self.fail(len(self.text) - 1)
        if tok.kind == "group":
            return flatten(tok.node.nodelist)
        if tok.kind == "macro" and tok.text in BOLD | FONTS:
            inner = stream.take()
            if inner is None:
                raise self.fail(tok.pos)
            return [tok, inner]
        return [tok]

    def argument(self, stream: _Stream, what: Tok) -> _Stream:
        """A command's argument (one token or a group) as a stream of its own."""
        tok = stream.take()
        if tok is None:
            raise self.fail(what.pos)
        if tok.kind == "group":
            return self.group_stream(tok)
        return _Stream([tok], tok.end)

    def atom(self, stream: _Stream) -> Expr:
        tok = stream.take()
        if tok is None:
            raise self.fail(max(0, len(self.text) - 1))
        if tok.kind == "char":
            return self.char_atom(tok, stream)
        if tok.kind == "group":
            self.nest()
            try:
                return self.whole(self.group_stream(tok))
            finally:
                self.depth -= 1
        if tok.kind == "macro":
            return self.macro_atom(tok, stream)
        if tok.kind == "env" and tok.text == "cases":
            return self.cases(tok)
        if tok.kind == "env":
            raise self.cannot(f"`\\begin{{{tok.text}}}`")
        raise self.fail(tok.pos)

    def char_atom(self, tok: Tok, stream: _Stream) -> Expr:
        ch = tok.text
        if ch.isdigit() or ch == ".":
            return self.number(tok, stream)
        if ch == "(" or ch == "[":
            return self.until(stream, "char", ")" if ch == "(" else "]", tok)
        if ch == "|":
            inner = self.until(stream, "char", "|", tok)
            return self.call("abs", inner)
        if ch.isalpha() and ch.isascii():
            word = self.bare_function(tok, stream)
            if word is not None:
                return word
            if ch == "e" and stream.at("char", "^"):
                stream.take()
                arg = self.script_tokens(stream)
                return self.call("exp", self.expr(_Stream(arg, stream.position())))
            if ch == "E" and stream.at("char", "["):
                return self.expectation(stream, tok)
            known = self.known_name(tok, stream)
            if known is not None:
                return known
            return self.symbol(ch, tok, stream, bold=False)
        raise self.fail(tok.pos)

    def bare_function(self, tok: Tok, stream: _Stream) -> Expr | None:
        """``sigma(z)``, ``exp(x)``, typed without a backslash: a known word and ``(``."""
        letters = [tok]
        j = 0
        while (nxt := stream.peek(j)) is not None and nxt.kind == "char" and nxt.text.isalpha():
            if nxt.pos != letters[-1].end:
                break
            letters.append(nxt)
            j += 1
        word = "".join(t.text for t in letters)
        after = stream.peek(j)
        if word not in BARE_FUNCTIONS or after is None:
            return None
        if not (after.kind == "char" and after.text in "('") and not (
            after.kind == "macro" and after.text == "left"
        ):
            return None
        stream.i += j
        return self.function("sigmoid" if word == "sigma" else NAMED_FUNCTIONS[word], tok, stream)

    def known_name(self, tok: Tok, stream: _Stream) -> Expr | None:
        """The longest run of letters and digits from ``tok`` that spells a known name."""
        if not self.names:
            return None
        run = [tok]
        j = 0
        while (nxt := stream.peek(j)) is not None and nxt.kind == "char":
            if not (nxt.text.isalnum() or nxt.text == "_") or nxt.pos != run[-1].end:
                break
            run.append(nxt)
            j += 1
        for length in range(len(run), 1, -1):
            word = "".join(t.text for t in run[:length])
            if word in self.names:
                stream.i += length - 1
                self.symbols.setdefault(word, word)
                if word[:1].isupper():
                    self.arrays.add(word)
                return Name(word)
        return None

    def number(self, tok: Tok, stream: _Stream) -> Expr:
        digits = tok.text
        end = tok.end
        while (
            (nxt := stream.peek()) is not None
            and nxt.kind == "char"
            and (nxt.text.isdigit() or nxt.text == ".")
            and nxt.pos == end
        ):
            digits += nxt.text
            end = nxt.end
            stream.take()
        try:
            value = float(digits)
        except ValueError:
            raise self.fail(tok.pos) from None
        return Num(check_number(value))

    def until(self, stream: _Stream, kind: str, text: str, opener: Tok) -> Expr:
        """An expression up to the matching closer (``)``, ``]``, ``|``), which is consumed."""
        start = stream.i
        depth = 0
        j = start
        while j < len(stream.toks):
            tok = stream.toks[j]
            if tok.kind == kind and tok.text == text and depth == 0:
                break
            if tok.kind == "char" and tok.text in "([":
                depth += 1
            elif tok.kind == "char" and tok.text in ")]" and depth > 0:
                depth -= 1
            j += 1
        else:
            raise self.fail(opener.pos)
        inner = _Stream(stream.toks[start:j], stream.toks[j].pos)
        stream.i = j + 1
        self.nest()
        try:
            if text == "|" and not inner.toks:
                raise self.fail(opener.pos)
            return self.whole(inner)
        finally:
            self.depth -= 1

    def left_right(self, stream: _Stream, tok: Tok) -> Expr:
        """``\\left( … \\right)``, ``\\left| … \\right|``, ``\\left\\| … \\right\\|``."""
        opener = stream.take()
        if opener is None:
            raise self.fail(tok.pos)
        start = stream.i
        depth = 0
        j = start
        while j < len(stream.toks):
            t = stream.toks[j]
            if t.kind == "macro" and t.text == "left":
                depth += 1
            elif t.kind == "macro" and t.text == "right":
                if depth == 0:
                    break
                depth -= 1
            j += 1
        else:
            raise self.fail(tok.pos)
        if j + 1 >= len(stream.toks):
            raise self.fail(stream.toks[j].pos)
        closer = stream.toks[j + 1]
        inner = _Stream(stream.toks[start:j], stream.toks[j].pos)
        stream.i = j + 2
        self.nest()
        try:
            value = self.whole(inner)
        finally:
            self.depth -= 1
        kind = opener.text
        if kind in ("|", "vert", "lvert") and closer.text in ("|", "vert", "rvert"):
            return self.call("abs", value)
        if kind in ("\\|", "|", "Vert", "lVert") and opener.kind == "macro":
            return self.norm(value, stream)
        if kind in ("(", "[", "{", ".", "lbrack", "lbrace"):
            return value
        raise self.fail(opener.pos)

    def norm(self, value: Expr, stream: _Stream) -> Expr:
        """``‖x‖``, ``‖x‖_2`` (the 2-norm), ``‖x‖_1`` (the sum of absolute values)."""
        self.vector_only = True
        if stream.at("char", "_"):
            stream.take()
            sub = "".join(t.text for t in self.script_tokens(stream))
            if sub == "1":
                return self.call("sum", self.call("abs", value))
            if sub not in ("2", "F"):
                raise self.cannot(f"the norm ‖·‖_{sub}")
        return self.call("norm", value)

    # ---- commands ----------------------------------------------------------------------

    def macro_atom(self, tok: Tok, stream: _Stream) -> Expr:
        name = tok.text
        if name == "left":
            return self.left_right(stream, tok)
        if name in ("|", "Vert", "lVert"):
            closer = {"|": "|", "Vert": "Vert", "lVert": "rVert"}[name]
            inner = self.until(stream, "macro", closer, tok)
            return self.norm(inner, stream)
        if name in ("lvert",):
            return self.call("abs", self.until(stream, "macro", "rvert", tok))
        if name in ("frac", "dfrac", "tfrac"):
            return self.fraction(tok, stream)
        if name == "sqrt":
            return self.root(tok, stream)
        if name in GREEK:
            if name == "sigma" and self.applied(stream):
                return self.function("sigmoid", tok, stream)
            return self.symbol(GREEK[name], tok, stream, bold=False)
        if name == "pi":
            if stream.at("char", "_", "(", "^"):  # a policy: \pi_\theta(a), \pi^*
                return self.symbol("pi", tok, stream, bold=False)
            return Num(math.pi)
        if name in ACCENTS or name in BOLD or name in FONTS:
            return self.styled(tok, stream)
        if name == "operatorname" or (name == "mathrm" and self.operator_word(stream)):
            return self.operator(tok, stream)
        if name in NAMED_FUNCTIONS:
            return self.function(NAMED_FUNCTIONS[name], tok, stream)
        if name in ("sum", "prod"):
            return self.big_operator(name, tok, stream)
        if name in ("underbrace", "overbrace"):
            value = self.whole(self.argument(stream, tok))
            if stream.at("char", "_", "^"):
                stream.take()
                self.script_tokens(stream)
            return value
        if name == "mathbb":
            return self.blackboard(tok, stream)
        if name == "nabla":
            return self.gradient(tok, stream)
        if name in _CANNOT:
            raise self.cannot(_CANNOT[name])
        raise ExerciseError(f"`\\{name}` is not a command quizapp can evaluate")

    def gradient(self, tok: Tok, stream: _Stream) -> Expr:
        """``\\nabla_\\theta J``: a gradient is a quantity of its own, named after its text
        (the factor it applies to is read only to know where it ends)."""
        if stream.at("char", "_"):
            stream.take()
            self.script_tokens(stream)
        start = stream.i
        saved = (dict(self.symbols), set(self.arrays), set(self.samples))
        self.postfix(stream)
        self.symbols, self.arrays, self.samples = saved[0], saved[1], saved[2]
        end = stream.toks[stream.i - 1].end if stream.i > start else tok.end
        source = self.text[tok.pos : end]
        words = re.findall(r"[A-Za-z0-9]+", source.replace("\\nabla", " "))
        name = check_name("grad_" + "_".join(words))
        self.symbols.setdefault(name, source)
        if self.in_expectation:
            self.samples.add(name)
        return Name(name)

    def operator_word(self, stream: _Stream) -> bool:
        tok = stream.peek()
        if tok is None or tok.kind != "group":
            return False
        word = _plain_text(flatten(tok.node.nodelist)).lower()
        return word in NAMED_FUNCTIONS or word in ("relu", "var")

    def applied(self, stream: _Stream) -> bool:
        """Whether a function application follows: ``(``, ``\\left``, ``'`` or ``^{\\prime}``."""
        tok = stream.peek()
        if tok is None:
            return False
        if tok.kind == "char" and tok.text in "('":
            return True
        return tok.kind == "macro" and tok.text in ("left", "prime")

    def fraction(self, tok: Tok, stream: _Stream) -> Expr:
        top = self.argument(stream, tok)
        bottom = self.argument(stream, tok)
        derivative = self.derivative(top, bottom, self.text[tok.pos : bottom.end])
        if derivative is not None:
            return derivative
        self.nest()
        try:
            numerator = self.whole(top)
            denominator = self.whole(bottom)
        finally:
            self.depth -= 1
        return self.binary("/", numerator, denominator)

    def derivative(self, top: _Stream, bottom: _Stream, source: str) -> Expr | None:
        """``\\frac{\\partial L}{\\partial W}`` is the symbol ``dL_dW`` (a named quantity)."""
        if not (top.at("macro", "partial") or top.at("char", "d")) or len(top.toks) < 2:
            return None
        if not (bottom.at("macro", "partial") or bottom.at("char", "d")) or len(bottom.toks) < 2:
            return None
        of = self.name_of(_Stream(top.toks[1:], top.end))
        wrt = self.name_of(_Stream(bottom.toks[1:], bottom.end))
        if of is None or wrt is None:
            return None
        name = check_name(f"d{of}_d{wrt}")
        self.symbols.setdefault(name, source.strip())
        if wrt in self.arrays or of in self.arrays:
            self.arrays.add(name)
        return Name(name)

    def name_of(self, stream: _Stream) -> str | None:
        """The name of a lone symbol (``W^{[2]}``, ``\\hat{y}``), else None."""
        saved = (dict(self.symbols), set(self.arrays))
        try:
            expr = self.whole(stream)
        except ExerciseError:
            return None
        finally:
            self.symbols, self.arrays = saved[0], saved[1]
        return expr.id if isinstance(expr, Name) else None

    def root(self, tok: Tok, stream: _Stream) -> Expr:
        degree: Expr | None = None
        if stream.at("char", "["):
            opener = stream.take()
            assert opener is not None
            degree = self.until(stream, "char", "]", opener)
        value = self.whole(self.argument(stream, tok))
        if degree is None:
            return self.call("sqrt", value)
        return self.binary("**", value, self.binary("/", Num(1.0), degree))

    def styled(self, tok: Tok, stream: _Stream) -> Expr:
        """``\\hat{y}``, ``\\mathbf{x}``, ``\\text{lr}``: one symbol, named after its letters."""
        arg = self.argument(stream, tok)
        if tok.text in BOLD and _plain_text(arg.toks) == "1" and stream.at("char", "["):
            return self.indicator(stream, tok)
        inner_name = self.styled_name(tok.text, arg)
        if inner_name is None:
            raise self.fail(tok.pos)
        bold = tok.text in BOLD or inner_name[1]
        return self.symbol(inner_name[0], tok, stream, bold=bold, end=arg.end)

    def styled_name(self, command: str, arg: _Stream) -> tuple[str, bool] | None:
        """The name a styled argument spells, and whether it is bold."""
        toks = arg.toks
        if len(toks) == 1 and toks[0].kind == "char" and toks[0].text.isalpha():
            base, bold = toks[0].text, False
        elif len(toks) == 1 and toks[0].kind == "macro" and toks[0].text in GREEK:
            base, bold = GREEK[toks[0].text], False
        elif len(toks) == 1 and toks[0].kind == "macro" and toks[0].text == "pi":
            base, bold = "pi", False
        elif (
            len(toks) == 2
            and toks[0].kind == "macro"
            and (toks[0].text in BOLD or toks[0].text in ACCENTS)
        ):
            inner = self.styled_name(toks[0].text, _Stream(toks[1:], arg.end))
            if inner is None:
                return None
            base, bold = inner[0], inner[1] or toks[0].text in BOLD
        elif len(toks) == 1 and toks[0].kind == "group":
            return self.styled_name(command, self.group_stream(toks[0]))
        elif (
            command in FONTS
            and toks
            and all(t.kind == "char" and (t.text.isalnum() or t.text == "_") for t in toks)
        ):
            base, bold = "".join(t.text for t in toks), False
        else:
            return None
        if command in ACCENTS:
            base += ACCENTS[command]
        if command == "vec":
            bold = True
        if command in FONTS and not base.isidentifier():
            return None
        return base, bold

    def applied_symbol(self, name: str, stream: _Stream, start: int) -> Expr | None:
        """``p(y \\mid x)``, ``F(x; W)``, ``q(o, c)``: a function of several symbols or a
        conditional is a quantity of its own, named after what it is written as (from
        ``start``, where its symbol begins, for the symbol table)."""
        opener = stream.peek()
        if opener is None or opener.kind != "char" or opener.text != "(":
            return None
        depth = 0
        j = stream.i
        separated = False
        while j < len(stream.toks):
            t = stream.toks[j]
            if t.kind == "char" and t.text in "([":
                depth += 1
            elif t.kind == "char" and t.text in ")]":
                depth -= 1
                if depth == 0:
                    break
            elif depth == 1 and (
                (t.kind == "char" and t.text in ",;|") or (t.kind == "macro" and t.text == "mid")
            ):
                separated = True
            j += 1
        else:
            return None
        if not separated:
            return None
        inside = self.text[opener.end : stream.toks[j].pos]
        parts = re.findall(r"[A-Za-z0-9]+", inside.replace("\\mid", " ").replace("\\", " "))
        full = check_name(f"{name}_of_{'_'.join(parts)}")
        self.symbols.setdefault(full, self.text[start : stream.toks[j].end])
        if self.in_expectation:
            self.samples.add(full)
        stream.i = j + 1
        return Name(full)

    def symbol(
        self, base: str, tok: Tok, stream: _Stream, bold: bool, end: int | None = None
    ) -> Expr:
        """A symbol and the scripts that are part of its name: ``x_i``, ``W^{(2)}``, ``x'``.

        ``end`` is where the symbol's source ends before its scripts when that is past
        ``tok`` (``\\hat{y}``: after the argument), so the symbol table shows it whole."""
        if base in self.bound.values:
            return Num(float(self.bound.values[base]))
        name = base
        end = tok.end if end is None else end
        while True:
            nxt = stream.peek()
            if nxt is None:
                break
            if nxt.kind == "char" and nxt.text == "_":
                stream.take()
                name += "_" + self.subscript(self.script_tokens(stream), nxt)
                end = stream.toks[stream.i - 1].end
                continue
            if nxt.kind == "char" and nxt.text == "^":
                sup = stream.peek(1)
                if sup is None:
                    raise self.fail(nxt.pos)
                part = self.name_part(sup)
                if part is None:
                    break
                stream.i += 2
                name += part
                end = sup.end
                continue
            if nxt.kind == "char" and nxt.text == "'":
                stream.take()
                name += "prime"
                end = nxt.end
                continue
            break
        name = check_name(name)
        if not name.isidentifier() or not name.isascii():
            raise self.fail(tok.pos)
        applied = self.applied_symbol(name, stream, tok.pos)
        if applied is not None:
            return applied
        self.symbols.setdefault(name, self.text[tok.pos : end])
        if bold or base[:1].isupper():
            self.arrays.add(name)
        if self.in_expectation:
            self.samples.add(name)
        return Name(name)

    def name_part(self, sup: Tok) -> str | None:
        """A superscript that names rather than raises: ``(2)``, ``[l]``, ``*``, ``\\prime``."""
        if sup.kind == "char" and sup.text in "*+-":
            return {"*": "star", "+": "plus", "-": "minus"}[sup.text]
        if sup.kind == "macro" and sup.text == "prime":
            return "prime"
        if sup.kind != "group":
            return None
        toks = [t for t in flatten(sup.node.nodelist) if not t.text.isspace()]
        if len(toks) >= 2 and toks[0].kind == "char" and toks[0].text == "*":
            rest = toks[1:]
            if rest[0].text in "([" and rest[-1].text in ")]" and len(rest) >= 3:
                rest = rest[1:-1]
            return "star" + self.subscript(rest, sup)
        if len(toks) >= 3 and toks[0].text in "([" and toks[-1].text in ")]":
            inner = toks[1:-1]
            return self.subscript(inner, sup)
        if len(toks) == 1 and toks[0].kind == "char" and toks[0].text == "*":
            return "star"
        if len(toks) == 1 and toks[0].kind == "macro" and toks[0].text in ("prime", "ast"):
            return "prime" if toks[0].text == "prime" else "star"
        if len(toks) == 2 and toks[0].kind == "macro" and toks[0].text in FONTS:
            word = _plain_text(flatten(toks[1].node.nodelist)) if toks[1].kind == "group" else ""
            if word.isalnum() and word.isascii() and word != "T":
                return word
        return None

    def subscript(self, toks: list[Tok], at: Tok) -> str:
        """A subscript as part of a name: letters and digits; a bound index by its value;
        ``t-1`` as ``tm1``; Greek letters by name."""
        parts: list[str] = []
        for t in toks:
            if t.kind == "char" and t.text.isspace():
                continue
            if t.kind == "char" and t.text.isalnum() and t.text.isascii():
                value = self.bound.values.get(t.text)
                parts.append(str(value) if value is not None else t.text)
            elif t.kind == "char" and t.text in "+-,_":
                parts.append({"+": "p", "-": "m", ",": "", "_": ""}[t.text])
            elif t.kind == "macro" and t.text in GREEK:
                parts.append(GREEK[t.text])
            elif t.kind == "macro" and t.text in NAMED_FUNCTIONS:
                parts.append(t.text)
            elif t.kind == "char" and t.text in "()/":
                parts.append("d" if t.text == "/" else "")
            elif t.kind == "group":
                parts.append(self.subscript(flatten(t.node.nodelist), at))
            elif t.kind == "macro" and t.text in FONTS:
                continue
            else:
                raise self.fail(t.pos)
        text = "".join(parts)
        if not text:
            raise self.fail(at.pos)
        return text

    # ---- functions ---------------------------------------------------------------------

    def operator(self, tok: Tok, stream: _Stream) -> Expr:
        """``\\operatorname{softmax}(z)``, ``\\operatorname{ReLU}'(x)``, ``\\mathrm{Var}[x]``."""
        arg = self.argument(stream, tok)
        word = _plain_text(arg.toks)
        lowered = word.lower()
        if lowered == "var":
            self.vector_only = self.vector_only or not self.in_expectation
            return self.function("var", tok, stream)
        if lowered in NAMED_FUNCTIONS:
            return self.function(NAMED_FUNCTIONS[lowered], tok, stream)
        raise ExerciseError(f"`\\operatorname{{{word}}}` is not a function quizapp can evaluate")

    def function(self, func: str, tok: Tok, stream: _Stream) -> Expr:
        """A function applied to its argument: ``\\log x``, ``\\exp(…)``, ``\\sigma'(z)``,
        ``\\max(a, b)``; a power right after the name (``\\log^2 x``) is refused."""
        prime = False
        if stream.at("char", "'") or stream.at("macro", "prime"):
            stream.take()
            prime = True
        elif stream.at("char", "^"):
            nxt = stream.peek(1)
            if nxt is not None and self.name_part(nxt) == "prime":
                stream.i += 2
                prime = True
        if stream.at("char", "_") and func == "log":
            stream.take()
            base = self.whole(_Stream(self.script_tokens(stream), stream.position()))
            value = self.function_argument(stream, tok)
            return self.binary("/", self.call("log", value), self.call("log", base))
        if func in ("max", "min"):
            return self.extreme(func, tok, stream)
        args = self.function_arguments(stream, tok)
        if func == "softmax":
            self.vector_only = True
        if prime:
            if len(args) != 1:
                raise self.fail(tok.pos)
            return self.derivative_of(func, args[0], tok)
        if func == "trace":
            raise self.cannot("a trace")
        if func == "var":
            return self.call("var", *args)
        if func == "sign" and len(args) == 1:
            return self.binary("/", args[0], self.call("abs", args[0]))
        if func == "logsumexp" and len(args) == 1:
            self.vector_only = True
            return self.call("log", self.call("sum", self.call("exp", args[0])))
        return self.call(func, *args)

    def derivative_of(self, func: str, arg: Expr, tok: Tok) -> Expr:
        """``σ'(z) = σ(z)(1 − σ(z))``, ``tanh'(z) = 1 − tanh²z``, ``ReLU'(z) = [z > 0]``."""
        if func == "sigmoid":
            s = self.call("sigmoid", arg)
            return self.binary("*", s, self.binary("-", Num(1.0), self.call("sigmoid", arg)))
        if func == "tanh":
            t = self.call("tanh", arg)
            return self.binary("-", Num(1.0), self.binary("**", t, Num(2.0)))
        if func == "relu":
            return Compare(">", arg, Num(0.0), self.uid())
        if func == "exp":
            return self.call("exp", arg)
        if func == "log":
            return self.binary("/", Num(1.0), arg)
        raise ExerciseError(f"the derivative of `{func}` is not one quizapp knows")

    def function_arguments(self, stream: _Stream, tok: Tok) -> list[Expr]:
        """``(a)``, ``(a, b)``, ``\\left(…\\right)``, ``{a}``, or one factor (``\\log x``)."""
        nxt = stream.peek()
        if nxt is None:
            raise self.fail(tok.pos)
        if nxt.kind == "char" and nxt.text in "([":
            stream.take()
            close = ")" if nxt.text == "(" else "]"
            return self.comma_list(stream, close, nxt)
        after = stream.peek(1)
        if nxt.kind == "macro" and nxt.text == "left" and after is not None and after.text == "(":
            return self.left_arguments(stream, nxt)
        return [self.function_argument(stream, tok)]

    def left_arguments(self, stream: _Stream, opener: Tok) -> list[Expr]:
        """``\\left( a,\\; b \\right)``: the arguments between ``\\left(`` and its
        ``\\right)``, split at top-level commas."""
        stream.i += 2
        start = stream.i
        depth = 0
        j = start
        while j < len(stream.toks):
            t = stream.toks[j]
            if t.kind == "macro" and t.text == "left":
                depth += 1
            elif t.kind == "macro" and t.text == "right":
                if depth == 0:
                    break
                depth -= 1
            j += 1
        if j + 1 >= len(stream.toks):
            raise self.fail(opener.pos)
        inner = _Stream([*stream.toks[start:j], Tok("char", ")", 0, 0, None)], stream.toks[j].pos)
        stream.i = j + 2
        return self.comma_list(inner, ")", opener)

    def function_argument(self, stream: _Stream, tok: Tok) -> Expr:
        nxt = stream.peek()
        if nxt is None:
            raise self.fail(tok.pos)
        if nxt.kind == "char" and nxt.text in "([":
            stream.take()
            args = self.comma_list(stream, ")" if nxt.text == "(" else "]", nxt)
            if len(args) != 1:
                raise self.fail(nxt.pos)
            return args[0]
        return self.postfix(stream)

    def comma_list(self, stream: _Stream, close: str, opener: Tok) -> list[Expr]:
        start = stream.i
        depth = 0
        j = start
        cuts: list[int] = []
        while j < len(stream.toks):
            t = stream.toks[j]
            if t.kind == "char" and t.text in "([":
                depth += 1
            elif t.kind == "char" and t.text in ")]":
                if depth == 0 and t.text == close:
                    break
                depth -= 1
            elif t.kind == "char" and t.text == "," and depth == 0:
                cuts.append(j)
            j += 1
        else:
            raise self.fail(opener.pos)
        bounds = [start, *[c + 1 for c in cuts]]
        ends = [*cuts, j]
        args: list[Expr] = []
        self.nest()
        try:
            for a, b in zip(bounds, ends, strict=True):
                end_pos = stream.toks[b].pos if b < len(stream.toks) else stream.end
                part = _Stream(stream.toks[a:b], end_pos)
                if not part.toks:
                    raise self.fail(end_pos)
                args.append(self.whole(part))
        finally:
            self.depth -= 1
        stream.i = j + 1
        return args

    def extreme(self, func: str, tok: Tok, stream: _Stream) -> Expr:
        """``\\max(0, x)`` is ``maximum``; ``\\max(x)`` of one argument is over its entries."""
        if stream.at("char", "_"):
            return self.expand(func, tok, stream)
        args = self.function_arguments(stream, tok)
        if len(args) == 2:
            return self.call("maximum" if func == "max" else "minimum", *args)
        if len(args) == 1:
            self.vector_only = True
            return self.call(func, args[0])
        raise self.fail(tok.pos)

    # ---- sums, products, expectations ----------------------------------------------------

    def big_operator(self, name: str, tok: Tok, stream: _Stream) -> Expr:
        """``\\sum_{i=1}^{n} body``: the body once per value of ``i``, joined by ``+``."""
        return self.expand(name, tok, stream)

    def expand(self, name: str, tok: Tok, stream: _Stream) -> Expr:
        """``\\sum``, ``\\prod``, ``\\max_j``, ``\\min_j`` over an index: the body once per
        value of the index, joined by ``+``, ``*``, ``maximum`` or ``minimum``."""
        index: str | None = None
        low = 1
        high: int | None = None
        for _ in range(2):
            if stream.at("char", "_"):
                stream.take()
                index, low = self.lower_limit(self.script_tokens(stream), tok)
            elif stream.at("char", "^"):
                stream.take()
                high = self.upper_limit(self.script_tokens(stream), tok)
        if index is None:
            raise self.cannot(f"a `\\{name}` without an index")
        if high is None:
            high = low + SUM_TERMS - 1
        if not 0 <= high - low < 16:
            raise self.cannot(f"a `\\{name}` of more than 16 terms")
        start = stream.i
        terms: list[Expr] = []
        outer = self.bound.values.get(index)
        for value in range(low, high + 1):
            stream.i = start
            self.bound.values[index] = value
            terms.append(self.postfix(stream) if name in ("max", "min") else self.term(stream))
        if outer is None:
            del self.bound.values[index]
        else:
            self.bound.values[index] = outer
        result = terms[0]
        for term in terms[1:]:
            if name in ("max", "min"):
                result = self.call("maximum" if name == "max" else "minimum", result, term)
            else:
                result = self.binary("+" if name == "sum" else "*", result, term)
        return result

    def lower_limit(self, toks: list[Tok], at: Tok) -> tuple[str, int]:
        toks = [t for t in toks if not t.text.isspace()]
        if not toks or toks[0].kind != "char" or not toks[0].text.isalpha():
            raise self.cannot("a sum over a set")
        index = toks[0].text
        if len(toks) == 1 or (toks[1].kind == "macro" and toks[1].text == "in"):
            return index, 1
        if len(toks) >= 3 and toks[1].text == "=" and all(t.text.isdigit() for t in toks[2:]):
            return index, int("".join(t.text for t in toks[2:]))
        raise self.cannot("a sum over a set")

    def upper_limit(self, toks: list[Tok], at: Tok) -> int:
        toks = [t for t in toks if not t.text.isspace()]
        text = "".join(t.text for t in toks)
        if text.isdigit():
            return int(text)
        bars = [t for t in toks if t.kind == "char" and t.text == "|"]
        if len(bars) == 2 and toks[0].text == "|" and toks[-1].text == "|" and len(toks) > 2:
            toks = toks[1:-1]  # a set's size |S| as the bound: |S| = n wherever it appears
        if toks and toks[0].kind == "char" and toks[0].text.isalpha():
            name = toks[0].text
            if len(toks) >= 3 and toks[1].text == "_":
                name += "_" + self.subscript(toks[2:], at)
            elif len(toks) != 1:
                raise self.cannot(f"a sum up to `{text}`")
            self.fixed[name] = float(SUM_TERMS)
            return SUM_TERMS
        raise self.cannot(f"a sum up to `{text}`")

    def cases(self, tok: Tok) -> Expr:
        """``\\begin{cases} a & z > 0 \\\\ b & \\text{otherwise} \\end{cases}``: ``where``
        over the conditions, the last row's value where none holds."""
        toks = flatten(tok.node.nodelist)
        rows: list[list[Tok]] = [[]]
        for t in toks:
            if t.kind == "macro" and t.text == "\\":
                rows.append([])
            else:
                rows[-1].append(t)
        rows = [r for r in rows if any(not x.text.isspace() for x in r)]
        if not rows:
            raise self.fail(tok.pos)
        pieces: list[tuple[Expr, Expr | None]] = []
        for row in rows:
            cells = [i for i, t in enumerate(row) if t.kind == "char" and t.text == "&"]
            if len(cells) != 1:
                raise self.cannot("a `cases` row without one `&`")
            value = self.whole(_Stream(row[: cells[0]], row[cells[0]].pos))
            condition_toks = row[cells[0] + 1 :]
            words = " ".join(
                _plain_text(flatten(t.node.nodelist)) for t in condition_toks if t.kind == "group"
            )
            if any(t.kind == "macro" and t.text == "text" for t in condition_toks) and (
                "otherwise" in words or "else" in words
            ):
                pieces.append((value, None))
                continue
            condition_toks = [
                t for t in condition_toks if not (t.kind == "macro" and t.text == "text")
            ]
            condition_toks = [
                t
                for t in condition_toks
                if not (t.kind == "group" and _plain_text(flatten(t.node.nodelist)) in ("if", ""))
            ]
            bracket = [Tok("char", "[", tok.pos, tok.pos, None)]
            closing = [Tok("char", "]", tok.end, tok.end, None)]
            stream = _Stream([*bracket, *condition_toks, *closing], tok.end)
            pieces.append((value, self.indicator(stream, tok)))
        result: Expr = pieces[-1][0]
        for value, condition in reversed(pieces[:-1]):
            if condition is None:
                raise self.cannot("a `cases` whose `otherwise` is not last")
            result = self.call("where", condition, value, result)
        return result

    def indicator(self, stream: _Stream, tok: Tok) -> Expr:
        """``\\mathbf{1}[z > 0]``: 1 where the comparison holds, else 0."""
        opener = stream.take()
        assert opener is not None
        start = stream.i
        depth = 0
        j = start
        cut: int | None = None
        op = ""
        ops = {"<": "<", ">": ">", "le": "<=", "leq": "<=", "ge": ">=", "geq": ">="}
        while j < len(stream.toks):
            t = stream.toks[j]
            if t.kind == "char" and t.text in "([":
                depth += 1
            elif t.kind == "char" and t.text in ")]":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and t.text in ops and t.kind in ("char", "macro"):
                if cut is not None:
                    raise self.cannot("a chained comparison")
                cut, op = j, ops[t.text]
            j += 1
        else:
            raise self.fail(opener.pos)
        if cut is None:
            raise self.fail(opener.pos)
        end = stream.toks[j].pos
        left = self.whole(_Stream(stream.toks[start:cut], stream.toks[cut].pos))
        right = self.whole(_Stream(stream.toks[cut + 1 : j], end))
        stream.i = j + 1
        return Compare(op, left, right, self.uid())

    def blackboard(self, tok: Tok, stream: _Stream) -> Expr:
        arg = self.argument(stream, tok)
        letter = _plain_text(arg.toks)
        if letter == "E":
            return self.expectation(stream, tok)
        if letter == "1" and stream.at("char", "["):
            return self.indicator(stream, tok)
        raise self.cannot(f"`\\mathbb{{{letter}}}`")

    def expectation(self, stream: _Stream, tok: Tok) -> Expr:
        """``\\mathbb{E}[f(x)]``: the mean of ``f`` over drawn samples of its symbols."""
        if stream.at("char", "_"):
            stream.take()
            self.script_tokens(stream)
        nxt = stream.peek()
        self.in_expectation += 1
        try:
            if nxt is not None and nxt.kind == "char" and nxt.text in "[(":
                stream.take()
                inner = self.until(stream, "char", "]" if nxt.text == "[" else ")", nxt)
            elif nxt is not None and nxt.kind == "macro" and nxt.text == "left":
                stream.take()
                inner = self.left_right(stream, nxt)
            else:
                raise self.fail(tok.pos)
        finally:
            self.in_expectation -= 1
        return self.call("mean", inner)


def _plain_text(toks: list[Tok]) -> str:
    return "".join(t.text for t in toks if t.kind == "char" and not t.text.isspace())


def _is_transpose(toks: list[Tok]) -> bool:
    toks = [t for t in toks if not (t.kind == "char" and t.text.isspace())]
    if len(toks) == 1:
        return toks[0].text in _TRANSPOSES
    if len(toks) == 2 and toks[0].kind == "macro" and toks[0].text in ("mathsf", "mathrm"):
        return toks[1].text == "T" or (
            toks[1].kind == "group" and _plain_text(flatten(toks[1].node.nodelist)) == "T"
        )
    return False


def _is_minus_one(expr: Expr) -> bool:
    return isinstance(expr, Unary) and expr.op == "-" and expr.operand == Num(1.0)
