"""Where each symbol of a formula is drawn from, inferred from how the formula uses it.

A symbol under a log, a square root or a fractional power, or alone in a denominator, is
drawn positive; one in ``1 − p`` under a log or a root, or named like a probability (``p``,
``q``, ``β``), in (0, 1); the others anywhere away from 0 (magnitudes in [0.3, 2], either
sign), so that a dropped factor or a flipped sign always shows. An author overrides any of
these with a comment in the formula: ``% domain: x > 0, p in (0, 1), z real``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.expr import Binary, Call, Expr, Name, Num, literal_value, walk

REAL = "real"
POSITIVE = "positive"
UNIT = "unit"
SMALL = "small"
#: Every domain, with the interval its draws come from (``real``: either sign).
DOMAINS = {REAL: (0.3, 2.0), POSITIVE: (0.2, 2.0), UNIT: (0.05, 0.95), SMALL: (1e-10, 1e-9)}

#: Bases of names that are probabilities or decay rates.
_UNIT_BASES = frozenset({"p", "q", "beta", "phat", "qhat", "pi"})
#: Bases of names that are positive by convention: rates, scales, counts.
_POSITIVE_BASES = frozenset({"eta", "alpha", "lambda", "sigma", "tau", "n", "N", "T", "k"})
#: Bases of names that are a numerical guard (``ε``): tiny, so that ``√(v + ε)`` and
#: ``√v + ε`` agree, as they do in practice.
_SMALL_BASES = frozenset({"epsilon", "eps"})
_POSITIVE_FUNCTIONS = frozenset({"log", "sqrt"})


def infer_domains(root: Expr, names: Iterable[str]) -> dict[str, str]:
    """The domain of each name in ``names`` as ``root`` uses it."""
    domains = {name: REAL for name in names}
    for name in domains:
        base = re.split(r"_|hat|\d", name)[0]
        if base in _UNIT_BASES or name.split("_")[0] in _UNIT_BASES:
            domains[name] = UNIT
        elif base in _SMALL_BASES:
            domains[name] = SMALL
        elif base in _POSITIVE_BASES:
            domains[name] = POSITIVE
    for node in walk(root):
        if isinstance(node, Call) and node.func in _POSITIVE_FUNCTIONS:
            arg = node.args[0]
            for unit in _one_minus(arg):
                domains[unit] = UNIT
            for name in _exposed(arg):
                if domains.get(name) == REAL:
                    domains[name] = POSITIVE
        elif isinstance(node, Binary) and node.op == "/":
            for name in _direct_names(node.right):
                if domains.get(name) == REAL:
                    domains[name] = POSITIVE
        elif isinstance(node, Binary) and node.op == "**":
            exponent = literal_value(node.right)
            if exponent is None or exponent != int(exponent):
                for name in _exposed(node.left):
                    if domains.get(name) == REAL:
                        domains[name] = POSITIVE
    return domains


def _exposed(expr: Expr) -> set[str]:
    """Names whose sign decides the sign of ``expr``: reached through sums, products,
    quotients and powers, not through a function (``e^z`` is positive whatever ``z``)."""
    if isinstance(expr, Name):
        return {expr.id}
    if isinstance(expr, Binary):
        if expr.op == "**":
            power = literal_value(expr.right)
            if power is not None and power == int(power) and int(power) % 2 == 0:
                return set()  # an even power is positive whatever the sign
        found = _exposed(expr.left)
        if expr.op != "**":
            found |= _exposed(expr.right)
        return found
    if isinstance(expr, Call) and expr.func in ("dot", "sum", "mean"):
        return set().union(*(_exposed(a) for a in expr.args))
    return set()


def _direct_names(expr: Expr) -> set[str]:
    """Names a denominator is made of by products and powers alone (``a b``, ``σ^2``)."""
    if isinstance(expr, Name):
        return {expr.id}
    if isinstance(expr, Binary) and expr.op in ("*", "**"):
        return _direct_names(expr.left) | (_direct_names(expr.right) if expr.op == "*" else set())
    if isinstance(expr, Call) and expr.func == "dot":
        return _direct_names(expr.args[0]) | _direct_names(expr.args[1])
    return set()


def _one_minus(expr: Expr) -> set[str]:
    """Names ``p`` in a ``1 - p`` (or ``1 - p^k``) inside ``expr``."""
    found: set[str] = set()
    for node in walk(expr):
        if (
            isinstance(node, Binary)
            and node.op == "-"
            and isinstance(node.left, Num)
            and node.left.value == 1.0
        ):
            right = node.right
            if isinstance(right, Binary) and right.op == "**":
                right = right.left
            if isinstance(right, Name):
                found.add(right.id)
    return found


_RULE = re.compile(
    r"^\s*(?P<names>[^<>]+?)\s*(?:(?P<cmp>>|<)\s*0|in\s*\(\s*0\s*,\s*1\s*\)|(?P<real>real))\s*$"
)


def author_domains(comments: Iterable[str], translate: Mapping[str, str]) -> dict[str, str]:
    """Domains from ``% domain: x > 0, p in (0, 1), z real`` comments.

    ``translate`` maps what an author writes (``\\hat{p}``, ``p``) to symbol names; a rule
    that does not read is an error naming it.
    """
    found: dict[str, str] = {}
    for comment in comments:
        match = re.match(r"%\s*domains?\s*:\s*(.*)$", comment.strip())
        if not match:
            continue
        for rule in re.split(r"[;,](?![^()]*\))", match.group(1)):
            if not rule.strip():
                continue
            read = _RULE.match(rule)
            if read is None or read.group("cmp") == "<":
                raise ExerciseError(
                    f"cannot read the domain `{rule.strip()}` "
                    "(write `x > 0`, `p in (0, 1)` or `z real`)"
                )
            domain = REAL if read.group("real") else POSITIVE if read.group("cmp") else UNIT
            for written in read.group("names").split():
                name = translate.get(written, written)
                found[name] = domain
    return found
