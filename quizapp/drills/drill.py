"""A drill: one ``lhs = rhs`` formula of a card, translated and ready to check answers.

``card_drills(card)`` turns a card's display formulas into drills and says, for each
formula that is not one, why (``check``'s coverage lines). Translation is eager (it is
cheap); the points a drill is checked at are drawn on first use, once per drill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from quizapp.cards.model import Card
from quizapp.drills.domains import author_domains, infer_domains
from quizapp.drills.extraction import Candidate, FormulaSite, Skipped, extract
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.expr import Expr
from quizapp.exercises.syntax_latex import LatexExpression, compile_latex

if TYPE_CHECKING:
    from quizapp.drills.equivalence import Mode


@dataclass(frozen=True)
class Drill:
    """One drill: the card, its number among the card's drills (1-based, ``--formula N``),
    what is shown (``lhs``, ``heading``, ``sentence``), the reference, and ``formula``, the
    number of the display formula it comes from (one formula may hold several drills)."""

    card_id: str
    number: int
    lhs: str
    rhs: str
    heading: str
    sentence: str
    line: int
    reference: LatexExpression
    domains: dict[str, str]
    formula: int = 0
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    matrix_note: str = ""
    whole: str = ""
    """The equation as the card writes it (every side of a chain), what a reveal shows."""
    alternatives: tuple[Drill, ...] = ()
    """A chain's other right sides (``lhs = A = B``: B's drill when A is the reference),
    each checked equal to the reference at its points, so any of them is a right answer."""

    @property
    def key(self) -> str:
        """A stable identity: the card and the formula's number."""
        return f"{self.card_id}#{self.number}"

    @property
    def symbols(self) -> dict[str, str]:
        """Each symbol's name in the exercise language and the LaTeX it stands for."""
        return self.reference.symbols

    @property
    def matrix_checked(self) -> bool:
        """Whether answers are also checked with the symbols as arrays."""
        return bool(self.shapes)

    def prompt(self) -> str:
        """What the learner sees: ``lhs = ?``."""
        return f"{self.lhs} = ?"

    @property
    def revealed(self) -> str:
        """The LaTeX a reveal shows: the whole equation, every side of a chain."""
        return self.whole or f"{self.lhs} = {self.rhs}"

    @property
    def forms(self) -> tuple[Drill, ...]:
        """The reference and the chain's other right sides, in the card's order."""
        return (self, *self.alternatives)

    def symbols_line(self) -> str:
        """The names the learner may type, each with its drawn form where they differ
        (``W1 = W⁽¹⁾, x, b1 = b⁽¹⁾``; a sum's terms as ``q_i, k_i (indexed, i = 1…d_k)``)."""
        from quizapp.drills.symbol_list import symbols_line

        fixed = self.reference.fixed
        return symbols_line(self.symbols, {n: v for n, v in fixed.items() if n not in self.symbols})

    @cached_property
    def modes(self) -> list[Mode]:
        """The scalar and (for matrix notation) the array reading, with their points."""
        from quizapp.drills.equivalence import MATRIX, SCALAR, build_mode, scalarize, seed_for

        ref = self.reference
        root = ref.expression.root
        modes: list[Mode] = []
        seed = seed_for(self.key)
        if not ref.vector_only:
            modes.append(
                build_mode(SCALAR, scalarize(root), self.domains, {}, ref.fixed, ref.samples, seed)
            )
        if self.shapes:
            modes.append(
                build_mode(
                    MATRIX, root, self.domains, self.shapes, ref.fixed, frozenset(), seed + 1
                )
            )
        return modes

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: what a front end shows."""
        return {
            "card": self.card_id,
            "formula": self.number,
            "lhs": self.lhs,
            "heading": self.heading,
            "sentence": self.sentence,
            "line": self.line,
            "symbols": dict(self.symbols),
            "matrix_checked": self.matrix_checked,
            "matrix_note": self.matrix_note,
        }


@dataclass
class CardDrills:
    """A card's drills, and its display formulas that are not drills with the reason."""

    drills: list[Drill] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def formulas(self) -> int:
        """How many display formulas the card has (drills and skipped, an aligned block's
        lines counted once per block)."""
        numbers = {d.formula for d in self.drills} | {s.site.number for s in self.skipped}
        return len(numbers)


def card_drills(card: Card) -> CardDrills:
    """Every drill of ``card``; the formulas that are not drills, each with its reason."""
    result = CardDrills()
    extraction = extract(card)
    result.skipped.extend(extraction.skipped)
    failed: dict[int, str] = {}
    made: set[int] = set()
    for candidate in extraction.candidates:
        built = build_drill(card.id, candidate, len(result.drills) + 1)
        if isinstance(built, str):
            failed.setdefault(candidate.site.number, built)
        else:
            result.drills.append(built)
            made.add(candidate.site.number)
    sites = {c.site.number: c.site for c in extraction.candidates}
    for number, reason in failed.items():
        if number not in made:
            result.skipped.append(Skipped(sites[number], reason))
    result.skipped.sort(key=lambda s: s.site.number)
    return result


#: A moment of random variables, whose equations usually hold only under assumptions
#: about the variables' distribution that the formula does not state.
MOMENT = re.compile(
    r"\\(?:operatorname|mathrm|text|mathbb|mathop)\s*\{\s*(?:Var|Cov|E|Corr)\s*\}"
    r"|\\(?:Var|Cov|E)(?![A-Za-z])|\\mathbb\s*E(?![A-Za-z])"
)


