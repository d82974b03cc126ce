"""One concrete run of an exercise: the drawn numbers, the forward pass and the references.

Everything is a pure function of the spec and the seed, which is why recording the seed
with an attempt is enough to replay it. ``build_graph`` is also used with *overrides*
(finite differences perturb one value and recompute what follows) and with *swaps* (the
diagnosis recomputes the forward pass with one ``@`` evaluated as ``*``, and so on).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from quizapp.exercises.autodiff import Array, Tape, Var, shape_text
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.evaluator import evaluate
from quizapp.exercises.expr import Expr
from quizapp.exercises.spec import Ask, ExerciseSpec

#: Swaps for the forward pass: (compute step name, operation uid) → variant.
Swaps = Mapping[tuple[str, int], str]
#: VJP variants for the backward pass: node uid → variant.
Modes = Mapping[int, str]


@dataclass
class Graph:
    """The tape of one forward pass and the node of every given and computed name.

    ``adjoints`` caches one backward pass per loss name and VJP variant (None: the
    variant does not apply), so any number of asks about the same loss cost a single pass,
    and so does one variant of it for every ask the diagnosis tries it on.
    """

    tape: Tape
    env: dict[str, Var]
    adjoints: dict[tuple[str, tuple[tuple[int, str], ...]], dict[int, Array] | None] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class ExerciseInstance:
    """A spec with numbers: what the learner sees and what their answers are checked against.

    ``given`` and ``shown`` map names to arrays (``shown`` in the spec's ``show`` order);
    ``references`` maps each ask's name to its correct value.
    """

    spec: ExerciseSpec
    seed: int
    given: dict[str, Array]
    shown: dict[str, Array]
    asks: tuple[Ask, ...]
    references: dict[str, Array]
    graph: Graph = field(repr=False, compare=False)

    def ask(self, name: str) -> Ask:
        """The ask called ``name``; ``ExerciseError`` if there is none."""
        ask = self.spec.ask(name)
        if ask is None:
            known = ", ".join(a.name for a in self.asks)
            raise ExerciseError(f"no ask named `{name}` (asks: {known})")
        return ask

    def to_dict(self, reveal: bool = False) -> dict[str, object]:
        """JSON-ready form for ``quizapp exercise --json``; references only if ``reveal``."""

        def plain(a: Array) -> object:
            return float(a) if a.ndim == 0 else a.tolist()

        asks: list[dict[str, object]] = []
        for a in self.asks:
            entry: dict[str, object] = {
                "name": a.name,
                "prompt": a.prompt,
                "hint": a.hint,
                "hints": list(a.hints),
                "step": a.step,
                "expected_shape": list(self.references[a.name].shape),
            }
            if reveal:
                entry["reference"] = plain(self.references[a.name])
            asks.append(entry)
        return {
            "id": self.spec.id,
            "title": self.spec.title,
            "seed": self.seed,
            "given": {k: plain(v) for k, v in self.given.items()},
            "shown": {k: plain(v) for k, v in self.shown.items()},
            "asks": asks,
            "tolerance": {"rtol": self.spec.tolerance.rtol, "atol": self.spec.tolerance.atol},
        }

    def scope_for(self, ask: str, earlier: Mapping[str, Array] | None = None) -> dict[str, Array]:
        """Names a learner may use when answering ``ask``: given, shown, earlier asks.

        Earlier asks take the learner's own value from ``earlier`` when it is there, and
        the reference otherwise (for example after a reveal).
        """
        scope: dict[str, Array] = {**self.given, **self.shown}
        for a in self.asks:
            if a.name == ask:
                break
            value = None if earlier is None else earlier.get(a.name)
            scope[a.name] = self.references[a.name] if value is None else np.asarray(value)
        return scope


def new_instance(spec: ExerciseSpec, seed: int | None = None) -> ExerciseInstance:
    """Draw the givens from ``seed`` (a fresh random one if None) and compute everything.

    Raises ``ExerciseError`` (with the line) when a step's shapes do not fit, a ``grad``
    is of a non-scalar, or a value comes out NaN or infinite.
    """
    if seed is None:
        seed = secrets.randbelow(2**31)
    graph = build_graph(spec, seed)
    references = compute_references(spec, graph, seed)
    given = {d.name: graph.env[d.name].value for d in spec.given}
    shown = {name: graph.env[name].value for name in spec.show}
    return ExerciseInstance(spec, seed, given, shown, spec.asks, references, graph)


def build_graph(
    spec: ExerciseSpec,
    seed: int,
    overrides: Mapping[str, Array] | None = None,
    swaps: Swaps | None = None,
    rounded: Mapping[str, Array] | None = None,
) -> Graph:
    """Run ``given`` and ``compute`` on a fresh tape.

    ``overrides`` replace named values (each becomes a leaf, so finite differences can
    perturb an intermediate); ``swaps`` change single operations of compute steps;
    ``rounded`` replaces the values of compute steps but keeps gradients flowing through
    them (a learner working from the displayed, rounded intermediates).
    """
    overrides = overrides or {}
    rounded = rounded or {}
    rng = np.random.default_rng(seed)
    tape = Tape()
    env: dict[str, Var] = {}
    drawn: dict[str, Var] = {}  # givens as drawn: what later givens are computed from
    with np.errstate(all="ignore"):
        for d in spec.given:
            tape.label = d.name
            try:
                value = evaluate(d.expression.root, drawn, tape, rng=rng).value
            except ExerciseError as exc:
                raise ExerciseError(f"`{d.name}`: {exc.message}", line=d.line) from None
            _check_finite(value, d.name, d.line, seed)
            drawn[d.name] = tape.constant(value)
            if d.name in overrides:
                value = overrides[d.name]
                _check_finite(value, d.name, d.line, seed)
            # every given is an input of its own: one drawn from another (b = a/2 + noise)
            # is a number like any other, through which no gradient flows back to `a`
            env[d.name] = tape.leaf(value, label=d.name)
        for d in spec.compute:
            tape.label = d.name
            step_swaps = {
                uid: mode for (step, uid), mode in (swaps or {}).items() if step == d.name
            }
            try:
                var = evaluate(d.expression.root, env, tape, swaps=step_swaps)
            except ExerciseError as exc:
                raise ExerciseError(f"`{d.name}`: {exc.message}", line=d.line) from None
            if d.name in overrides:
                env[d.name] = tape.leaf(overrides[d.name], label=d.name)
            else:
                _check_finite(var.value, d.name, d.line, seed)
                env[d.name] = tape.rename(var, d.name, rounded.get(d.name))
    tape.label = None
    return Graph(tape, env)


def gradient(graph: Graph, of: str, wrt: str, modes: Modes | None = None) -> Array | None:
    """``grad(of, wrt)`` on ``graph``; None when a requested VJP variant does not apply."""
    root = graph.env[of]
    if root.value.size != 1:
        raise ExerciseError(
            f"grad({of}, {wrt}) needs a scalar `{of}`, but `{of}` is {shape_text(root.shape)}"
        )
    target = graph.env[wrt]
    key = (of, tuple(sorted((modes or {}).items())))
    if key in graph.adjoints:
        adjoint = graph.adjoints[key]
    else:
        adjoint = Tape.adjoints(root, modes)
        graph.adjoints[key] = adjoint
    if adjoint is None:
        return None  # the requested variant does not apply
    g = adjoint.get(target.uid)
    return np.zeros_like(target.value) if g is None else g.reshape(target.shape)


class VariantNotApplicable(Exception):
    """Internal: a diagnosis variant cannot be formed (shapes do not allow it)."""


def evaluate_ask(
    ask: Ask,
    graph: Graph,
    earlier: Mapping[str, Array],
    *,
    expression_root: Expr | None = None,
    modes: Modes | None = None,
    swaps: Mapping[int, str] | None = None,
) -> Array:
    """The value of an ask's answer (or of one of its mistakes) on ``graph``.

    ``earlier`` holds the references of the earlier asks, which answers may use.
    """
    root = ask.answer.root if expression_root is None else expression_root
    tape = graph.tape
    env = _Scope(graph.env, earlier, tape)

    def grad(of: str, wrt: str) -> Array:
        result = gradient(graph, of, wrt, modes)
        if result is None:
            raise VariantNotApplicable
        return result

    elements, flops = tape.elements, tape.flops
    try:
        with np.errstate(all="ignore"):
            return evaluate(root, env, tape, grad=grad, swaps=swaps).value
    finally:
        tape.elements, tape.flops = elements, flops  # each evaluation has its own budget


class _Scope(Mapping[str, Var]):
    """The graph's names, and earlier asks' values as constants made when first used.

    The diagnosis and the audit evaluate many expressions that each use one or two
    earlier asks; making a tape constant for every earlier ask each time was most of
    their work.
    """

    def __init__(self, env: Mapping[str, Var], earlier: Mapping[str, Array], tape: Tape) -> None:
        self.env, self.earlier, self.tape = env, earlier, tape
        self.made: dict[str, Var] = {}

    def __getitem__(self, name: str) -> Var:
        if name in self.earlier:
            var = self.made.get(name)
            if var is None:
                var = self.made[name] = self.tape.constant(self.earlier[name])
            return var
        return self.env[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**self.env, **self.earlier})

    def __len__(self) -> int:
        return len({**self.env, **self.earlier})


def compute_references(spec: ExerciseSpec, graph: Graph, seed: int) -> dict[str, Array]:
    """Each ask's reference, in order (later answers may use earlier ones)."""
    references: dict[str, Array] = {}
    for ask in spec.asks:
        try:
            value = evaluate_ask(ask, graph, references)
        except ExerciseError as exc:
            raise exc.at(line=ask.line, ask=ask.name) from None
        _check_finite(value, ask.name, ask.line, seed, ask=ask.name)
        references[ask.name] = value
    return references


def _check_finite(value: Array, name: str, line: int, seed: int, ask: str | None = None) -> None:
    if not np.all(np.isfinite(value)):
        raise ExerciseError(
            f"`{name}` is NaN or infinite (seed {seed}); check for log of a negative "
            "number, division by zero or overflow",
            line=line,
            ask=ask,
        )
