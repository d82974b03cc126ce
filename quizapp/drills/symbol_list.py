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
        indexed = _indexed(latex, names)
        if indexed is None:
            entries.extend(_entry(name, latex) for name in names)
            continue
        typed, index, low, high = indexed
        top = next(iter(fixed)) if len(fixed) == 1 else str(high)
        entry = _entry(typed, latex)
        entries.append(TypedSymbol(entry.name, entry.drawn, f"{index} = {low}…{top}"))
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


#: A symbol's subscript (``q_i``, ``\\delta_{ik}``, ``h_{t-1}``, ``u_{w_j}``, ``x_{(l)}``).
_SUBSCRIPT = re.compile(r"_(?:\{(?P<braced>[A-Za-z0-9,_ ()+\-{}]+)\}|(?P<bare>[A-Za-z0-9]))$")
#: How the LaTeX front spells a subscript's characters in a name (``t-1`` -> ``tm1``).
_SPELLED = str.maketrans({"-": "m", "+": "p", ",": None, "_": None, " ": None, "(": None,
                          ")": None, "{": None, "}": None})  # fmt: skip


def _indexed(latex: str, names: list[str]) -> tuple[str, str, int, int] | None:
    """When ``names`` are the terms of a sum over the symbol written ``latex`` (``q_i``
    read as ``q_1``, ``q_2``, …; ``\\delta_{ik}`` as ``delta_1k``, …): the name to type
    (``q_i``), the index letters (``i``) and the first index's lowest and highest value.
    None otherwise."""
    match = _SUBSCRIPT.search(latex)
    if match is None or len(names) < 2:
        return None
    raw = match.group("bare") or match.group("braced")
    letters = raw.translate(_SPELLED)
    size = len(letters)
    if not all(len(n) > size + 1 and n[-size - 1] == "_" for n in names):
        return None
    heads = {n[: -size - 1] for n in names}
    subs = [n[-size:] for n in names]
    varying = [i for i in range(size) if len({sub[i] for sub in subs}) > 1]
    if len(heads) != 1 or not varying:
        return None
    if not all(letters[i].isalpha() and all(sub[i].isdigit() for sub in subs) for i in varying):
        return None
    values = sorted({int(sub[varying[0]]) for sub in subs})
    index = ", ".join(letters[i] for i in varying)
    typed = raw if raw.isalnum() else f"{{{raw}}}"
    return f"{heads.pop()}_{typed}", index, values[0], values[-1]
