"""The mistakes a wrong drill answer is compared with, to name the one it looks like.

The exercise engine's variants, made on the reference formula's tree: the sign flipped,
a factor of 2 or ½, the transpose of the whole; then one change at one place: a
transpose dropped, a product's factors swapped, an element-wise product where a matrix
product belongs and the reverse, one term of a sum left out or its sign flipped, ``log``
in place of ``log1p``. A variant that computes the reference itself (a symmetric case) is
skipped by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from quizapp.exercises.diagnosis import (
    DOUBLE,
    ELEMENTWISE_FOR_MATMUL,
    HALF,
    MATMUL_FOR_ELEMENTWISE,
    SIGN,
    TRANSPOSED,
)
from quizapp.exercises.expr import Binary, Call, Compare, Expr, Num, Transpose, Unary

TRANSPOSE_DROPPED = "transpose_dropped"
PRODUCT_ORDER = "product_order"
MISSING_TERM = "missing_term"
TERM_SIGN = "term_sign_flipped"
LOG_FOR_LOG1P = "log_for_log1p"
MISSING_FACTOR = "missing_factor"


@dataclass(frozen=True)
class Variant:
    """One plausible wrong answer, its machine name and the sentence that explains it."""

    name: str
    expr: Expr
    message: str


def variants(root: Expr) -> Iterator[Variant]:
    """The variants of ``root``, whole-formula ones first."""
    yield Variant(SIGN, Unary("-", root, 0), "The sign is flipped.")
    yield Variant(DOUBLE, Binary("*", Num(2.0), root, 0), "Your answer is twice the right value.")
    yield Variant(HALF, Binary("*", Num(0.5), root, 0), "Your answer is half the right value.")
    yield Variant(TRANSPOSED, Transpose(root, 0), "This is the transpose of the right one.")
    yield from _local(root)


def _local(root: Expr) -> Iterator[Variant]:
    terms = _terms(root)
    if len(terms) > 1:
        for index in range(len(terms)):
            kept = [t for i, t in enumerate(terms) if i != index]
            yield Variant(
                MISSING_TERM, _join(kept), f"A term of the sum is missing (term {index + 1})."
            )
        for index in range(len(terms)):
            flipped = [(not neg, t) if i == index else (neg, t) for i, (neg, t) in enumerate(terms)]
            yield Variant(TERM_SIGN, _join(flipped), f"The sign of term {index + 1} is flipped.")
    yield from _rewrites(root)


def _rewrites(root: Expr) -> Iterator[Variant]:
    """One local change at each place it applies."""

    def changes(node: Expr) -> list[tuple[str, Expr, str]]:
        found: list[tuple[str, Expr, str]] = []
        if isinstance(node, Transpose):
            found.append((TRANSPOSE_DROPPED, node.operand, "A transpose is missing."))
        if isinstance(node, Call) and node.func == "dot":
            a, b = node.args
            found.append(
                (
                    PRODUCT_ORDER,
                    Call("dot", (b, a), (), (), node.uid),
                    "The product's factors are in the wrong order.",
                )
            )
            found.append(
                (
                    ELEMENTWISE_FOR_MATMUL,
                    Binary("*", a, b, node.uid),
                    "You used an element-wise product where a matrix product belongs.",
                )
            )
        if (isinstance(node, Binary) and node.op == "*") or (
            isinstance(node, Call) and node.func == "dot"
        ):
            left, right = (node.left, node.right) if isinstance(node, Binary) else node.args
            found.append((MISSING_FACTOR, left, "A factor is missing."))
            found.append((MISSING_FACTOR, right, "A factor is missing."))
        if isinstance(node, Binary) and node.op == "*":
            found.append(
                (
                    MATMUL_FOR_ELEMENTWISE,
                    Call("dot", (node.left, node.right), (), (), node.uid),
                    "You used a matrix product where an element-wise product (⊙) belongs.",
                )
            )
        if isinstance(node, Call) and node.func == "log1p":
            found.append(
                (
                    LOG_FOR_LOG1P,
                    Call("log", node.args, (), (), node.uid),
                    "You wrote log(x) where log(1 + x) belongs.",
                )
            )
        return found

    yield from _everywhere(root, changes)


def _everywhere(
    root: Expr, changes: Callable[[Expr], list[tuple[str, Expr, str]]]
) -> Iterator[Variant]:
    """Each change of each node, rebuilt into the whole tree (outermost nodes first)."""
    for name, replaced, message in changes(root):
        yield Variant(name, replaced, message)
    children = _children(root)
    for index, child in enumerate(children):
        for variant in _everywhere(child, changes):
            rebuilt = [*children[:index], variant.expr, *children[index + 1 :]]
            yield Variant(variant.name, _with_children(root, rebuilt), variant.message)


def _children(node: Expr) -> list[Expr]:
    if isinstance(node, Binary | Compare):
        return [node.left, node.right]
    if isinstance(node, Unary | Transpose):
        return [node.operand]
    if isinstance(node, Call):
        return list(node.args)
    return []


def _with_children(node: Expr, children: list[Expr]) -> Expr:
    if isinstance(node, Binary):
        return Binary(node.op, children[0], children[1], node.uid)
    if isinstance(node, Compare):
        return Compare(node.op, children[0], children[1], node.uid)
    if isinstance(node, Unary):
        return Unary(node.op, children[0], node.uid)
    if isinstance(node, Transpose):
        return Transpose(children[0], node.uid)
    if isinstance(node, Call):
        return Call(node.func, tuple(children), node.sizes, node.options, node.uid)
    return node


def _terms(root: Expr) -> list[tuple[bool, Expr]]:
    """The top-level terms of a sum, each with whether it is subtracted."""
    if isinstance(root, Binary) and root.op in "+-":
        right_neg = root.op == "-"
        return [*_terms(root.left), (right_neg, root.right)]
    if isinstance(root, Unary) and root.op == "-":
        inner = _terms(root.operand)
        if len(inner) > 1:
            return [(not neg, t) for neg, t in inner]
    return [(False, root)]


def _join(terms: list[tuple[bool, Expr]]) -> Expr:
    neg, first = terms[0]
    result: Expr = Unary("-", first, 0) if neg else first
    for neg, term in terms[1:]:
        result = Binary("-" if neg else "+", result, term, 0)
    return result