def build_drill(card_id: str, candidate: Candidate, number: int = 1) -> Drill | str:
    """The drill of one candidate formula (the card's ``number``-th), or why it cannot be
    one. Of a chain's right sides, the first that makes a drill is the reference and the
    others that make one are its alternatives: each equals the left side, so an answer
    equal to any of them is right. A formula about moments (``Var``, ``\\mathbb{E}``)
    whose sides differ at random points is not a drill: its sides are equal only under
    assumptions about distributions, so no answer could be checked against it."""
    reasons: list[str] = []
    built: list[Drill] = []
    for rhs in candidate.rhs_forms:
        made = _build(card_id, candidate, rhs, number)
        if isinstance(made, str):
            reasons.append(made)
        else:
            built.append(made)
    if not built:
        return reasons[0]
    reference, others = built[0], built[1:]
    if MOMENT.search(candidate.whole or candidate.lhs):
        for other in others:
            if _agreement(reference, other.reference.expression.root) == "differ":
                return (
                    f"{_MOMENT_REASON}: its sides `{reference.rhs}` and `{other.rhs}` "
                    "differ at random points"
                )
        moment = _moment_reason(candidate.lhs, reference)
        if moment:
            return moment
    drill = replace(reference, whole=candidate.whole, alternatives=tuple(others))
    if "modes" in reference.__dict__:  # the points already drawn: not drawn again
        drill.__dict__["modes"] = reference.__dict__["modes"]
    return drill


#: Why a formula about moments whose sides differ is not a drill.
_MOMENT_REASON = (
    "it states moments (Var, E) of random variables, equal only under assumptions about "
    "their distribution that random points cannot test"
)


def _agreement(reference: Drill, expr: Expr) -> str:
    """``agree`` when ``expr`` equals the reference at its points in every mode,
    ``differ`` when it computes another value, ``unknown`` when it cannot be compared
    there (other symbols, undefined at the points)."""
    from quizapp.drills.equivalence import MATRIX, compare, scalarize

    known = set(reference.symbols) | set(reference.reference.fixed)
    if not _names(expr) <= known:
        return "unknown"
    try:
        modes = reference.modes
    except ExerciseError:
        return "unknown"
    for mode in modes:
        result = compare(expr if mode.name == MATRIX else scalarize(expr), mode)
        if result.outcome in ("differ", "shape"):
            return "differ"
        if result.outcome != "agree":
            return "unknown"
    return "agree"


def _names(expr: Expr) -> set[str]:
    from quizapp.exercises.expr import Name, walk

    return {node.id for node in walk(expr) if isinstance(node, Name)}


def _moment_reason(lhs: str, reference: Drill) -> str:
    """Why a formula whose left side is a moment (``\\operatorname{Var}(q^T k)``) is not a
    drill, or "" when it is one: when the left side translates into the same symbols, it
    must equal the right side at random points."""
    try:
        left = compile_latex(lhs)
    except ExerciseError:
        return ""
    if _agreement(reference, left.expression.root) == "differ":
        return f"{_MOMENT_REASON}: its two sides differ at random points"
    return ""


def _build(card_id: str, candidate: Candidate, rhs: str, number: int) -> Drill | str:
    from quizapp.drills.shapes import ShapeError, infer_shapes

    site: FormulaSite = candidate.site
    try:
        reference = compile_latex(rhs)
    except ExerciseError as error:
        return f"the right side cannot be translated: {error}"
    names = frozenset(reference.symbols)
    if not names:
        return "the right side has no symbol to vary"
    domains = infer_domains(reference.expression.root, names)
    try:
        translate = {latex: name for name, latex in reference.symbols.items()}
        domains |= {
            n: d for n, d in author_domains(site.comments, translate).items() if n in domains
        }
    except ExerciseError as error:
        return str(error)
    attempts: list[dict[str, tuple[int, ...]]] = [{}]
    note = ""
    if (reference.matrix_notation or reference.vector_only) and not reference.samples:
        try:
            root = reference.expression.root
            attempts = [
                dict(infer_shapes(root, reference.arrays, names, descending=down).of)
                for down in (False, True)
            ]
        except ShapeError as error:
            note = f"shapes could not be inferred: {error}"
    drill: Drill | str = "no shapes"
    for shapes in attempts:
        drill = _usable(
            Drill(
                card_id=card_id,
                number=number,
                lhs=candidate.lhs,
                rhs=rhs,
                formula=site.number,
                heading=site.heading,
                sentence=site.sentence,
                line=site.line,
                reference=reference,
                domains=domains,
                shapes=shapes,
                matrix_note=note,
            )
        )
        if not isinstance(drill, str) and (drill.shapes or not shapes):
            return drill
    return drill


def _usable(drill: Drill) -> Drill | str:
    """The drill if its reference evaluates at enough points in every mode, else why not."""
    from quizapp.drills.equivalence import K, valid_count

    try:
        modes = drill.modes
    except ExerciseError as error:
        if drill.shapes:
            if drill.reference.vector_only:
                return f"the right side does not evaluate: {error}"
            return _usable(replace(drill, shapes={}, matrix_note=str(error)))
        return f"the right side does not evaluate: {error}"
    if not modes:
        return "the right side needs vectors whose shapes could not be inferred"
    for mode in modes:
        if valid_count(mode) < K:
            return f"the right side is undefined at most points ({mode.name} check)"
    return drill
