"""The symbols a learner may type in a drill's answer, each with its drawn form.

The reference's symbol table maps the exercise language's names (``W1``, ``yhat``) to the
LaTeX they were written as. A learner needs the names they may type, and the drawn symbol
beside a name only when the two differ: ``W1 = W⁽¹⁾``, ``yhat = ŷ``, but plain ``x`` and
``d_k``. A sum's terms (``q_1``, ``q_2``, … all written ``q_i``) are one indexed entry,
``q_i (indexed, i = 1…d_k)``, since the learner writes the sum, not its expansion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from quizapp.mathtext import SOURCE_MARK, render_inline


@dataclass(frozen=True)
class TypedSymbol:
    """One name the learner may type, how the card draws it, and (for a sum's terms) the
    index and its range, e.g. ``("q_i", "qᵢ", "i = 1…d_k")``."""

    name: str
    drawn: str
    indexed: str = ""

    def describe(self) -> str:
        """``yhat = ŷ``, ``x``, or ``q_i (indexed, i = 1…d_k)``."""
        text = self.name if self.drawn in ("", self.name) else f"{self.name} = {self.drawn}"
        return f"{text} (indexed, {self.indexed})" if self.indexed else text


def typed_symbols(symbols: dict[str, str], fixed: dict[str, float]) -> list[TypedSymbol]:
    """The entries for a reference's ``symbols`` (name -> LaTeX) and its sums' symbolic
    bounds ``fixed`` (``{"d_k": 3.0}``), in the order the formula names them."""
    grouped: dict[str, list[str]] = {}
    for name, latex in symbols.items():
        grouped.setdefault(latex, []).append(name)
    entries: list[TypedSymbol] = []
    for latex, names in grouped.items():
        index = _index_of(latex, names)
        if index is None:
            entries.extend(_entry(name, latex) for name in names)
            continue
        numbers = sorted(int(n.rsplit("_", 1)[1]) for n in names)
        top = next(iter(fixed)) if len(fixed) == 1 else str(numbers[-1])
        typed = f"{names[0].rsplit('_', 1)[0]}_{index}"
        entry = _entry(typed, latex)
        entries.append(TypedSymbol(entry.name, entry.drawn, f"{index} = {numbers[0]}…{top}"))
    return entries


def symbols_line(symbols: dict[str, str], fixed: dict[str, float]) -> str:
    """The entries on one line, comma separated; neighbours under the same sum share one
    note: ``q_i, k_i (indexed, i = 1…d_k)``."""
    parts: list[str] = []
    entries = typed_symbols(symbols, fixed)
    for position, entry in enumerate(entries):
        following = entries[position + 1] if position + 1 < len(entries) else None
        if entry.indexed and following is not None and following.indexed == entry.indexed:
            parts.append(replace(entry, indexed="").describe())
        else:
            parts.append(entry.describe())
    return ", ".join(parts)


def _entry(name: str, latex: str) -> TypedSymbol:
    """``name`` with its drawn form, left out when the LaTeX spells the name already
    (``x``, ``d_k``, ``x_{1}``)."""
    if re.sub(r"[{}\s]", "", latex) == name:
        return TypedSymbol(name, "")
    drawn = render_inline(latex)
    return TypedSymbol(name, drawn if SOURCE_MARK not in drawn else latex)


#: A symbol written with a one-letter subscript, the index of the sum it is under.
_INDEXED = re.compile(r"_\{?([a-z])\}?$")


def _index_of(latex: str, names: list[str]) -> str | None:
    """The sum's index letter when ``names`` are the terms of ``latex`` (``q_i`` read as
    ``q_1``, ``q_2``, …), else None."""
    match = _INDEXED.search(latex)
    if match is None or not all(re.fullmatch(r"\w+_\d+", n) for n in names):
        return None
    return match.group(1)
