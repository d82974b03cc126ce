"""The exercise expression language, as its callers have always imported it.

The language is split by concern: ``expr.py`` holds the syntax-free tree, the whitelist and
every limit; ``syntax_python.py`` reads Python syntax into that tree (what specs and typed
answers are written in); ``syntax_latex.py`` reads LaTeX into the same tree (card formulas
and drill answers). This module re-exports the tree and the Python front under their old
names, so ``from quizapp.exercises.language import compile_expression`` keeps working.
"""

from __future__ import annotations

from quizapp.exercises.expr import (
    ALIASES,
    ANSWER,
    ASK,
    COMPUTE,
    CONSTANTS,
    DRAWS,
    FUNCTIONS,
    GIVEN,
    LINALG,
    METHODS,
    Binary,
    Call,
    Compare,
    Expr,
    Expression,
    Grad,
    Index,
    IndexPart,
    Name,
    Num,
    Signature,
    Transpose,
    Unary,
    function_hint,
    walk,
)
from quizapp.exercises.syntax_python import compile_expression

__all__ = [
    "ALIASES",
    "ANSWER",
    "ASK",
    "COMPUTE",
    "CONSTANTS",
    "DRAWS",
    "FUNCTIONS",
    "GIVEN",
    "LINALG",
    "METHODS",
    "Binary",
    "Call",
    "Compare",
    "Expr",
    "Expression",
    "Grad",
    "Index",
    "IndexPart",
    "Name",
    "Num",
    "Signature",
    "Transpose",
    "Unary",
    "compile_expression",
    "function_hint",
    "walk",
]
